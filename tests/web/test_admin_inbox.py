"""The inbox: reading, filtering, triaging one moment or many, undoing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from campaign.extensions import db
from campaign.models import AuditEvent, Moment, MomentStatus
from tests.dom import Element, page
from tests.factories import make_moment, make_team
from tests.web.helpers import csrf_token


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


def listed(inbox: Element) -> list[Element]:
    """The rows of the inbox's list, top to bottom."""
    return inbox.all("[data-moment-list] > [data-moment-row]")


def row_texts(inbox: Element) -> list[str]:
    return [row.one(".moment-row__text").text for row in listed(inbox)]


def undo_batch(desk: Element) -> str:
    """The batch the flash's 되돌리기 button undoes."""
    [undo] = desk.one(".flashes").by_role("button", name="되돌리기", exact=True)
    return re.fullmatch(r"/admin/undo/(\w+)", undo.closest("form")["action"]).group(1)


def test_the_inbox_lists_moments_newest_first_with_their_flags(client, desk):
    inbox = page(client.get("/admin/moments"))
    first, second, third = row_texts(inbox)
    assert first.startswith("보이스피싱으로") and second.startswith("점검 시간에")
    assert "이 쓰레기" in third
    assert listed(inbox)[0].one(".moment-row__meta .badge--urgent").text == "긴급"
    assert inbox.one("#list-title").text.startswith("3개 ")


def test_abusive_text_is_blurred_until_the_moderator_chooses_to_see_it(client, desk):
    abusive = listed(page(client.get("/admin/moments")))[2].one(".reveal")
    toggle, label, text = (c for c in abusive.children if isinstance(c, Element))
    assert toggle.tag == "input" and label["for"] == toggle["id"]
    assert "reveal__label" in label.classes and label.text == "욕설이 있을 수 있어요 · 보기"
    assert "reveal__text" in text.classes and text.text.startswith("이 쓰레기")


def test_no_label_or_title_speaks_abusive_text_that_the_page_blurs(client, desk):
    _, moments = desk
    opened = page(client.get(f"/admin/moments/{moments[2].id}"))
    assert opened.by_label("고르기: 거친 표현이 있을 수 있는 이야기", exact=True)["name"] == "ids"
    assert not any("이 쓰레기" in e["aria-label"] for e in opened.all("[aria-label]"))
    title = opened.one("title").text
    assert not title.startswith("이 쓰레기")
    assert title.startswith("거친 표현이 있을 수 있는 이야기 · ")


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
    rows = row_texts(page(client.get(f"/admin/moments?{query}")))
    assert len(rows) == len(expected)
    assert all(text in row for row, text in zip(rows, expected, strict=True)), rows


def test_opening_a_moment_shows_it_beside_the_list_with_its_neighbours(client, desk):
    _, moments = desk
    opened = page(client.get(f"/admin/moments/{moments[1].id}"))
    text = opened.one("blockquote.moment-text.moment-text--large[data-moment-text]").text
    assert text == "점검 시간에 송금이 안 돼서 불편했어요"
    assert opened.one("a[data-prev]")["href"].endswith(f"/admin/moments/{moments[0].id}")
    assert opened.one("a[data-next]")["href"].endswith(f"/admin/moments/{moments[2].id}")
    assert "아직 아무도 손대지 않았어요." in opened.one(".desk-detail").texts("p.small")


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
    opened = page(client.get(f"/admin/moments/{m.id}"))
    assert "'검토 중'(으)로 바꿨어요." in opened.one(".flashes .flash--info > span").text
    [entry] = opened.texts("ol.history > li")
    assert f"{moderator.name} · 상태 변경" in entry and "(접수 → 검토 중)" in entry
    batch = undo_batch(opened)
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
    opened = page(client.get(f"/admin/moments/{m.id}"))
    assert opened.by_role("button", name="다시 보이게 하기", exact=True)
    assert "이 쓰레기" not in page(client.get("/admin/moments?status=open")).one("main").text
    client.post(f"/admin/moments/{m.id}/restore", data={"csrf_token": token})
    db.session.expire_all()
    assert db.session.get(Moment, m.id).status is MomentStatus.RECEIVED


def test_tags_are_created_on_the_fly_and_removed(client, desk):
    _, moments = desk
    m = moments[0]
    token = csrf_token(client, f"/admin/moments/{m.id}")
    client.post(f"/admin/moments/{m.id}/tags", data={"csrf_token": token, "tag": "보이스피싱"})
    opened = page(client.get(f"/admin/moments/{m.id}"))
    tags = opened.by_role("list", name="달린 태그", exact=True)[0]
    assert tags.texts("li > .badge--tag") == ["#보이스피싱"]
    assert opened.has("datalist#tag-names > option[value=보이스피싱]")  # autocomplete list
    [remove] = tags.by_role("button", name="떼기: 보이스피싱 태그", exact=True)
    action = remove.closest("form")["action"]
    tag_id = re.match(rf"/admin/moments/{m.id}/tags/(\d+)/remove\b", action).group(1)
    client.post(f"/admin/moments/{m.id}/tags/{tag_id}/remove", data={"csrf_token": token})
    db.session.expire_all()
    assert db.session.get(Moment, m.id).tags == []


def test_an_empty_tag_is_refused_with_a_message(client, desk):
    _, moments = desk
    token = csrf_token(client, f"/admin/moments/{moments[0].id}")
    client.post(f"/admin/moments/{moments[0].id}/tags", data={"csrf_token": token, "tag": " "})
    opened = page(client.get(f"/admin/moments/{moments[0].id}"))
    assert "태그 이름을 입력해 주세요." in opened.one(".flashes").text


def test_routing_to_a_team_shows_in_that_teams_queue(client, desk):
    _, moments = desk
    team = make_team("보안팀")
    token = csrf_token(client, f"/admin/moments/{moments[0].id}")
    client.post(
        f"/admin/moments/{moments[0].id}/route", data={"csrf_token": token, "team": str(team.id)}
    )
    queue = page(client.get(f"/admin/moments?team={team.id}"))
    assert queue.one("#list-title").text.startswith("1개 ")
    [row] = row_texts(queue)
    assert row.startswith("보이스피싱으로")


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
    inbox = page(client.get("/admin/moments"))
    assert "2개를 '묶음 완료'(으)로 바꿨어요." in inbox.one(".flashes .flash--info > span").text
    client.post("/admin/moments/bulk", data={**base, "action": "tag", "tag": "점검"})
    batch = undo_batch(page(client.get("/admin/moments")))
    client.post(f"/admin/undo/{batch}", data={"csrf_token": token})
    db.session.expire_all()
    assert all(db.session.get(Moment, i).tags == [] for i in ids)


def test_bulk_without_a_selection_or_an_action_says_what_is_missing(client, desk):
    token = csrf_token(client, "/admin/moments")
    client.post("/admin/moments/bulk", data={"csrf_token": token, "action": "status"})
    assert "먼저 이야기를 골라 주세요." in page(client.get("/admin/moments")).one(".flashes").text
    client.post(
        "/admin/moments/bulk", data={"csrf_token": token, "ids": [desk[1][0].id], "action": ""}
    )
    assert "할 일을 골라 주세요." in page(client.get("/admin/moments")).one(".flashes").text


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
    main = page(client.get(f"/admin/moments/{moment.id}")).one("main")
    assert "열람자가 보는 이야기예요" in main.one("[data-moment-text]").text
    assert not main.by_role("button", name=re.compile("바꾸기$")) and not main.has("#bulk")
