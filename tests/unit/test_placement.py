"""Placing moments as they arrive, and finding what a moment or cluster resembles."""

from __future__ import annotations

from sqlalchemy import select

from campaign import moderation
from campaign.clustering import decisions, placement, reads, recluster, similar
from campaign.extensions import db
from campaign.models import Cluster, ClusterIndex, HiddenReason, Moment
from tests.factories import make_moderator, make_moment
from tests.samples import THRESHOLDS, cluster_of

NEW_MAINTENANCE = "밤에 은행 점검 시간이라 이체가 안 돼서 답답해요"
SMALL_PRINT = [
    "보험 약관 글씨가 너무 작아서 읽기가 힘들어요",
    "보험 약관의 글씨가 너무 작아 읽을 수가 없네요",
]


def arrive(campaign, body: str) -> Moment:
    moment = make_moment(campaign, body=body)[0]
    placement.place(moment, thresholds=THRESHOLDS)
    db.session.commit()
    return moment


def test_a_new_moment_joins_the_cluster_a_reclustering_would_have_put_it_in(grouped_moments):
    campaign, moments = grouped_moments
    moment = arrive(campaign, NEW_MAINTENANCE)
    assert cluster_of(moment) == cluster_of(moments[0])
    assert reads.sizes([cluster_of(moment)])[cluster_of(moment)] == 5


def test_a_moment_unlike_any_cluster_waits_unclustered_with_its_vector(grouped_moments):
    campaign, _ = grouped_moments
    moment = arrive(campaign, "모바일 신분증 등록 화면에서 자꾸 앱이 꺼져요")
    assert cluster_of(moment) is None
    assert db.session.get(Moment, moment.id).vector is not None


def test_a_new_group_forms_on_arrival_once_enough_unclustered_look_alikes_exist(grouped_moments):
    campaign, moments = grouped_moments
    first = arrive(campaign, SMALL_PRINT[0])
    assert cluster_of(first) is None  # one look-alike is not a group yet
    second = arrive(campaign, SMALL_PRINT[1])
    cluster = cluster_of(second)
    assert cluster is not None and cluster_of(first) == cluster == cluster_of(moments[7])
    assert "약관" in db.session.get(Cluster, cluster).keywords


def test_locked_clusters_take_no_newcomers_and_merged_ones_pass_them_on(grouped_moments):
    campaign, moments = grouped_moments
    admin = make_moderator()
    maintenance, lost = (
        db.session.get(Cluster, cluster_of(moments[0])),
        db.session.get(Cluster, cluster_of(moments[4])),
    )
    decisions.set_locked(maintenance, True, by=admin)
    db.session.commit()
    assert cluster_of(arrive(campaign, NEW_MAINTENANCE)) is None

    decisions.set_locked(maintenance, False, by=admin)
    decisions.merge(maintenance, lost, by=admin)
    db.session.commit()
    assert cluster_of(arrive(campaign, NEW_MAINTENANCE)) == lost.id


def test_reclustering_folds_waiting_vectors_into_the_index_and_keeps_placements(grouped_moments):
    campaign, moments = grouped_moments
    moment = arrive(campaign, NEW_MAINTENANCE)
    built = db.session.get(ClusterIndex, campaign.id).built_at
    recluster.run(campaign, thresholds=THRESHOLDS)
    db.session.commit()
    assert db.session.get(Moment, moment.id).vector is None
    assert db.session.get(ClusterIndex, campaign.id).built_at >= built
    assert cluster_of(moment) == cluster_of(moments[0])


def test_a_renamed_cluster_keeps_gathering_newcomers_when_reclustering(grouped_moments):
    campaign, moments = grouped_moments
    maintenance = db.session.get(Cluster, cluster_of(moments[0]))
    decisions.rename(maintenance, "점검 시간 이체", by=make_moderator())
    db.session.commit()
    late = make_moment(campaign, body=NEW_MAINTENANCE)[0]  # arrived without being placed
    recluster.run(campaign, thresholds=THRESHOLDS)
    db.session.commit()
    assert cluster_of(late) == maintenance.id
    assert db.session.get(Cluster, maintenance.id).name == "점검 시간 이체"


def test_similar_moments_come_best_first_and_leave_out_the_moment_itself_and_hidden_ones(
    grouped_moments,
):
    campaign, moments = grouped_moments
    moderation.hide([moments[3]], HiddenReason.SPAM, by=make_moderator())
    db.session.commit()
    found = similar.to_moment(moments[0])
    ids = [m.id for m, _ in found.moments]
    assert moments[0].id not in ids and moments[3].id not in ids
    assert set(ids[:2]) <= {moments[1].id, moments[2].id}
    scores = [score for _, score in found.moments]
    assert scores == sorted(scores, reverse=True)
    assert found.clusters[0][0].id == cluster_of(moments[0])


def test_similar_to_free_text_finds_the_matching_cluster(grouped_moments):
    campaign, moments = grouped_moments
    found = similar.to_text(campaign.id, "카드 분실 신고는 어디서 하나요 메뉴가 안 보여요")
    assert found.clusters and found.clusters[0][0].id == cluster_of(moments[4])


def test_a_cluster_profile_names_central_members_and_the_nearest_other_clusters(grouped_moments):
    campaign, moments = grouped_moments
    maintenance = db.session.get(Cluster, cluster_of(moments[0]))
    profile = similar.profile(maintenance)
    assert {m.id for m, _ in profile.representatives} <= {m.id for m in moments[:4]}
    assert len(profile.representatives) == 3
    assert all(c.id != maintenance.id for c, _ in profile.neighbours)


def test_nothing_is_placed_before_the_first_reclustering(app, campaign):
    moment = make_moment(campaign, body=NEW_MAINTENANCE)[0]
    assert placement.place(moment, thresholds=THRESHOLDS) is None
    assert similar.to_text(campaign.id, NEW_MAINTENANCE).moments == []
    assert db.session.scalars(select(ClusterIndex)).first() is None


def test_tags_are_suggested_from_keywords_and_from_tags_people_put_on_members(grouped_moments):
    from tests.factories import make_tag

    campaign, moments = grouped_moments
    keyword_tag, used_tag, unrelated = make_tag("점검"), make_tag("야간"), make_tag("보험")
    moments[1].tags.append(used_tag)
    db.session.commit()
    maintenance = db.session.get(Cluster, cluster_of(moments[0]))
    suggested = reads.suggest_tags(maintenance, [])
    assert keyword_tag in suggested and used_tag in suggested and unrelated not in suggested
    for m in moments[:4]:
        if used_tag not in m.tags:
            m.tags.append(used_tag)
    db.session.commit()
    assert used_tag not in reads.suggest_tags(maintenance, [])  # every member has it already


def test_an_english_moment_in_other_words_joins_the_english_cluster_on_arrival(campaign):
    card = [
        make_moment(campaign, body=b)[0]
        for b in (
            "My card hasn't arrived yet",
            "I am still waiting for my new card to be delivered",
            "When will my card get here?",
            "How long does card delivery take?",
        )
    ]
    for body in (
        "I was charged twice for one purchase",
        "There is a duplicate charge on my statement",
        "Why did you take the payment two times?",
    ):
        make_moment(campaign, body=body)
    recluster.run(campaign, thresholds=THRESHOLDS)
    db.session.commit()
    moment = arrive(campaign, "It has been two weeks and the card is still not here")
    assert cluster_of(moment) == cluster_of(card[0]) is not None
    assert cluster_of(arrive(campaign, "The exchange rate you used looks wrong")) is None


def test_a_moment_is_encoded_once_on_arrival_and_reclustering_reads_the_stored_vector(
    grouped_moments, monkeypatch
):
    from campaign.clustering import encoder

    campaign, _ = grouped_moments
    moment = arrive(campaign, NEW_MAINTENANCE)
    stored = db.session.get(Moment, moment.id).embedding
    assert encoder.unpack(stored) is not None  # encoded on arrival
    encoded: list[str] = []
    real = encoder.encode
    monkeypatch.setattr(
        encoder,
        "encode",
        lambda texts, progress=None: encoded.extend(texts) or real(texts, progress),
    )
    recluster.run(campaign, thresholds=THRESHOLDS)
    assert encoded == []  # every moment already had its vector


def test_without_the_encoder_moments_are_still_grouped_and_placed_by_spelling(
    app, campaign, monkeypatch
):
    from campaign.clustering import encoder
    from tests.samples import MAINTENANCE

    monkeypatch.setattr(encoder, "model", lambda: None)  # as on a CPU without AVX2
    moments = [make_moment(campaign, body=body)[0] for body in MAINTENANCE]
    recluster.run(campaign, thresholds=THRESHOLDS)
    db.session.commit()
    assert cluster_of(moments[0]) is not None and len({cluster_of(m) for m in moments}) == 1
    assert all(db.session.get(Moment, m.id).embedding is None for m in moments)
    moment = arrive(campaign, NEW_MAINTENANCE)
    assert cluster_of(moment) == cluster_of(moments[0])
