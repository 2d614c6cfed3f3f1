"""Intake flags (urgent, abusive) and Korean substring search."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from campaign import flags, inbox, moderation, retention, search
from campaign.extensions import db
from campaign.models import Moment, utcnow
from tests.factories import make_moderator, make_moment


@pytest.mark.parametrize(
    "text",
    [
        "시1발 점검 좀 바꿔라",
        "상담원 ㅅ ㅂ 진짜",
        "병 신 같은 앱",
        "개같은 앱 또 튕기네",
        "fuck this app",
    ],
)
def test_profanity_is_flagged_even_when_split_by_spaces_digits_or_symbols(text):
    assert flags.lexicon_hit(text)


@pytest.mark.parametrize(
    "text",
    [
        "2024년 3월에 이체했어요",
        "충전이 안 돼요",
        "청소년 계좌를 만들고 싶어요",
        "시바견 사진이 아니라요",
    ],
)
def test_ordinary_words_containing_insult_syllables_are_not_flagged_by_the_lexicon(text):
    assert not flags.lexicon_hit(text)


def test_the_flag_spares_moderators_on_finance_complaints_it_never_trained_on():
    lines = (
        (Path(__file__).parents[1] / "data" / "abuse_domain.txt")
        .read_text(encoding="utf-8")
        .splitlines()
    )
    pairs = [
        (label == "1", text)
        for label, text in (line.split("\t", 1) for line in lines if line[:1] in "01")
    ]
    flagged = [(truth, flags.is_abusive(text)) for truth, text in pairs]
    caught = sum(1 for truth, hit in flagged if truth and hit) / sum(
        1 for truth, _ in flagged if truth
    )
    false_flags = sum(1 for truth, hit in flagged if not truth and hit)
    assert caught >= 0.9 and false_flags <= 2


def test_urgent_phrases_match_ignoring_spaces():
    matches = flags.urgent_matcher(["보이스피싱", "돈이 사라"])
    assert matches("보이스 피싱 문자를 받았어요") and matches("통장에서 돈이사라졌어요")
    assert not matches("앱이 느려요")


def test_a_submitted_moment_is_flagged_at_intake(app, campaign):
    from campaign import submissions

    result = submissions.submit_moment(
        campaign,
        body="보이스피싱으로 돈이 빠져나갔어요 도와주세요",
        suggestion=None,
        category=None,
        channel=None,
        now=utcnow(),
        client="c",
        recent=submissions.RecentSubmissions(),
    )
    assert result.moment.urgent and not result.moment.abusive


def _search(q: str) -> set[str]:
    return set(
        db.session.scalars(
            inbox.query(inbox.InboxFilter(q=q), now=utcnow()).with_only_columns(Moment.body)
        )
    )


@pytest.fixture
def indexed(app, campaign):
    from campaign import submissions

    bodies = [
        "한글은 어려워요 정말로요",
        "점검 시간에 송금이 안 돼요",
        "대출 금리를 낮춰 주세요 제발",
    ]
    for i, body in enumerate(bodies):
        submissions.submit_moment(
            campaign,
            body=body,
            suggestion="다음엔 꼭 알려 주세요" if i == 1 else None,
            category=None,
            channel=None,
            now=utcnow(),
            client=str(i),
            recent=submissions.RecentSubmissions(),
        )
    db.session.commit()
    return bodies


def test_search_finds_substrings_inside_korean_words_of_any_length(indexed):
    assert _search("한글") == {"한글은 어려워요 정말로요"}
    assert _search("한글은 어려") == {"한글은 어려워요 정말로요"}
    assert _search("송금") == {"점검 시간에 송금이 안 돼요"}
    assert _search("꼭 알려") == {"점검 시간에 송금이 안 돼요"}  # the suggestion is searched too
    assert _search("없는말") == set()


def test_search_treats_wildcards_and_quotes_literally(indexed):
    assert _search("%") == set() and _search('"대출') == set() and _search("_") == set()


def test_the_index_follows_masking_and_purging(app, indexed):
    moderator = make_moderator()
    moment = db.session.scalar(select(Moment).where(Moment.body.like("대출%")))
    moderation.mask_more(moment, "금리를", "NAME", by=moderator)
    db.session.commit()
    assert _search("금리를 낮춰") == set()
    moment.received_hour = utcnow().replace(year=2000)
    db.session.commit()
    retention.purge_expired(now=utcnow(), retention_days=30)
    db.session.commit()
    assert _search("낮춰 주세요") == set() and len(_search("요")) == 2
    if db.engine.dialect.name == "sqlite":
        assert search.rebuild() == 2


@pytest.mark.parametrize("sort", ["newest", "oldest", "urgent"])
def test_neighbours_follow_the_inbox_order_for_every_sort(app, campaign, sort):
    from datetime import timedelta

    # Several moments share an hour, so the order must break ties the same way everywhere.
    for i in range(7):
        make_moment(
            campaign,
            body=f"{i}번째 이야기예요 정말로요",
            received=utcnow() - timedelta(hours=i // 3),
            urgent=i % 2 == 0,
        )
    f = inbox.InboxFilter(sort=sort)
    ordered = list(db.session.scalars(inbox.query(f, now=utcnow()).with_only_columns(Moment.id)))
    for i, moment_id in enumerate(ordered):
        before, after = inbox.neighbours(f, db.session.get(Moment, moment_id), now=utcnow())
        assert before == (ordered[i - 1] if i else None)
        assert after == (ordered[i + 1] if i + 1 < len(ordered) else None)
