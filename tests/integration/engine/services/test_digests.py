"""The daily digest: overdue, today and the coming week, per person, once a day."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from engine.domain.mail import MailKind
from engine.domain.users import Role
from engine.services.digests import DigestService
from engine.store.tables import outbox
from tests.integration.engine.services.test_reminders import (
    YAMABIKO,
    approached,
    at,
    network,
    staff,
)


async def _digests(db):
    async with db.read() as conn:
        rows = await conn.execute(select(outbox).where(outbox.c.kind == str(MailKind.DIGEST)))
        return {r.to_addr: r for r in rows}


async def test_managers_see_their_networks_and_coordinators_their_own_items_once_a_day(ctx, clock):
    midori, other = await network(ctx), await network(ctx, YAMABIKO)
    boss = await staff(ctx, "boss@midori.example.jp", Role.MANAGER, midori, name="佐々木 誠")
    hanako = await staff(ctx, "hanako@midori.example.jp", Role.COORDINATOR, midori)
    kenta = await staff(ctx, "kenta@midori.example.jp", Role.COORDINATOR, midori, name="小林 健太")
    await staff(ctx, "idle@midori.example.jp", Role.COORDINATOR, midori, name="吉田 若菜")
    ishii = await staff(
        ctx, "boss@yamabiko.example.jp", Role.MANAGER, other, name="Kazuo Ishii", locale="en"
    )
    await staff(ctx, "ono@yamabiko.example.jp", Role.COORDINATOR, other, name="大野 恵子")
    # Approached on 6 April: no activity since 7 May (overdue), reminder due 8 June.
    await approached(ctx, clock, date(2026, 4, 6), midori, hanako, partner="みどり信用金庫")
    # Approached on 10 April: reminder due Wednesday 10 June (within the week).
    await approached(ctx, clock, date(2026, 4, 10), midori, hanako, partner="みどり運輸")
    await approached(ctx, clock, date(2026, 4, 6), midori, kenta, partner="青葉生協")
    await approached(ctx, clock, date(2026, 4, 6), other, None, partner="やまびこ郵便局")
    digests = DigestService(ctx)

    at(clock, date(2026, 6, 8))
    assert await digests.send_daily() == 4
    sent = await _digests(ctx.db)

    assert set(sent) == {boss.email, hanako.email, kenta.email, ishii.email}
    mine = sent[hanako.email]
    assert (mine.kind, mine.user_id, mine.collaboration_id) == ("digest", hanako.id, None)
    assert mine.dedupe_key == f"digest:{hanako.id}:2026-06-08"
    assert mine.subject == "【見守り連携】2026年6月8日時点の期限一覧（4件）"
    assert "山田 花子 様" in mine.body
    overdue, today, upcoming = (
        mine.body.index("■ 期限超過（2件）"),
        mine.body.index("■ 本日期限（1件）"),
        mine.body.index("■ 今後7日以内（1件）"),
    )
    assert overdue < today < upcoming
    assert "・みどり信用金庫：30日間、活動の記録がありません。（期限 2026年5月7日）" in mine.body
    assert "・みどり運輸：30日間、活動の記録がありません。（期限 2026年5月11日）" in mine.body
    assert mine.body.count("活動の記録がありません") == 2
    assert mine.body.index("2026年5月11日") < today
    assert "・みどり信用金庫：打診期間の終了が近づいています" in mine.body[today:upcoming]
    assert "（期限 2026年6月8日）" in mine.body[today:upcoming]
    assert "・みどり運輸：打診期間の終了が近づいています" in mine.body[upcoming:]
    assert "（期限 2026年6月10日）" in mine.body[upcoming:]
    assert "http://127.0.0.1:8000/collaborations/" in mine.body
    assert "青葉生協" not in mine.body and "やまびこ郵便局" not in mine.body

    assert "青葉生協" in sent[kenta.email].body
    assert "みどり信用金庫" not in sent[kenta.email].body
    managers = sent[boss.email].body
    assert all(name in managers for name in ("みどり信用金庫", "みどり運輸", "青葉生協"))
    assert "やまびこ郵便局" not in managers
    assert "所管のネットワーク" in managers
    english = sent[ishii.email]
    assert english.subject == "[Mimamori] Due items as of June 8, 2026: 2"
    assert "Dear Kazuo Ishii," in english.body
    assert "Overdue (1)" in english.body and "Due today (1)" in english.body
    assert "- やまびこ郵便局: The approach window is closing" in english.body

    clock.advance(hours=6)  # later the same day: nothing new
    assert await digests.send_daily() == 0
    assert await _digests(ctx.db) == sent

    at(clock, date(2026, 6, 9))
    assert await digests.send_daily() == 4
