"""The demo's watch networks and the accounts of the people who run them.

Every name in the demo is invented: みどり市 and あおば町 are made-up
municipalities, and the e-mail domains (``*.example.jp``) do not exist. A
network's prefecture must be one of the 47 (its JIS X 0401 code), so the demo's
towns are placed in 静岡県 ("22"), which has neither; the partners keep their
invented 架空県 names.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.domain.users import Role


@dataclass(frozen=True, slots=True)
class NetworkSpec:
    """A watch network and the people on the municipality's side."""

    key: str
    name: str
    municipality: str
    prefecture: str
    approach_reminder_months: int
    approach_escalation_months: int
    signatory: str
    """Who signs memoranda for the municipality."""
    approver: str
    """Who approves renewals."""
    section: str
    staff: tuple[str, ...]
    """Secretariat staff who may be named planners."""


@dataclass(frozen=True, slots=True)
class UserSpec:
    """A demo account."""

    email: str
    name: str
    role: Role
    network: str | None = None
    """The network whose collaborations the user owns (coordinators); None for every network."""
    partner: str | None = None
    """The partner organisation (by key) a partner user works for."""
    login: bool = False
    """One account per role can log in, with DEMO_PASSWORD; the demo command prints them."""


DEMO_PREFECTURE = "22"
"""静岡県: the demo networks' prefecture (a code, like every network's)."""

DEMO_PASSWORD = "mimamori-demo-2026"
"""The password of the demo accounts that can log in. Demo data only: it is printed."""


NETWORKS = (
    NetworkSpec(
        key="midori",
        name="みどり市見守りネットワーク",
        municipality="みどり市",
        prefecture=DEMO_PREFECTURE,
        approach_reminder_months=2,
        approach_escalation_months=3,
        signatory="みどり市長 森本 隆之",
        approver="みどり市 消費生活課長 佐々木 誠",
        section="みどり市 市民生活部 消費生活課",
        staff=("田中 美咲", "中村 翔", "山田 花子"),
    ),
    NetworkSpec(
        key="aoba",
        name="あおば町見守りネットワーク",
        municipality="あおば町",
        prefecture=DEMO_PREFECTURE,
        approach_reminder_months=3,
        approach_escalation_months=3,
        signatory="あおば町長 石井 和夫",
        approver="あおば町 住民課長 大野 恵子",
        section="あおば町 住民課 消費生活係",
        staff=("小林 健太", "吉田 若菜"),
    ),
)

USERS = (
    UserSpec("coordinator@midori.example.jp", "山田 花子", Role.COORDINATOR, "midori", login=True),
    UserSpec("coordinator@aoba.example.jp", "小林 健太", Role.COORDINATOR, "aoba"),
    UserSpec("manager@midori.example.jp", "佐々木 誠", Role.MANAGER, login=True),
    UserSpec("admin@kakuu-ken.example.jp", "鈴木 陽介", Role.ADMIN, login=True),
    # The field contact of a bank whose pilot is running: the portal has something to show.
    UserSpec(
        "kimura@kakuu-bank.example.jp", "木村 沙織", Role.PARTNER, partner="bank_kita", login=True
    ),
)
