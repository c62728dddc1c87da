"""A bounded load on loopback, and a ledger of every answer it got.

API clients withdraw and reopen collaborations chosen at random (so they also
race each other and meet 409s); staff sessions read the board. A move whose
answer never came (a reset connection, a 503) is settled by reading the
collaboration again: its history says whether the move happened.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from dataclasses import dataclass, field

import httpx

MOVE_PAUSE = 0.02
READ_PAUSE = 0.25
COMMENT = "fault-load"
"""Prefix of every load move's comment, which names the move uniquely."""


@dataclass
class Attempt:
    """One move sent; ``applied`` is what the system says happened."""

    comment: str
    cid: int
    phase: str
    outcome: str  # "moved", "refused" (409, 422) or "unknown" (no answer, 5xx)
    applied: bool


@dataclass
class Ledger:
    """Every answer, by the phase in which its request started."""

    phase: str = "calm"
    attempts: list[Attempt] = field(default_factory=list)
    answers: Counter[tuple[str, str]] = field(default_factory=Counter)
    samples: dict[str, str] = field(default_factory=dict)
    """The first body seen of each kind of trouble, to show when an assertion fails."""

    def answer(self, phase: str, kind: str, text: str = "") -> None:
        self.answers[phase, kind] += 1
        if kind not in ("ok", "refused"):
            self.samples.setdefault(f"{phase}/{kind}", text[:500])


def kind_of(answer: httpx.Response) -> str:
    """How a person would describe an answer."""
    if answer.status_code == 503:
        # A 503 without Retry-After is no promise to come back.
        return "503" if answer.headers.get("retry-after") else "503 without Retry-After"
    if answer.status_code >= 500:
        return str(answer.status_code)
    if answer.status_code in (401, 403) or answer.is_redirect:
        return "session lost"
    return "ok"


async def mover(
    client: httpx.AsyncClient, who: int, cards: list[int], ledger: Ledger, stop: asyncio.Event
) -> None:
    """Withdraw and reopen random cards until ``stop``; every move is in the ledger."""
    rng = random.Random(who)
    known: dict[int, tuple[str, int]] = {}
    seq = 0
    while not stop.is_set():
        cid = rng.choice(cards)
        if cid not in known:
            known[cid] = (await _read(client, cid, ledger))[:2]
        state, version = known[cid]
        seq += 1
        comment = f"{COMMENT} {who}-{seq}"
        event = "withdraw" if state == "candidate" else "reopen"
        phase = ledger.phase
        body = {"event": event, "version": version, "comment": comment}
        try:
            answer = await client.post(f"/api/collaborations/{cid}/events", json=body)
        except httpx.TransportError as exc:
            ledger.answer(phase, "reset", repr(exc))
            outcome = "unknown"
        else:
            kind = kind_of(answer)
            ledger.answer(
                phase, "refused" if answer.status_code in (409, 422) else kind, answer.text
            )
            if answer.status_code == 200:
                moved = answer.json()
                known[cid] = (moved["state"], moved["version"])
                ledger.attempts.append(Attempt(comment, cid, phase, "moved", True))
                await asyncio.sleep(MOVE_PAUSE)
                continue
            outcome = "refused" if answer.status_code in (409, 422) else "unknown"
        state, version, comments = await _read(client, cid, ledger)
        known[cid] = (state, version)
        applied = comment in comments
        ledger.attempts.append(Attempt(comment, cid, phase, outcome, applied))
        await asyncio.sleep(MOVE_PAUSE)


async def _read(client: httpx.AsyncClient, cid: int, ledger: Ledger) -> tuple[str, int, set[str]]:
    """The collaboration's state, version and history comments, asked until an answer comes."""
    while True:
        phase = ledger.phase
        try:
            answer = await client.get(f"/api/collaborations/{cid}")
        except httpx.TransportError as exc:
            ledger.answer(phase, "reset", repr(exc))
        else:
            ledger.answer(phase, kind_of(answer), answer.text)
            if answer.status_code == 200:
                found = answer.json()
                comments = {h["comment"] for h in found["history"]}
                return found["state"], found["version"], comments
        await asyncio.sleep(0.5)


async def reader(client: httpx.AsyncClient, login, ledger: Ledger, stop: asyncio.Event) -> None:
    """Read the board as a logged-in coordinator until ``stop``; log in again if thrown out."""
    while not stop.is_set():
        phase = ledger.phase
        try:
            answer = await client.get("/board")
        except httpx.TransportError as exc:
            ledger.answer(phase, "reset", repr(exc))
        else:
            kind = kind_of(answer)
            ledger.answer(phase, kind, answer.text)
            if kind == "session lost":
                await login(client)
        await asyncio.sleep(READ_PAUSE)
