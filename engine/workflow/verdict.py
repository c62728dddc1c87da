"""Guard verdicts: what is still missing before an event may fire."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from engine.i18n import translate


@dataclass(frozen=True, slots=True)
class Requirement:
    """One unmet requirement, in words a coordinator understands.

    ``code`` is stable for programs (the API, the board's "fix it" links);
    ``message`` is a gettext message id with ``{named}`` parameters.
    """

    code: str
    message: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def text(self, locale: str) -> str:
        """The requirement in the reader's language."""
        return translate(self.message, locale, **self.params)


Verdict = tuple[Requirement, ...]
"""The unmet requirements; empty means the guard passes."""

PASS: Verdict = ()

Guard = Callable[[Any, datetime], Verdict]
"""A pure function of a record snapshot and the time."""
