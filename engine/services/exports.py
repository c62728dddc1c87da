"""The CSV exports as tables: localized column titles and rows of cells, streamed.

One definition for the web downloads and ``mimamori export``: the stage and
event labels come from the workflow, industries from the partner domain,
times in Japan time. Turning a table into CSV bytes is ``engine.csv_export``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from engine.clock import JST
from engine.csv_export import Cell
from engine.domain.access import Scope
from engine.domain.partner import INDUSTRY_LABELS
from engine.i18n import DEFAULT_LOCALE, N_, translations
from engine.services.context import Context
from engine.store.read import exports
from engine.store.read.exports import HistorySubject
from engine.store.read.pipeline_sql import BoardFilter

BOARD_COLUMNS = (
    N_("ID"),
    N_("Network"),
    N_("Partner name"),
    N_("Industry"),
    N_("Area"),
    N_("Stage"),
    N_("In this stage since"),
    N_("Owner"),
    N_("Last activity"),
    N_("Next due"),
    N_("Version"),
    N_("Link"),
)
PARTNER_COLUMNS = (
    N_("Partner name"),
    N_("Reading (kana)"),
    N_("Industry"),
    N_("Area"),
    N_("Address"),
    N_("Telephone"),
    N_("Website"),
    N_("Note"),
    N_("Contacts"),
    N_("Number of collaborations"),
)
HISTORY_COLUMNS = (
    N_("When (Japan time)"),
    N_("Event"),
    N_("From stage"),
    N_("To stage"),
    N_("Who"),
    N_("Comment"),
)


@dataclass(frozen=True, slots=True)
class Table:
    """Column titles and the rows below them, still to be read."""

    header: tuple[str, ...]
    rows: AsyncIterator[Sequence[Cell]]


def _japan_time(moment: datetime) -> str:
    return moment.astimezone(JST).strftime("%Y-%m-%d %H:%M")


def _contact(name: str, title: str, email: str, phone: str) -> str:
    person = f"{name}（{title}）" if title else name
    return " ".join(part for part in (person, email, phone) if part)


class ExportService:
    """What a viewer may export, in the viewer's language."""

    def __init__(self, ctx: Context, scope: Scope, locale: str = DEFAULT_LOCALE) -> None:
        self.ctx = ctx
        self.scope = scope
        self._ = translations(locale).gettext

    def _header(self, columns: Sequence[str]) -> tuple[str, ...]:
        return tuple(self._(title) for title in columns)

    def board(self, board_filter: BoardFilter) -> Table:
        """Every card of the board under ``board_filter``, stage by stage."""
        return Table(self._header(BOARD_COLUMNS), self._board_rows(board_filter))

    async def _board_rows(self, board_filter: BoardFilter) -> AsyncIterator[Sequence[Cell]]:
        workflow, _ = self.ctx.workflow, self._
        industries = {str(k): _(v) for k, v in INDUSTRY_LABELS.items()}
        stages = {state: _(workflow.label(state)) for state in workflow.states}
        base = self.ctx.base_url.rstrip("/")
        lines = exports.board_lines(self.ctx.db, self.scope, board_filter, workflow.states)
        async for c in lines:
            yield (
                c.id,
                c.network_name,
                c.partner_name,
                industries.get(c.industry, c.industry),
                c.area,
                stages.get(c.state, c.state),
                c.state_entered_at.astimezone(JST).date(),
                c.owner_name,
                c.last_activity_on,
                c.next_due_on,
                c.version,
                f"{base}/collaborations/{c.id}",
            )

    def partners(self, *, search: str = "", industry: str = "", area: str = "") -> Table:
        """The partner list under the same filters as /partners, with contacts."""
        rows = self._partner_rows(search=search, industry=industry, area=area)
        return Table(self._header(PARTNER_COLUMNS), rows)

    async def _partner_rows(
        self, *, search: str, industry: str, area: str
    ) -> AsyncIterator[Sequence[Cell]]:
        industries = {str(k): self._(v) for k, v in INDUSTRY_LABELS.items()}
        lines = exports.partner_lines(
            self.ctx.db, self.scope, search=search, industry=industry, area=area
        )
        async for p in lines:
            yield (
                p.name,
                p.kana,
                industries.get(p.industry, p.industry),
                p.area,
                p.address,
                p.phone,
                p.website,
                p.note,
                " / ".join(_contact(*contact) for contact in p.contacts),
                p.collaborations,
            )

    async def history(self, collaboration_id: int) -> tuple[HistorySubject, Table]:
        """Whose history it is and its state changes; NotFound (before any row) outside scope."""
        subject = await exports.history_subject(self.ctx.db, self.scope, collaboration_id)
        return subject, Table(self._header(HISTORY_COLUMNS), self._history_rows(collaboration_id))

    async def _history_rows(self, collaboration_id: int) -> AsyncIterator[Sequence[Cell]]:
        workflow, _ = self.ctx.workflow, self._
        events = {name: _(event.label) for name, event in workflow.events.items()}
        lines = exports.history_lines(self.ctx.db, self.scope, collaboration_id)
        async for h in lines:
            yield (
                _japan_time(h.at),
                events.get(h.event, h.event),
                _(workflow.label(h.source)),
                _(workflow.label(h.dest)),
                h.actor_name,
                h.comment,
            )
