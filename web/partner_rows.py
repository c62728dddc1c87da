"""The repeated rows of partner forms: busy seasons and contacts, read and written back.

Each row posts a marker field (``season`` or ``contact``) so a row emptied by
the person is still counted; empty rows are dropped, which removes an entry.
"""

from __future__ import annotations

from litestar.datastructures import FormMultiDict

from engine.domain.partner import BusySeason, Contact
from engine.domain.validation import TOO_LONG
from engine.i18n import N_

SEASON_PARTS = ("start_month", "start_day", "end_month", "end_day")
SEASON_NOTE_LIMIT = 200
CONTACT_PARTS = ("name", "title", "email", "phone")
INCOMPLETE = N_("Give a month and a day for both the start and the end.")

Row = dict[str, str]


def _text(form: FormMultiDict, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _rows(form: FormMultiDict, marker: str, prefix: str, parts: tuple[str, ...]) -> list[Row]:
    rows = []
    for i in range(len(form.getall(marker, []))):
        row = {part: _text(form, f"{prefix}.{i}.{part}") for part in parts}
        if any(row.values()):
            rows.append(row)
    return rows


def season_rows(form: FormMultiDict) -> list[Row]:
    """The filled-in busy-season rows of the form, in order."""
    return _rows(form, "season", "seasons", (*SEASON_PARTS, "note"))


def season_row(season: BusySeason) -> Row:
    """A stored busy season as a form row."""
    (start_month, start_day), (end_month, end_day) = season.start, season.end
    return {
        "start_month": str(start_month),
        "start_day": str(start_day),
        "end_month": str(end_month),
        "end_day": str(end_day),
        "note": season.note,
    }


def season_from(i: int, row: Row, errors: dict[str, str]) -> BusySeason:
    """A busy season from a row; unreadable numbers leave a message for the row."""
    values = [int(row[part]) if row[part].isdigit() else 0 for part in SEASON_PARTS]
    if not all(values):
        errors[f"busy_seasons.{i}.start"] = INCOMPLETE
    if len(row["note"]) > SEASON_NOTE_LIMIT:
        errors[f"busy_seasons.{i}.note"] = TOO_LONG
    return BusySeason((values[0], values[1]), (values[2], values[3]), row["note"])


def blank_season() -> Row:
    """An empty row for adding a season."""
    return dict.fromkeys((*SEASON_PARTS, "note"), "")


def contact_rows(form: FormMultiDict) -> list[Row]:
    """The filled-in contact rows of the form, in order."""
    return _rows(form, "contact", "contacts", CONTACT_PARTS)


def contact_row(contact: Contact) -> Row:
    """A stored contact as a form row."""
    return {
        "name": contact.name,
        "title": contact.title,
        "email": contact.email,
        "phone": contact.phone,
    }


def contact_from(row: Row) -> Contact:
    """A contact from a row (checked by the partner's validation)."""
    return Contact(row["name"], row["title"], row["email"], row["phone"])


def blank_contact() -> Row:
    """An empty row for adding a contact."""
    return dict.fromkeys(CONTACT_PARTS, "")
