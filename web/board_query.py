"""The board's filters as they travel in URLs and forms, and what the store makes of them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from engine.store.read.pipeline import BoardFilter

FIELDS = ("network", "area", "industry", "owner", "days", "q")
PER_COLUMN = 25
MAX_DAYS = 3650


@dataclass(frozen=True, slots=True)
class BoardQuery:
    """The filters a reader chose: raw strings for the form, parsed values for the store."""

    values: dict[str, str]

    @classmethod
    def parse(cls, source: Mapping[str, str]) -> BoardQuery:
        """Read the filter fields from query parameters or a form; unknown values are dropped."""
        values = {}
        for name in FIELDS:
            raw = (source.get(name) or "").strip()[:200]
            if name in ("network", "owner", "days") and not _whole(raw):
                raw = ""
            if raw:
                values[name] = raw
        return cls(values)

    def store_filter(self, now: datetime) -> BoardFilter:
        """The filter the store applies; ``days`` counts back from ``now``."""
        days = self._int("days")
        return BoardFilter(
            network_id=self._int("network"),
            area=self.values.get("area", ""),
            industry=self.values.get("industry", ""),
            owner_id=self._int("owner"),
            entered_before=now - timedelta(days=min(days, MAX_DAYS)) if days else None,
            search=self.values.get("q", ""),
        )

    def url(self, path: str, **extra: object) -> str:
        """``path`` with the filters (and ``extra`` parameters) as its query string."""
        params = {**self.values, **{k: str(v) for k, v in extra.items()}}
        return f"{path}?{urlencode(params)}" if params else path

    @property
    def active(self) -> bool:
        """True when any filter is set."""
        return bool(self.values)

    def _int(self, name: str) -> int | None:
        raw = self.values.get(name)
        return int(raw) if raw else None


def _whole(raw: str) -> bool:
    return raw.isdigit() and len(raw) <= 9
