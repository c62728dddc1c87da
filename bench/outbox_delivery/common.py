"""What the parts of the outbox_delivery benchmark share."""

from __future__ import annotations

from engine.domain.mail import Mail, MailKind

MAIL_FROM = "mimamori@example.jp"
HOST = "127.0.0.1"

PARTNERS = ("みどり信用金庫", "やまびこ生活協同組合", "ひかり郵便局", "あおぞら新聞販売店")
NOTICES = (
    "承認期間の終わりが近づいています。覚書の締結を進めてください。",
    "3週間、協議の記録がありません。次回の協議を設定してください。",
    "評価のチェックポイントが近づいています。",
    "更新審査の期日まで30日です。",
)


def japanese_mail(i: int) -> Mail:
    """A reminder like the scan writes: Japanese subject and body, about 500 characters."""
    partner = PARTNERS[i % len(PARTNERS)]
    notice = NOTICES[i % len(NOTICES)]
    body = "\n".join(
        (
            f"山田 花子{i % 50:02d} 様",
            "",
            "みどり市見守りネットワークの連携についてお知らせします。",
            notice,
            "",
            f"協力事業者: {partner}",
            "ネットワーク: みどり市見守りネットワーク",
            "段階: 接触中",
            "期日: 2026年4月6日月曜日",
            "",
            f"{partner}の繁忙期(年度末)にあたります。"
            "2026年4月7日火曜日以降の連絡をご検討ください。",
            "",
            f"カードを開く: http://127.0.0.1:8000/board#card-{i + 1}",
            "",
            "-- ",
            "このメッセージは見守りネットワーク連携管理システムから自動送信されています。"
            "返信しないでください。",
        )
    )
    return Mail(
        dedupe_key=f"due:{i + 1}:2026-04-06:{i % 50 + 1}",
        kind=MailKind.REMINDER,
        to_addr=f"user{i % 50:02d}@example.jp",
        subject=f"[見守り] {partner}: {notice}",
        body=body + "\n",
    )
