"""Builders of collaboration snapshots (``CollaborationFile``) for the workflow tests.

One realistic collaboration, told in dates: a mobile shopping-support operator
in Minami ward is picked in April 2025, approached in May, signs the memorandum
in June, plans over the summer, runs a pilot from September to February,
is evaluated in March 2026 and renewed for a year from 1 April 2026. The tests
look at it on ``NOW`` (Monday 1 June 2026, 10:00 in Japan).

- ``make_file(state, **overrides)``: what a collaboration in ``state`` would
  hold: the records needed to have entered that state, nothing more.
- ``complete_file(state, **overrides)``: every record filled in, so every
  guard of every event passes at ``NOW``.

Overrides name a ``CollaborationFile`` field (``memorandum=None``,
``activities=()``) or a ``Collaboration`` field (``planner=""``,
``version=3``).
"""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, date, datetime
from typing import Any

from engine.domain.collaboration import (
    Activity,
    ActivityKind,
    Approval,
    ApprovalKind,
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
from engine.domain.partner import BusySeason, Contact, Industry, Partner

NOW = datetime(2026, 6, 1, 1, 0, tzinfo=UTC)
"""Monday 1 June 2026, 10:00 in Japan."""
TODAY = date(2026, 6, 1)
"""The Japanese date at NOW."""

COLLABORATION_ID = 42

EXPECTED_TABLE: dict[str, dict[str, str]] = {
    "candidate": {"approach": "approached", "withdraw": "withdrawn"},
    "approached": {"sign_memo": "memo_signed", "withdraw": "withdrawn"},
    "memo_signed": {"start_planning": "plan", "withdraw": "withdrawn"},
    "plan": {"start_pilot": "pilot", "withdraw": "withdrawn"},
    "pilot": {"evaluate": "evaluated", "withdraw": "withdrawn"},
    "evaluated": {"renew": "renewed", "revise_plan": "plan", "withdraw": "withdrawn"},
    "renewed": {"next_cycle": "plan", "withdraw": "withdrawn"},
    "withdrawn": {"reopen": "candidate"},
}
"""The transition table written out by hand from DOMAIN.md: state -> {event: dest}."""

STATES_IN_ORDER = (
    "candidate",
    "approached",
    "memo_signed",
    "plan",
    "pilot",
    "evaluated",
    "renewed",
)

ENTERED = {
    "candidate": datetime(2025, 4, 10, 0, 30, tzinfo=UTC),
    "approached": datetime(2025, 5, 1, 2, 0, tzinfo=UTC),
    "memo_signed": datetime(2025, 6, 16, 5, 0, tzinfo=UTC),
    "plan": datetime(2025, 7, 1, 6, 0, tzinfo=UTC),
    "pilot": datetime(2025, 9, 1, 0, 0, tzinfo=UTC),
    "evaluated": datetime(2026, 3, 16, 4, 0, tzinfo=UTC),
    "renewed": datetime(2026, 3, 27, 7, 0, tzinfo=UTC),
    "withdrawn": datetime(2026, 5, 20, 3, 0, tzinfo=UTC),
}
"""When the example collaboration entered each state (UTC; the JST date is the same)."""


def make_network(**overrides: Any) -> Network:
    """Minami ward's watch network, approach window 2 to 3 months."""
    values: dict[str, Any] = {
        "id": 1,
        "name": "南区見守りネットワーク",
        "municipality": "南区",
        "prefecture": "13",
    }
    return Network(**(values | overrides))


def make_partner(**overrides: Any) -> Partner:
    """A shopping-support truck operator with a contact and a year-end busy season."""
    values: dict[str, Any] = {
        "id": 7,
        "name": "とくし丸 南区販売パートナー",
        "industry": Industry.SHOPPING_SUPPORT,
        "area": "南区全域",
        "contacts": (Contact("山田 花子", "販売責任者", "yamada@example.jp"),),
        "busy_seasons": (BusySeason((12, 1), (12, 31), "年末商戦"),),
    }
    return Partner(**(values | overrides))


def make_scorecard(**overrides: Any) -> Scorecard:
    """A fully rated three-level scorecard naming a contact."""
    values: dict[str, Any] = {
        "overview_rating": 4,
        "overview_note": "地域密着、経営は安定",
        "management_rating": 5,
        "management_note": "社長が見守りに前向き",
        "field_rating": 3,
        "field_note": "販売員は高齢者と毎週会話",
        "contact_name": "山田 花子",
        "contact_title": "販売責任者",
    }
    return Scorecard(**(values | overrides))


def activity(kind: ActivityKind, occurred_on: date, summary: str = "", **overrides: Any):
    """A logged contact or meeting of the example collaboration."""
    return Activity(
        id=None,
        collaboration_id=COLLABORATION_ID,
        kind=kind,
        occurred_on=occurred_on,
        summary=summary or f"{kind.value} on {occurred_on.isoformat()}",
        **overrides,
    )


def hearing(occurred_on: date = date(2025, 5, 20)) -> Activity:
    """A hearing with the partner's management."""
    return activity(ActivityKind.HEARING, occurred_on, "経営層へのヒアリング")


def consultation(occurred_on: date = date(2025, 7, 1)) -> Activity:
    """A practitioner-level consultation meeting with agenda, minutes and decisions."""
    return activity(
        ActivityKind.CONSULTATION,
        occurred_on,
        "実務者協議 第1回",
        agenda="見守りの対象と連絡方法",
        minutes="販売ルートごとに気づきを共有する",
        decisions="連絡票の様式を決める",
        duration_minutes=60,
        participants="山田, 佐藤",
    )


def approach_activities() -> tuple[Activity, ...]:
    """Phone, letter, then a hearing: the approach the guidebook describes."""
    return (
        activity(ActivityKind.PHONE, date(2025, 5, 2), "電話で趣旨説明"),
        activity(ActivityKind.LETTER, date(2025, 5, 9), "依頼文を送付"),
        hearing(),
    )


def make_memorandum(**overrides: Any) -> Memorandum:
    """The memorandum, signed by both decision makers."""
    values: dict[str, Any] = {
        "signed_on": date(2025, 6, 16),
        "municipality_signatory": "南区長 鈴木 一郎",
        "partner_signatory": "代表取締役 田中 次郎",
        "title": "見守り活動に関する覚書",
    }
    return Memorandum(**(values | overrides))


RESIDENTS = Kpi("Residents spoken to", "people", 200, id=11)
LEAFLETS = Kpi("Leaflets handed out", "sheets", 500, id=12)


def make_plan(**overrides: Any) -> Plan:
    """A ready plan: benefits, roles, burden, two KPIs, two checkpoints inside its term."""
    values: dict[str, Any] = {
        "cycle": 1,
        "partner_benefit": "地域貢献の実績と顧客との信頼",
        "municipality_benefit": "早期の被害発見",
        "partner_role": "販売時の声かけと気づきの連絡",
        "municipality_role": "研修と連絡窓口",
        "partner_burden": "連絡票1枚、月5分程度",
        "municipality_burden": "研修2回と月次の集計",
        "starts_on": date(2025, 9, 1),
        "ends_on": date(2026, 2, 27),
        "kpis": (RESIDENTS, LEAFLETS),
        "checkpoints": (
            Checkpoint(date(2025, 11, 28), "中間確認"),
            Checkpoint(date(2026, 2, 20), "最終確認"),
        ),
        "id": 5,
    }
    return Plan(**(values | overrides))


def measurement(kpi: Kpi, value: float) -> Measurement:
    """A measured value of a KPI over the pilot's term."""
    assert kpi.id is not None
    return Measurement(kpi.id, date(2025, 9, 1), date(2026, 2, 27), value)


def make_measurements() -> tuple[Measurement, ...]:
    """A measured value for every KPI of ``make_plan``."""
    return (measurement(RESIDENTS, 214), measurement(LEAFLETS, 430))


def make_evaluation(**overrides: Any) -> Evaluation:
    """The qualitative half of the evaluation."""
    values: dict[str, Any] = {
        "cycle": 1,
        "evaluated_on": date(2026, 3, 16),
        "went_well": "販売員の声かけで2件の被害を未然に防いだ",
        "to_improve": "連絡票の記入が負担、QRコードの様式へ",
    }
    return Evaluation(**(values | overrides))


def make_renewal(**overrides: Any) -> Renewal:
    """A one-year renewal from 1 April 2026, approved on 27 March 2026."""
    values: dict[str, Any] = {
        "cycle": 1,
        "approved_on": date(2026, 3, 27),
        "approved_by": "南区長 鈴木 一郎",
        "term_years": 1,
        "starts_on": date(2026, 4, 1),
    }
    return Renewal(**(values | overrides))


def make_approvals(*kinds: str) -> tuple[Approval, ...]:
    """A manager's approvals of ``kinds`` (all of them by default) for the first cycle."""
    return tuple(
        Approval(kind, 1, 2, "課長 高橋 誠", datetime(2026, 3, 26, 1, tzinfo=UTC))
        for kind in (kinds or tuple(ApprovalKind))
    )


def make_collaboration(state: str = "candidate", **overrides: Any) -> Collaboration:
    """The state-bearing record, entered ``state`` on the example timeline."""
    values: dict[str, Any] = {
        "id": COLLABORATION_ID,
        "network_id": 1,
        "partner_id": 7,
        "state": state,
        "version": 1,
        "owner_id": 3,
        "state_entered_at": ENTERED[state],
        "created_at": ENTERED["candidate"],
        "planner": "",
        "last_activity_on": None,
    }
    return Collaboration(**(values | overrides))


PLANNER = "佐藤 美咲"


def _records_for(state: str) -> dict[str, Any]:
    """The records a collaboration accumulates up to (and to enter) ``state``."""
    reached = STATES_IN_ORDER.index(state) if state in STATES_IN_ORDER else 0
    records: dict[str, Any] = {}
    if reached >= 1:
        records["scorecard"] = make_scorecard()
    if reached >= 2:
        records["activities"] = approach_activities()
        records["memorandum"] = make_memorandum()
        records["approvals"] = make_approvals(ApprovalKind.MEMO)
    if reached >= 3:
        records["activities"] = (*approach_activities(), consultation())
        records["planner"] = PLANNER
    if reached >= 4:
        records["plan"] = make_plan()
    if reached >= 5:
        records["measurements"] = make_measurements()
        records["evaluation"] = make_evaluation()
    if reached >= 6:
        records["renewal"] = make_renewal()
        records["approvals"] = make_approvals()
    return records


def _complete_records() -> dict[str, Any]:
    return {
        "scorecard": make_scorecard(),
        "activities": (*approach_activities(), consultation()),
        "memorandum": make_memorandum(),
        "planner": PLANNER,
        "plan": make_plan(),
        "measurements": make_measurements(),
        "evaluation": make_evaluation(),
        "renewal": make_renewal(),
        "approvals": make_approvals(),
    }


_FILE_FIELDS = frozenset(f.name for f in fields(CollaborationFile))


def _build(state: str, values: dict[str, Any]) -> CollaborationFile:
    """Split ``values`` into file fields and collaboration fields and assemble the snapshot."""
    file_values = {k: v for k, v in values.items() if k in _FILE_FIELDS}
    record_values = {k: v for k, v in values.items() if k not in _FILE_FIELDS}
    defaults = {
        "collaboration": make_collaboration(state, **record_values),
        "partner": make_partner(),
        "network": make_network(),
    }
    return CollaborationFile(**(defaults | file_values))


def make_file(state: str = "candidate", **overrides: Any) -> CollaborationFile:
    """A snapshot of the example collaboration as it would stand in ``state``."""
    return _build(state, _records_for(state) | overrides)


def complete_file(state: str = "candidate", **overrides: Any) -> CollaborationFile:
    """A snapshot with every record filled in: every guard passes at ``NOW``."""
    return _build(state, _complete_records() | overrides)
