"""Fixtures shared by the web tests."""

from __future__ import annotations

import pytest

from campaign.clustering import recluster
from campaign.extensions import db
from tests.factories import make_moment
from tests.samples import LOST_CARD, MAINTENANCE


@pytest.fixture
def grouped_receipts(app, campaign):
    pairs = [make_moment(campaign, body=body) for body in MAINTENANCE + LOST_CARD]
    recluster.run(campaign, thresholds=app.config["CLUSTER_THRESHOLDS"])
    db.session.commit()
    return campaign, [m for m, _ in pairs], [code for _, code in pairs]
