"""The population: networks, partners, collaborations and their due items, in bulk with sqlite3."""

from __future__ import annotations

import os
import random
import sqlite3
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench._stats import NOW
from bench.reminder_scan.common import DUE, TODAY
from engine.domain.names import name_key

# Offsets in days from the anchor, as the workflow's timing rules have them (months ~ 30.5 days).
RULES: dict[str, tuple[str, str, int]] = {
    "approach_window_reminder": ("reminder", "owner", 61),
    "approach_window_escalation": ("escalation", "managers", 92),
    "consultation_cadence": ("reminder", "owner", 21),
    "checkpoint_ahead": ("reminder", "owner", -7),
    "renewal_review_90": ("reminder", "owner", -90),
    "renewal_review_30": ("reminder", "owner", -30),
    "renewal_review_7": ("reminder", "owner", -7),
    "renewal_review_overdue": ("escalation", "managers", 1),
    "stale": ("reminder", "owner", 30),
}
STATE_RULES: dict[str, tuple[str, ...]] = {
    "candidate": ("stale",),
    "approached": ("approach_window_reminder", "approach_window_escalation", "stale"),
    "memo_signed": ("stale",),
    "plan": ("consultation_cadence", "stale"),
    "pilot": ("checkpoint_ahead", "stale"),
    "evaluated": ("stale",),
    "renewed": (
        "renewal_review_90",
        "renewal_review_30",
        "renewal_review_7",
        "renewal_review_overdue",
        "stale",
    ),
    "withdrawn": (),
}
STATE_WEIGHTS = {
    "candidate": 25,
    "approached": 15,
    "memo_signed": 10,
    "plan": 15,
    "pilot": 12,
    "evaluated": 5,
    "renewed": 10,
    "withdrawn": 8,
}
# What the due rows are about: owners' reminders mostly, some escalations to managers.
DUE_KINDS = (
    ("approached", "approach_window_reminder"),
    ("candidate", "stale"),
    ("plan", "consultation_cadence"),
    ("approached", "approach_window_escalation"),
    ("pilot", "checkpoint_ahead"),
    ("memo_signed", "stale"),
    ("renewed", "renewal_review_30"),
    ("plan", "stale"),
    ("renewed", "renewal_review_overdue"),
    ("evaluated", "stale"),
)
INDUSTRIES = ("bank", "coop", "post", "delivery", "insurance", "convenience_store", "newspaper")
AREAS = ("中央地区", "北地区", "南地区", "東地区", "西地区", "山間地区")
PREFECTURES = ("13", "27", "40")  # JIS X 0401 codes: 東京都, 大阪府, 福岡県
SURNAMES = ("佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤")
GIVEN = ("花子", "一郎", "美咲", "健太", "陽子", "大輔", "恵", "翔")
COORDINATORS_PER_NETWORK = 5
MANAGERS_PER_NETWORK = 2
USERS_PER_NETWORK = COORDINATORS_PER_NETWORK + MANAGERS_PER_NETWORK
COLLABORATIONS_PER_NETWORK = 1000


def day_text(d: date) -> str:
    return d.isoformat()


def _moment(d: date, seconds: int = 3600) -> str:
    """A UTC moment as SQLAlchemy stores it in SQLite (naive, microseconds)."""
    return f"{d.isoformat()} {seconds // 3600 % 24:02d}:{seconds // 60 % 60:02d}:00.000000"


@dataclass
class Population:
    """What the file holds, and what a scan of it should do."""

    collaborations: int = 0
    networks: int = 0
    partners: int = 0
    due_ids: list[int] = field(default_factory=list)
    expected_mails: int = 0
    due_items: int = 0
    pending: int = 0


NOW_TEXT = NOW.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def _ensure_networks(conn: sqlite3.Connection, pop: Population, wanted: int) -> None:
    """Networks up to ``wanted``, each with five coordinators and two managers as members."""
    if wanted <= pop.networks:
        return
    networks, users, members = [], [], []
    for n in range(pop.networks, wanted):
        nid = n + 1
        town = f"見本{n:04d}市"
        networks.append((nid, f"{town}見守りネットワーク", town, PREFECTURES[n % 3]))
        for k in range(USERS_PER_NETWORK):
            uid = n * USERS_PER_NETWORK + k + 1
            role = "coordinator" if k < COORDINATORS_PER_NETWORK else "manager"
            name = f"{SURNAMES[uid % 10]} {GIVEN[uid % 8]}"
            locale = "en" if uid % 10 == 3 else "ja"
            users.append((uid, f"user{uid}@example.jp", name, role, 1, locale, NOW_TEXT))
            members.append((uid, nid))
    conn.executemany(
        "INSERT INTO networks (id, name, municipality, prefecture) VALUES (?, ?, ?, ?)", networks
    )
    conn.executemany(
        "INSERT INTO users (id, email, name, role, active, locale, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        users,
    )
    conn.executemany("INSERT INTO memberships (user_id, network_id) VALUES (?, ?)", members)
    pop.networks = wanted


def _ensure_partners(conn: sqlite3.Connection, pop: Population, wanted: int, rng: random.Random):
    """Partners up to ``wanted`` (each works with two networks); a tenth have a busy season."""
    if wanted <= pop.partners:
        return
    partners, seasons = [], []
    for p in range(pop.partners, wanted):
        pid = p + 1
        name = f"協力事業者{p:07d}株式会社"
        partners.append((pid, name, name_key(name), INDUSTRIES[p % 7], AREAS[p % 6], ""))
        if rng.random() < 0.1:
            month = rng.randrange(1, 13)
            seasons.append((pid, month, 1, month, 28, "繁忙期"))
    conn.executemany(
        "INSERT INTO partners (id, name, name_key, industry, area, note) VALUES (?, ?, ?, ?, ?, ?)",
        partners,
    )
    conn.executemany(
        "INSERT INTO busy_seasons (partner_id, start_month, start_day, end_month, end_day, note) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        seasons,
    )
    pop.partners = wanted


def grow(path: Path, pop: Population, total: int, *, plant_due: bool, seed: int = 20260406) -> None:
    """Add collaborations (and their networks, partners, due items) up to ``total``.

    Collaboration i (0-based) is in network i mod K (K = total / 1000) with
    partner i div 2 and one of the network's coordinators as owner. With
    ``plant_due``, DUE collaborations spread over the range (and the networks)
    get one pending item due today, or for about one in seven up to five days
    ago (a missed scan, or snoozed until today).
    """
    rng = random.Random(seed + pop.collaborations)
    conn = sqlite3.connect(path, isolation_level=None)
    # A bulk load: no journal, no syncing, a large page cache for the index b-trees.
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-1000000")
    conn.execute("PRAGMA temp_store=MEMORY")
    conn.execute("BEGIN")
    networks = max(2, total // COLLABORATIONS_PER_NETWORK)
    _ensure_networks(conn, pop, networks)
    _ensure_partners(conn, pop, (total + 1) // 2, rng)

    states = list(STATE_WEIGHTS)
    weights = list(STATE_WEIGHTS.values())
    start = pop.collaborations
    # One due item in each stretch of `stride` collaborations, at a varying place in it so
    # that the due items fall in many networks (network = i mod `networks`).
    stride = max(1, (total - start) // DUE)
    chosen = {start + k * stride + (k * 37) % stride for k in range(DUE)} if plant_due else set()
    planted = 0
    all_rules = list(RULES)
    history_status = ("notified", "acknowledged", "acknowledged", "acknowledged", "cancelled")
    due_id = conn.execute("SELECT coalesce(max(id), 0) FROM due_items").fetchone()[0]
    collab_rows: list[tuple[Any, ...]] = []
    due_rows: list[tuple[Any, ...]] = []
    season_rows: list[tuple[Any, ...]] = []

    def flush() -> None:
        conn.executemany(
            "INSERT INTO collaborations (id, network_id, partner_id, state, owner_id, planner, "
            "cycle, state_entered_at, created_at, last_activity_on) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            collab_rows,
        )
        conn.executemany(
            "INSERT INTO due_items (id, collaboration_id, rule, anchor_on, due_on, kind, "
            "recipients, status, created_at, remind_on, notified_at, acknowledged_at, "
            "acknowledged_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            due_rows,
        )
        collab_rows.clear()
        due_rows.clear()

    for i in range(start, total):
        cid = i + 1
        n = i % networks
        due_here = i in chosen
        if due_here:
            state, due_rule = DUE_KINDS[planted % len(DUE_KINDS)]
        else:
            state, due_rule = rng.choices(states, weights)[0], None
        owner = n * USERS_PER_NETWORK + 1 + i % COORDINATORS_PER_NETWORK
        if state == "candidate" and not due_here and rng.random() < 0.05:
            owner = None  # not yet assigned
        entered = TODAY - timedelta(days=rng.randrange(0, 400))
        created = entered - timedelta(days=rng.randrange(0, 300))
        activity = entered + timedelta(days=rng.randrange(0, max(1, (TODAY - entered).days + 1)))
        collab_rows.append(
            (
                cid,
                n + 1,
                i // 2 + 1,
                state,
                owner,
                "企画 太郎" if state in ("plan", "pilot") else "",
                1 + (state == "renewed"),
                _moment(entered, i),
                _moment(created, i),
                day_text(activity),
            )
        )
        count = 2 + (rng.random() < 0.5)
        rules = STATE_RULES[state]
        used: set[tuple[str, date]] = set()
        for j in range(count):
            if due_here and j == 0:
                rule = due_rule
                assert rule is not None
                # A quarter were due earlier: a missed scan, or snoozed until today. Not the
                # notices ahead of a date (negative offset): they lapse once it has passed.
                late = planted % 4 == 0 and RULES[rule][2] > 0
                remind = TODAY - timedelta(days=1 + planted % 5 if late else 0)
                due = remind - timedelta(days=7) if late and planted % 8 == 0 else remind
                status = "pending"
                if planted % 4 == 1:  # the partner's busy season is now: the notice says so
                    season_rows.append((i // 2 + 1, 4, 1, 4, 15, "年度初めの繁忙期"))
                _kind, recipients, _offset = RULES[rule]
                pop.expected_mails += 1 if recipients == "owner" else MANAGERS_PER_NETWORK
                planted += 1
            elif j == 0 or not rules:  # history: a notice that went out in the last year
                rule = all_rules[(i + j) % len(all_rules)]
                remind = TODAY - timedelta(days=rng.randrange(7, 366))
                due = remind
                status = "cancelled" if state == "withdrawn" else history_status[(i + j) % 5]
            else:  # pending: reminded on some day of the next two years
                rule = rules[(i + j) % len(rules)]
                remind = TODAY + timedelta(days=rng.randrange(1, 731))
                due = remind if rng.random() < 0.95 else remind - timedelta(days=3)
                status = "pending"
            if (rule, due) in used:
                due += timedelta(days=1)
                remind = max(remind, due) if status == "pending" else due
            used.add((rule, due))
            kind, recipients, offset = RULES[rule]
            anchor = due - timedelta(days=offset)
            due_id += 1
            if due_here and j == 0:
                pop.due_ids.append(due_id)
            pop.due_items += 1
            pop.pending += status == "pending"
            notified = _moment(remind, 3600) if status in ("notified", "acknowledged") else None
            acknowledged = (
                _moment(remind + timedelta(days=2), 7200) if status == "acknowledged" else None
            )
            due_rows.append(
                (
                    due_id,
                    cid,
                    rule,
                    day_text(anchor),
                    day_text(due),
                    kind,
                    recipients,
                    status,
                    _moment(anchor, i),
                    day_text(remind),
                    notified,
                    acknowledged,
                    owner if acknowledged else None,
                )
            )
        if len(collab_rows) >= 50_000:
            flush()
    flush()
    conn.executemany(
        "INSERT INTO busy_seasons (partner_id, start_month, start_day, end_month, end_day, note) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        season_rows,
    )
    conn.execute("COMMIT")
    conn.execute("PRAGMA journal_mode=WAL")  # as production runs it
    conn.close()
    # Write the file out now, so that the kernel's writeback does not run under the timings.
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    pop.collaborations = total
    if plant_due and planted != DUE:
        raise RuntimeError(f"planted {planted} due items, wanted {DUE}")
