"""Moderator actions on moments: transitions, tags, routing, masking, undo, and their audit
trail."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from campaign import audit, moderation
from campaign.extensions import db
from campaign.models import AuditEvent, HiddenReason, Moment, MomentStatus
from tests.factories import make_moderator, make_moment, make_tag, make_team

SECRET = "비밀스러운 문장이에요"


@pytest.fixture
def moderator(app):
    return make_moderator()


@pytest.fixture
def moments(app, campaign):
    return [make_moment(campaign, body=f"{SECRET} {i}번째 이야기예요.")[0] for i in range(3)]


def test_status_moves_between_visible_states_and_each_move_is_audited(moderator, moments):
    m = moments[0]
    moderation.set_status([m], MomentStatus.IN_REVIEW, by=moderator)
    moderation.set_status([m], MomentStatus.GROUPED, by=moderator)
    moderation.set_status([m], MomentStatus.RECEIVED, by=moderator)
    events = audit.history("moment", m.id)
    assert [(e.data["from"], e.data["to"]) for e in reversed(events)] == [
        ("received", "in_review"),
        ("in_review", "grouped"),
        ("grouped", "received"),
    ]
    assert all(e.actor_id == moderator.id for e in events)


def test_hiding_needs_a_reason_and_a_hidden_moment_changes_only_by_restoring(moderator, moments):
    m = moments[0]
    with pytest.raises(moderation.ModerationError):
        moderation.set_status([m], MomentStatus.HIDDEN, by=moderator)
    moderation.set_status([m], MomentStatus.IN_REVIEW, by=moderator)
    moderation.hide([m], HiddenReason.SPAM, by=moderator)
    assert m.status is MomentStatus.HIDDEN and m.hidden_reason is HiddenReason.SPAM
    with pytest.raises(moderation.ModerationError):
        moderation.set_status([m], MomentStatus.GROUPED, by=moderator)
    moderation.restore([m], by=moderator)
    assert m.status is MomentStatus.IN_REVIEW and m.hidden_reason is None


def test_nothing_is_deleted_by_hiding(moderator, moments):
    moderation.hide(moments, HiddenReason.IRRELEVANT, by=moderator)
    db.session.commit()
    assert len(list(db.session.scalars(select(Moment)))) == 3


@pytest.mark.parametrize("action", ["status", "hide", "tag_add", "tag_remove", "route", "restore"])
def test_every_reversible_action_is_undone_by_its_batch(moderator, moments, action):
    tag, team = make_tag(), make_team()
    m = moments[0]
    if action in ("tag_remove",):
        moderation.add_tag([m], tag, by=moderator)
    if action == "restore":
        moderation.hide([m], HiddenReason.ABUSE, by=moderator)
    before = (m.status, m.hidden_reason, list(m.tags), m.team_id)
    done = {
        "status": lambda: moderation.set_status(moments, MomentStatus.IN_REVIEW, by=moderator),
        "hide": lambda: moderation.hide(moments, HiddenReason.SPAM, by=moderator),
        "tag_add": lambda: moderation.add_tag(moments, tag, by=moderator),
        "tag_remove": lambda: moderation.remove_tag([m], tag, by=moderator),
        "route": lambda: moderation.route(moments, team, by=moderator),
        "restore": lambda: moderation.restore([m], by=moderator),
    }[action]()
    assert done.batch and done.count >= 1
    moderation.undo(done.batch, by=moderator)
    assert (m.status, m.hidden_reason, list(m.tags), m.team_id) == before
    with pytest.raises(moderation.ModerationError, match="이미 되돌린"):
        moderation.undo(done.batch, by=moderator)


def test_an_action_that_changes_nothing_offers_no_undo(moderator, moments):
    assert moderation.set_status(moments, MomentStatus.RECEIVED, by=moderator).batch is None


def test_masking_more_replaces_every_occurrence_and_cannot_be_undone(moderator, moments):
    m = moments[0]
    count = moderation.mask_more(m, "비밀스러운", "NAME", by=moderator)
    assert count == 1 and "비밀스러운" not in m.body and "[이름]" in m.body
    assert m.masked == {"NAME": 1}
    [event] = [e for e in audit.history("moment", m.id) if e.action == "mask"]
    assert event.data == {"type": "NAME", "count": 1}
    with pytest.raises(moderation.ModerationError):
        moderation.undo(event.batch, by=moderator)
    with pytest.raises(moderation.ModerationError, match="찾지 못했어요"):
        moderation.mask_more(m, "없는 말", "NAME", by=moderator)


def test_audit_events_never_hold_moment_text(moderator, moments):
    tag = make_tag()
    moderation.set_status(moments, MomentStatus.IN_REVIEW, by=moderator)
    moderation.hide(moments[:1], HiddenReason.ABUSE, by=moderator)
    moderation.add_tag(moments, tag, by=moderator)
    moderation.mask_more(moments[1], "번째", "NAME", by=moderator)
    db.session.commit()
    dump = json.dumps(
        [[e.action, e.target_id, e.reason, e.data] for e in db.session.scalars(select(AuditEvent))],
        ensure_ascii=False,
    )
    assert SECRET not in dump and "번째" not in dump and "이야기" not in dump
