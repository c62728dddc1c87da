"""The pipeline board over 5,000 cards on SQLite, through the whole app.

Times ``GET /board`` as server time, inside the ASGI call (session lookup,
role guard, the card query with due rules and busy seasons, the counts, the
filter choices, badges, the Jinja render with gettext and the move controls),
against a baseline measured in the same run, alternating with it: the same
cards fetched through the standard library's sqlite3 with the same SQL plan
(each stage's first 25 cards as one index range, joined by UNION ALL) and
rendered with a plain Jinja template of the same markup.

The app keeps each rendered card (web/cards.py). "Repeat view" is the board
viewed again, as it is all day; "no card in the card cache" empties that cache
before each request, as on the first view after a start. Also times one
column's next page and one card as htmx fragments, and ``/account`` as the
app's floor per request.

Run: ``python -m bench.board_page [--quick] [--repeats N]``.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import random
import sqlite3
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from jinja2 import Environment

from bench._stats import NOW, environment, median, p95, parse_args, verdict
from engine.clock import FixedClock
from engine.config import Settings
from engine.domain.users import SYSTEM, User
from engine.store import migrate
from engine.store.database import Database
from engine.store.services import Context
from engine.store.services.accounts import AccountService
from engine.store.sessions import DatabaseSessions
from web.app import create_app
from workflows.collaboration import COLLABORATION, Stage

TARGET_RATIO = 1.6
PASSWORD = "Kusunoki-2026!"
EMAIL = "bench@midori.example.jp"
HTMX = {"HX-Request": "true"}
STATES = [s.value for s in Stage]
INDUSTRIES = ["bank", "coop", "post", "delivery", "pharmacy", "transport", "newspaper"]
AREAS = ["中央地区", "北地区", "南地区", "東地区", "西地区"]

# The same SQL plan as the app: each stage's first 25 cards are one short range of
# the (network, stage, entered) index, joined by UNION ALL, then the card columns.
FIRST_CARDS = " UNION ALL ".join(
    "SELECT id FROM (SELECT id FROM collaborations WHERE network_id IN (1) "
    f"AND state = '{state}' ORDER BY state_entered_at, id LIMIT 25)"
    for state in STATES
)
RAW_SQL = f"""
SELECT c.id, c.version, c.state, n.name AS network_name, p.name AS partner_name,
       p.industry, p.area, u.name AS owner_name, c.state_entered_at, c.last_activity_on,
       (SELECT min(d.due_on) FROM due_items d
         WHERE d.collaboration_id = c.id AND d.status = 'pending') AS next_due_on,
       (SELECT count(*) FROM outbox o
         WHERE o.collaboration_id = c.id AND o.status = 'failed') AS failed_mails
FROM ({FIRST_CARDS}) AS r
JOIN collaborations c ON c.id = r.id
JOIN networks n ON n.id = c.network_id
JOIN partners p ON p.id = c.partner_id
LEFT JOIN users u ON u.id = c.owner_id
ORDER BY c.state, c.state_entered_at, c.id
"""

# The same page as the app renders (columns, cards with their move form), with the words
# written in: what a hand-made page would cost without framework, i18n or badges.
COUNT_SQL = "SELECT state, count(*) FROM collaborations WHERE network_id IN (1) GROUP BY state"

PLAIN_TEMPLATE = """<!doctype html><html lang="ja"><head><title>ボード</title></head><body>
<main><div id="board"><div class="board">
{% for state in states %}<section class="column"><h2><span>{{ state }}</span>
<span class="count">{{ counts[state] }}</span></h2><div class="cards" data-stage="{{ state }}">
{% for c in cards if c.state == state %}
<article class="card" id="card-{{ c.id }}" data-id="{{ c.id }}" data-version="{{ c.version }}"
 data-state="{{ c.state }}" data-moves="approached withdrawn">
<div class="card-head"><span class="handle" title="ドラッグして移動">⠿</span>
<h3 class="name"><a href="/collaborations/{{ c.id }}">{{ c.partner_name }}</a></h3></div>
<p class="meta">{{ c.industry }} · {{ c.area }}</p>
<p class="meta">{{ c.network_name }} · {{ c.owner_name or "担当職員なし" }}</p>
<p class="meta">{{ c.state_entered_at }}{% if c.next_due_on %} · {{ c.next_due_on }}{% endif %}</p>
{% if c.failed_mails %}<p class="meta alert">{{ c.failed_mails }}</p>{% endif %}
<details class="move-to"><summary>移動先…</summary>
<form method="post" action="/collaborations/{{ c.id }}/move"
 hx-post="/collaborations/{{ c.id }}/move" hx-target="#card-{{ c.id }}" hx-swap="outerHTML"
 hx-include="#board-filters"><input type="hidden" name="_csrf" value="{{ csrf }}">
<input type="hidden" name="version" value="{{ c.version }}">
<label for="move-{{ c.id }}">段階</label><select id="move-{{ c.id }}" name="event">
<option value="approach" data-dest="approached">打診中 (打診を開始)</option>
<option value="withdraw" data-dest="withdrawn">取り下げ (取り下げる)</option></select>
<label for="comment-{{ c.id }}">コメント</label>
<input id="comment-{{ c.id }}" name="comment" maxlength="2000">
<button type="submit">移動</button></form></details></article>
{% endfor %}</div></section>{% endfor %}</div></div></main></body></html>"""


def _stamp(moment) -> str:
    return moment.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def fill(path: Path, cards: int) -> None:
    """Partners, collaborations in every state, owners, due items and busy seasons, in raw SQL."""
    rng = random.Random(7)
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            "INSERT INTO users (id, email, name, role, active, locale, created_at, version) "
            "VALUES (?, ?, ?, 'coordinator', 1, 'ja', ?, 1)",
            [(100 + i, f"owner{i}@example.jp", f"担当者{i:02d}", _stamp(NOW)) for i in range(12)],
        )
        conn.executemany(
            "INSERT INTO partners (id, name, industry, area, note, version) "
            "VALUES (?, ?, ?, ?, '', 1)",
            [
                (i + 1, f"協力事業者{i:05d}", rng.choice(INDUSTRIES), rng.choice(AREAS))
                for i in range(cards)
            ],
        )
        rows = []
        for i in range(cards):
            entered = NOW - timedelta(days=rng.randint(0, 400), minutes=i)
            rows.append(
                (
                    i + 1,
                    1,
                    i + 1,
                    rng.choice(STATES),
                    rng.choice([None, *range(100, 112)]),
                    _stamp(entered),
                    _stamp(entered),
                    (entered + timedelta(days=rng.randint(0, 30))).date().isoformat(),
                )
            )
        conn.executemany(
            "INSERT INTO collaborations (id, network_id, partner_id, state, version, owner_id, "
            "planner, cycle, state_entered_at, created_at, last_activity_on) "
            "VALUES (?, ?, ?, ?, 1, ?, '', 1, ?, ?, ?)",
            rows,
        )
        # Already notified (an open stale badge) and due next year (the card's next due date):
        # neither is due for sending, so the app's reminder round has nothing to do meanwhile.
        due = "INSERT INTO due_items (collaboration_id, rule, anchor_on, due_on, kind, recipients, "
        due += "remind_on, status, created_at) VALUES (?, ?, ?, ?, 'reminder', 'owner', ?, ?, ?)"
        later = (NOW + timedelta(days=400)).date().isoformat()
        conn.executemany(
            due,
            [
                (r[0], rule, day, day, day, status, _stamp(NOW))
                for r in rows
                if r[3] != "withdrawn" and r[0] % 2 == 0
                for rule, day, status in (
                    ("stale", r[7], "notified"),
                    ("consultation", later, "pending"),
                )
            ],
        )
        conn.executemany(
            "INSERT INTO busy_seasons (partner_id, start_month, start_day, end_month, end_day, "
            "note) VALUES (?, 3, 1, 4, 15, '年度末')",
            [(i + 1,) for i in range(0, cards, 5)],
        )
    conn.close()


async def prepare(folder: Path, cards: int) -> str:
    """A migrated database with one network, ``cards`` collaborations and a coordinator."""
    url = f"sqlite:///{folder / 'board.db'}"
    db = Database(url)
    await migrate.upgrade(db)
    ctx = Context(db=db, workflow=COLLABORATION, clock=FixedClock(NOW))
    async with db.write() as conn:
        await conn.exec_driver_sql(
            "INSERT INTO networks (id, name, municipality, prefecture, approach_reminder_months, "
            "approach_escalation_months, version, timing) "
            "VALUES (1, 'みどり市見守りネットワーク', 'みどり市', '架空県', 2, 3, 1, '{}')"
        )
    await db.dispose()
    fill(folder / "board.db", cards)
    db = Database(url)
    ctx = Context(db=db, workflow=COLLABORATION, clock=FixedClock(NOW))
    await AccountService(ctx, DatabaseSessions(db)).create_user(
        User(None, EMAIL, "山田 花子", "coordinator"), PASSWORD, SYSTEM, (1,)
    )
    await db.dispose()
    return url


async def log_in(client: httpx.AsyncClient) -> None:
    """Log in through the form, as a browser does."""
    page = await client.get("/login")
    marker = 'name="_csrf" value="'
    start = page.text.index(marker) + len(marker)
    token = page.text[start : page.text.index('"', start)]
    answer = await client.post(
        "/login",
        data={"email": EMAIL, "password": PASSWORD, "_csrf": token},
        follow_redirects=True,
    )
    assert answer.status_code == 200, answer.status_code


def raw_board(path: Path, template) -> Callable[[], Awaitable[float]]:
    """The baseline: the same SQL through sqlite3 and a plain Jinja render; returns ms."""
    conn = sqlite3.connect(path, check_same_thread=False)
    conn.row_factory = sqlite3.Row

    async def run() -> float:
        start = time.perf_counter()
        cards = conn.execute(RAW_SQL).fetchall()
        counts = dict(conn.execute(COUNT_SQL).fetchall())
        html = template.render(states=STATES, cards=cards, counts=counts, csrf="x" * 43)
        html.encode()  # the app's answer goes out as UTF-8 bytes too
        return (time.perf_counter() - start) * 1000

    return run


class RoundReported(logging.Handler):
    """Sets ``event`` when the app's background upkeep logs the end of a round."""

    def __init__(self, event: asyncio.Event) -> None:
        super().__init__()
        self.event = event

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("upkeep:"):
            self.event.set()


class ServerTime:
    """ASGI wrapper: how long the app took over its last request, from its first
    byte in to its last byte out. The client's own work is not server time."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.last = 0.0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        start = time.perf_counter()
        await self.app(scope, receive, send)
        self.last = (time.perf_counter() - start) * 1000


async def timed(fn: Callable[[], Awaitable[float]], rounds: int, warm_up: int = 2) -> list[float]:
    """The milliseconds ``fn`` reports, ``rounds`` calls after ``warm_up`` calls."""
    for _ in range(warm_up):
        await fn()
    return [await fn() for _ in range(rounds)]


async def main() -> None:
    args = parse_args(__doc__.splitlines()[0])
    cards = 500 if args.quick else 5000
    rounds = args.repeats or (15 if args.quick else 40)  # each round is milliseconds
    with tempfile.TemporaryDirectory() as folder:
        url = await prepare(Path(folder), cards)
        settings = Settings(database_url=url, allowed_hosts=("testserver.local",))
        template = Environment(autoescape=True).from_string(PLAIN_TEMPLATE)
        baseline = raw_board(Path(folder) / "board.db", template)
        upkeep_done = asyncio.Event()
        logging.getLogger("mimamori.upkeep").addHandler(RoundReported(upkeep_done))
        app = create_app(settings, FixedClock(NOW))  # the clock the data was built on
        # The app in this event loop (no test-client thread in between), as a server runs it.
        server = ServerTime(app)
        transport = httpx.ASGITransport(app=server)
        async with (
            app.lifespan(),
            httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as client,
        ):
            await log_in(client)
            # The app's start-up reminder round (digests, mail to files) would otherwise
            # run during the first measurements: wait until it has reported.
            await asyncio.wait_for(upkeep_done.wait(), timeout=60)
            # What a production server does after start-up (STYLE.md): keep the
            # long-lived start-up objects out of the cyclic collector's way.
            gc.collect()
            gc.freeze()

            async def board() -> float:
                answer = await client.get("/board")
                assert answer.status_code == 200 and "card-" in answer.text
                return server.last

            card_cache = app.template_engine.engine.globals["card_html"]  # type: ignore[union-attr]

            async def cold_board() -> float:
                card_cache.cache_clear()  # every card rendered anew, as on a first view
                return await board()

            async def column() -> float:
                answer = await client.get("/board/columns/candidate?offset=25", headers=HTMX)
                assert answer.status_code == 200
                return server.last

            async def floor() -> float:
                answer = await client.get("/account")
                assert answer.status_code == 200
                return server.last

            async def card() -> float:
                answer = await client.get("/board/cards/42", headers=HTMX)
                assert answer.status_code == 200
                return server.last

            results: dict[str, list[float]] = {"board": [], "raw": []}
            await timed(board, 2)
            await timed(baseline, 2)
            for _ in range(rounds):  # alternate, so a burst of load on the machine hits both
                results["board"] += await timed(board, 1, warm_up=0)
                results["raw"] += await timed(baseline, 1, warm_up=0)
            results["cold"] = []
            for _ in range(rounds):
                results["cold"] += await timed(cold_board, 1, warm_up=0)
                results["raw"] += await timed(baseline, 1, warm_up=0)
            results["column"] = await timed(column, rounds)
            results["card"] = await timed(card, rounds)
            results["floor"] = await timed(floor, rounds)
    ratio = median(results["board"]) / median(results["raw"])
    cold_ratio = median(results["cold"]) / median(results["raw"])
    print(f"board_page: {cards} cards on SQLite, 25 per column; {environment()}")
    for name, label in (
        ("raw", "raw SQL + plain Jinja (baseline)"),
        ("board", "GET /board through the app (repeat view)"),
        ("cold", "GET /board, no card in the card cache"),
        ("column", "GET /board/columns/candidate?offset=25 (htmx)"),
        ("card", "GET /board/cards/42 (htmx)"),
        ("floor", "GET /account (session, guard, small page)"),
    ):
        times = results[name]
        print(f"  {label:48s} median {median(times):7.2f} ms   p95 {p95(times):7.2f} ms")
    print(
        f"  board / baseline (median): {ratio:.2f}x, target <= {TARGET_RATIO}x: "
        f"{verdict(ratio, TARGET_RATIO)}"
    )
    print(f"  first view (no cached card) / baseline (median): {cold_ratio:.2f}x")


if __name__ == "__main__":
    asyncio.run(main())
