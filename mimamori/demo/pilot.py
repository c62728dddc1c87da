"""The steps of a pilot and what follows it: the evaluation and the renewal."""

from __future__ import annotations

from datetime import date

from engine.domain.collaboration import ActivityKind
from mimamori.demo.script import Script
from mimamori.demo.steps import Approve, Fire, Log, Measure, SaveEvaluation, SaveRenewal
from mimamori.demo.texts import MEASUREMENT_NOTES, TO_IMPROVE, WENT_WELL
from mimamori.demo.timeline import Visit


def pilot(script: Script, i: int, v: Visit) -> None:
    """The pilot: staff training, interim reviews with measurements, then the evaluation."""
    steps, rng = script.steps, script.rng
    assert v.enter is not None and v.ends_on is not None
    checkpoints = script.checkpoints(v.enter, v.ends_on)
    kpis = script.kpis(v.term)
    achievement = {name: rng.uniform(0.7, 1.3) for name, _, _ in kpis}
    trainees = rng.randint(8, 40)
    training = rng.randint(3, 10)
    leave = script.leave(i) if v.exit else None
    if script.alive(v, training):
        steps.append(
            Log(
                script.at(v, training),
                ActivityKind.VISIT,
                f"従業員向け見守り研修を実施（参加{trainees}名）",
                duration=60,
                participants=script.participants(),
            )
        )

    def measure(day: date, start: date, end: date) -> None:
        months = max((end - start).days, 1) / 30.4
        for name, _, target in kpis:
            rate = target / v.term
            value = float(round(rate * months * achievement[name] * rng.uniform(0.8, 1.2)))
            source = rng.choice(("coordinator", "partner"))
            steps.append(
                Measure(day, name, start, end, value, rng.choice(MEASUREMENT_NOTES), source)
            )

    start = v.enter
    for k, point in enumerate(checkpoints[:-1], start=1):
        if v.exit != "evaluate" and 92 * k >= v.span:  # not reached yet
            break
        steps.append(
            Log(
                point.due_on,
                ActivityKind.HEARING,
                f"第{k}回 中間確認：実績の報告と課題の共有",
                minutes="報告件数と現場の声を共有した。大きな支障はなく試行を継続する。",
                duration=60,
                participants=script.participants(),
            )
        )
        measure(point.due_on, start, point.due_on)
        start = point.due_on
    if v.exit == "evaluate":
        assert leave is not None
        measure(leave, start, v.ends_on)
        cases = rng.randint(1, 4)
        steps.append(
            SaveEvaluation(
                leave,
                v.cycle,
                rng.choice(WENT_WELL).format(scene=script.text.scene, cases=cases),
                rng.choice(TO_IMPROVE),
            )
        )
        steps.append(Fire(leave, "evaluate", "試行期間が終了し、評価を取りまとめた"))
    elif v.exit == "withdraw":
        steps.append(Fire(leave, "withdraw", script.story.reason))  # type: ignore[arg-type]


def evaluated(script: Script, i: int, v: Visit) -> None:
    """After the evaluation: the results shared, then a renewal or a revised plan."""
    steps = script.steps
    if script.alive(v, 7):
        steps.append(
            Log(
                script.at(v, 7),
                ActivityKind.HEARING,
                "評価結果を先方と共有し、今後の進め方について意見交換",
                duration=60,
                participants=script.participants(),
            )
        )
    if v.exit == "renew":
        leave = script.leave(i)
        steps.append(SaveRenewal(leave, v.cycle, script.network.approver, v.years, approved=True))
        steps.append(Approve(leave, "renewal", "評価結果を踏まえ継続を承認"))
        steps.append(Fire(leave, "renew", f"{v.years}年間の継続を決定", by_approver=True))
    elif v.exit == "revise_plan":
        steps.append(
            Fire(script.leave(i), "revise_plan", "目標値と報告方法を見直して再試行することで合意")
        )
    elif "renewal_draft" in script.story.flags:
        day = script.at(v, min(10, script.story.elapsed - 1))
        steps.append(SaveRenewal(day, v.cycle, script.network.approver, v.years, approved=False))


def renewed(script: Script, i: int, v: Visit) -> None:
    """A renewed collaboration: a letter of thanks, reviews, perhaps a next cycle."""
    steps = script.steps
    if script.alive(v, 14):
        steps.append(
            Log(
                script.at(v, 14),
                ActivityKind.VISIT,
                f"感謝状を贈呈（{script.network.signatory}から現場の従業員へ）",
                duration=30,
                participants=script.participants(),
            )
        )
    for offset in range(120, v.span, 120):
        if not script.alive(v, offset):
            break
        steps.append(
            Log(
                script.at(v, offset),
                ActivityKind.HEARING,
                "継続状況の確認：実績の報告と意見交換",
                duration=45,
                participants=script.participants(),
            )
        )
    if v.exit == "next_cycle":
        steps.append(Fire(script.leave(i), "next_cycle", "新年度に向けて次期計画の協議を開始"))
