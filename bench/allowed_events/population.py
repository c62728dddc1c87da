"""A realistic population of collaboration snapshots, in every state, records partly missing."""

from __future__ import annotations

import random
from datetime import date, timedelta

from bench._stats import NOW
from bench.allowed_events.common import PIPELINE, SEED, STATE_MIX
from engine.clock import local_date
from engine.domain.collaboration import (
    Activity,
    ActivityKind,
    Checkpoint,
    Collaboration,
    CollaborationFile,
    Evaluation,
    Kpi,
    Measurement,
    Memorandum,
    Plan,
    Renewal,
    Scorecard,
)
from engine.domain.network import Network
from engine.domain.partner import Contact, Industry, Partner
from workflows.collaboration import Stage


def _pick(rng: random.Random, missing: float, partial: float) -> str:
    roll = rng.random()
    if roll < missing:
        return "missing"
    return "partial" if roll < missing + partial else "complete"


def _build_file(rng: random.Random, cid: int, state: Stage, network: Network) -> CollaborationFile:
    """A snapshot whose records are as complete as a collaboration in ``state`` tends to be."""
    # A withdrawn collaboration carries whatever it had when it was withdrawn.
    stage = rng.choice(PIPELINE) if state is Stage.WITHDRAWN else state
    at = PIPELINE.index(stage)
    today = local_date(NOW)

    def past(days: int) -> date:
        return today - timedelta(days=rng.randint(1, days))

    activities: list[Activity] = []
    for _ in range(rng.randint(0, 3)):
        kind = rng.choice((ActivityKind.PHONE, ActivityKind.LETTER))
        activities.append(Activity(len(activities) + 1, cid, kind, past(400), "電話で趣旨を説明"))
    if at > 1 or (at == 1 and rng.random() < 0.5):
        kind = rng.choice((ActivityKind.HEARING, ActivityKind.VISIT))
        activities.append(
            Activity(len(activities) + 1, cid, kind, past(300), "支店長へのヒアリング")
        )
    if at > 2 or (at == 2 and rng.random() < 0.5):
        for _ in range(rng.randint(1, 4)):
            activities.append(
                Activity(
                    len(activities) + 1,
                    cid,
                    ActivityKind.CONSULTATION,
                    past(200),
                    "実務者協議",
                    agenda="役割分担",
                    minutes="声掛け手順を確認",
                    decisions="試行は6か月",
                )
            )
    if at == 0 and rng.random() < 0.1:  # a consultation planned ahead does not count yet
        activities.append(
            Activity(99, cid, ActivityKind.CONSULTATION, today + timedelta(days=10), "予定")
        )
    activities.sort(key=lambda a: a.occurred_on, reverse=True)

    level = _pick(rng, 0.3, 0.3) if at == 0 else "complete"
    scorecard = None
    if level != "missing":
        rating = (lambda: rng.choice((None, 3))) if level == "partial" else (lambda: 4)
        scorecard = Scorecard(
            rating(),
            "",
            rating(),
            "",
            rating(),
            "",
            contact_name="" if level == "partial" and rng.random() < 0.5 else "佐藤 一郎",
        )

    level = _pick(rng, 0.4, 0.2) if at == 1 else ("complete" if at > 1 else "missing")
    memorandum = None
    if level != "missing":
        memorandum = Memorandum(
            past(250) if level == "complete" or rng.random() < 0.5 else None,
            "みどり市長 鈴木 太郎" if level == "complete" or rng.random() < 0.5 else "",
            "理事長 高橋 次郎",
        )

    planner = "田中 三郎" if at > 2 or (at == 2 and rng.random() < 0.5) else ""

    plan = None
    level = _pick(rng, 0.2, 0.4) if at == 3 else ("complete" if at > 3 else "missing")
    if level != "missing":
        starts = date(2025, 10, 1)
        kpis = tuple(
            Kpi(f"指標{i}", "人", 100.0 + i, id=cid * 10 + i) for i in range(rng.randint(1, 3))
        )
        checkpoints = tuple(
            Checkpoint(starts + timedelta(days=60 * (i + 1)), "中間評価")
            for i in range(rng.randint(1, 3))
        )
        text = "地域貢献の実績と顧客の信頼"
        if level == "partial":
            plan = Plan(
                1,
                text,
                "",
                text,
                "" if rng.random() < 0.5 else text,
                "",
                "",
                starts_on=starts if rng.random() < 0.5 else None,
                ends_on=date(2026, 9, 30),
                kpis=kpis if rng.random() < 0.5 else (),
                checkpoints=checkpoints,
            )
        else:
            plan = Plan(
                1,
                text,
                text,
                text,
                text,
                text,
                text,
                starts_on=starts,
                ends_on=date(2026, 9, 30),
                kpis=kpis,
                checkpoints=checkpoints,
            )

    measurements: tuple[Measurement, ...] = ()
    if plan is not None and at >= 4:
        share = 0.6 if at == 4 else 1.0
        measurements = tuple(
            Measurement(k.id, date(2025, 10, 1), date(2026, 3, 31), 134.0)  # type: ignore[arg-type]
            for k in plan.kpis
            if rng.random() < share
        )

    evaluation = None
    level = _pick(rng, 0.5, 0.2) if at == 4 else ("complete" if at > 4 else "missing")
    if level != "missing":
        evaluation = Evaluation(
            1,
            past(30),
            "二件の被害を未然に防いだ",
            "" if level == "partial" else "報告様式を簡単に",
        )

    renewal = None
    level = _pick(rng, 0.4, 0.2) if at == 5 else ("complete" if at > 5 else "missing")
    if level != "missing":
        renewal = Renewal(
            1,
            past(20) if level == "complete" else None,
            "みどり市長 鈴木 太郎",
            2 if level == "complete" or rng.random() < 0.5 else None,
            date(2026, 4, 1),
        )

    entered = NOW - timedelta(days=rng.randint(0, 200), hours=rng.randint(0, 23))
    return CollaborationFile(
        collaboration=Collaboration(
            id=cid,
            network_id=1,
            partner_id=cid,
            state=str(state),
            version=rng.randint(1, 9),
            owner_id=None,
            state_entered_at=entered,
            created_at=entered - timedelta(days=30),
            planner=planner,
            last_activity_on=past(60),
        ),
        partner=Partner(
            cid,
            f"協力事業者{cid}",
            Industry.BANK,
            "中央地区",
            contacts=(Contact("佐藤 一郎", "支店長"),),
        ),
        network=network,
        activities=tuple(activities),
        scorecard=scorecard,
        memorandum=memorandum,
        plan=plan,
        measurements=measurements,
        evaluation=evaluation,
        renewal=renewal,
    )


def build_population(n: int, seed: int = SEED) -> list[CollaborationFile]:
    """``n`` snapshots in the STATE_MIX proportions, deterministic for a seed."""
    rng = random.Random(seed)
    network = Network(1, "みどり市見守りネットワーク", "みどり市", "13")
    states = [s for s, _ in STATE_MIX]
    weights = [w for _, w in STATE_MIX]
    return [_build_file(rng, i + 1, rng.choices(states, weights)[0], network) for i in range(n)]
