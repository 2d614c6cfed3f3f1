"""Managing tags, teams, urgent words, accounts, campaigns, and reading the audit log."""

from __future__ import annotations

import re

from sqlalchemy import select

from campaign.extensions import db
from campaign.models import Campaign, Moderator, Moment, Role, Tag, Team
from tests.dom import page
from tests.factories import make_moment, make_tag, past
from tests.web.helpers import csrf_token, page_text


def test_tags_page_counts_renames_and_merges(client, sign_in, campaign):
    sign_in(client)
    a, b = make_tag("점검"), make_tag("점검시간")
    moment, _ = make_moment(campaign)
    moment.tags.append(a)
    db.session.commit()
    token = csrf_token(client, "/admin/tags")
    client.post(f"/admin/tags/{b.id}/rename", data={"csrf_token": token, "name": "점검 시간"})
    client.post(f"/admin/tags/{a.id}/merge", data={"csrf_token": token, "into": str(b.id)})
    assert "'점검' 태그를 '점검 시간'에 합쳤어요." in page_text(client, "/admin/tags")
    assert [t.name for t in db.session.scalars(select(Tag))] == ["점검 시간"]
    db.session.expire_all()
    assert [t.name for t in db.session.get(Moment, moment.id).tags] == ["점검 시간"]


def test_admins_create_and_rename_teams_and_see_their_queues(client, sign_in):
    sign_in(client, "admin")
    token = csrf_token(client, "/admin/teams")
    client.post("/admin/teams", data={"csrf_token": token, "name": "카드팀"})
    client.post("/admin/teams", data={"csrf_token": token, "name": "카드팀"})
    teams = page(client.get("/admin/teams"))
    assert "같은 이름의 팀이 있어요." in teams.one(".flashes").text
    team = db.session.scalar(select(Team))
    client.post(
        f"/admin/teams/{team.id}/rename", data={"csrf_token": token, "name": "카드 서비스팀"}
    )
    assert page(client.get("/admin/teams")).texts("table tbody th") == ["카드 서비스팀"]


def test_admins_edit_urgent_words_and_flags_are_recomputed(client, sign_in, campaign):
    sign_in(client, "admin")
    moment, _ = make_moment(campaign, body="카드가 복제된 것 같아요 확인해 주세요")
    token = csrf_token(client, "/admin/rules")
    client.post("/admin/rules", data={"csrf_token": token, "phrase": "복제"})
    db.session.expire_all()
    assert db.session.get(Moment, moment.id).urgent
    rules = page(client.get("/admin/rules"))
    assert "복제" in rules.texts(".rule-list > li > span")
    [remove] = rules.by_role("button", name="빼기: 복제", exact=True)  # the new word's own button
    action = remove.closest("form")["action"]
    assert re.fullmatch(r"/admin/rules/\d+/remove", action)
    client.post(action, data={"csrf_token": token})
    db.session.expire_all()
    assert not db.session.get(Moment, moment.id).urgent


def test_admins_create_accounts_with_a_strong_password_and_change_roles(client, sign_in):
    sign_in(client, "admin")
    token = csrf_token(client, "/admin/accounts")
    html = client.post(
        "/admin/accounts",
        data={
            "csrf_token": token,
            "email": "new@example.com",
            "name": "새 담당자",
            "role": "viewer",
            "password": "short",
        },
    )
    refused = page(html)
    assert "12자 이상" in refused.one("#password-error").text
    assert refused.by_label("이메일")["value"] == "new@example.com"
    assert refused.one("title").text.startswith("오류: ")
    response = client.post(
        "/admin/accounts",
        data={
            "csrf_token": token,
            "email": "new@example.com",
            "name": "새 담당자",
            "role": "viewer",
            "password": "a long new passphrase",
        },
    )
    assert response.status_code == 303
    person = db.session.scalar(select(Moderator).where(Moderator.email == "new@example.com"))
    assert person.role is Role.VIEWER
    client.post(
        f"/admin/accounts/{person.id}/role", data={"csrf_token": token, "role": "moderator"}
    )
    client.post(f"/admin/accounts/{person.id}/active", data={"csrf_token": token})
    db.session.expire_all()
    person = db.session.get(Moderator, person.id)
    assert person.role is Role.MODERATOR and not person.active


def test_admins_create_and_edit_campaigns_with_korean_errors(client, sign_in):
    admin = sign_in(client, "admin")
    token = csrf_token(client, "/admin/campaigns/new")
    data = {
        "csrf_token": token,
        "slug": "Bad Slug",
        "title": "보험이 불편한 순간",
        "question": "보험이 불편했던 순간은요?",
        "intro": "",
        "categories": "청구, 가입, 해지",
        "channels": "앱, 전화 상담",
        "opens_on": past(1).isoformat(),
        "closes_on": "",
    }
    refused = page(client.post("/admin/campaigns/new", data=data))
    assert "영문 소문자, 숫자, 하이픈(-)만" in refused.one("#slug-error").text
    korean_title = re.compile(r"캠페인 이름(?! \(영어\))")  # not its English twin's
    assert refused.by_label(korean_title)["value"] == "보험이 불편한 순간"
    assert (
        client.post("/admin/campaigns/new", data={**data, "slug": "insurance"}).status_code == 303
    )
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == "insurance"))
    assert campaign.categories == ["청구", "가입", "해지"]
    edit_page = page(client.get(f"/admin/campaigns/{campaign.id}"))
    assert edit_page.by_label("분야 (선택)")["value"] == "청구, 가입, 해지"
    client.post(
        f"/admin/campaigns/{campaign.id}",
        data={**data, "slug": "insurance", "closes_on": past(0).isoformat()},
    )
    db.session.expire_all()
    assert db.session.get(Campaign, campaign.id).closes_on == past(0)
    listed = page(client.get("/admin/campaigns")).all("tbody tr")
    [row] = [r for r in listed if r.one("th").text == "보험이 불편한 순간"]
    assert row.all("td")[-1].text == "받는 중"
    from campaign.models import AuditEvent

    actions = [
        e.action
        for e in db.session.scalars(select(AuditEvent).where(AuditEvent.target_type == "campaign"))
    ]
    assert sorted(actions) == ["campaign_create", "campaign_update"]
    assert {
        e.actor_id
        for e in db.session.scalars(select(AuditEvent).where(AuditEvent.target_type == "campaign"))
    } == {admin.id}


def test_the_audit_log_lists_and_filters_every_action(client, sign_in, campaign):
    admin = sign_in(client, "admin")
    moment, _ = make_moment(campaign)
    token = csrf_token(client, f"/admin/moments/{moment.id}")
    client.post(
        f"/admin/moments/{moment.id}/status", data={"csrf_token": token, "status": "in_review"}
    )
    client.post(f"/admin/moments/{moment.id}/hide", data={"csrf_token": token, "reason": "spam"})
    audit = page(client.get("/admin/audit"))
    rows = [[cell.text for cell in row.all("td")] for row in audit.all("[data-audit-row]")]
    # Two triage actions, the admin's sign-in, and the creation of the admin's account and of
    # the campaign, both done from the terminal (시스템).
    assert len(rows) == 5
    who, what, why = [r[1] for r in rows], [r[2] for r in rows], [r[4] for r in rows]
    assert "로그인" in what and "숨김" in what and "스팸" in why and admin.name in who
    assert "계정 만들기" in what and "캠페인 만들기" in what and "시스템" in who
    assert len(page(client.get("/admin/audit?action=hide")).all("[data-audit-row]")) == 1
    assert (
        client.get("/admin/audit?since=2000-01-01&until=2000-01-02")
        .get_data(as_text=True)
        .count("data-audit-row")
        == 0
    )
