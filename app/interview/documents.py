"""Text of an uploaded vacancy or résumé: .txt, .md, .docx, .pdf; anything else gets a clear error."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from app.errors import ExplainedError

MAX_BYTES = 5_000_000
MAX_CHARS = 50_000
_WORD_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class UnreadableDocument(ExplainedError):
    """A vacancy or résumé file that cannot be read as text; the message says why."""


def read_document(path: Path) -> str:
    """Plain text of the file, whitespace tidied, at most MAX_CHARS characters."""
    if not path.is_file():
        raise UnreadableDocument(f"Файл не найден: {path.name}.")
    if path.stat().st_size > MAX_BYTES:
        raise UnreadableDocument("Файл больше 5 МБ: сократите его или вставьте текст вакансии.")
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix in {".txt", ".md", ""}:
        text = _decode(data)
    elif suffix == ".docx":
        text = _docx_text(data)
    elif suffix == ".pdf":
        text = _pdf_text(path)
    else:
        raise UnreadableDocument("Поддерживаются файлы .txt, .pdf и .docx.")
    text = re.sub(r"[ \t]+", " ", text)
    text = re.sub(r"\n\s*\n+", "\n\n", text).strip()
    if not re.search(r"[^\W\d_]{2,}", text):
        raise UnreadableDocument("В файле не нашлось текста. Вставьте текст вакансии в чат.")
    return text[:MAX_CHARS]


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise UnreadableDocument("Файл похож на двоичный, а не на текст.")
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableDocument("Не удалось прочитать кодировку файла: сохраните его в UTF-8.")


def _docx_text(data: bytes) -> str:
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read("word/document.xml")
    except (zipfile.BadZipFile, KeyError) as exc:
        raise UnreadableDocument("Файл .docx повреждён или это не документ Word.") from exc
    root = ElementTree.fromstring(xml)  # noqa: S314 - a bounded file the user chose, no DTDs
    paragraphs = [
        "".join(node.text or "" for node in p.iter(f"{_WORD_NS}t"))
        for p in root.iter(f"{_WORD_NS}p")
    ]
    return "\n".join(paragraphs)


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        return "\n".join(page.extract_text() or "" for page in reader.pages[:30])
    except (PdfReadError, ValueError, OSError) as exc:
        raise UnreadableDocument(
            "Не удалось прочитать PDF: вставьте текст вакансии в чат."
        ) from exc
