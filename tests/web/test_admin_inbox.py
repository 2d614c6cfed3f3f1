"""The inbox: reading, filtering, triaging one moment or many, undoing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from campaign.extensions import db
from campaign.models import AuditEvent, Moment, MomentStatus
from tests.factories import make_moment, make_team
from tests.web.helpers import csrf_token, page_text


@pytest.fixture
def desk(client, sign_in, campaign):
    """A signed-in moderator and three moments, newest first."""
    from datetime import timedelta

    from campaign.models import utcnow

    moderator = sign_in(client)
    moments = [
        make_moment(campaign, body=body, received=utcnow() - timedelta(hours=h), **extra)[0]
        for h, body, extra in [
            (1, "보이스피싱으로 돈이 빠져나갔어요 도와주세요", {"urgent": True}),
            (5, "점검 시간에 송금이 안 돼서 불편했어요", {"category": "송금·이체"}),
            (30, "이 쓰레기 같은 앱 진짜", {"abusive": True}),
        ]
    ]
    return moderator, moments


def test_the_inbox_lists_moments_newest_first_with_their_flags(client, desk):
    html = client.get("/admin/moments").get_data(as_text=True)
    assert html.index("보이스피싱으로") < html.index("점검 시간에") < html.index("이 쓰레기")
    assert '<span class="badge badge--urgent">긴급</span>' in html
    assert "3개" in html


def test_abusive_text_is_blurred_until_the_moderator_chooses_to_see_it(client, desk):
    html = client.get("/admin/moments").get_data(as_text=True)
    assert re.search(
        (
            r'<label class="reveal__label"[^>]*>욕설이 있을 수 있어요 · 보기</label>'
            r'<span class="reveal__text">이 쓰레기'
        ),
        html,
    )


def test_no_label_or_title_speaks_abusive_text_that_the_page_blurs(client, desk):
    _, moments = desk
    html = client.get(f"/admin/moments/{moments[2].id}").get_data(as_text=True)
    assert 'aria-label="고르기: 거친 표현이 있을 수 있는 이야기"' in html
    assert 'aria-label="고르기: 이 쓰레기' not in html
    assert "<title>이 쓰레기" not in html and "<title>거친 표현이 있을 수 있는 이야기 · " in html


@pytest.mark.parametrize(
    "query, expected",
    [
        ("flag=urgent", ["보이스피싱으로"]),
        ("q=송금", ["점검 시간에"]),
        ("q=점검 시간에", ["점검 시간에"]),
        ("category=송금·이체", ["점검 시간에"]),
        ("sort=oldest", ["이 쓰레기", "점검 시간에", "보이스피싱으로"]),
        ("flag=abusive", ["이 쓰레기"]),
    ],
)
def test_filters_search_and_sorting(client, desk, query, expected):
    html = client.get(f"/admin/moments?{query}").get_data(as_text=True)
    assert html.count("data-moment-row") == len(expected)
    positions = [html.index(text) for text in expected]
    assert positions == sorted(positions)


def test_opening_a_moment_shows_it_beside_the_list_with_its_neighbours(client, desk):
    _, moments = desk
    html = client.get(f"/admin/moments/{moments[1].id}").get_data(as_text=True)
    assert (
        'class="moment-text moment-text--large" data-moment-text>점검 시간에 송금이 안 돼서 '
        "불편했어요" in html
    )
    assert (
        f'/admin/moments/{moments[0].id}" data-prev' in html
        and f'/admin/moments/{moments[2].id}" data-next' in html
    )
    assert "아직 아무도 손대지 않았어요" in html


def test_an_unknown_moment_is_a_404(client, desk):
    assert client.get("/admin/moments/nope").status_code == 404


def test_changing_status_records_history_and_offers_undo(client, desk):
    moderator, moments = desk
    m = moments[1]
    token = csrf_token(client, f"/admin/moments/{m.id}")
    response = client.post(
        f"/admin/moments/{m.id}/status?flag=urgent",
        data={"csrf_token": token, "status": "in_review"},
    )
    assert response.status_code == 303 and response.headers["Location"].endswith(
        f"/admin/moments/{m.id}?flag=urgent"
    )
    html = page_text(client, f"/admin/moments/{m.id}")
    assert "'검토 중'(으)로 바꿨어요." in html and "되돌리기" in html
    assert f"{moderator.name} · 상태 변경" in html and "(접수 → 검토 중)" in html
    batch = re.search(r"/admin/undo/(\w+)", html).group(1)
    client.post(
        f"/admin/undo/{batch}", data={"csrf_token": token, "back": f"/admin/moments/{m.id}"}
    )
    db.session.expire_all()
    assert db.session.get(Moment, m.id).status is MomentStatus.RECEIVED


def test_hiding_asks_for_a_reason_and_restoring_brings_it_back(client, desk):
    _, moments = desk
    m = moments[2]
    token = csrf_token(client, f"/admin/moments/{m.id}")
    client.post(f"/admin/moments/{m.id}/hide", data={"csrf_token": token, "reason": "abuse"})
    db.session.expire_all()
    assert db.session.get(Moment, m.id).status is MomentStatus.HIDDEN
    assert "다시 보이게 하기" in client.get(f"/admin/moments/{m.id}").get_data(as_text=True)
    assert "이 쓰레기" not in client.get("/admin/moments?status=open").get_data(as_text=True)
    client.post(f"/admin/moments/{m.id}/restore", data={"csrf_token": token})
    db.session.expire_all()
    assert db.session.get(Moment, m.id).status is MomentStatus.RECEIVED


def test_tags_are_created_on_the_fly_and_removed(client, desk):
    _, moments = desk
    m = moments[0]
    token = csrf_token(client, f"/admin/moments/{m.id}")
    client.post(f"/admin/moments/{m.id}/tags", data={"csrf_token": token, "tag": "보이스피싱"})
    html = client.get(f"/admin/moments/{m.id}").get_data(as_text=True)
    assert "#보이스피싱" in html and '<option value="보이스피싱">' in html  # autocomplete list
    tag_id = re.search(rf"/admin/moments/{m.id}/tags/(\d+)/remove", html).group(1)
    client.post(f"/admin/moments/{m.id}/tags/{tag_id}/remove", data={"csrf_token": token})
    db.session.expire_all()
    assert db.session.get(Moment, m.id).tags == []


def test_an_empty_tag_is_refused_with_a_message(client, desk):
    _, moments = desk
    token = csrf_token(client, f"/admin/moments/{moments[0].id}")
    client.post(f"/admin/moments/{moments[0].id}/tags", data={"csrf_token": token, "tag": " "})
    assert "태그 이름을 입력해 주세요." in client.get(f"/admin/moments/{moments[0].id}").get_data(
        as_text=True
    )


def test_routing_to_a_team_shows_in_that_teams_queue(client, desk):
    _, moments = desk
    team = make_team("보안팀")
    token = csrf_token(client, f"/admin/moments/{moments[0].id}")
    client.post(
        f"/admin/moments/{moments[0].id}/route", data={"csrf_token": token, "team": str(team.id)}
    )
    html = client.get(f"/admin/moments?team={team.id}").get_data(as_text=True)
    assert "1개" in html and "보이스피싱으로" in html


def test_bulk_actions_apply_to_the_selection_and_undo_as_one(client, desk):
    _, moments = desk
    token = csrf_token(client, "/admin/moments")
    ids = [moments[0].id, moments[1].id]
    base = {
        "csrf_token": token,
        "ids": ids,
        "status": "grouped",
        "reason": "spam",
        "tag": "",
        "team": "",
    }
    client.post("/admin/moments/bulk", data={**base, "action": "status"})
    db.session.expire_all()
    assert [db.session.get(Moment, i).status for i in ids] == [MomentStatus.GROUPED] * 2
    html = page_text(client, "/admin/moments")
    assert "2개를 '묶음 완료'(으)로 바꿨어요." in html
    client.post("/admin/moments/bulk", data={**base, "action": "tag", "tag": "점검"})
    html = client.get("/admin/moments").get_data(as_text=True)
    batch = re.search(r"/admin/undo/(\w+)", html).group(1)
    client.post(f"/admin/undo/{batch}", data={"csrf_token": token})
    db.session.expire_all()
    assert all(db.session.get(Moment, i).tags == [] for i in ids)


def test_bulk_without_a_selection_or_an_action_says_what_is_missing(client, desk):
    token = csrf_token(client, "/admin/moments")
    client.post("/admin/moments/bulk", data={"csrf_token": token, "action": "status"})
    assert "먼저 이야기를 골라 주세요." in client.get("/admin/moments").get_data(as_text=True)
    client.post(
        "/admin/moments/bulk", data={"csrf_token": token, "ids": [desk[1][0].id], "action": ""}
    )
    assert "할 일을 골라 주세요." in client.get("/admin/moments").get_data(as_text=True)


def test_masking_more_by_hand_is_logged_without_the_words(client, desk):
    _, moments = desk
    m = moments[1]
    token = csrf_token(client, f"/admin/moments/{m.id}")
    client.post(
        f"/admin/moments/{m.id}/mask",
        data={"csrf_token": token, "phrase": "점검 시간", "kind": "ADDRESS"},
    )
    db.session.expire_all()
    assert db.session.get(Moment, m.id).body == "[주소]에 송금이 안 돼서 불편했어요"
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "mask")).all()
    assert [e.data for e in events] == [{"type": "ADDRESS", "count": 1}]


def test_a_viewer_reads_everything_but_sees_no_action_buttons(app, campaign, sign_in):
    client = app.test_client()
    sign_in(client, "viewer")
    moment, _ = make_moment(campaign, body="열람자가 보는 이야기예요 정말로요")
    html = client.get(f"/admin/moments/{moment.id}").get_data(as_text=True)
    assert "열람자가 보는 이야기예요" in html
    assert "바꾸기</button>" not in html and 'id="bulk"' not in html
