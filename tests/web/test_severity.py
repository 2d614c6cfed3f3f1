"""얼마나 불편했나요?: optional, five answers in words, kept through every way the form comes back,
stored on the moment and read at the desk."""

from __future__ import annotations

from sqlalchemy import select

from campaign.clustering import recluster
from campaign.extensions import db
from campaign.models import Moment
from tests.dom import page
from tests.web.helpers import csrf_token, post_moment

BODY = "이체 버튼을 눌러도 아무 반응이 없었어요."


def stored() -> list[Moment]:
    return list(db.session.scalars(select(Moment)))


def test_the_question_is_a_fieldset_of_radio_buttons_with_words_and_a_way_to_skip(client, campaign):
    form = page(client.get("/submit"))
    [group] = [f for f in form.all("fieldset") if "얼마나 불편했나요?" in f.one("legend").text]
    assert group.one("legend").text == "얼마나 불편했나요? (선택)"
    radios = group.all("input[type=radio]")
    assert [r["value"] for r in radios] == ["1", "2", "3", "4", "5", ""]
    assert not any("checked" in r for r in radios)  # nothing chosen until the person chooses
    assert form.by_label("1 · 살짝 불편했어요")["value"] == "1"
    assert form.by_label("5 · 돈이나 시간을 크게 잃었어요")["value"] == "5"
    assert form.by_label("고르지 않을래요")["id"] == "severity-none"


def test_a_chosen_answer_is_stored_with_the_moment(client, campaign):
    assert post_moment(client, severity="4").status_code == 303
    [moment] = stored()
    assert moment.severity == 4


def test_skipping_the_question_stores_no_answer(client, campaign):
    assert post_moment(client).status_code == 303  # no field sent at all
    assert (
        post_moment(client, body="카드 분실 신고 메뉴를 찾을 수가 없어요", severity="").status_code
        == 303
    )
    assert [m.severity for m in stored()] == [None, None]


def test_a_value_not_offered_is_refused_kindly_and_nothing_typed_is_lost(client, campaign):
    for bad in ("9", "0", "abc", "3.5", "-1", "１"):
        response = post_moment(client, body=BODY, suggestion="알림을 주세요", severity=bad)
        assert response.status_code == 200, bad
        shown = page(response)
        message = "얼마나 불편했는지는 1부터 5 중에서 골라 주세요. 고르지 않고 보내셔도 돼요."
        [link] = shown.one(".error-summary").all("a")
        assert link.text == message and link["href"] == "#severity-1"
        assert shown.has("#severity-1")
        assert message in shown.one("fieldset.field--error .field-error").text
        assert shown.one("textarea[name=body]").text == BODY
        assert shown.one("textarea[name=suggestion]").text == "알림을 주세요"
    assert stored() == []


def test_the_choice_is_kept_when_the_form_comes_back_with_another_error(client, campaign):
    shown = page(post_moment(client, body="짧아요", severity="2"))
    assert shown.one("#severity-2").get("checked") is not None
    assert [r["value"] for r in shown.all("input[type=radio][checked]")] == ["2"]


def test_the_choice_survives_the_personal_data_check(client, campaign):
    body = "카드 결제가 두 번 됐어요. 010-2481-7730로 연락 주세요."
    check = client.post(
        "/submit",
        data={"body": body, "severity": "5", "csrf_token": csrf_token(client)},
    )
    shown = page(check)
    assert shown.has(".pii-check")
    assert [r["value"] for r in shown.all("input[type=radio][checked]")] == ["5"]
    assert post_moment(client, body=body, severity="5").status_code == 303
    [moment] = stored()
    assert moment.severity == 5 and "[전화번호]" in moment.body


def test_the_desk_shows_the_answer_on_the_moment_and_the_mean_on_its_cluster(
    client, sign_in, campaign, app
):
    from tests.samples import MAINTENANCE

    for body, severity in zip(MAINTENANCE, ("5", "4", "", "3"), strict=True):
        post_moment(client, body=body, severity=severity)
    recluster.run(campaign, thresholds=app.config["CLUSTER_THRESHOLDS"])
    db.session.commit()
    sign_in(client, "viewer")
    by_severity = {m.severity: m for m in stored()}
    moment = page(client.get(f"/admin/moments/{by_severity[4].id}"))
    assert moment.one("[data-severity]").text == "4점 · 하려던 일을 끝내 못 했어요"
    skipped = page(client.get(f"/admin/moments/{by_severity[None].id}"))
    assert skipped.one("[data-severity]").text == "답하지 않았어요"
    cluster_id = by_severity[5].cluster_id
    assert cluster_id is not None and {m.cluster_id for m in stored()} == {cluster_id}
    summary = page(client.get(f"/admin/clusters/{cluster_id}")).one("[data-severity]")
    assert "평균 4점 (5점 만점, 이야기 4개 중 3개가 답함)" in summary.text
    row = page(client.get(f"/admin/clusters?campaign={campaign.id}")).one("[data-cluster-row]")
    assert row.one("[data-severity]").text == "4 (3명 답함)"
