"""The chat's Russian UI text covers every key of the Chainlit version we run."""

import json
from pathlib import Path

import chainlit

ROOT = Path(__file__).resolve().parents[1]


def _keys(tree: dict, prefix: str = "") -> set[str]:
    keys: set[str] = set()
    for key, value in tree.items():
        keys |= _keys(value, f"{prefix}{key}.") if isinstance(value, dict) else {prefix + key}
    return keys


def test_russian_translation_has_every_chainlit_key() -> None:
    english = Path(chainlit.__file__).parent / "translations" / "en-US.json"
    russian = ROOT / ".chainlit" / "translations" / "ru-RU.json"
    en, ru = (json.loads(p.read_text(encoding="utf-8")) for p in (english, russian))
    assert _keys(en) == _keys(ru)


def test_chat_is_forced_to_russian_and_safe_html() -> None:
    import tomllib

    config = tomllib.loads((ROOT / ".chainlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["UI"]["language"] == "ru-RU"
    assert config["features"]["unsafe_allow_html"] is False
    assert "*" not in config["project"]["allow_origins"]
