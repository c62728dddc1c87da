"""The steps of the approach: choosing a candidate, approaching it, reopening a withdrawal."""

from __future__ import annotations

from engine.domain.collaboration import ActivityKind, Memorandum, Scorecard
from mimamori.demo.script import Script
from mimamori.demo.steps import Approve, Create, Fire, Log, SaveMemo, SaveScorecard
from mimamori.demo.texts import SCORE_FIELD, SCORE_MANAGEMENT, SCORE_OVERVIEW
from mimamori.demo.timeline import Visit


def candidate(script: Script, i: int, v: Visit) -> None:
    """A candidate: created (or reopened), its scorecard saved, then approached or declined."""
    rng, flags, steps = script.rng, script.story.flags, script.steps
    ratings = (rng.randint(3, 5), rng.randint(2, 5), rng.randint(3, 5))
    notes = (
        rng.choice(SCORE_OVERVIEW),
        rng.choice(SCORE_MANAGEMENT).format(head=script.head_title),
        rng.choice(SCORE_FIELD).format(scene=script.text.scene),
    )
    offset = min(3, max(v.span - 1, 0))
    if i == 0:
        assert v.enter is not None
        steps.append(Create(v.enter))
    if v.via == "reopen":
        steps.append(
            Log(
                v.enter,  # type: ignore[arg-type]
                ActivityKind.PHONE,
                f"{script.field_name}様に連絡し、繁忙期明けの再検討を依頼",
                duration=10,
            )
        )
    if "no_scorecard" in flags or not script.alive(v, offset):
        pass
    elif "draft_scorecard" in flags:
        card = Scorecard(overview_rating=ratings[0], overview_note=notes[0])
        steps.append(SaveScorecard(script.at(v, offset), card))
    else:
        card = Scorecard(
            ratings[0],
            notes[0],
            ratings[1],
            notes[1],
            ratings[2],
            notes[2],
            contact_name=script.field_name,
            contact_title=script.field_title,
        )
        steps.append(SaveScorecard(script.at(v, offset), card))
    if v.exit == "approach":
        steps.append(Fire(script.leave(i), "approach", "候補の比較を終え、打診を開始"))
    elif v.exit == "withdraw":
        leave = script.leave(i)
        steps.append(
            Log(
                leave,
                ActivityKind.PHONE,
                f"{script.head_title}に事前に打診したところ、辞退の連絡があった",
                duration=15,
            )
        )
        steps.append(Fire(leave, "withdraw", script.story.reason))


def approached(script: Script, i: int, v: Visit) -> None:
    """The approach: a call, a letter, a visit and a hearing, then a memorandum or a withdrawal."""
    steps, span = script.steps, v.span
    letter, visit_, hearing = max(2, round(0.15 * span)), round(0.4 * span), round(0.7 * span)
    participants = script.participants()
    steps.append(
        Log(
            script.at(v, 0),
            ActivityKind.PHONE,
            f"{script.head_title}の{script.head_name}様に電話で見守りネットワークへの参加を打診",
            duration=10,
        )
    )
    if script.alive(v, letter):
        steps.append(
            Log(
                script.at(v, letter),
                ActivityKind.LETTER,
                "依頼文書と見守りネットワークの概要資料を送付",
            )
        )
    if script.alive(v, visit_):
        steps.append(
            Log(
                script.at(v, visit_),
                ActivityKind.VISIT,
                f"{script.partner.name}を訪問し、{script.head_title}に連携の趣旨を説明",
                duration=45,
                participants=participants,
            )
        )
    if v.exit != "withdraw" and script.alive(v, hearing):
        steps.append(
            Log(
                script.at(v, hearing),
                ActivityKind.HEARING,
                f"{script.field_name}（{script.field_title}）から{script.text.scene}の業務と"
                "声掛けできる場面をヒアリング",
                minutes="現場で気になる高齢者に出会う場面、報告できる体制、繁忙期を確認した。",
                duration=60,
                participants=participants,
            )
        )
    memo = Memorandum(
        municipality_signatory=script.network.signatory,
        partner_signatory=f"{script.partner.name} {script.head_title} {script.head_name}",
        title="高齢者等の消費者被害防止のための見守り活動に関する覚書",
    )
    if v.exit == "sign_memo":
        leave = script.leave(i)
        steps.append(SaveMemo(leave, memo, signed=True))
        steps.append(Approve(leave, "memo", "協定内容を確認し締結を承認"))
        steps.append(Fire(leave, "sign_memo", "双方の決裁を経て覚書を締結", by_approver=True))
    elif v.exit == "withdraw":
        steps.append(Fire(script.leave(i), "withdraw", script.story.reason))
    elif "memo_draft" in script.story.flags:
        steps.append(SaveMemo(script.at(v, script.story.elapsed - 2), memo, signed=False))


def withdrawn(script: Script, i: int, v: Visit) -> None:
    """A withdrawn partner asked again once its busy season is over."""
    if v.exit == "reopen":
        script.steps.append(
            Fire(script.leave(i), "reopen", "繁忙期明けに改めて打診することとし、候補に戻す")
        )
