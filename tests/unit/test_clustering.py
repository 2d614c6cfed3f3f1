"""The clustering engine on small fixed samples, and the cluster-file contract."""

from __future__ import annotations

import json

import numpy as np

from campaign.clustering import cluster_texts, engine, features
from campaign.config import DEFAULT_CLUSTER_THRESHOLDS as THRESHOLDS
from tests.samples import LOST_CARD, MAINTENANCE


def groups(labels) -> set[frozenset[int]]:
    found: dict[int, set[int]] = {}
    for i, label in enumerate(labels):
        if label != -1:
            found.setdefault(label, set()).add(i)
    return {frozenset(g) for g in found.values()}


def test_the_same_complaint_in_different_words_clusters_together_and_different_ones_apart():
    labels = cluster_texts(MAINTENANCE + LOST_CARD, THRESHOLDS)
    assert groups(labels) == {frozenset(range(4)), frozenset(range(4, 7))}


def test_negation_keeps_opposite_statements_apart():
    texts = [
        "앱에서 해외 송금이 돼요 정말 편해요",
        "앱에서 해외 송금이 돼요 아주 편해요",
        "앱에서 해외 송금이 안 돼요 정말 불편해요",
        "앱에서 해외 송금이 안 돼요 아주 불편해요",
    ]
    labels = cluster_texts(texts, THRESHOLDS)
    assert labels[0] == labels[1] and labels[2] == labels[3] and labels[0] != labels[2]


def test_a_text_with_nothing_similar_stays_unclustered():
    labels = cluster_texts(
        MAINTENANCE + ["보험 약관의 글씨 크기가 너무 작아서 읽을 수가 없어요"], THRESHOLDS
    )
    assert labels[-1] == -1 and len(set(labels[:4])) == 1


def test_korean_and_english_are_clustered_each_on_their_own():
    english = [
        "I am still waiting on my card",
        "My card has still not arrived",
        "When will my card arrive?",
    ]
    labels = cluster_texts(MAINTENANCE[:2] + english, THRESHOLDS)
    assert features.language(english[0]) == "en" and features.language(MAINTENANCE[0]) == "ko"
    assert not set(labels[:2]) & set(labels[2:])


def test_english_wordings_of_one_problem_meet_though_they_share_few_letters():
    card = [
        "My card hasn't arrived yet",
        "I am still waiting for my new card to be delivered",
        "When will my card get here?",
        "How long does card delivery take?",
    ]
    twice = [
        "I was charged twice for one purchase",
        "There is a duplicate charge on my statement",
        "Why did you take the payment two times?",
    ]
    labels = cluster_texts(card + twice + ["I forgot my passcode and cannot log in"], THRESHOLDS)
    assert groups(labels) == {frozenset(range(4)), frozenset(range(4, 7))}
    assert labels[-1] == -1


def test_the_english_sentence_vectors_come_from_the_installed_wheel_without_a_download(monkeypatch):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("tried to reach the network")

    monkeypatch.setattr(socket, "create_connection", refuse)
    features._sentence_model.cache_clear()
    vectors = features.sentence_vectors(["card not arrived", "card has not come", "exchange rate"])
    assert vectors.shape == (3, features.DIMENSIONS)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_reading_in_context_ignores_neighbours_that_are_not_alike():
    vectors = np.eye(8, dtype=np.float32)[:6]  # six unrelated texts
    assert np.array_equal(engine.in_context(vectors), vectors)
    twins = np.vstack([vectors, vectors[:1] + 0.1 * vectors[1:2]])
    twins /= np.linalg.norm(twins, axis=1, keepdims=True)
    read = engine.in_context(twins)
    assert read[0] @ read[6] > twins[0] @ twins[6]  # alike texts pull together


def test_morphemes_keep_lemmas_and_negation():
    tokens = features.morphemes("이체가 안 돼요")
    assert "이체/NN" in tokens and "안/MA" in tokens and "되/VV" in tokens


def test_average_linkage_on_the_graph_matches_the_definition():
    """Three tight pairs far apart: merging stops at the threshold, whatever the order."""
    rng = np.random.default_rng(0)
    centres = np.eye(8)[:3]
    vectors = np.repeat(centres, 2, axis=0) + rng.normal(0, 0.05, (6, 8))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    labels = engine.cluster_vectors(vectors.astype(np.float32), threshold=0.5)
    assert groups(labels) == {frozenset({0, 1}), frozenset({2, 3}), frozenset({4, 5})}


def test_the_neighbour_search_beyond_the_exact_size_still_finds_near_duplicates(monkeypatch):
    monkeypatch.setattr(engine, "EXACT_BELOW", 1000)
    rng = np.random.default_rng(1)
    base = rng.normal(size=(2000, 32)).astype(np.float32)
    vectors = np.vstack([base, base + rng.normal(0, 0.01, base.shape).astype(np.float32)])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    graph = engine.knn_graph(vectors)
    assert vectors.shape[0] > engine.EXACT_BELOW
    found = sum(graph[i, i + 2000] > 0 for i in range(0, 2000, 10))
    assert found >= 195  # of 200 sampled twins


def test_cluster_file_reads_ids_and_texts_and_writes_clusters(app, tmp_path):
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    rows = [
        {"id": f"m{i}", "text": t}
        for i, t in enumerate(
            MAINTENANCE + LOST_CARD + ["완전히 다른 이야기, 보험 약관 글씨가 작아요"]
        )
    ]
    source.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8"
    )
    result = app.test_cli_runner().invoke(args=["cluster-file", str(source), str(target)])
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [o["id"] for o in out] == [r["id"] for r in rows]
    clusters = [o["cluster"] for o in out]
    assert (
        len(set(clusters[:4])) == 1 and len(set(clusters[4:7])) == 1 and clusters[0] != clusters[4]
    )
    assert clusters[-1] == -1 and all(isinstance(c, int) for c in clusters)


def test_the_encoder_loads_from_the_wheel_without_a_download(monkeypatch):
    import socket

    from campaign.clustering import encoder

    monkeypatch.setattr(
        socket,
        "create_connection",
        lambda *a, **k: (_ for _ in ()).throw(AssertionError("network")),
    )
    vectors = encoder.encode(
        [
            "점검 시간이라 송금이 안 돼요",
            "밤 12시쯤 월세 보내려는데 은행이 쉰대요",
            "보험 약관 글씨가 작아요",
        ]
    )
    assert vectors.shape == (3, encoder.DIMENSIONS)
    assert encoder.unpack(encoder.pack(vectors[0])) is not None


def test_without_the_encoder_the_lexical_pipeline_groups_as_before(monkeypatch):
    from campaign.clustering import encoder

    monkeypatch.setattr(encoder, "model", lambda: None)
    embedding = engine.embed(MAINTENANCE + LOST_CARD)
    assert embedding.meanings is None and set(embedding.spaces) == {"ko"}
    labels = cluster_texts(MAINTENANCE + LOST_CARD, THRESHOLDS)
    assert groups(labels) == {frozenset(range(4)), frozenset(range(4, 7))}


def test_the_encoder_is_switched_off_by_the_setting(monkeypatch):
    from campaign.clustering import encoder

    monkeypatch.setenv("CAMPAIGN_ENCODER", "off")
    encoder.model.cache_clear()
    try:
        assert not encoder.available()
    finally:
        monkeypatch.delenv("CAMPAIGN_ENCODER")
        encoder.model.cache_clear()


def test_a_moment_told_in_other_words_joins_loosely_rather_than_staying_alone():
    """Two tight groups among 200 unrelated texts: a text leaning to the first joins it,
    flagged loose; unrelated texts stay alone."""
    rng = np.random.default_rng(0)
    centres = np.eye(64, dtype=np.float32)[:2]
    tight = np.repeat(centres, 3, axis=0) + rng.normal(0, 0.05, (6, 64)).astype(np.float32)
    straggler = centres[:1] * 0.5 + rng.normal(0, 0.08, (1, 64)).astype(np.float32)
    unrelated = rng.normal(0, 1, (200, 64)).astype(np.float32)
    vectors = np.vstack([tight, straggler, unrelated])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    labels = np.array([0, 0, 0, 1, 1, 1] + list(range(2, 203)))
    found, loose, floor = engine.loosen(vectors, labels)
    assert found[6] == 0 and loose[6] and not loose[:6].any()
    assert loose[7:].mean() < 0.15  # only those more alike than 95% of random pairs


# The name states the behaviour and is kept whole; it alone is longer than a line.
def test_a_cluster_is_named_by_its_most_representative_moment_cut_to_the_clause_that_says_the_problem():  # noqa: E501
    from types import SimpleNamespace

    from campaign.clustering import keywords

    members = [
        SimpleNamespace(body=body)
        for body in (
            (
                "밤 11시 50분에 월세를 보내려는데 은행 점검 시간이라 이체가 안 됐어요. "
                "집주인한테 사과해야 했어요."
            ),
            "ATM에서 송금하는데 화면 글씨가 너무 작아서 어머니가 계속 잘못 누르셨어요.",
        )
    ]
    one = np.ones((1, 4), dtype=np.float32)
    assert keywords.summarise(members[:1], one, ["점검", "이체"], [False]) == (
        "은행 점검 시간이라 이체가 안 됐어요"
    )
    assert keywords.summarise(members[1:], one, ["글씨"], [False]) == (
        "화면 글씨가 너무 작아서 어머니가 계속 잘못 누르셨어요"
    )
    terms = keywords.terms_of("ATM에서 송금이 안 돼요")
    assert "ATM" in terms and "atm" not in terms
