"""Record forms as fragments: filled in from what is stored, bad input refused by the field."""

from __future__ import annotations

from datetime import date

import pytest

from engine.services import CollaborationService
from tests.integration import builders
from tests.web.test_board_moves import HTMX, services, signed_in


@pytest.fixture
async def coordinator(as_role):
    return await signed_in(as_role, "coordinator")


async def file_of(world_url: str, cid: int):
    async with services(world_url) as ctx:
        return await CollaborationService(ctx).file(cid)


def url(cid: int, form: str) -> str:
    return f"/collaborations/{cid}/forms/{form}"


async def test_the_scorecard_form_is_a_fragment_with_its_version(coordinator, world, world_url):
    cid = world.collaborations["A"]
    async with services(world_url) as ctx:
        await builders.complete_scorecard(ctx, cid)
    form = await coordinator.get(url(cid, "scorecard"), headers=HTMX)
    assert form.status_code == 200
    assert form.text.lstrip().startswith('<div class="record-form" id="form-scorecard">')
    assert '<input type="hidden" name="version" value="1">' in form.text
    assert 'value="佐藤 一郎"' in form.text and '<option value="5" selected>' in form.text
    page = await coordinator.get(url(cid, "scorecard"))
    assert "<html" in page.text and "みどり信用金庫" in page.text


async def test_a_bad_rating_is_refused_next_to_the_field_and_nothing_is_stored(
    coordinator, world, world_url
):
    cid = world.collaborations["A"]
    answer = await coordinator.post(
        url(cid, "scorecard"),
        data={"version": "0", "overview_rating": "9", "contact_name": "佐藤"},
        headers=HTMX,
    )
    assert answer.status_code == 422
    assert "1から5" in answer.text or "1〜5" in answer.text
    assert 'id="scorecard-overview_rating-error"' in answer.text
    assert 'value="佐藤"' in answer.text  # what was typed stays
    assert "HX-Trigger" not in answer.headers
    assert (await file_of(world_url, cid)).scorecard is None


async def test_a_good_scorecard_is_saved_and_announced(coordinator, world, world_url):
    cid = world.collaborations["A"]
    answer = await coordinator.post(
        url(cid, "scorecard"),
        data={
            "version": "0",
            "overview_rating": "4",
            "management_rating": "5",
            "field_rating": "3",
            "contact_name": "佐藤 一郎",
        },
        headers=HTMX,
    )
    assert answer.status_code == 200
    assert answer.headers["HX-Trigger"] == "records-changed"
    assert "スコアカードを保存しました。" in answer.text
    card = (await file_of(world_url, cid)).scorecard
    assert card is not None
    assert (card.total, card.contact_name, card.version) == (12, "佐藤 一郎", 1)


async def test_a_stale_scorecard_version_is_a_conflict(coordinator, world, world_url):
    cid = world.collaborations["A"]
    async with services(world_url) as ctx:
        await builders.complete_scorecard(ctx, cid)
    answer = await coordinator.post(
        url(cid, "scorecard"), data={"version": "0", "contact_name": "別人"}, headers=HTMX
    )
    assert answer.status_code == 409
    assert "ほかの人がこの記録を保存しました" in answer.text and 'value="佐藤 一郎"' in answer.text
    assert (await file_of(world_url, cid)).scorecard.contact_name == "佐藤 一郎"


async def test_a_hearing_needs_a_date_and_a_summary(coordinator, world, world_url):
    cid = world.collaborations["A"]
    form = await coordinator.get(url(cid, "activity") + "?kind=hearing", headers=HTMX)
    assert 'name="kind" value="hearing"' in form.text and "ヒアリング" in form.text
    bad = await coordinator.post(
        url(cid, "activity"), data={"kind": "hearing", "occurred_on": "昨日"}, headers=HTMX
    )
    assert bad.status_code == 422
    assert "日付を入力してください" in bad.text and "この項目は必須です" in bad.text
    assert (await file_of(world_url, cid)).activities == ()
    good = await coordinator.post(
        url(cid, "activity"),
        data={"kind": "hearing", "occurred_on": "2026-04-01", "summary": "支店長に説明"},
        headers=HTMX,
    )
    assert good.status_code == 200 and good.headers["HX-Trigger"] == "records-changed"
    (activity,) = (await file_of(world_url, cid)).activities
    assert (activity.kind, activity.occurred_on) == ("hearing", date(2026, 4, 1))


async def test_an_unknown_activity_kind_is_refused(coordinator, world, world_url):
    cid = world.collaborations["A"]
    answer = await coordinator.post(
        url(cid, "activity"),
        data={"kind": "telepathy", "occurred_on": "2026-04-01", "summary": "x"},
        headers=HTMX,
    )
    assert answer.status_code == 422 and "連絡の種類を選んでください。" in answer.text
    assert (await file_of(world_url, cid)).activities == ()


async def test_the_plan_form_takes_kpi_and_checkpoint_rows(coordinator, world, world_url):
    cid = world.collaborations["A"]
    fields = {
        "version": "0",
        "partner_benefit": "信頼",
        "starts_on": "2026-05-01",
        "ends_on": "2027-03-31",
        "kpi_id": ["", ""],
        "kpi_name": ["声掛け人数", ""],
        "kpi_unit": ["人", ""],
        "kpi_target": ["多め", ""],
        "checkpoint_due_on": ["2026-10-01", ""],
        "checkpoint_label": ["中間評価", ""],
    }
    bad = await coordinator.post(url(cid, "plan"), data=fields, headers=HTMX)
    assert bad.status_code == 422 and "数値を入力してください。" in bad.text
    assert 'value="多め"' in bad.text  # the row comes back as typed
    assert (await file_of(world_url, cid)).plan is None
    good = await coordinator.post(
        url(cid, "plan"), data={**fields, "kpi_target": ["120", ""]}, headers=HTMX
    )
    assert good.status_code == 200
    plan = (await file_of(world_url, cid)).plan
    assert plan is not None and [(k.name, k.target) for k in plan.kpis] == [("声掛け人数", 120.0)]
    assert [c.label for c in plan.checkpoints] == ["中間評価"]
    again = await coordinator.get(url(cid, "plan"), headers=HTMX)
    assert 'value="声掛け人数"' in again.text and 'value="120"' in again.text


async def test_memorandum_planner_evaluation_renewal_and_comment_are_saved(
    coordinator, world, world_url
):
    cid = world.collaborations["A"]
    posts = {
        "memorandum": {"version": "0", "signed_on": "2026-04-01", "partner_signatory": "理事長"},
        "planner": {"version": "1", "planner": "田中 三郎"},
        "evaluation": {"version": "0", "went_well": "早期発見", "to_improve": "様式"},
        "renewal": {"version": "0", "term_years": "2", "approved_on": "2026-04-01"},
        "comment": {"body": "来週訪問します"},
    }
    for form, data in posts.items():
        answer = await coordinator.post(url(cid, form), data=data, headers=HTMX)
        assert answer.status_code == 200, (form, answer.text)
        assert answer.headers["HX-Trigger"] == "records-changed"
    file = await file_of(world_url, cid)
    assert file.memorandum.partner_signatory == "理事長"
    assert file.collaboration.planner == "田中 三郎"
    assert file.evaluation.went_well == "早期発見"
    assert file.renewal.term_years == 2


async def test_bad_dates_and_terms_are_refused(coordinator, world, world_url):
    cid = world.collaborations["A"]
    memo = await coordinator.post(
        url(cid, "memorandum"), data={"version": "0", "signed_on": "2099-01-01"}, headers=HTMX
    )
    assert memo.status_code == 422 and 'id="memorandum-signed_on-error"' in memo.text
    renewal = await coordinator.post(
        url(cid, "renewal"), data={"version": "0", "term_years": "5"}, headers=HTMX
    )
    assert renewal.status_code == 422 and 'id="renewal-term_years-error"' in renewal.text
    comment = await coordinator.post(url(cid, "comment"), data={"body": "  "}, headers=HTMX)
    assert comment.status_code == 422
    file = await file_of(world_url, cid)
    assert file.memorandum is None and file.renewal is None


async def test_a_measurement_needs_a_kpi_of_the_plan(coordinator, world, world_url):
    cid = world.collaborations["A"]
    empty = await coordinator.get(url(cid, "measurement"), headers=HTMX)
    assert "プランにKPIがまだありません" in empty.text
    async with services(world_url) as ctx:
        plan = await builders.prepare_plan(ctx, cid, date(2026, 4, 2))
    (kpi,) = plan.kpis
    form = await coordinator.get(url(cid, "measurement"), headers=HTMX)
    assert f'<option value="{kpi.id}"' in form.text and "未計測" in form.text
    wrong = await coordinator.post(
        url(cid, "measurement"),
        data={
            "kpi_id": "99999",
            "period_start": "2026-04-01",
            "period_end": "2026-04-05",
            "value": "10",
        },
        headers=HTMX,
    )
    assert wrong.status_code == 422
    right = await coordinator.post(
        url(cid, "measurement"),
        data={
            "kpi_id": str(kpi.id),
            "period_start": "2026-04-01",
            "period_end": "2026-04-05",
            "value": "10",
        },
        headers=HTMX,
    )
    assert right.status_code == 200
    assert len((await file_of(world_url, cid)).measurements) == 1


async def test_only_managers_may_approve(as_role, world, world_url):
    cid = world.collaborations["A"]
    coordinator = await signed_in(as_role, "coordinator")
    refused = await coordinator.post(url(cid, "approval"), data={"kind": "memo"}, headers=HTMX)
    assert refused.status_code == 403
    manager = await signed_in(as_role, "manager")
    form = await manager.get(url(cid, "approval") + "?kind=memo", headers=HTMX)
    assert "覚書の締結" in form.text
    approved = await manager.post(url(cid, "approval"), data={"kind": "memo"}, headers=HTMX)
    assert approved.status_code == 200 and "承認を記録しました。" in approved.text
    assert (await file_of(world_url, cid)).approval("memo") is not None
    shown = await manager.get(url(cid, "approval") + "?kind=memo", headers=HTMX)
    assert "manager さんが承認しました" in shown.text


async def test_forms_of_another_network_and_unknown_forms_are_not_found(as_role, world):
    aoba = await signed_in(as_role, "aoba")
    cid = world.collaborations["A"]
    assert (await aoba.get(url(cid, "scorecard"))).status_code == 404
    answer = await aoba.post(url(cid, "comment"), data={"body": "x"}, headers=HTMX)
    assert answer.status_code == 404
    assert (await aoba.get(url(world.collaborations["B"], "nonsense"))).status_code == 404


async def test_partners_may_not_use_staff_forms(as_role, world):
    partner = await signed_in(as_role, "partner")
    answer = await partner.get(url(world.collaborations["A"], "scorecard"))
    assert answer.status_code == 403
