"""CSV for spreadsheets: UTF-8 with a BOM, formula-safe cells, written as rows arrive.

Excel reads a CSV without a byte-order mark in the system's code page
(Shift_JIS on Japanese Windows) and garbles every Japanese character; the BOM
makes it read UTF-8. A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a
tab or carriage return, which Excel strips before looking) is taken as a
formula, so a partner named ``=HYPERLINK("http://evil")`` would run when the
file is opened (OWASP "CSV Injection"). Such cells get a leading single quote,
which the spreadsheet shows as text. Stored data keeps its original form:
escaping is the export's job, at the last moment.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterable, AsyncIterator, Sequence
from datetime import date, datetime

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ROWS_PER_CHUNK = 200
"""Rows per chunk handed to the response: a few tens of kilobytes."""

Cell = str | int | float | date | datetime | None


def cell(value: Cell) -> str:
    """The text of one cell; text that a spreadsheet would read as a formula is quoted."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if not isinstance(value, str):  # numbers we produce: ids, counts, versions
        return str(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


class _Chunks:
    """A csv.writer over a reusable buffer, emptied at every chunk."""

    def __init__(self) -> None:
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, lineterminator="\r\n")

    def write(self, row: Sequence[Cell]) -> None:
        self.writer.writerow([cell(value) for value in row])

    def take(self) -> bytes:
        text = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return text.encode("utf-8")


async def csv_chunks(
    header: Sequence[str],
    rows: AsyncIterable[Sequence[Cell]],
    rows_per_chunk: int = ROWS_PER_CHUNK,
) -> AsyncIterator[bytes]:
    """The CSV file as UTF-8 chunks: BOM and header first, then ``rows_per_chunk`` rows each.

    Rows are consumed as they come and never collected, so memory stays
    constant however many rows there are.
    """
    out = _Chunks()
    out.buffer.write(BOM)
    out.write(header)
    yield out.take()
    pending = 0
    async for row in rows:
        out.write(row)
        pending += 1
        if pending >= rows_per_chunk:
            yield out.take()
            pending = 0
    if pending:
        yield out.take()
