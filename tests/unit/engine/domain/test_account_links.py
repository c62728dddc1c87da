"""When a set-a-password link still works, and the secret's removal from a sent copy."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from engine.domain.account_links import VALID_FOR, Link, LinkProblem, LinkPurpose
from engine.domain.mail import without_secret_links

SENT = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
RESET = Link(1, 7, LinkPurpose.RESET, SENT, SENT + VALID_FOR[LinkPurpose.RESET])


def test_a_reset_link_works_for_an_hour_and_an_invitation_for_a_week():
    assert VALID_FOR[LinkPurpose.RESET] == timedelta(hours=1)
    assert VALID_FOR[LinkPurpose.INVITATION] == timedelta(days=7)
    assert RESET.problem(SENT + timedelta(minutes=59, seconds=59)) is None
    assert RESET.problem(SENT + timedelta(hours=1)) == LinkProblem.EXPIRED


def test_a_used_or_voided_link_says_so_before_its_expiry():
    assert replace(RESET, used_at=SENT).problem(SENT) == LinkProblem.USED
    assert replace(RESET, voided_at=SENT).problem(SENT) == LinkProblem.REPLACED
    # Used beats expired: the holder learns the link did its job.
    assert replace(RESET, used_at=SENT).problem(SENT + timedelta(days=1)) == LinkProblem.USED


def test_the_kept_copy_of_a_sent_mail_loses_the_secret_and_keeps_the_rest():
    body = (
        "次のリンクから:\nhttps://mimamori.example.jp/password/reset/Abc-123_xyz\n"
        "招待: https://mimamori.example.jp/invitation/Q9_w-e\nボード: https://mimamori.example.jp/board\n"
    )
    kept = without_secret_links(body)
    assert "Abc-123_xyz" not in kept and "Q9_w-e" not in kept
    assert "https://mimamori.example.jp/password/reset/[removed after sending]" in kept
    assert "https://mimamori.example.jp/board" in kept
