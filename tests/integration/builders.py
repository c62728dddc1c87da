"""Building blocks for store tests: a network, a partner, a candidate, complete records."""

from __future__ import annotations

from datetime import date

from engine.domain.collaboration import (
    Activity,
    ActivityKind,
    Checkpoint,
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
from engine.domain.users import Actor, User
from engine.services import CollaborationService, Context, DirectoryService, RecordService

COORDINATOR = Actor(None, "山田 花子")
MANAGER = Actor(None, "高橋 誠")


async def candidate(ctx: Context, name: str = "みどり信用金庫") -> int:
    """A network, a partner and a candidate collaboration between them; returns its id."""
    directory = DirectoryService(ctx)
    networks = await directory.networks()
    network = (
        networks[0]
        if networks
        else await directory.add_network(
            Network(None, "みどり市見守りネットワーク", "みどり市", "13"), COORDINATOR
        )
    )
    partner = await directory.add_partner(
        Partner(
            None,
            name,
            Industry.BANK,
            "中央地区",
            contacts=(Contact("佐藤 一郎", "支店長"),),
            busy_seasons=(BusySeason((3, 1), (3, 31), "年度末"),),
        ),
        COORDINATOR,
    )
    assert network.id is not None and partner.id is not None
    record = await CollaborationService(ctx).add_candidate(network.id, partner.id, COORDINATOR)
    assert record.id is not None
    return record.id


async def approached_with_owner(ctx: Context) -> tuple[int, User]:
    """A candidate owned by a coordinator who belongs to its network, then approached."""
    owner = await DirectoryService(ctx).add_user(
        User(None, "yamada@midori.example.jp", "山田 花子", "coordinator"), COORDINATOR
    )
    assert owner.id is not None
    cid = await candidate(ctx)
    file = await CollaborationService(ctx).file(cid)
    await DirectoryService(ctx).add_member(owner.id, file.collaboration.network_id, COORDINATOR)
    await CollaborationService(ctx).assign(
        cid, expected_version=1, actor=COORDINATOR, owner_id=owner.id
    )
    await complete_scorecard(ctx, cid)
    await CollaborationService(ctx).fire(cid, "approach", expected_version=2, actor=COORDINATOR)
    return cid, owner


async def complete_scorecard(ctx: Context, cid: int) -> None:
    """Rate all three levels and name a contact."""
    await RecordService(ctx).save_scorecard(
        cid,
        Scorecard(
            4,
            "地域密着",
            5,
            "支店長が前向き",
            3,
            "窓口職員の関心は中程度",
            contact_name="佐藤 一郎",
        ),
        COORDINATOR,
    )


async def sign_memo(ctx: Context, cid: int, day: date) -> None:
    """Log a hearing and record a signed memorandum on ``day``."""
    records = RecordService(ctx)
    await records.log_activity(
        Activity(None, cid, ActivityKind.HEARING, day, "支店長へのヒアリング"), COORDINATOR
    )
    await records.save_memorandum(
        cid, Memorandum(day, "みどり市長 鈴木 太郎", "みどり信用金庫 理事長 高橋 次郎"), COORDINATOR
    )
    await records.approve(cid, "memo", MANAGER)


async def prepare_plan(ctx: Context, cid: int, day: date, cycle: int = 1) -> Plan:
    """Log a consultation, name a planner and write a complete plan."""
    records = RecordService(ctx)
    await records.log_activity(
        Activity(
            None,
            cid,
            ActivityKind.CONSULTATION,
            day,
            "第1回 実務者協議",
            agenda="役割分担",
            minutes="窓口での声掛け手順を確認",
            decisions="試行は6か月",
        ),
        COORDINATOR,
    )
    file = await CollaborationService(ctx).file(cid)
    await CollaborationService(ctx).assign(
        cid, expected_version=file.collaboration.version, actor=COORDINATOR, planner="田中 三郎"
    )
    current = file.plan
    return await records.save_plan(
        cid,
        Plan(
            cycle=cycle,
            partner_benefit="地域貢献の実績と顧客の信頼",
            municipality_benefit="高齢者の被害の早期発見",
            partner_role="窓口での声掛けと相談票の送付",
            municipality_role="研修と相談対応",
            partner_burden="月1回の報告のみ",
            municipality_burden="研修講師の派遣",
            starts_on=date(day.year, day.month, 1),
            ends_on=date(day.year + 1, day.month, 1),
            kpis=(Kpi("声掛け人数", "人", 120.0),),
            checkpoints=(Checkpoint(date(day.year, 12, 1), "中間評価"),),
            version=current.version if current else 0,
        ),
        COORDINATOR,
    )


async def evaluate(ctx: Context, cid: int, day: date, cycle: int = 1) -> None:
    """Measure every KPI and write the evaluation."""
    file = await CollaborationService(ctx).file(cid)
    assert file.plan is not None
    records = RecordService(ctx)
    for kpi in file.plan.kpis:
        assert kpi.id is not None
        await records.record_measurement(
            cid, Measurement(kpi.id, file.plan.starts_on, day, 134.0), COORDINATOR
        )
    await records.save_evaluation(
        cid,
        Evaluation(cycle, day, "窓口で2件の被害を未然に防いだ", "報告様式を簡単に"),
        COORDINATOR,
    )


async def renew(ctx: Context, cid: int, day: date, years: int = 2, cycle: int = 1) -> None:
    """Record an approved renewal."""
    records = RecordService(ctx)
    await records.save_renewal(
        cid, Renewal(cycle, day, "みどり市長 鈴木 太郎", years, day), COORDINATOR
    )
    await records.approve(cid, "renewal", MANAGER)
