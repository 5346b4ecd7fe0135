"""Writing rows to a file as they come: CSV row by row, XLSX in openpyxl's write-only mode.

Both keep memory flat whatever the number of rows. Texts a spreadsheet would run as a formula
are made inert: in CSV a cell starting with = + - @ (or a tab or carriage return) is prefixed
with an apostrophe, as OWASP advises; in XLSX such a text is stored as a text cell, never a
formula. Times are the export's local times (spreadsheets know no time zones).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, Protocol
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

Cell = str | int | float | bool | datetime | date | None

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
TIME_FORMAT = "yyyy-mm-dd hh:mm:ss"


def inert(text: str) -> str:
    """A text no spreadsheet runs as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class RowWriter(Protocol):
    def write(self, row: Sequence[Cell]) -> None: ...

    def close(self) -> None: ...


class CsvWriter:
    """UTF-8 with a byte order mark, so Excel reads accents and Vietnamese right."""

    def __init__(self, path: Path, zone: ZoneInfo) -> None:
        self._file: IO[str] = path.open("w", encoding="utf-8-sig", newline="")
        self._csv = csv.writer(self._file)
        self._zone = zone

    def _text(self, value: Cell) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, datetime):
            return value.astimezone(self._zone).strftime("%Y-%m-%d %H:%M:%S")
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, float):
            return repr(round(value, 3))
        if isinstance(value, int):
            return str(value)
        return inert(value)

    def write(self, row: Sequence[Cell]) -> None:
        self._csv.writerow([self._text(value) for value in row])

    def close(self) -> None:
        self._file.close()


class XlsxWriter:
    """One sheet, rows streamed to disk by openpyxl's write-only workbook."""

    def __init__(self, path: Path, zone: ZoneInfo, title: str) -> None:
        self._path = path
        self._zone = zone
        self._book = Workbook(write_only=True)
        self._sheet = self._book.create_sheet(title=title[:31])

    def _cell(self, value: Cell) -> Any:
        if isinstance(value, datetime):
            cell = WriteOnlyCell(
                self._sheet, value=value.astimezone(self._zone).replace(tzinfo=None)
            )
            cell.number_format = TIME_FORMAT
            return cell
        if isinstance(value, float):
            return round(value, 3)
        if isinstance(value, str):
            cell = WriteOnlyCell(self._sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
            cell.data_type = "s"  # never a formula, whatever it starts with
            return cell
        return value

    def write(self, row: Sequence[Cell]) -> None:
        self._sheet.append([self._cell(value) for value in row])

    def close(self) -> None:
        self._book.save(self._path)


def open_writer(fmt: str, path: Path, zone: ZoneInfo, title: str) -> RowWriter:
    if fmt == "xlsx":
        return XlsxWriter(path, zone, title)
    return CsvWriter(path, zone)
