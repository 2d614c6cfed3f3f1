"""Fixtures shared by the unit tests."""

from __future__ import annotations

import pytest

from campaign.clustering import recluster
from campaign.config import DEFAULT_CLUSTER_THRESHOLDS
from campaign.extensions import db
from tests.factories import make_moment
from tests.samples import LOST_CARD, MAINTENANCE


@pytest.fixture
def grouped_moments(app, campaign):
    """Seven moments in two machine clusters (maintenance, lost card) plus one on its own."""
    moments = [
        make_moment(campaign, body=body)[0]
        for body in MAINTENANCE + LOST_CARD + ["보험 약관 글씨가 너무 작아서 읽을 수가 없어요"]
    ]
    recluster.run(campaign, thresholds=DEFAULT_CLUSTER_THRESHOLDS)
    db.session.commit()
    return campaign, moments
