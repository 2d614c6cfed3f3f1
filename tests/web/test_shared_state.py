"""With REDIS_URL set, two instances of the app share the duplicate guard and the sign-in
throttle (the multi-process test in tests/web/test_instances.py covers rate limits and jobs);
while Redis is away each instance falls back to its own memory and nobody sees an error."""

from __future__ import annotations

import os
import secrets

import pytest
import redis
from sqlalchemy import func, select

from campaign.extensions import db
from campaign.models import Moment
from tests.factories import make_campaign, make_moderator
from tests.web.helpers import csrf_token, post_moment

REDIS_URL = os.environ.get("CAMPAIGN_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
REQUIRE_REDIS = os.environ.get("CAMPAIGN_TEST_REQUIRE_REDIS") == "1"


@pytest.fixture
def redis_prefix():
    """A prefix of keys no other test (or other run on this server) uses; removed afterwards."""
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.RedisError as error:
        message = f"Redis suite skipped: no server at {REDIS_URL} ({error})"
        if REQUIRE_REDIS:
            pytest.fail(message)
        pytest.skip(message)
    prefix = f"campaign-test-{secrets.token_hex(4)}"
    yield prefix
    for key in connection.scan_iter(f"{prefix}*"):
        connection.delete(key)


@pytest.fixture
def two_instances(make_app, redis_prefix):
    settings = {"REDIS_URL": REDIS_URL, "REDIS_PREFIX": redis_prefix}
    first, second = make_app(**settings), make_app(**settings)
    with first.app_context():
        yield first, second


def count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Moment))


def test_the_same_text_sent_to_two_instances_is_stored_once(two_instances):
    first, second = two_instances
    make_campaign()
    db.session.commit()
    body = "같은 이야기를 두 번 눌러서 보냈어요. 한 번만 저장돼야 해요."
    one, other = first.test_client(), second.test_client()
    assert post_moment(one, body=body).status_code == 303
    assert post_moment(other, body=body).status_code == 303
    assert count() == 1
    assert "같은 이야기를 방금 받았어요" in other.get("/thanks").get_data(as_text=True)


def test_failed_sign_ins_on_one_instance_slow_down_the_next_on_another(two_instances):
    first, second = two_instances
    moderator = make_moderator()
    db.session.commit()
    limit = first.config["LOGIN_FAILURE_LIMIT"]
    one = first.test_client()
    for _ in range(limit):
        one.post(
            "/admin/login",
            data={
                "email": moderator.email,
                "password": "wrong",
                "csrf_token": csrf_token(one, "/admin/login"),
            },
        )
    other = second.test_client()
    page = other.post(
        "/admin/login",
        data={
            "email": moderator.email,
            "password": "wrong",
            "csrf_token": csrf_token(other, "/admin/login"),
        },
    )
    assert "안전을 위해" in page.get_data(as_text=True)


def test_with_redis_unreachable_people_still_send_and_double_taps_are_still_caught(make_app):
    app = make_app(REDIS_URL="redis://127.0.0.1:9/0", REDIS_PREFIX="unreachable")
    with app.app_context():
        make_campaign()
        db.session.commit()
        client = app.test_client()
        body = "레디스가 멈춰도 이 이야기는 저장돼야 해요. 두 번 눌렀어요."
        assert post_moment(client, body=body).status_code == 303
        assert post_moment(client, body=body).status_code == 303
        assert count() == 1


def test_a_fix_published_through_one_instance_clears_the_page_on_the_other(make_app, redis_prefix):
    from campaign import fixes
    from campaign.models import Cluster, utcnow
    from tests.factories import make_moment

    settings = {"REDIS_URL": REDIS_URL, "REDIS_PREFIX": redis_prefix, "PAGE_CACHE_SECONDS": 10}
    first, second = make_app(**settings), make_app(**settings)
    with first.app_context():
        campaign = make_campaign()
        db.session.commit()
        reader = second.test_client()
        etag = reader.get("/improvements").headers["ETag"]
        assert reader.get("/improvements").headers["ETag"] == etag  # served from Redis
        admin = make_moderator("admin")
        cluster = Cluster(campaign_id=campaign.id)
        db.session.add(cluster)
        db.session.flush()
        make_moment(campaign, cluster_id=cluster.id)
        fix = fixes.create_fix(
            campaign, fixes.FixFields(title="해외 결제 취소 메뉴를 찾기 쉽게 했어요"), by=admin
        )
        fixes.link_cluster(fix, cluster, by=admin)
        fixes.publish(fix, by=admin, now=utcnow())
        db.session.commit()  # through the first instance's app
        assert "해외 결제 취소 메뉴를 찾기 쉽게 했어요" in reader.get("/improvements").get_data(
            as_text=True
        )
