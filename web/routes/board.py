"""The pipeline board: columns of cards by stage, filters, paging and single-card fragments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from litestar import Request, get
from litestar.datastructures import State
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery

from engine.clock import local_date
from engine.domain.access import Permission, Viewer
from engine.domain.partner import INDUSTRY_LABELS
from engine.i18n import N_
from engine.store.read import pipeline
from engine.store.read.pipeline import CardRow
from web.board_query import PER_COLUMN, BoardQuery
from web.cards import card_context
from web.first_run import first_run_guide
from web.fragments import is_htmx, render
from web.guards import CurrentViewer, requires
from workflows.collaboration import STAGE_LABELS, Stage

MAX_OFFSET = 1_000_000
# What an empty column holds and how cards arrive there, for a board with no filter on.
EMPTY_COLUMNS = {
    Stage.CANDIDATE: N_(
        "Companies the network may approach wait here. Add one with ＋ Add a candidate."
    ),
    Stage.APPROACHED: N_(
        "A candidate arrives here when you move its card with “Start the approach”,"
        " once its scorecard is complete."
    ),
    Stage.MEMO_SIGNED: N_(
        "A card arrives here when the memorandum is signed: move it from Approached"
        " with “Sign the memorandum”."
    ),
    Stage.PLAN: N_(
        "A card arrives here when planning starts after the memorandum, or when a plan"
        " is revised for another cycle."
    ),
    Stage.PILOT: N_("A card arrives here when the pilot starts, once its plan is ready."),
    Stage.EVALUATED: N_(
        "A card arrives here when the pilot's evaluation is complete: KPIs measured"
        " and the evaluation written."
    ),
    Stage.RENEWED: N_(
        "A card arrives here when the collaboration is renewed after its evaluation."
    ),
    Stage.WITHDRAWN: N_(
        "Collaborations withdrawn at any stage are kept here; one can be reopened as a candidate."
    ),
}
EMPTY_CANDIDATES_NO_ADD = N_(
    "Companies the network may approach wait here; the network's staff add them"
    " with ＋ Add a candidate."
)


@dataclass(frozen=True, slots=True)
class Column:
    """One stage on the board: its cards so far, how many it holds, where the rest are."""

    stage: str
    label: str
    rows: list[CardRow]
    count: int
    more_url: str | None


def _more_url(query: BoardQuery, stage: str, offset: int, more: bool) -> str | None:
    return query.url(f"/board/columns/{stage}", offset=offset) if more else None


async def page_context(
    request: Request,
    state: State,
    viewer: Viewer,
    query: BoardQuery,
    columns: list[Column],
    today: date,
    options: pipeline.FilterOptions | None = None,
) -> dict[str, Any]:
    """What board.html needs around its columns (the filter choices only for whole pages)."""
    if options is None and not is_htmx(request):
        options = await pipeline.filter_options(state.ctx.db, viewer.scope)
    return {
        "columns": columns,
        "total": sum(c.count for c in columns),
        "query": query,
        "filters": query.values,
        "options": options,
        "industries": [(str(k), v) for k, v in INDUSTRY_LABELS.items()],
        "today": today,  # the day the cards' due rules were read for
        **card_context(request.scope, viewer.can(Permission.MOVE)),
        "can_add": viewer.can(Permission.EDIT),
        "empty_columns": EMPTY_COLUMNS,
        "empty_candidates_no_add": EMPTY_CANDIDATES_NO_ADD,
    }


@get("/board", guards=[requires(Permission.VIEW_PIPELINE)])
async def board(request: Request, state: State, viewer: CurrentViewer) -> Any:
    """Every stage with its first cards and its count, inside the viewer's networks."""
    query = BoardQuery.parse(request.query_params)
    now = state.ctx.clock.now()
    today = local_date(now)
    found = await pipeline.board(
        state.ctx.db,
        viewer.scope,
        query.store_filter(now),
        [s.value for s in Stage],
        PER_COLUMN,
        today,
        with_options=not is_htmx(request),
    )
    columns = []
    for stage in Stage:
        rows = [c for c in found.cards if c.state == stage]
        count = found.counts.get(stage, 0)
        columns.append(
            Column(
                stage,
                STAGE_LABELS[stage],
                rows,
                count,
                _more_url(query, stage, PER_COLUMN, count > PER_COLUMN),
            )
        )
    context = await page_context(request, state, viewer, query, columns, today, found.options)
    if not is_htmx(request):  # the guide sits outside the fragments htmx asks for
        context["guide"] = await first_run_guide(state.ctx.db, viewer)
    # The address bar keeps only the filters in use, so a view can be bookmarked.
    headers = {"HX-Push-Url": query.url("/board")}
    return render(request, "board.html", "board", context, headers=headers)


@get("/board/columns/{stage:str}", guards=[requires(Permission.VIEW_PIPELINE)])
async def column_page(
    request: Request,
    state: State,
    viewer: CurrentViewer,
    stage: FromPath[str],
    offset: FromQuery[int] = 0,
) -> Any:
    """The next cards of one column, with a link to the ones after them."""
    if stage not in Stage.__members__.values():
        raise NotFoundException()
    offset = min(max(offset, 0), MAX_OFFSET)
    query = BoardQuery.parse(request.query_params)
    now = state.ctx.clock.now()
    today = local_date(now)
    rows, more = await pipeline.column(
        state.ctx.db, viewer.scope, query.store_filter(now), stage, offset, PER_COLUMN, today
    )
    count = offset + len(rows)
    if not is_htmx(request):  # the column's heading with its count shows on whole pages only
        counts = await pipeline.counts(state.ctx.db, viewer.scope, query.store_filter(now))
        count = counts.get(stage, 0)
    column = Column(
        stage,
        STAGE_LABELS[Stage(stage)],
        rows,
        count,
        _more_url(query, stage, offset + PER_COLUMN, more),
    )
    context = await page_context(request, state, viewer, query, [column], today)
    return render(request, "board.html", "column_cards", {**context, "column": column})


@get("/board/cards/{collaboration_id:int}", guards=[requires(Permission.VIEW_PIPELINE)])
async def card_fragment(
    request: Request, state: State, viewer: CurrentViewer, collaboration_id: FromPath[int]
) -> Any:
    """One card as it stands now (404 outside the viewer's networks)."""
    today = local_date(state.ctx.clock.now())
    row = await pipeline.card(state.ctx.db, viewer.scope, collaboration_id, today)
    query = BoardQuery.parse(request.query_params)
    # A column holding only this card and no "load more" link: its block is the card.
    column = Column(row.state, STAGE_LABELS[Stage(row.state)], [row], 1, None)
    context = await page_context(request, state, viewer, query, [column], today)
    return render(request, "board.html", "column_cards", {**context, "column": column})


ROUTES = [board, column_page, card_fragment]
