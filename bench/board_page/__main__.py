"""The command line of the board_page benchmark (the package's docstring says what it does)."""

from __future__ import annotations

import asyncio
import gc
import logging
import tempfile
from pathlib import Path

import httpx
from jinja2 import Environment

import bench.board_page
from bench._stats import NOW, environment, median, p95, parse_args, verdict
from bench.board_page.common import HTMX, PLAIN_TEMPLATE, TARGET_RATIO
from bench.board_page.data import prepare
from bench.board_page.measure import RoundReported, ServerTime, log_in, raw_board, timed
from engine.clock import FixedClock
from engine.config import Settings
from web.app import create_app


async def main() -> None:
    args = parse_args((bench.board_page.__doc__ or "").splitlines()[0])
    cards = 500 if args.quick else 5000
    rounds = args.repeats or (15 if args.quick else 40)  # each round is milliseconds
    with tempfile.TemporaryDirectory() as folder:
        url = await prepare(Path(folder), cards)
        settings = Settings(database_url=url, allowed_hosts=("testserver.local",))
        template = Environment(autoescape=True).from_string(PLAIN_TEMPLATE)
        baseline = raw_board(Path(folder) / "board.db", template)
        upkeep_done = asyncio.Event()
        upkeep_log = logging.getLogger("mimamori.upkeep")
        upkeep_log.setLevel(logging.INFO)  # its end-of-round line is INFO
        upkeep_log.addHandler(RoundReported(upkeep_done))
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
