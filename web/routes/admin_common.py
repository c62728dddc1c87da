"""What every administration screen shares: the guard, form reading and the messages."""

from __future__ import annotations

from litestar import Request
from litestar.datastructures import FormMultiDict

from engine.domain.access import Permission
from engine.i18n import N_
from web.guards import requires

ADMIN_ONLY = [requires(Permission.ADMINISTER)]
"""The guard of every administration route."""

CONFLICT = N_(
    "Someone else changed this in the meantime, so nothing was saved. "
    "Reload the page to see the current values, then make your change again."
)
WHOLE_NUMBER = N_("Give a whole number.")


async def form_of(request: Request) -> FormMultiDict:
    """The posted form (already read once by the CSRF check, which keeps it)."""
    return await request.form()


def text(form: FormMultiDict, name: str) -> str:
    """A text field, stripped; empty when it is missing."""
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def number(form: FormMultiDict, name: str, errors: dict[str, str]) -> int | None:
    """A whole-number field: None when blank; a message in ``errors`` when not a number."""
    raw = text(form, name)
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        errors[name] = WHOLE_NUMBER
        return None


def numbers(form: FormMultiDict, name: str, errors: dict[str, str]) -> tuple[int, ...]:
    """A multi-valued whole-number field (checkboxes), in the order sent."""
    found = []
    for raw in form.getall(name, []):
        try:
            found.append(int(raw))
        except (TypeError, ValueError):
            errors[name] = WHOLE_NUMBER
    return tuple(found)


def read_version(form: FormMultiDict) -> int:
    """The version the editor read; -1 (never current) when it is missing or malformed.

    Never 0: saving version 0 means "create", which an edit form must not do.
    """
    raw = text(form, "version")
    return int(raw) if raw.isdigit() and int(raw) > 0 else -1
