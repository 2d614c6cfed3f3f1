"""The demo campaign is grouped the way a person would group it, by the clustering itself:
the demo's tidy step (what a moderator does before answering a group) should find nothing to do."""

from __future__ import annotations

from sqlalchemy import select

from campaign import demo
from campaign.extensions import db
from campaign.models import Cluster, Moment

# What a person reading the demo's moments puts together: a phrase every moment of the group
# says, and one that none of them says (the near-miss told next to it).
EXPECTED = {
    "은행 점검": "언제 끝나는지",  # transfers blocked in maintenance hours (not "when does it end")
    "분실 신고": None,
    "금리인하요구권": None,
    "상담원 연결": None,
    "보이스피싱": None,
}


def test_the_demo_is_grouped_as_a_person_would_before_any_tidying(app, monkeypatch):
    seen: dict[str, int | None] = {}
    tidy = demo._demo_tidy

    def before_tidying(cluster, about, campaign):
        if not seen:  # the first call: nothing has been tidied yet
            for body, cluster_id in db.session.execute(select(Moment.body, Moment.cluster_id)):
                seen[body] = cluster_id
        tidy(cluster, about, campaign)

    monkeypatch.setattr(demo, "_demo_tidy", before_tidying)
    demo.load_demo(thresholds=app.config["CLUSTER_THRESHOLDS"])
    homes = {}
    for phrase, apart in EXPECTED.items():
        members = [
            body
            for body in seen
            if phrase in body.replace("점검시간", "점검 시간") and not (apart and apart in body)
        ]
        clusters = {seen[body] for body in members}
        assert len(members) >= 3 and len(clusters) == 1 and None not in clusters, (phrase, clusters)
        homes[phrase] = clusters.pop()
    assert len(set(homes.values())) == len(homes)  # no two problems share a cluster
    names = {
        c.id: c.label
        for c in db.session.scalars(select(Cluster).where(Cluster.id.in_(homes.values())))
    }
    for _phrase, cluster_id in homes.items():
        label = names[cluster_id]
        # A phrase, not a bag of nouns.
        assert " · " not in label and not label.startswith("묶음"), label
