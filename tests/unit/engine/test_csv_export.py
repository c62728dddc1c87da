"""CSV cells for spreadsheets: formula cells quoted (chunks: tests/web/test_exports.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from engine.csv_export import cell


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_a_spreadsheet_would_run_gets_a_quote(start):
    assert cell(f"{start}SUM(A1)") == f"'{start}SUM(A1)"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("みどり信用金庫", "みどり信用金庫"),
        ("a=b", "a=b"),  # only the first character counts
        ("", ""),
        (None, ""),
        (42, "42"),
        (-3, "-3"),  # numbers are ours (ids, counts), never a formula
        (date(2026, 4, 6), "2026-04-06"),
        (datetime(2026, 4, 6, 1, 0, tzinfo=UTC), "2026-04-06T01:00:00+00:00"),
    ],
)
def test_other_cells_are_written_as_they_are(value, text):
    assert cell(value) == text
