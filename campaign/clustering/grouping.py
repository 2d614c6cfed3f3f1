"""Re-clustering a campaign's moments without overruling anyone.

Moments a person placed, and clusters a person decided on (renamed, merged, split, locked,
tagged or routed), stay exactly as they are. Everything else is grouped afresh with the
engine; a new group takes over the id of the old machine cluster it overlaps most, so links and
counts stay stable from one run to the next.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

import numpy as np

from sqlalchemy import func, select, update
from sqlalchemy.orm import undefer
from sqlalchemy.orm.attributes import set_committed_value

from campaign.clustering import encoder, engine, features, similarity
from campaign.extensions import db
from campaign.models import Campaign, Cluster, Moment, MomentStatus, Tag, moment_tag, utcnow

_ENGLISH_STOP = set("the a an to is it of for and in on can how do does did what why when was be have has this that "
                    "with you your am are there my me i not no but if or so just get got been".split())


@dataclass(frozen=True)
class Regrouped:
    groups: int
    clustered: int
    unclustered: int
    kept: int


def recluster(campaign: Campaign, *, thresholds: dict[str, float], now: datetime | None = None,
              progress: Callable[[int], None] | None = None) -> Regrouped:
    """Regroup every moment no person placed, keep every cluster a person decided on, and store
    the campaign's ClusterIndex so moments arriving later are placed the same way. `thresholds`
    holds a cosine distance per space (config["CLUSTER_THRESHOLDS"]).

    A new group (or a lone moment) joins a decided cluster that is not locked when its average
    similarity to it passes the threshold, so a named cluster keeps gathering its newcomers."""
    moments = list(db.session.scalars(select(Moment).options(undefer(Moment.embedding))
                                      .where(Moment.campaign_id == campaign.id).order_by(Moment.id)))
    clusters = {c.id: c for c in db.session.scalars(select(Cluster).where(Cluster.campaign_id == campaign.id))}

    def fixed(m: Moment) -> bool:
        cluster = clusters.get(m.cluster_id) if m.cluster_id else None
        return m.placed_by_human or (cluster is not None and (cluster.decided or cluster.locked))

    kept = sum(fixed(m) for m in moments)
    for m in moments:
        if m.status is MomentStatus.HIDDEN and not fixed(m):
            m.cluster_id = None  # hidden moments (spam, abuse) join no group
    visible = [m for m in moments if m.status is not MomentStatus.HIDDEN]
    free = np.array([i for i, m in enumerate(visible) if not fixed(m)], dtype=np.int64)
    stored = [encoder.unpack(m.embedding) for m in visible]
    embedding = engine.embed([m.body for m in visible], stored, progress)
    _store_meanings(visible, stored, embedding)
    grouped = engine.group(embedding, thresholds, subset=free)
    labels = grouped.labels
    # Terms for labels, once per text, from the morphemes the engine already produced.
    terms = {m.id: _terms(m.body, embedding.morphemes.get(i)) for i, m in enumerate(visible)}
    document_frequency = Counter(t for found in terms.values() for t in found)
    groups: dict[int, list[int]] = {}
    for i in free.tolist():
        groups.setdefault(int(labels[i]) if labels[i] >= 0 else -1 - i, []).append(i)

    decided = _decided_sums(clusters, visible, embedding)
    machine = {cid: c for cid, c in clusters.items() if not (c.decided or c.locked) and c.merged_into_id is None}
    reused: set[int] = set()
    created = clustered = 0
    placed: list[tuple[Cluster, list[Moment]]] = []
    for rows in sorted(groups.values(), key=len, reverse=True):
        members = [visible[i] for i in rows]
        home = _decided_home(rows, embedding, decided, thresholds)
        if home is not None:
            cluster = clusters[home]
        elif len(rows) < 2:
            members[0].cluster_id = None
            continue
        else:
            overlap = Counter(m.cluster_id for m in members if m.cluster_id in machine and m.cluster_id not in reused)
            if overlap:
                cluster = machine[overlap.most_common(1)[0][0]]
                reused.add(cluster.id)
            else:
                cluster = Cluster(campaign_id=campaign.id)
                db.session.add(cluster)
                created += 1
            cluster.keywords = keywords([terms[m.id] for m in members], document_frequency, len(visible))
            cluster.summary = summarise(members, embedding.vectors[rows], cluster.keywords,
                                        [bool(grouped.loose[i]) for i in rows])
        clustered += len(members)
        placed.append((cluster, members))
    db.session.flush()  # new clusters get their ids in one batch (one flush each took 3 s at 10,000)
    # One executemany by primary key instead of the unit of work's statement per moment; the
    # loaded moments are told their new cluster without being marked changed.
    loose = {visible[i].id for i in free.tolist() if grouped.loose[i]}
    changes = [{"id": m.id, "cluster_id": cluster.id, "loosely_grouped": m.id in loose}
               for cluster, members in placed for m in members
               if m.cluster_id != cluster.id or m.loosely_grouped != (m.id in loose)]
    for cluster, members in placed:
        for m in members:
            set_committed_value(m, "cluster_id", cluster.id)
            set_committed_value(m, "loosely_grouped", m.id in loose)
    if changes:
        db.session.execute(update(Moment).execution_options(synchronize_session=False), changes)
    for cid, cluster in machine.items():
        if cid not in reused:
            db.session.delete(cluster)
    db.session.flush()
    similarity.save_index(campaign, embedding, visible, now or utcnow(), loose_floor=grouped.loose_floor)
    return Regrouped(groups=len(reused) + created, clustered=clustered, unclustered=len(free) - clustered, kept=kept)


def _store_meanings(visible: list[Moment], stored: list, embedding: engine.Embedding) -> None:
    """Keep the vectors the encoder just made for moments that had none (they arrived before
    it was installed, or while it could not load), so no text is encoded twice."""
    if embedding.meanings is None:
        return
    fresh = [{"id": m.id, "embedding": encoder.pack(embedding.meanings[i])}
             for i, m in enumerate(visible) if stored[i] is None]
    for start in range(0, len(fresh), 5000):
        db.session.execute(update(Moment).execution_options(synchronize_session=False), fresh[start:start + 5000])
    by_id = {row["id"]: row["embedding"] for row in fresh}
    for m in visible:
        if m.id in by_id:
            set_committed_value(m, "embedding", by_id[m.id])


def _decided_sums(clusters: dict[int, Cluster], visible: list[Moment], embedding: engine.Embedding) -> dict:
    """(language, cluster id) -> vector sum, size and predicate polarity of the clusters people
    decided on and left open to newcomers (not locked, not merged away)."""
    sums: dict[tuple[str, int], list] = {}
    spaces = embedding.spaces
    for i, m in enumerate(visible):
        cluster = clusters.get(m.cluster_id) if m.cluster_id else None
        if cluster is None or not cluster.decided or cluster.locked or cluster.merged_into_id is not None:
            continue
        entry = sums.setdefault((str(spaces[i]), cluster.id), [0.0, 0, Counter()])
        entry[0] = entry[0] + embedding.vectors[i]
        entry[1] += 1
        entry[2].update(embedding.polarity[i])
    return sums


def _decided_home(rows: list[int], embedding: engine.Embedding, decided: dict, thresholds: dict) -> int | None:
    """The decided cluster whose average similarity to these moments passes the language's
    threshold (best first), as the engine would have merged them; None when there is none."""
    lang = str(embedding.spaces[rows[0]])
    total = embedding.vectors[rows].sum(axis=0)
    signs: Counter = Counter()
    for i in rows:
        signs.update(embedding.polarity[i])
    best, best_score = None, 1.0 - thresholds[lang]
    for (cluster_lang, cid), (vector_sum, size, cluster_signs) in decided.items():
        if cluster_lang != lang:
            continue
        score = float(total @ vector_sum) / (len(rows) * size)
        if score >= best_score and not engine.conflict(dict(signs), dict(cluster_signs), len(rows), size):
            best, best_score = cid, score
    return best


_SENTENCE = re.compile(r"(?<=[.!?。…])\s+|\n+|(?<=[요다죠음함임])[.!?~]*\s+(?=\S)")
# Where a Korean or English sentence hands over to its next clause: the last clause usually
# says what went wrong ("월세를 보내려는데 | 점검 시간이라 이체가 안 됐어요").
_CLAUSE = re.compile("(?:" + "|".join(f"(?<={ending})" for ending in ("는데", "니까", "어서", "아서", "해서", "라서", "지만", ",", ";", ":"))
                     + r")\s+|\s+(?=but |because |so |and then )")
_TAIL = re.compile(r"[\s.!?~;,ㅠㅜㅋㅎ^]+$")
SUMMARY_LENGTH = 36


def summarise(members: list[Moment], vectors: np.ndarray, cluster_keywords: list[str], loose: list[bool]) -> str | None:
    """A short phrase that says the cluster's problem: its most representative member (the one
    closest to the members' mean, loosely grouped ones only if nothing else), cut to the
    sentence and then the clause that carries most of the cluster's key terms, in the writer's
    own order and spelling (so ATM and ARS keep their case). At most SUMMARY_LENGTH characters,
    cut at a space."""
    if not members:
        return None
    mean = vectors.mean(axis=0)
    centrality = vectors @ mean - np.array(loose, dtype=np.float32)  # loose members rank last
    text = " ".join(members[int(np.argmax(centrality))].body.split())
    keys = [k.lower() for k in cluster_keywords]

    def weight(piece: str) -> int:
        lowered = piece.lower()
        return sum(k in lowered for k in keys)

    sentences = [p for p in _SENTENCE.split(text) if p and p.strip()] or [text]
    best = max(enumerate(sentences), key=lambda ip: (weight(ip[1]), -ip[0]))[1]
    if len(best) > SUMMARY_LENGTH:
        # Runs of whole clauses that fit: some key term, then ending where the sentence
        # ends (so it closes on its predicate, not on "…작아서"), then more key terms, then longer.
        clauses = [c.strip() for c in _CLAUSE.split(best) if c and c.strip()]
        runs = [(" ".join(clauses[i:j]), j == len(clauses)) for i in range(len(clauses))
                for j in range(i + 1, len(clauses) + 1)]
        fitting = [(run, ends) for run, ends in runs if len(run) <= SUMMARY_LENGTH]
        if fitting:
            best = max(fitting, key=lambda r: (weight(r[0]) > 0, r[1], weight(r[0]), len(r[0])))[0]
        elif clauses:
            best = clauses[-1]
    best = _TAIL.sub("", best.strip())
    if len(best) > SUMMARY_LENGTH:
        cut = best[:SUMMARY_LENGTH].rsplit(" ", 1)[0]
        best = _TAIL.sub("", cut) + "…"
    return best or None


def terms_of(text: str) -> set[str]:
    """Label candidates for one text (tokenising it if it is Korean)."""
    return _terms(text, features.morphemes(text) if features.language(text) == "ko" else None)


def _terms(text: str, morphemes: list[str] | None) -> set[str]:
    """Label candidates: Korean nouns and foreign words (from the engine's morphemes), else
    English words that are not stop words."""
    if morphemes is not None:
        found = {t.split("/")[0] for t in morphemes if t.endswith(("/NN", "/SL")) and len(t.split("/")[0]) > 1}
        return {_as_written(term, text) for term in found}
    return {_as_written(w, text) for w in re.findall(r"[a-z][a-z']+", text.lower()) if w not in _ENGLISH_STOP and len(w) > 2}


def _as_written(term: str, text: str) -> str:
    """A foreign term as the text spells it (Kiwi's forms are lower-cased: ATM, not atm)."""
    if term.isascii() and term.isalpha():
        found = re.search(re.escape(term), text, re.IGNORECASE)
        if found:
            return found.group(0)
    return term


def keywords(member_terms: list[set[str]], document_frequency: Counter, total: int, limit: int = 5) -> list[str]:
    """Class-based TF-IDF: terms frequent in the group and rare in the campaign."""
    inside = Counter(t for found in member_terms for t in found)
    score = {t: n * math.log(1 + max(total, 1) / document_frequency.get(t, n))
             for t, n in inside.items() if n >= 2 or len(member_terms) < 3}
    return [t for t, _ in sorted(score.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]]


def sizes(cluster_ids: list[int]) -> dict[int, int]:
    """Visible moments per cluster: the one size the desk, the dashboard and receipts show."""
    if not cluster_ids:
        return {}
    rows = db.session.execute(select(Moment.cluster_id, func.count())
                              .where(Moment.cluster_id.in_(cluster_ids), Moment.status != MomentStatus.HIDDEN)
                              .group_by(Moment.cluster_id))
    return dict(rows.all())


def growth(cluster_ids: list[int], now: datetime, days: int = 7) -> dict[int, int]:
    """Moments each cluster received in the last `days` days."""
    if not cluster_ids:
        return {}
    rows = db.session.execute(select(Moment.cluster_id, func.count())
                              .where(Moment.cluster_id.in_(cluster_ids), Moment.received_hour >= now - timedelta(days=days))
                              .group_by(Moment.cluster_id))
    return dict(rows.all())


def trend(cluster_ids: list[int], now: datetime, days: int = 14) -> dict[int, list[int]]:
    """Moments per day for each cluster over the last `days` days, oldest first (UTC days
    counted back from `now`; counted per stored hour, so the query stays small)."""
    if not cluster_ids:
        return {}
    since = now - timedelta(days=days)
    rows = db.session.execute(select(Moment.cluster_id, Moment.received_hour, func.count())
                              .where(Moment.cluster_id.in_(cluster_ids), Moment.received_hour > since)
                              .group_by(Moment.cluster_id, Moment.received_hour))
    series = {cid: [0] * days for cid in cluster_ids}
    for cid, hour, n in rows:
        back = int((now - hour).total_seconds() // 86400)
        if 0 <= back < days:
            series[cid][days - 1 - back] += n
    return series


def suggest_tags(cluster: Cluster, neighbours: list[Cluster], limit: int = 4) -> list[Tag]:
    """Tags worth putting on a whole cluster: ones its keywords name, and ones moderators
    already put on its members or on members of the most similar clusters. Tags every member
    already carries are left out."""
    tags = list(db.session.scalars(select(Tag)))
    if not tags:
        return []
    score: Counter = Counter()
    for tag in tags:
        name = tag.name.lower()
        if any(name in k.lower() or k.lower() in name for k in cluster.keywords if len(k) > 1):
            score[tag.id] += 3
    members = select(Moment.id).where(Moment.cluster_id == cluster.id).scalar_subquery()
    size = db.session.scalar(select(func.count()).select_from(Moment).where(Moment.cluster_id == cluster.id)) or 0
    on_members = dict(db.session.execute(select(moment_tag.c.tag_id, func.count()).where(
        moment_tag.c.moment_id.in_(members)).group_by(moment_tag.c.tag_id)).all())
    for tag_id, n in on_members.items():
        score[tag_id] += 1 + n / max(size, 1)
    if neighbours:
        near = select(Moment.id).where(Moment.cluster_id.in_([c.id for c in neighbours])).scalar_subquery()
        for tag_id, n in db.session.execute(select(moment_tag.c.tag_id, func.count()).where(
                moment_tag.c.moment_id.in_(near)).group_by(moment_tag.c.tag_id)):
            score[tag_id] += 1
    by_id = {t.id: t for t in tags}
    ranked = [by_id[tid] for tid, _ in sorted(score.items(), key=lambda kv: (-kv[1], by_id[kv[0]].name))
              if on_members.get(tid, 0) < size]
    return ranked[:limit]
