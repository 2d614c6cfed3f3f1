"""The desk in English: every page of the inbox, groups, dashboard, brief, escalations, jobs and
sign-in half reads in English once English is chosen, with the demo's realistic data on it
(moments, groups, fixes, alerts, teams, tags, notes, hand-offs), and the words people wrote stay
Korean inside lang="ko". The Korean pages are the default and are checked by the other tests."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from campaign import demo, desk_jobs, jobs, moderation, notes
from campaign.clustering import decisions
from campaign.extensions import db
from campaign.models import Cluster, JobRun, Moment, Team, utcnow
from tests.dom import hangul_outside_korean, page
from tests.factories import make_moderator, make_moment


@pytest.fixture
def busy_desk(app, monkeypatch):
    """The demo campaign as `make run` shows it before its worker has run (the English moments
    and the call centre's log waiting, the re-clustering job queued: running them in-process
    would cost each of these tests seconds), plus what a working desk adds to it: an urgent
    story nobody has opened, a tag, notes on a story and a group, a group handed between teams
    with a reason, a story that may be abusive, and a job."""
    with monkeypatch.context() as waiting:
        waiting.setattr(jobs, "later", lambda *args, **kwargs: None)
        campaign = demo.load_demo(thresholds=app.config["CLUSTER_THRESHOLDS"])
        admin = make_moderator("admin", email="lead@example.com", name="김운영")
        db.session.commit()
        now = utcnow()
        moment = db.session.scalars(
            select(Moment).where(Moment.campaign_id == campaign.id, Moment.cluster_id.is_not(None))
        ).first()
        cluster = db.session.get(Cluster, moment.cluster_id)
        moderation.tag_by_name([moment], "점검시간", by=admin)
        notes.add(moment, "지점에 전화해서 확인했어요.", by=admin, now=now)
        notes.add(cluster, "다음 주 회의에서 다뤄요.", by=admin, now=now)
        teams = db.session.scalars(select(Team).order_by(Team.id)).all()
        decisions.route(cluster, teams[0], by=admin, reason="이체 화면은 송금팀이 맡아요", now=now)
        decisions.route(cluster, teams[1], by=admin, reason="카드 결제 문제였어요", now=now)
        make_moment(campaign, body="보이스피싱으로 돈을 잃었어요. 바로 도와주세요.", urgent=True)
        make_moment(campaign, body="이 앱 만든 사람들 정말 ***", abusive=True)
        nine_days = now - timedelta(days=9)
        make_moment(campaign, body="아직 살펴보지 않은 이야기예요.", received=nine_days)
        desk_jobs.request("recluster", campaign=campaign, by=admin, params={}, now=now)
        db.session.commit()
    return campaign, moment, cluster


def english_desk(client, sign_in, role="admin"):
    sign_in(client, role)
    client.get("/language/en?next=/admin/")


def desk_pages(campaign, moment, cluster, run_id) -> list[str]:
    return [
        "/admin/",
        f"/admin/dashboard?campaign={campaign.id}",
        "/admin/dashboard?since=nonsense",
        f"/admin/moments/{moment.id}",
        "/admin/?flag=urgent",
        "/admin/?q=zzzz-nothing",
        f"/admin/clusters?campaign={campaign.id}",
        f"/admin/clusters?campaign={campaign.id}&sort=rank",
        f"/admin/clusters/{cluster.id}",
        f"/admin/clusters/{cluster.id}/brief",
        f"/admin/escalations?campaign={campaign.id}",
        "/admin/jobs",
        f"/admin/jobs/{run_id}",
        "/admin/settings/two-factor",
    ]


def test_every_desk_page_of_this_half_reads_in_english_with_real_data(client, sign_in, busy_desk):
    campaign, moment, cluster = busy_desk
    english_desk(client, sign_in)
    run_id = db.session.scalars(select(JobRun.id)).first()
    leaks = {}
    for url in desk_pages(campaign, moment, cluster, run_id):
        response = client.get(url, follow_redirects=True)
        assert response.status_code == 200, url
        shown = page(response)
        assert shown.one("html")["lang"] == "en", url
        if found := hangul_outside_korean(shown):
            leaks[url] = found
    assert leaks == {}


def test_the_desk_shows_people_s_words_in_korean_marked_as_korean(client, sign_in, busy_desk):
    campaign, moment, cluster = busy_desk
    english_desk(client, sign_in)
    shown = page(client.get(f"/admin/moments/{moment.id}"))
    text = shown.one("[data-moment-text]")
    assert moment.body[:20] in text.text
    assert text.first('[lang="ko"]') is not None
    assert [n.text for n in shown.all("[data-note-text-shown]")] == ["지점에 전화해서 확인했어요."]
    assert all(n["lang"] == "ko" for n in shown.all("[data-note-text-shown]"))
    assert shown.one("h1").text == "Inbox"
    group = page(client.get(f"/admin/clusters/{cluster.id}"))
    assert group.one("h1 [lang=ko]").text == cluster.label
    assert "Hand-offs" in group.texts("h2")
    assert "카드 결제 문제였어요" in group.texts("[data-handoffs] [lang=ko]")


def test_the_desk_header_links_to_korean_from_the_same_page(client, sign_in, busy_desk):
    english_desk(client, sign_in)
    shown = page(client.get("/admin/clusters"))
    switch = shown.one("header [data-language-switch]")
    assert (switch.text, switch["lang"], switch["hreflang"]) == ("한국어", "ko", "ko")
    assert switch["href"] == "/language/ko?next=/admin/clusters"
    assert shown.one("nav a[aria-current=page]").text == "Groups"


def test_a_korean_desk_offers_english_and_keeps_its_korean(client, sign_in, busy_desk):
    sign_in(client, "admin")
    shown = page(client.get("/admin/clusters"))
    assert shown.one("html")["lang"] == "ko"
    switch = shown.one("header [data-language-switch]")
    assert (switch.text, switch["lang"]) == ("English", "en")
    assert shown.one("nav a[aria-current=page]").text == "묶음"
    assert shown.first("body [lang=ko]") is None  # nothing to mark on a Korean page


def test_sign_in_pages_and_their_errors_are_in_english(client, app):
    client.get("/language/en?next=/admin/login")
    shown = page(client.get("/admin/login"))
    assert shown.one("h1").text == "Sign in to the desk"
    assert hangul_outside_korean(shown) == []
    refused = client.post("/admin/login", data={"email": "", "password": ""})
    shown = page(refused)
    assert "Please enter your email." in shown.text
    assert hangul_outside_korean(shown) == []


def test_an_english_moderator_s_flash_and_refusal_are_in_english(client, sign_in, busy_desk):
    from tests.web.helpers import csrf_token

    campaign, moment, cluster = busy_desk
    english_desk(client, sign_in, "moderator")
    url = f"/admin/moments/{moment.id}"
    token = csrf_token(client, url)
    done = client.post(
        f"{url}/status", data={"status": "in_review", "csrf_token": token}, follow_redirects=True
    )
    assert "Set to ‘In review’." in page(done).text
    refused = client.post(
        f"{url}/mask",
        data={"phrase": "없는 말이에요", "kind": "PHONE", "csrf_token": token},
        follow_redirects=True,
    )
    assert "We couldn't find that text in the story." in page(refused).text
