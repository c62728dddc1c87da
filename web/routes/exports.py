"""CSV downloads: the board as filtered, the partner list, a collaboration's history.

Each answer is streamed: rows go out as the database hands them over, so a
network's whole pipeline costs the memory of one chunk. Visibility and guards
are those of the page the download sits on.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from litestar import Request, get
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery
from litestar.response import Stream

from engine.clock import local_date
from engine.csv_export import csv_chunks
from engine.domain.access import Permission
from engine.domain.partner import Industry
from engine.i18n import N_, translations
from engine.services.exports import ExportService, Table
from web.board_query import BoardQuery
from web.guards import CurrentViewer, requires
from web.i18n import current_locale

MEDIA_TYPE = "text/csv"  # litestar adds "; charset=utf-8" to text types
BOARD_FILE = N_("Pipeline")
PARTNERS_FILE = N_("Partners")
HISTORY_FILE = N_("History")
# Characters Windows refuses in a file name, and control characters.
UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def _file_name(*parts: str) -> str:
    joined = "_".join(UNSAFE_IN_NAME.sub("", part).strip() for part in parts if part)
    return joined[:120] or "export"


def content_disposition(name: str, ascii_name: str) -> str:
    """``attachment`` with the UTF-8 name (RFC 5987) and an ASCII one for old clients."""
    return f"attachment; filename=\"{ascii_name}.csv\"; filename*=UTF-8''{quote(name)}.csv"


def _download(table: Table, name: str, ascii_name: str) -> Stream:
    return Stream(
        csv_chunks(table.header, table.rows),
        media_type=MEDIA_TYPE,
        headers={
            "Content-Disposition": content_disposition(name, ascii_name),
            "Cache-Control": "no-store",  # personal data: not kept by the browser or a proxy
        },
    )


def _service(state: State, viewer: CurrentViewer) -> ExportService:
    return ExportService(state.ctx, viewer.scope, current_locale.get())


def _title(message: str) -> str:
    return translations(current_locale.get()).gettext(message)


@get("/board.csv", guards=[requires(Permission.VIEW_PIPELINE)])
async def board_csv(request: Request, state: State, viewer: CurrentViewer) -> Stream:
    """Every card of the board under the same filters (its query string), all stages."""
    query = BoardQuery.parse(request.query_params)
    now = state.ctx.clock.now()
    day = local_date(now).isoformat()
    table = _service(state, viewer).board(query.store_filter(now))
    return _download(table, _file_name(_title(BOARD_FILE), day), f"mimamori-board-{day}")


@get("/partners.csv", guards=[requires(Permission.VIEW_PIPELINE)])
async def partners_csv(
    state: State,
    viewer: CurrentViewer,
    q: FromQuery[str] = "",
    industry: FromQuery[str] = "",
    area: FromQuery[str] = "",
) -> Stream:
    """The partner list under the same filters as /partners, with contacts."""
    if industry not in Industry.__members__.values():
        industry = ""
    day = local_date(state.ctx.clock.now()).isoformat()
    table = _service(state, viewer).partners(search=q, industry=industry, area=area)
    return _download(table, _file_name(_title(PARTNERS_FILE), day), f"mimamori-partners-{day}")


@get(
    "/collaborations/{collaboration_id:int}/history.csv",
    guards=[requires(Permission.VIEW_PIPELINE)],
)
async def history_csv(
    state: State, viewer: CurrentViewer, collaboration_id: FromPath[int]
) -> Stream:
    """A collaboration's state changes in Japan time (404 outside the viewer's networks)."""
    subject, table = await _service(state, viewer).history(collaboration_id)
    name = _file_name(_title(HISTORY_FILE), subject.partner_name, str(collaboration_id))
    return _download(table, name, f"mimamori-history-{collaboration_id}")


ROUTES = [board_csv, partners_csv, history_csv]
