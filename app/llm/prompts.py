"""Versioned prompt files: `prompts/<name>.v<N>.md`; the newest version is used and recorded."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PROMPT_DIR = Path(__file__).resolve().parent / "prompts"
_FILE = re.compile(r"^(?P<name>[a-z_]+)\.v(?P<version>\d+)\.md$")


@dataclass(frozen=True)
class Prompt:
    name: str
    version: int
    text: str

    @property
    def id(self) -> str:
        return f"{self.name}.v{self.version}"


@cache
def load_prompt(name: str) -> Prompt:
    versions = [
        (int(m["version"]), path)
        for path in PROMPT_DIR.glob(f"{name}.v*.md")
        if (m := _FILE.match(path.name)) and m["name"] == name
    ]
    if not versions:
        raise FileNotFoundError(f"no prompt file {name}.v*.md in {PROMPT_DIR}")
    version, path = max(versions)
    return Prompt(name, version, path.read_text(encoding="utf-8").strip())
