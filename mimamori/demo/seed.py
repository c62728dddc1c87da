"""Seeding the demo: every story played as a script, or the rest of it after an interruption."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from datetime import time as clock_time

from engine.clock import JST, FixedClock
from engine.domain.users import Actor, Role
from engine.errors import EngineError
from engine.services import Context
from engine.store.database import Database
from engine.store.uow import reading
from engine.workflow import Workflow
from mimamori.demo.directory import ensure_networks, ensure_partners, ensure_users
from mimamori.demo.networks import NETWORKS, USERS, NetworkSpec
from mimamori.demo.partners import PARTNERS, PartnerSpec
from mimamori.demo.playbook import write_script
from mimamori.demo.report import DemoReport
from mimamori.demo.runner import Actors, Runner
from mimamori.demo.script import Script
from mimamori.demo.stories import STORIES, Story

DEFAULT_SEED = 20240401
"""The seed of the demo's random choices: the same seed and day give the same data."""


async def seed_demo(
    db: Database,
    workflow: Workflow,
    today: date,
    *,
    seed: int = DEFAULT_SEED,
    stories: Sequence[Story] = STORIES,
) -> DemoReport:
    """Create the demo networks, users, partners and collaborations that are missing.

    Every date lies before ``today`` (scheduled meetings aside); the same
    ``seed`` and ``today`` give the same data. ``stories`` picks the
    collaborations to seed (all of them unless a test wants fewer).
    """
    started = time.perf_counter()
    report = DemoReport(today)
    networks = {n.key: n for n in NETWORKS}
    partners = {p.key: p for p in PARTNERS}
    scripts = [
        write_script(s, networks[s.network], partners[s.partner], workflow, today, seed)
        for s in stories
    ]
    first_day = min((script.steps[0].day for script in scripts), default=today) - timedelta(days=14)
    clock = FixedClock(datetime.combine(first_day, clock_time(9, 0), JST))
    ctx = Context(db=db, workflow=workflow, clock=clock)

    network_ids = await ensure_networks(ctx, report)
    partner_ids = await ensure_partners(ctx, report)
    user_ids = await ensure_users(ctx, report, partner_ids)

    manager = next(u for u in USERS if u.role is Role.MANAGER)
    for script in scripts:
        story = script.story
        owner = next(u for u in USERS if u.role is Role.COORDINATOR and u.network == story.network)
        approver = manager if story.network == "midori" else owner
        actors = Actors(
            Actor(user_ids[owner.email], owner.name),
            Actor(user_ids[approver.email], approver.name),
        )
        runner = Runner(ctx, clock, network_ids[story.network], partner_ids[story.partner])
        await _play(runner, script, actors, report)
    report.collaborations = Counter(
        {s: report.collaborations[s] for s in workflow.states if report.collaborations[s]}
    )
    report.seconds = time.perf_counter() - started
    return report


async def _done_so_far(runner: Runner) -> list[str] | None:
    """The steps already taken for this collaboration (None: it does not exist yet).

    Every step leaves one trace: an audit entry, or a history entry for a state
    change. Each step of a script runs at a later moment than the one before, so
    the traces merged by time spell out the steps in order.
    """
    async with reading(runner.ctx.db) as uow:
        existing = await uow.collaborations.find(runner.network_id, runner.partner_id)
        if existing is None or existing.id is None:
            return None
        runner.cid = existing.id
        audit = await uow.audit.for_entity("collaboration", existing.id)
        history = await uow.collaborations.history(existing.id)
    moves = {(h.at, f"event.{h.event}") for h in history}
    traces = [(h.at, 1, f"event.{h.event}") for h in history]
    traces += [
        (row.at, 0, row.action)
        for row in audit
        if (row.at, row.action) not in moves  # a service may audit a move as well
    ]
    return [action for _, _, action in sorted(traces, key=lambda t: (t[0], t[1]))]


async def _play(runner: Runner, script: Script, actors: Actors, report: DemoReport) -> None:
    """Play a script, or the rest of it when an interrupted run played its beginning."""
    label = _label(script.network, script.partner)
    expected = [step.audit for step in script.steps]
    done = await _done_so_far(runner)
    if done is not None:
        if done[: len(expected)] != expected[: len(done)]:
            report.left_as_is.append(label)
            return
        if len(done) >= len(expected):
            report.existing += 1
            return
        for step in script.steps[: len(done)]:
            runner.set_clock(step.day)  # so that resumed steps come later than those taken
    try:
        for step in script.steps[len(done or ()) :]:
            runner.set_clock(step.day)
            await step.run(runner, actors)
            report.steps += 1
    except EngineError as exc:
        report.failed.append(f"{label}: {exc}")
        return
    if done is not None:
        report.resumed.append(label)
    else:
        report.collaborations[script.final_state] += 1


def _label(network: NetworkSpec, partner: PartnerSpec) -> str:
    return f"{network.municipality} / {partner.name}"
