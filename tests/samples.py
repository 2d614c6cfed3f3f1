"""Test data and small helpers that more than one test module uses. Test modules import from
here (and from factories.py), never from one another."""

from __future__ import annotations

from campaign.config import DEFAULT_CLUSTER_THRESHOLDS
from campaign.extensions import db
from campaign.models import Moment

# The same complaint in different words, at the overlap a lexical engine can see: shared key
# terms, different endings, spacing and order. (Looser paraphrases need a language model.)
MAINTENANCE = [
    "은행 점검 시간이라 밤에 이체가 안 돼요",
    "밤에 은행 점검시간이라서 이체가 안 됐어요",
    "은행 점검 시간 때문에 이체가 안 되네요 밤에요",
    "점검 시간엔 은행 이체가 안 돼서 불편해요",
]
LOST_CARD = [
    "카드를 잃어버렸는데 분실 신고 메뉴를 찾을 수가 없어요",
    "카드 분실 신고 메뉴를 찾을 수가 없어요 잃어버렸는데",
    "잃어버린 카드 분실신고 메뉴를 못 찾겠어요",
]

THRESHOLDS = dict(DEFAULT_CLUSTER_THRESHOLDS)  # the product's defaults

# The published fix that answers MAINTENANCE (이미 고쳤어요 and 나도 겪었어요 tests).
MAINTENANCE_FIX_TITLE = "이제 밤 12시 점검 시간에도 송금할 수 있어요"


def publish_maintenance_fix(campaign):
    """A published fix for bank-maintenance hours, answering the MAINTENANCE moments."""
    from campaign import fixes
    from campaign.models import utcnow
    from tests.factories import make_moderator, make_moment

    admin = make_moderator()
    fix = fixes.create_fix(
        campaign,
        fixes.FixFields(
            title=MAINTENANCE_FIX_TITLE,
            before="자정 전후 은행 점검 시간에는 이체가 막혔어요",
            after="점검 시간에도 송금을 받아 두었다가 끝나면 바로 보내드려요",
        ),
        by=admin,
    )
    for body in MAINTENANCE:
        fixes.link_moment(fix, make_moment(campaign, body=body)[0], by=admin)
    fixes.publish(fix, by=admin, now=utcnow())
    db.session.commit()
    return fix


def cluster_of(moment: Moment) -> int | None:
    """The moment's cluster as stored now (not as the object in hand remembers it)."""
    return db.session.get(Moment, moment.id).cluster_id
