"""One factory per model. Each adds and flushes, never commits: the row has its id and is seen by
every query and request in the same session, and the test (or its fixture) commits where a
commit matters: before another thread or process reads the database, or to check what a
rollback keeps."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import count

from campaign import campaigns, fixes, privacy, search
from campaign.extensions import db
from campaign.models import AuditEvent, Cluster, FixProgress, Moment, MomentStatus, utcnow

_seq = count(1)


def make_campaign(**overrides):
    today = campaigns.local_today()
    n = next(_seq)
    fields = dict(
        slug=f"campaign-{n}",
        title="금융이 불편한 순간",
        question="금융이 불편했던 순간, 언제였나요?",
        intro="불편했던 순간을 들려주세요.",
        categories=["송금·이체", "카드", "대출", "기타"],
        channels=["앱", "웹", "전화 상담"],
        opens_on=today - timedelta(days=7),
        closes_on=today + timedelta(days=30),
    )
    fields.update(overrides)
    campaign = campaigns.create_campaign(**fields)
    db.session.flush()
    return campaign


def make_moment(
    campaign, *, body="이체 버튼을 눌러도 아무 반응이 없었어요.", code=None, **overrides
) -> tuple[Moment, str]:
    """A stored moment and its receipt code."""
    code = code or privacy.new_receipt_code()
    moment = Moment(
        campaign_id=campaign.id,
        body=body,
        status=overrides.pop("status", MomentStatus.RECEIVED),
        receipt_hash=privacy.receipt_hash(code),
        received_hour=privacy.coarse_hour(overrides.pop("received", utcnow())),
        masked=overrides.pop("masked", {}),
        settled=overrides.pop("settled", True),  # a moment from before: the worker is done with it
        **overrides,
    )
    db.session.add(moment)
    db.session.flush()
    search.index_moment(moment)  # as the domain code does on every stored moment
    db.session.flush()
    return moment, code


def past(days: int) -> date:
    return campaigns.local_today() - timedelta(days=days)


PASSWORD = "a long and unusual passphrase"
_people = count(1)


def make_moderator(role="moderator", **overrides):
    from campaign import accounts
    from campaign.models import Role

    n = next(_people)
    moderator = accounts.create_moderator(
        email=overrides.pop("email", f"person{n}@example.com"),
        name=overrides.pop("name", f"담당자{n}"),
        password=overrides.pop("password", PASSWORD),
        role=Role(role),
    )
    db.session.flush()
    return moderator


def make_tag(name="점검시간"):
    from campaign.models import Tag

    tag = Tag(name=name)
    db.session.add(tag)
    db.session.flush()
    return tag


def make_team(name="송금팀"):
    from campaign.models import Team

    team = Team(name=name)
    db.session.add(team)
    db.session.flush()
    return team


REPORTING_NOW = datetime(2026, 10, 12)


def make_reporting_campaign():
    """A closed campaign (1-10 October 2026) with five moments whose every dashboard figure is
    known: see tests/unit/test_analytics.py."""
    campaign = make_campaign(opens_on=date(2026, 10, 1), closes_on=date(2026, 10, 10))
    team = make_team()
    a, b = Cluster(campaign_id=campaign.id, team_id=team.id), Cluster(campaign_id=campaign.id)
    db.session.add_all([a, b])
    db.session.flush()
    spec = [  # received (UTC), category, channel, status, cluster, team
        (datetime(2026, 10, 1, 0), "송금·이체", "앱", MomentStatus.RECEIVED, a, team),
        (
            datetime(2026, 10, 1, 16),
            "송금·이체",
            "앱",
            MomentStatus.RECEIVED,
            a,
            team,
        ),  # 10월 2일 01시, Seoul
        (datetime(2026, 10, 3, 2), "카드", "웹", MomentStatus.IN_REVIEW, b, None),
        (datetime(2026, 10, 3, 3), None, "앱", MomentStatus.HIDDEN, None, None),
        (datetime(2026, 10, 5, 5), "송금·이체", "웹", MomentStatus.IN_REVIEW, a, None),
    ]
    moments = [
        make_moment(
            campaign,
            received=at,
            category=category,
            channel=channel,
            status=status,
            cluster_id=cluster.id if cluster else None,
            team_id=t.id if t else None,
        )[0]
        for at, category, channel, status, cluster, t in spec
    ]
    for moment, hours in ((moments[2], 5.5), (moments[4], 2.5)):
        db.session.add(
            AuditEvent(
                at=moment.received_hour + timedelta(hours=hours),
                action="status",
                target_type="moment",
                target_id=moment.id,
                batch="b" * 26,
                data={},
            )
        )
    admin = make_moderator("admin")
    fix = fixes.create_fix(
        campaign,
        fixes.FixFields(
            title="점검 시간에도 이체를 예약할 수 있어요", shipped_on=date(2026, 10, 8)
        ),
        by=admin,
    )
    fixes.link_cluster(fix, a, by=admin)
    fixes.set_progress(fix, FixProgress.IN_PROGRESS, by=admin)
    fixes.set_progress(fix, FixProgress.DONE, by=admin)
    fixes.publish(fix, by=admin, now=REPORTING_NOW)
    db.session.flush()
    return campaign, moments, a, b
