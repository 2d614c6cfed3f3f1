"""소식 받기: follow tokens kept only as keyed hashes, a timeline that says only what happened and
on which Korean day, stopping, and follows going with their moment."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from campaign import fixes, follows, moderation, privacy, retention
from campaign.clustering import decisions
from campaign.extensions import db
from campaign.models import (
    AuditEvent,
    Cluster,
    ClusterStatus,
    FixProgress,
    Follow,
    HiddenReason,
    Moment,
    MomentStatus,
)
from tests.factories import make_moderator, make_moment
from tests.samples import cluster_of

HALF_PAST_MIDNIGHT_SEOUL = datetime(2026, 11, 28, 15, 30)  # 2026-11-29 00:30 in Seoul, as UTC


def _dated(action, target_id: str, at: datetime) -> None:
    """Give the latest audit event of `action` on `target_id` the time `at` (naive UTC)."""
    db.session.flush()
    event = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == action, AuditEvent.target_id == str(target_id))
        .order_by(AuditEvent.id.desc())
    ).first()
    event.at = at
    db.session.flush()


def keys(moment: Moment) -> list[str]:
    return [e.key for e in follows.timeline(moment).entries]


def days(moment: Moment) -> dict[str, date]:
    return {e.key: e.day for e in follows.timeline(moment).entries}


@pytest.fixture
def grouped(grouped_moments):
    """A maintenance moment told at 00:30 in Seoul, in a machine cluster formed that night."""
    campaign, moments = grouped_moments
    moment = moments[0]
    moment.received_hour = privacy.coarse_hour(HALF_PAST_MIDNIGHT_SEOUL)
    cluster = db.session.get(Cluster, cluster_of(moment))
    cluster.created_at = HALF_PAST_MIDNIGHT_SEOUL
    db.session.flush()
    return moment, cluster


def test_a_follow_token_is_192_random_url_safe_bits_and_only_its_keyed_hash_is_stored(
    app, campaign
):
    moment, code = make_moment(campaign)
    tokens = {follows.start(moment) for _ in range(follows.MAX_PER_MOMENT)}
    assert len(tokens) == follows.MAX_PER_MOMENT
    stored = set(db.session.scalars(select(Follow.token_hash)))
    for token in tokens:
        assert re.fullmatch(r"[A-Za-z0-9_-]{32}", token)  # 32 × 6 = 192 bits
        assert token not in stored and privacy.follow_hash(token) in stored
        assert code.replace("-", "") not in token
        assert follows.find(token).id == moment.id
    assert moment.receipt_hash not in stored


def test_the_follow_hash_is_keyed_by_the_pepper_and_refuses_what_cannot_be_a_token(app):
    token = privacy.new_follow_token()
    keyed = privacy.follow_hash(token)
    app.config["RECEIPT_PEPPER"] = "another pepper"
    assert privacy.follow_hash(token) != keyed
    for bad in ("", None, token[:-1], token + "a", token[:-1] + "\x00", token[:-1] + "."):
        assert privacy.follow_hash(bad) is None
        assert follows.find(bad) is None


def test_a_moment_has_at_most_a_few_follow_links(app, campaign):
    moment, _ = make_moment(campaign)
    for _ in range(follows.MAX_PER_MOMENT):
        follows.start(moment)
    with pytest.raises(follows.FollowError, match="그만 받기"):
        follows.start(moment)


def test_stopping_deletes_every_link_of_the_moment_and_no_other(app, campaign):
    moment, _ = make_moment(campaign)
    other, _ = make_moment(campaign, body="카드를 잃어버렸는데 정지 버튼을 찾을 수가 없었어요")
    mine = [follows.start(moment), follows.start(moment)]
    theirs = follows.start(other)
    assert follows.stop(moment) == 2
    assert [follows.find(t) for t in mine] == [None, None]
    assert follows.count(moment) == 0
    assert follows.find(theirs).id == other.id
    assert follows.stop(moment) == 0


def test_a_purged_moment_takes_its_follow_links_with_it(app, campaign):
    old, _ = make_moment(campaign, received=datetime(2020, 1, 1, 3))
    token = follows.start(old)
    kept = follows.start(make_moment(campaign)[0])
    retention.purge_expired(now=datetime(2026, 11, 30), retention_days=30)
    db.session.commit()
    assert follows.find(token) is None
    assert db.session.scalar(select(Follow.moment_id).where(Follow.moment_id == old.id)) is None
    assert follows.find(kept) is not None


def test_a_new_moment_shows_only_that_it_was_received_on_the_korean_day(app, campaign):
    moment, _ = make_moment(campaign, received=HALF_PAST_MIDNIGHT_SEOUL)
    assert keys(moment) == ["received"]
    assert days(moment) == {"received": date(2026, 11, 29)}


def test_a_machine_grouping_is_dated_by_when_its_cluster_formed_never_before_the_moment(grouped):
    moment, cluster = grouped
    assert keys(moment) == ["received", "clustered-machine"]
    assert days(moment)["clustered-machine"] == date(2026, 11, 29)
    cluster.created_at = datetime(2026, 12, 1, 16)  # 12-02 in Seoul
    assert days(moment)["clustered-machine"] == date(2026, 12, 2)
    cluster.created_at = datetime(2026, 11, 1)  # formed before the moment: the moment's day
    assert days(moment)["clustered-machine"] == date(2026, 11, 29)


def test_review_stages_take_the_day_the_moment_entered_its_status(grouped):
    moment, _ = grouped
    by = make_moderator()
    moderation.set_status([moment], MomentStatus.IN_REVIEW, by=by)
    _dated("status", moment.id, datetime(2026, 11, 30, 15, 10))  # 12-01 00:10 in Seoul
    assert days(moment)["reviewed-in_review"] == date(2026, 12, 1)
    assert "planned" not in keys(moment)
    moderation.set_status([moment], MomentStatus.GROUPED, by=by)
    _dated("status", moment.id, datetime(2026, 12, 3, 2))
    timeline = days(moment)
    assert timeline["reviewed-grouped"] == date(2026, 12, 3)
    # A person confirmed the grouping the same day.
    assert timeline["clustered-person"] == date(2026, 12, 3)
    assert "reviewed-in_review" not in timeline


def test_cluster_steps_are_dated_by_the_desk_and_a_hold_carries_its_public_reason(grouped):
    moment, cluster = grouped
    by = make_moderator()
    decisions.set_status(cluster, ClusterStatus.PLANNED, by=by)
    _dated("cluster_status", cluster.id, datetime(2026, 12, 4, 1))
    assert days(moment)["planned"] == date(2026, 12, 4)
    assert "in_progress" not in keys(moment) and "fixed" not in keys(moment)
    decisions.set_status(cluster, ClusterStatus.ON_HOLD, by=by)
    _dated("cluster_status", cluster.id, datetime(2026, 12, 6, 1))
    decisions.set_public(
        cluster,
        title="점검 시간 이체",
        note="은행 점검은 저희가 바꿀 수 없어요.",
        listed=True,
        by=by,
    )
    entries = {e.key: e for e in follows.timeline(moment).entries}
    assert "planned" not in entries
    assert entries["on_hold"].day == date(2026, 12, 6)
    assert "은행 점검은 저희가 바꿀 수 없어요." in entries["on_hold"].summary


def test_a_public_fix_is_dated_by_its_publication_and_progress_and_links_to_its_page(grouped):
    moment, cluster = grouped
    admin = make_moderator("admin")
    fix = fixes.create_fix(
        moment.campaign, fixes.FixFields(title="점검 시간에도 이체를 예약할 수 있어요"), by=admin
    )
    fixes.link_cluster(fix, cluster, by=admin)
    fixes.publish(fix, by=admin, now=datetime(2026, 12, 5, 3))
    entries = {e.key: e for e in follows.timeline(moment).entries}
    assert entries[f"fix-{fix.id}"].day == date(2026, 12, 5)
    assert entries[f"fix-{fix.id}"].fix.slug == fix.slug
    assert entries["planned"].day == date(2026, 12, 5)
    assert "fixed" not in entries
    fixes.set_progress(fix, FixProgress.IN_PROGRESS, by=admin)
    _dated("fix_progress", fix.id, datetime(2026, 12, 8, 3))
    fixes.set_progress(fix, FixProgress.DONE, by=admin, today=date(2026, 12, 10))
    _dated("fix_progress", fix.id, datetime(2026, 12, 10, 3))
    entries = {e.key: e for e in follows.timeline(moment).entries}
    assert entries["in_progress"].day == date(2026, 12, 8)
    assert entries["fixed"].day == date(2026, 12, 10)
    assert entries["fixed"].fix == fix and entries["fixed"].shipped_on == date(2026, 12, 10)
    days_in_order = [e.day for e in follows.timeline(moment).entries]
    assert days_in_order == sorted(days_in_order)


def test_a_hidden_moment_shows_that_it_was_hidden_and_nothing_else(grouped):
    moment, _ = grouped
    moderation.hide([moment], HiddenReason.SPAM, by=make_moderator())
    _dated("hide", moment.id, datetime(2026, 12, 2, 3))
    entries = follows.timeline(moment).entries
    assert [e.key for e in entries] == ["received", "hidden"]
    assert entries[1].day == date(2026, 12, 2)
    assert "스팸" in entries[1].summary


def _fix_done(campaign, *, published: datetime, shipped: date, by):
    fix = fixes.create_fix(
        campaign, fixes.FixFields(title="점검 시간에도 이체를 예약할 수 있어요"), by=by
    )
    earlier, _ = make_moment(campaign, received=published - timedelta(days=5))
    fixes.link_moment(fix, earlier, by=by)
    fixes.publish(fix, by=by, now=published)
    fixes.set_progress(fix, FixProgress.IN_PROGRESS, by=by)
    fixes.set_progress(fix, FixProgress.DONE, by=by, today=shipped)
    _dated("fix_progress", fix.id, published)
    return fix


def _in_order(moment: Moment) -> None:
    entries = follows.timeline(moment).entries
    assert entries[0].key == "received"
    assert [e.day for e in entries] == sorted(e.day for e in entries)


def test_a_fix_published_before_the_moment_is_said_on_its_day_never_as_news(grouped):
    """Told on 11-29 into a cluster whose fix was published on 11-25 and shipped on 11-30: the
    moment still led to it (before its cutoff), but the fix was public before it was told."""
    moment, cluster = grouped
    admin = make_moderator("admin")
    fix = fixes.create_fix(
        moment.campaign, fixes.FixFields(title="점검 시간에도 이체를 예약할 수 있어요"), by=admin
    )
    fixes.link_cluster(fix, cluster, by=admin)
    fixes.publish(fix, by=admin, now=datetime(2026, 11, 25, 3))
    fixes.add_note(fix, date(2026, 11, 26), "예약 이체 화면을 만들고 있어요.", by=admin)
    later = fixes.add_note(fix, date(2026, 12, 1), "모든 지점에 적용했어요.", by=admin)
    fixes.set_progress(fix, FixProgress.IN_PROGRESS, by=admin)
    _dated("fix_progress", fix.id, datetime(2026, 11, 26, 3))
    fixes.set_progress(fix, FixProgress.DONE, by=admin, today=date(2026, 11, 30))
    _dated("fix_progress", fix.id, datetime(2026, 11, 30, 3))
    assert fix in fixes.published_for(moment).led_to
    entries = {e.key: e for e in follows.timeline(moment).entries}
    assert f"fix-{fix.id}" not in entries  # never "개선 사례를 공개했어요" on a day it wasn't
    before = entries[f"fix-{fix.id}-before"]
    assert (before.label, before.day) == ("이미 고치고 있었어요", date(2026, 11, 29))
    assert before.published_on == date(2026, 11, 25)
    # Progress notes on their own days; the one from before the moment is not in its story.
    notes = [e for e in entries.values() if "-note-" in e.key]
    assert [(e.key, e.day) for e in notes] == [(f"fix-{fix.id}-note-{later.id}", date(2026, 12, 1))]
    assert entries["fixed"].day == date(2026, 11, 30)
    assert entries["fixed"].shipped_on == date(2026, 11, 30)
    _in_order(moment)


def test_a_moment_linked_by_hand_to_an_older_fix_says_it_had_already_changed(grouped):
    moment, _ = grouped  # told on 11-29
    admin = make_moderator("admin")
    fix = _fix_done(
        moment.campaign, published=datetime(2026, 11, 20, 3), shipped=date(2026, 11, 20), by=admin
    )
    fixes.add_note(fix, date(2026, 11, 21), "모든 지점에 적용했어요.", by=admin)
    fixes.link_moment(fix, moment, by=admin)
    _dated("fix_link_moment", fix.id, datetime(2026, 12, 3, 3))
    timeline = follows.timeline(moment)
    entries = {e.key: e for e in timeline.entries}
    assert f"fix-{fix.id}" not in entries
    before = entries[f"fix-{fix.id}-before"]
    assert (before.label, before.day) == ("이미 이렇게 바뀌었어요", date(2026, 11, 29))
    assert before.published_on == date(2026, 11, 20) and before.fix == fix
    assert not [e for e in timeline.entries if "-note-" in e.key]
    assert entries["fixed"].shipped_on == date(2026, 11, 20)
    assert min(e.day for e in timeline.entries) == date(2026, 11, 29)
    _in_order(moment)


def test_on_a_tie_the_entries_keep_the_order_of_the_stages(grouped):
    moment, cluster = grouped
    admin = make_moderator("admin")
    fix = fixes.create_fix(
        moment.campaign, fixes.FixFields(title="점검 시간에도 이체를 예약할 수 있어요"), by=admin
    )
    fixes.link_cluster(fix, cluster, by=admin)
    fixes.publish(fix, by=admin, now=HALF_PAST_MIDNIGHT_SEOUL)  # the day it was told
    fixes.add_note(fix, date(2026, 11, 29), "예약 이체 화면을 만들고 있어요.", by=admin)
    order = keys(moment)
    assert order[:3] == ["received", "clustered-machine", "planned"]
    assert order[3] == f"fix-{fix.id}" and order[4].startswith(f"fix-{fix.id}-note-")
    assert set(days(moment).values()) == {date(2026, 11, 29)}
