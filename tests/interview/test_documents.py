import io
import zipfile
from pathlib import Path

import pytest

from app.interview.documents import UnreadableDocument, read_document

VACANCY = "Ищем Data Scientist: градиентный бустинг, SQL, A/B-тесты."


def _docx(text: str) -> bytes:
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in text.split("\n"))
    xml = f'<?xml version="1.0"?><w:document xmlns:w="{ns}"><w:body>{body}</w:body></w:document>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", xml)
    return buffer.getvalue()


def _pdf(text: str) -> bytes:
    """A one-page PDF with one line of Helvetica text, offsets computed so readers accept it."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("v.txt", VACANCY.encode("utf-8"), VACANCY),
        ("v.txt", VACANCY.encode("cp1251"), VACANCY),
        ("v.docx", _docx("Задачи\nГрадиентный бустинг и SQL"), "Задачи\nГрадиентный бустинг и SQL"),
        ("v.pdf", _pdf("Data Scientist: gradient boosting, SQL"), "gradient boosting, SQL"),
    ],
)
def test_text_of_each_supported_format(
    tmp_path: Path, name: str, data: bytes, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert expected in read_document(path)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("v.exe", b"MZ\x90\x00", "Поддерживаются"),
        ("v.txt", b"\x00\x01\x02binary", "двоичный"),
        ("v.docx", b"not a zip", "повреждён"),
        ("v.pdf", b"%PDF-1.4 broken", "PDF"),
        ("v.txt", b"   12345   ", "не нашлось текста"),
    ],
)
def test_unreadable_files_get_a_clear_russian_error(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(UnreadableDocument, match=message):
        read_document(path)
