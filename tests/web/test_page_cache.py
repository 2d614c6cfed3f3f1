"""/, /improvements, a fix page and /stats come from a cache: a change to a fix shows at once,
new moments within a second, and nothing is older than PAGE_CACHE_SECONDS; browsers revalidate
with an ETag; a page meant for one person (a flash message) is never cached."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from campaign import campaigns, fixes
from campaign.extensions import db
from campaign.models import Campaign, Cluster, Moment, UrgentRule, utcnow
from campaign.public import cache
from tests.factories import make_campaign, make_moderator, make_moment
from tests.web.helpers import csrf_token, post_moment


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(cache.time, "time", fake.time)
    return fake


@pytest.fixture
def cached(make_app, clock):
    app = make_app(PAGE_CACHE_SECONDS=10)
    with app.app_context():
        yield app


def publish_fix(campaign, title: str):
    admin = make_moderator("admin")
    cluster = Cluster(campaign_id=campaign.id)
    db.session.add(cluster)
    db.session.flush()
    make_moment(campaign, cluster_id=cluster.id)
    fix = fixes.create_fix(campaign, fixes.FixFields(title=title, summary="요약이에요."), by=admin)
    fixes.link_cluster(fix, cluster, by=admin)
    fixes.publish(fix, by=admin, now=utcnow())
    db.session.commit()
    return fix


def test_a_page_is_served_again_from_the_cache_and_revalidated_with_its_etag(cached):
    make_campaign()
    db.session.commit()
    client = cached.test_client()
    first = client.get("/improvements")
    assert first.headers["Cache-Control"] == "public, no-cache" and first.headers["ETag"]
    assert client.get("/improvements").get_data() == first.get_data()
    again = client.get("/improvements", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""


def test_a_published_fix_shows_at_once_on_every_cached_page(cached):
    campaign = make_campaign()
    db.session.commit()
    client = cached.test_client()
    for url in ("/", "/improvements", "/stats"):
        client.get(url)
    fix = publish_fix(campaign, "점검 시간에도 이체를 예약할 수 있어요")
    assert "점검 시간에도 이체를 예약할 수 있어요" in client.get("/improvements").get_data(
        as_text=True
    )
    assert "점검 시간에도 이체를 예약할 수 있어요" in client.get("/").get_data(as_text=True)
    page = client.get(f"/improvements/{fix.slug}")
    assert page.status_code == 200
    fixes.retract(fix, by=make_moderator("admin"))
    db.session.commit()
    assert "점검 시간에도 이체를 예약할 수 있어요" not in client.get("/improvements").get_data(
        as_text=True
    )


def test_new_moments_refresh_pages_older_than_a_second_and_nothing_outlives_the_bound(
    cached, clock
):
    campaign = make_campaign()
    db.session.commit()
    client = cached.test_client()
    etag = client.get("/stats").headers["ETag"]
    make_moment(campaign)
    db.session.commit()  # within the same second: the page stands
    assert client.get("/stats").headers["ETag"] == etag
    clock.now += 1.5
    pages = cached.extensions["pages"]
    key = next(iter(pages._pages))
    client.get("/stats")
    assert pages.get(key).at == clock.now  # rendered again after the moment
    rendered = pages.get(key).at
    clock.now += 5
    client.get("/stats")
    assert pages.get(key).at == rendered  # no change: still the cached page
    clock.now += 6  # 11 s after it was rendered: past PAGE_CACHE_SECONDS
    client.get("/stats")
    assert pages.get(key).at == clock.now


def test_a_page_for_one_person_is_neither_served_from_nor_kept_in_the_cache(cached):
    make_campaign()
    db.session.commit()
    client = cached.test_client()
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "한 사람에게만 보이는 알림이에요")]
    response = client.get("/")
    assert response.headers["Cache-Control"] == "no-store"
    assert not cached.extensions["pages"]._pages


def test_pages_that_differ_only_by_their_query_are_kept_apart(cached):
    make_campaign()
    db.session.commit()
    client = cached.test_client()
    client.get("/improvements?q=점검")
    client.get("/improvements?q=카드")
    assert len(cached.extensions["pages"]._pages) == 2


def test_closing_a_campaign_turns_the_next_moment_away_although_the_campaign_is_remembered(
    cached,
):
    campaign = make_campaign()
    db.session.commit()
    client = cached.test_client()
    token = csrf_token(client)
    assert post_moment(client, token=token).status_code == 303  # now kept between requests
    campaign.closes_on = campaigns.local_today() - timedelta(days=1)
    db.session.commit()
    assert post_moment(client, token=token, body="마감 뒤에 보낸 이야기예요.").status_code == 410


def test_a_new_urgent_phrase_flags_the_very_next_moment(cached):
    make_campaign()
    db.session.commit()
    client = cached.test_client()
    post_moment(client, body="상담원이 앱 화면을 공유해 달라고 했어요.")
    db.session.add(UrgentRule(phrase="화면을 공유"))
    db.session.commit()
    post_moment(client, body="상담원이 화면을 공유해 달라고 또 했어요.")
    flagged = db.session.scalars(select(Moment.urgent).order_by(Moment.body)).all()
    assert flagged == [False, True]


def test_a_campaign_changed_by_another_process_shows_within_the_stated_bound(cached, clock):
    campaign = make_campaign()
    db.session.commit()
    client = cached.test_client()
    token = csrf_token(client)
    assert post_moment(client, token=token).status_code == 303
    # Another process's change: no commit in this process tells the cache.
    yesterday = campaigns.local_today() - timedelta(days=1)
    db.session.execute(
        update(Campaign).where(Campaign.id == campaign.id).values(closes_on=yesterday)
    )
    db.session.commit()
    clock.now += 9
    still = post_moment(client, token=token, body="아직 받아 주는 시간이에요, 열 자 넘게.")
    assert still.status_code == 303
    clock.now += 2
    closed = post_moment(client, token=token, body="이제는 마감됐다고 나와야 해요, 열 자 넘게.")
    assert closed.status_code == 410


def test_a_page_that_renders_a_real_csrf_token_is_never_kept_for_others(cached):
    """Cached pages carry a placeholder (cache.csrf_slot) that each visitor's own token fills;
    a form that asks Flask-WTF for the token itself would bake one visitor's token into the
    page everyone gets, so such a page is served but not kept."""
    from flask import g, render_template_string
    from flask.testing import FlaskClient

    def page():
        return render_template_string('<form><input name="csrf_token" value="{{ csrf_token() }}">')

    cached.add_url_rule("/token-page", "token_page", cache.cached_page(page))
    tokens = set()
    for visitor in (FlaskClient(cached), FlaskClient(cached)):
        for key in list(g):  # each request its own `g`, as in production (see CheckedClient)
            g.pop(key)
        tokens.add(visitor.get("/token-page").get_data(as_text=True))
    assert len(tokens) == 2
    assert not cached.extensions["pages"]._pages
