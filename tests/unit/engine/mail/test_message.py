"""Building an outbox entry into a message: headers, a stable Message-ID, Japanese intact."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes
from email.policy import default
from email.utils import parsedate_to_datetime

from engine.domain.mail import Mail, MailKind, MailStatus, QueuedMail
from engine.mail import build_message
from engine.store.repositories.outbox import message_id_for

CREATED = datetime(2026, 6, 1, 1, 0, tzinfo=UTC)
SUBJECT = "【見守り】みどり信用金庫：実務者協議の期限が近づいています"
BODY = (
    "山田 花子 様\n\n"
    "みどり信用金庫との連携で、実務者協議の期限（2026年6月8日）が近づいています。\n"
    "ボードで確認してください: http://127.0.0.1:8000/board\n"
)


def queued(dedupe_key: str = "due:42:2026-06-08:approach", attempts: int = 1) -> QueuedMail:
    """An outbox entry with a Japanese subject and body."""
    return QueuedMail(
        id=1,
        message_id=message_id_for(dedupe_key, "mimamori.example.jp"),
        mail=Mail(dedupe_key, MailKind.REMINDER, "yamada@example.jp", SUBJECT, BODY),
        status=MailStatus.SENDING,
        attempts=attempts,
        created_at=CREATED,
    )


def round_trip(entry: QueuedMail):
    """The message as a receiver parses it from the bytes on the wire."""
    return message_from_bytes(
        build_message(entry, "mimamori@mimamori.example.jp").as_bytes(), policy=default
    )


def test_headers_are_present_and_correct() -> None:
    entry = queued()
    message = build_message(entry, "mimamori@mimamori.example.jp")

    assert message["From"] == "mimamori@mimamori.example.jp"
    assert message["To"] == "yamada@example.jp"
    assert message["Message-ID"] == entry.message_id
    assert parsedate_to_datetime(message["Date"]) == CREATED
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["X-Auto-Response-Suppress"] == "All"
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"


def test_japanese_subject_is_encoded_on_the_wire_and_decoded_by_the_reader() -> None:
    raw = build_message(queued(), "mimamori@mimamori.example.jp").as_bytes()

    raw.decode("ascii")  # RFC 2047 headers and a transfer-encoded body: 7-bit clean
    assert b"=?utf-8?" in raw
    parsed = message_from_bytes(raw, policy=default)
    assert parsed["Subject"] == SUBJECT
    # Text travels in canonical form (CRLF line ends, RFC 2045 6.8); the words are unchanged.
    assert parsed.get_content().splitlines() == BODY.splitlines()


def test_wire_format_uses_crlf_line_endings() -> None:
    raw = build_message(queued(), "mimamori@mimamori.example.jp").as_bytes()

    assert b"\r\n" in raw
    assert b"\n" not in raw.replace(b"\r\n", b"")


def test_message_id_is_stable_for_the_same_dedupe_key() -> None:
    first = round_trip(queued(attempts=1))
    retry = round_trip(queued(attempts=3))
    other = round_trip(queued("due:42:2026-06-08:pilot"))

    assert first["Message-ID"] == retry["Message-ID"]
    assert first["Message-ID"] != other["Message-ID"]
    assert first["Message-ID"].startswith("<") and first["Message-ID"].endswith(
        "@mimamori.example.jp>"
    )


def test_the_same_entry_builds_the_same_bytes() -> None:
    entry = queued()

    assert (
        build_message(entry, "mimamori@localhost").as_bytes()
        == build_message(entry, "mimamori@localhost").as_bytes()
    )
