"""Reading an uploaded CSV of contacts: its encoding and delimiter, its columns, a preview,
and a first guess at which column is what.

UTF-8 (with or without a byte order mark) is tried first; a file that is not UTF-8 is read
as Windows-1252, the Latin-1 superset spreadsheets on Windows save, then as Latin-1 itself
(which reads any bytes). The delimiter is sniffed among comma, semicolon and tab.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from frontdesk.core.errors import Invalid

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 100
PREVIEW_ROWS = 5
DELIMITERS = ",;\t"
ENCODINGS = ("utf-8", "cp1252", "latin-1")
BOM = b"\xef\xbb\xbf"

# What a header usually says for each target, in the product's three languages.
GUESSES = {
    "name": ("name", "full name", "nome", "ten", "ho ten", "ho va ten", "contact"),
    "phone": (
        "phone",
        "telephone",
        "mobile",
        "whatsapp",
        "telefone",
        "celular",
        "so dien thoai",
        "dien thoai",
        "sdt",
    ),
    "email": ("email", "e-mail", "mail", "email address"),
    "language": ("language", "idioma", "lingua", "ngon ngu"),
    "lifecycle_stage": ("lifecycle", "lifecycle stage", "stage", "estagio", "etapa", "giai doan"),
    "tags": ("tags", "tag", "etiquetas", "nhan", "the"),
}


@dataclass(frozen=True)
class CsvShape:
    encoding: str
    delimiter: str
    columns: list[str]
    rows_total: int
    preview: list[list[str]]


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was read in."""
    if data.startswith(BOM):
        try:
            return data[len(BOM) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            pass
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise Invalid("the file is not text", field="file")  # pragma: no cover - latin-1 reads all


def decode_as(data: bytes, encoding: str) -> str:
    if encoding == "utf-8-sig":
        return data[len(BOM) :].decode("utf-8")
    return data.decode(encoding)


def sniff_delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        first = sample.split("\n", 1)[0]
        return max(DELIMITERS, key=first.count) if any(d in first for d in DELIMITERS) else ","


def rows(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Every row after the header with the line it starts on (the header is line 1), its
    cells trimmed; blank lines are skipped."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    next(reader, None)
    line = reader.line_num
    for row in reader:
        line, start = reader.line_num, line + 1
        if any(cell.strip() for cell in row):
            yield start, [cell.strip() for cell in row]


def read_shape(data: bytes) -> CsvShape:
    """Check the file and describe it: 422 for an empty file, no header, or too many rows."""
    if not data.strip():
        raise Invalid("the file is empty", field="file")
    if len(data) > MAX_BYTES:
        raise Invalid(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB", field="file")
    if b"\x00" in data:
        raise Invalid("the file is not a CSV text file", field="file")
    text, encoding = decode(data)
    delimiter = sniff_delimiter(text)
    try:
        header = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
        columns = [c.strip() for c in header]
        if not any(columns):
            raise Invalid("the first line must name the columns", field="file")
        if len(columns) > MAX_COLUMNS:
            raise Invalid(f"at most {MAX_COLUMNS} columns", field="file")
        if len(set(columns)) != len(columns):
            raise Invalid("two columns have the same name", field="file")
        preview: list[list[str]] = []
        total = 0
        for _, row in rows(text, delimiter):
            total += 1
            if len(preview) < PREVIEW_ROWS:
                preview.append(row)
    except csv.Error as exc:
        raise Invalid(f"the file is not a readable CSV: {exc}", field="file") from None
    if total > MAX_ROWS:
        raise Invalid(f"at most {MAX_ROWS} rows per file", field="file")
    return CsvShape(encoding, delimiter, columns, total, preview)


def _plain(text: str) -> str:
    """Lower case, accents and punctuation gone: "Số điện thoại" -> "so dien thoai"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9@-]+", " ", folded.lower()).strip()


def guess_mapping(columns: list[str], field_keys: dict[str, str]) -> dict[str, str]:
    """Column -> target for the columns whose header names a target (each target once);
    `field_keys` maps a custom field's plain label and key to the field's key."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for column in columns:
        plain = _plain(column)
        target = next((t for t, words in GUESSES.items() if plain in words), None)
        if target is None and plain in field_keys:
            target = f"field:{field_keys[plain]}"
        if target and target not in taken:
            mapping[column] = target
            taken.add(target)
    return mapping


def plain_label(text: str) -> str:
    return _plain(text)
