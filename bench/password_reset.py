"""password_reset: does the answer to 「パスワードをお忘れの方」 tell whether an address exists?

Times POST /password/forgot through the app (in this event loop, no network) for an
address with an account and for one without, alternating, and prints the medians and
their ratio; the target is a ratio within 0.9x-1.1x. Beside it, the work behind the
answer without the padding (``PasswordLinkService.request_reset`` alone), known and
unknown, to show what the padding hides. The app's clock moves 20 minutes between
requests so that the throttle never answers instead.

    python -m bench.password_reset            # 30 requests of each kind
    python -m bench.password_reset --quick    # 6 of each (part of `make test`)
"""

from __future__ import annotations

import asyncio
import re
import tempfile
import time
from pathlib import Path

import httpx

from bench._stats import NOW, environment, median, parse_args, verdict
from engine.clock import FixedClock
from engine.config import Settings
from engine.domain.users import SYSTEM, User
from engine.services import Context
from engine.services.accounts import AccountService
from engine.services.password_links import PasswordLinkService
from engine.store import migrate
from engine.store.database import Database
from engine.store.sessions import DatabaseSessions
from web.app import create_app
from workflows.collaboration import COLLABORATION

KNOWN, UNKNOWN = "sato@midori.example.jp", "nobody@midori.example.jp"
CSRF = re.compile(r'name="_csrf" value="([^"]+)"')


async def _seed(url: str) -> None:
    db = Database(url)
    await migrate.upgrade(db)
    ctx = Context(db=db, workflow=COLLABORATION, clock=FixedClock(NOW))
    account = User(None, KNOWN, "佐藤 美咲", "coordinator")
    await AccountService(ctx, DatabaseSessions(db)).create_user(account, "Kusunoki-2026!", SYSTEM)
    await db.dispose()


async def main() -> None:
    args = parse_args((__doc__ or "").splitlines()[0])
    repeats = args.repeats or (6 if args.quick else 30)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'reset.db'}"
        await _seed(url)
        clock = FixedClock(NOW)
        settings = Settings(
            database_url=url, mail_dir=Path(folder) / "mail", allowed_hosts=("testserver.local",)
        )
        app = create_app(settings, clock)
        transport = httpx.ASGITransport(app=app)
        answers: dict[str, list[float]] = {KNOWN: [], UNKNOWN: []}
        work: dict[str, list[float]] = {KNOWN: [], UNKNOWN: []}
        async with (
            app.lifespan(),
            httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as client,
        ):
            token = CSRF.search((await client.get("/password/forgot")).text).group(1)  # type: ignore[union-attr]
            links = PasswordLinkService(app.state.ctx)
            for n in range(repeats):
                for email in (KNOWN, UNKNOWN) if n % 2 == 0 else (UNKNOWN, KNOWN):
                    clock.advance(minutes=20)
                    started = time.perf_counter()
                    answer = await client.post(
                        "/password/forgot", data={"email": email, "_csrf": token}
                    )
                    answers[email].append(time.perf_counter() - started)
                    assert answer.status_code == 200, answer.text
                    clock.advance(minutes=20)
                    started = time.perf_counter()
                    await links.request_reset(email, "bench")
                    work[email].append(time.perf_counter() - started)
    known, unknown = median(answers[KNOWN]), median(answers[UNKNOWN])
    ratio = known / unknown
    print(f"password_reset: {repeats} requests of each kind, SQLite; {environment()}")
    print(f"  answer, address with an account     median {known * 1000:8.1f} ms")
    print(f"  answer, address without an account  median {unknown * 1000:8.1f} ms")
    print(
        f"  known / unknown (median): {ratio:.3f}x, target 0.9x-1.1x: "
        f"{verdict(abs(ratio - 1), 0.1)}"
    )
    print(
        f"  the work alone (no padding): known {median(work[KNOWN]) * 1000:.1f} ms,"
        f" unknown {median(work[UNKNOWN]) * 1000:.1f} ms"
        f" ({median(work[KNOWN]) / median(work[UNKNOWN]):.2f}x)"
    )


if __name__ == "__main__":
    asyncio.run(main())
