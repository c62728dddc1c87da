"""/metrics in the Prometheus text format: requests, the database pool, and the figures a
monitor alerts on (waiting mail, pending notices, the background heartbeat, the last round).

Under ``mimamori serve --workers N`` every web process writes its counters to files in
one directory (prometheus_client's multiprocess mode, PROMETHEUS_MULTIPROC_DIR, set by
``serve`` before the processes start), and whichever process answers a scrape sums them
all: counters and histograms of processes that died keep counting, the pool gauge counts
live processes only. The database figures are read by the answering process at scrape
time, once for the whole site. Without the directory (one process, the tests) each app
keeps its own registry.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import suppress
from pathlib import Path
from typing import Protocol

from litestar import Litestar, Request, get
from litestar.datastructures import State
from litestar.exceptions import NotFoundException
from litestar.response import Response
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client import values as prometheus_values
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead

from engine.clock import monotonic
from engine.config import Settings
from engine.errors import ConfigError
from engine.services.metrics import Figures, MetricsService
from web.metrics_access import MetricsAccess

UNMATCHED = "unmatched"
"""The route label of a request no route matched: never the raw path (one series per URL)."""
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# No *_created series: they double the output, and multiprocess mode has none either.
disable_created_metrics()

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class RequestMetrics:
    """This process's request counter, latency histogram and pool gauge, and the scrape."""

    def __init__(self, access: MetricsAccess, folder: Path | None = None) -> None:
        self.access = access
        self.folder = folder
        # Several processes: the files are the registry. One: a registry of this app's own.
        self.registry = None if folder is not None else CollectorRegistry()
        self.requests = Counter(
            "mimamori_http_requests",
            "HTTP requests answered, by route template, method and status.",
            ["route", "method", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "mimamori_http_request_duration_seconds",
            "Time from a request's arrival to the end of its answer, by route template.",
            ["route", "method"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.pool = Gauge(
            "mimamori_database_pool_connections_in_use",
            "Database connections handed out by the pools of the live web processes.",
            multiprocess_mode="livesum",
            registry=self.registry,
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> RequestMetrics:
        """Shared files when MIMAMORI_METRICS_DIR is set, else a registry in memory."""
        folder = settings.metrics_dir
        if folder is not None and not getattr(prometheus_values.ValueClass, "_multiprocess", False):
            raise ConfigError(
                f"MIMAMORI_METRICS_DIR={str(folder)!r} is set but PROMETHEUS_MULTIPROC_DIR was"
                " not set to it before the process started: let `mimamori serve` set both"
            )
        return cls(MetricsAccess.from_settings(settings), folder)

    def measure(self, app: ASGIApp) -> ASGIApp:
        """Wrap the whole app, so that requests no route matched are counted too."""

        async def measured(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            status = 500  # unless an answer starts: what the client gets when we fail

            async def watching(message: Message) -> None:
                nonlocal status
                if message["type"] == "http.response.start":
                    status = message["status"]
                await send(message)

            started = monotonic()
            try:
                await app(scope, receive, watching)
            finally:
                self._observe(scope, status, monotonic() - started)

        return measured

    def _observe(self, scope: Scope, status: int, seconds: float) -> None:
        # The router sets the template once a route matched; a 404 or 405 has none.
        route = scope.get("path_template", UNMATCHED) if "route_handler" in scope else UNMATCHED
        method = scope["method"] if scope["method"] in METHODS else "other"
        self.requests.labels(route, method, str(status)).inc()
        self.latency.labels(route, method).observe(seconds)
        self._note_pool(scope["app"].state)

    def _note_pool(self, state: State) -> None:
        """Keep this process's pool figure fresh (after every request and at each scrape)."""
        ctx = getattr(state, "ctx", None)
        if ctx is not None:
            self.pool.set(MetricsService(ctx).connections_in_use())

    def exposition(self, state: State, figures: Figures) -> bytes:
        """The text a scrape gets: every web process's metrics and the database figures."""
        self._note_pool(state)
        sources: list[_Source]
        if self.folder is not None:
            _forget_dead_processes(self.folder)
            sources = [MultiProcessCollector(None, path=str(self.folder))]
        else:
            assert self.registry is not None
            sources = [self.registry]
        return generate_latest(_Joined([*sources, _DatabaseFigures(figures)]))

    def close(self) -> None:
        """This process is stopping: its pool figure no longer counts (on_shutdown)."""
        if self.folder is not None:
            with suppress(FileNotFoundError):
                mark_process_dead(os.getpid(), str(self.folder))


class _Source(Protocol):
    def collect(self) -> Iterable[Metric]: ...


class _Joined:
    """One scrape's collectors, read in order."""

    def __init__(self, sources: list[_Source]) -> None:
        self.sources = sources

    def collect(self) -> Iterator[Metric]:
        for source in self.sources:
            yield from source.collect()


class _DatabaseFigures:
    """The figures read from the database for this scrape, as gauges."""

    def __init__(self, figures: Figures) -> None:
        self.figures = figures

    def collect(self) -> Iterator[Metric]:
        found = self.figures
        yield _gauge(
            "mimamori_database_up",
            "1 when the database answered this scrape.",
            1.0 if found.database else 0.0,
        )
        if not found.database:
            return
        outbox = GaugeMetricFamily(
            "mimamori_outbox_messages",
            "Messages in the outbox that are not sent: queued, being sent, or failed for good.",
            labels=["status"],
        )
        for status, count in found.outbox.items():
            outbox.add_metric([str(status)], count)
        yield outbox
        yield _gauge(
            "mimamori_outbox_oldest_unsent_age_seconds",
            "How long the oldest queued or sending message has waited (0 when none waits).",
            found.age(found.oldest_unsent_at) or 0.0,
        )
        yield _gauge(
            "mimamori_due_notices_today",
            "Notices to send today (Japan) that are still pending.",
            found.notices_today,
        )
        yield _gauge(
            "mimamori_due_notices_overdue",
            "Notices still pending whose day has passed (nobody to tell, or rounds not running).",
            found.notices_overdue,
        )
        age = found.age(found.heartbeat_at)
        yield _gauge(
            "mimamori_background_heartbeat_age_seconds",
            "Seconds since the worker (or a web process doing its rounds) last beat; +Inf never.",
            float("inf") if age is None else age,
        )
        if found.heartbeat_at is not None:
            yield _gauge(
                "mimamori_background_heartbeat_timestamp_seconds",
                "When background work last beat, in Unix time.",
                found.heartbeat_at.timestamp(),
            )
        if found.round_seconds is not None and found.round_finished_at is not None:
            yield _gauge(
                "mimamori_reminder_round_duration_seconds",
                "How long the last reminder round (due notices into the outbox) took.",
                found.round_seconds,
            )
            yield _gauge(
                "mimamori_reminder_round_finished_timestamp_seconds",
                "When the last reminder round ended, in Unix time.",
                found.round_finished_at.timestamp(),
            )


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=value)


def _forget_dead_processes(folder: Path) -> None:
    """Drop the live-only gauges of web processes that died without stopping (SIGKILL).

    uvicorn's supervisor starts a new process but has no hook to tell us the old one
    is gone, so the process answering a scrape looks for itself.
    """
    for path in folder.glob("gauge_live*_*.db"):
        pid = path.stem.rpartition("_")[2]
        if pid.isdigit() and not _alive(int(pid)):
            with suppress(FileNotFoundError):  # another process's scrape removed it first
                mark_process_dead(int(pid), str(folder))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """Killed but not yet reaped by its supervisor (Linux ``/proc``; elsewhere: no)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


@get("/metrics", opt={"probe": True}, include_in_schema=False)
async def metrics_endpoint(request: Request, state: State) -> Response[bytes]:
    """The metrics, for the addresses and the token allowed; anyone else gets 404."""
    reader: RequestMetrics = state.metrics
    if not reader.access.permits(request.scope):
        raise NotFoundException()
    figures = await MetricsService(state.ctx).figures()
    return Response(
        reader.exposition(state, figures),
        media_type=CONTENT_TYPE_PLAIN_0_0_4,
        headers={"Cache-Control": "no-store"},
    )


def instrument(app: Litestar, settings: Settings) -> Litestar:
    """Count every request of ``app`` and serve /metrics (outside the session machinery)."""
    reader = RequestMetrics.from_settings(settings)
    app.state.metrics = reader
    app.register(metrics_endpoint)
    app.on_shutdown.append(reader.close)
    # Outermost, as litestar's own OpenTelemetry plugin wraps it: route middleware never
    # sees a request no route matched.
    app.asgi_handler = reader.measure(app.asgi_handler)
    return app
