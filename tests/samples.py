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


def cluster_of(moment: Moment) -> int | None:
    """The moment's cluster as stored now (not as the object in hand remembers it)."""
    return db.session.get(Moment, moment.id).cluster_id
