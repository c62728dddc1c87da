"""The demo's collaborations, each told as a story: the events it went through and when."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Story:
    """One collaboration's life: the events it went through and how long it sits now.

    ``elapsed`` is the number of days the collaboration has spent in its final
    state before the seeding day; everything before is laid out backwards from
    there. ``terms`` are pilot terms in months per cycle and ``renewal_years``
    renewal terms per cycle (the last value repeats).
    """

    network: str
    partner: str
    path: tuple[str, ...]
    elapsed: int
    terms: tuple[int, ...] = (6,)
    renewal_years: tuple[int, ...] = (1,)
    reason: str = ""
    flags: frozenset[str] = field(default_factory=frozenset)


MAIN_PATH = ("approach", "sign_memo", "start_planning", "start_pilot", "evaluate", "renew")
"""The events of the guidebook's four stages, in order."""


def upto(event: str) -> tuple[str, ...]:
    """The main path up to and including ``event``."""
    return MAIN_PATH[: MAIN_PATH.index(event) + 1]


DECLINED_HQ = "先方が辞退：本社の方針で自治体との個別の協定は当面見送るとのこと。"
DECLINED_STAFF = "先方が辞退：運転士不足で乗務員研修の時間を確保できないため。"
BUSY_DELIVERY = (
    "繁忙期で継続困難：お歳暮・年末年始の配達と重なり協議の時間が取れないため、いったん中断。"
)
BUSY_CONVENIENCE = (
    "繁忙期で継続困難：年末年始の予約商品の受付と重なるため、春以降に改めて検討したいとの申し出。"
)
TRANSFER = "担当者の異動で後任が決まらず、試行の継続が困難となったため。"

STORIES = (
    # みどり市
    Story(
        "midori",
        "shinkin_midori",
        (*MAIN_PATH, "next_cycle", "start_pilot", "evaluate", "renew"),
        elapsed=150,
        terms=(12, 12),
        renewal_years=(1, 2),
    ),
    Story("midori", "bank_kita", upto("start_pilot"), elapsed=60, terms=(12,)),
    Story(
        "midori",
        "coop_midori",
        (*upto("evaluate"), "revise_plan", "start_pilot", "evaluate"),
        elapsed=20,
        terms=(6, 6),
    ),
    Story("midori", "suzuran", MAIN_PATH, elapsed=340, terms=(6,), renewal_years=(1,)),
    Story("midori", "himawari_go", upto("approach"), elapsed=105),
    Story("midori", "post_midori", MAIN_PATH, elapsed=200, terms=(12,), renewal_years=(2,)),
    Story("midori", "post_kita", (), elapsed=12, flags=frozenset({"draft_scorecard"})),
    Story(
        "midori",
        "unyu_midori",
        (*upto("start_planning"), "withdraw"),
        elapsed=60,
        reason=BUSY_DELIVERY,
    ),
    Story("midori", "kodama", upto("approach"), elapsed=20),
    Story("midori", "hoken_midori", upto("sign_memo"), elapsed=25),
    Story("midori", "machikado", upto("start_pilot"), elapsed=125, terms=(6,)),
    Story("midori", "momiji", ("withdraw",), elapsed=200, reason=DECLINED_HQ),
    Story(
        "midori",
        "midori_kotsu",
        upto("start_planning"),
        elapsed=40,
        flags=frozenset({"upcoming_meeting"}),
    ),
    Story("midori", "gas_midori", upto("evaluate"), elapsed=12, terms=(9,)),
    Story("midori", "shinbun_midori", upto("start_pilot"), elapsed=178, terms=(9,)),
    Story("midori", "yakkyoku_midori", upto("sign_memo"), elapsed=8),
    Story("midori", "denki_midori", (), elapsed=5, flags=frozenset({"no_scorecard"})),
    Story("midori", "seimei", upto("start_pilot"), elapsed=290, terms=(12,)),
    Story("midori", "taxi_kyokai", upto("approach"), elapsed=10),
    # あおば町
    Story("aoba", "shinkin_aoba", upto("sign_memo"), elapsed=45),
    Story("aoba", "coop_aoba", upto("start_planning"), elapsed=35),
    Story("aoba", "yamabiko", upto("start_pilot"), elapsed=240, terms=(12,)),
    Story(
        "aoba",
        "post_aoba",
        upto("evaluate"),
        elapsed=30,
        terms=(6,),
        flags=frozenset({"renewal_draft"}),
    ),
    Story("aoba", "tsubame", upto("approach"), elapsed=80),
    Story("aoba", "sukoyaka", (), elapsed=18),
    Story(
        "aoba",
        "komorebi",
        ("approach", "withdraw", "reopen"),
        elapsed=10,
        reason=BUSY_CONVENIENCE,
    ),
    Story("aoba", "aoba_bus", ("approach", "withdraw"), elapsed=90, reason=DECLINED_STAFF),
    Story("aoba", "denryoku_aoba", upto("start_planning"), elapsed=8),
    Story("aoba", "shinbun_aoba", MAIN_PATH, elapsed=372, terms=(6,), renewal_years=(1,)),
    Story(
        "aoba",
        "chozai_aoba",
        upto("approach"),
        elapsed=45,
        flags=frozenset({"memo_draft"}),
    ),
    Story(
        "aoba",
        "seimei",
        (*upto("start_pilot"), "withdraw"),
        elapsed=45,
        terms=(12,),
        reason=TRANSFER,
    ),
    Story(
        "aoba",
        "taxi_kyokai",
        upto("start_planning"),
        elapsed=75,
        terms=(12,),
        flags=frozenset({"plan_ready"}),
    ),
)
