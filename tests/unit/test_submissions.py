"""The submit and lookup domain functions, without HTTP."""

from __future__ import annotations

from datetime import datetime

import pytest

from campaign import submissions
from campaign.models import MomentStatus
from tests.factories import make_campaign, past

NOW = datetime(2026, 11, 23, 5, 41, 9)


def submit(campaign, recent=None, client="client-a", now=None, **fields):
    args = dict(
        body="송금 한도를 올리려면 지점에 가야 했어요.",
        suggestion=None,
        category=None,
        channel=None,
    )
    args.update(fields)
    return submissions.submit_moment(
        campaign,
        now=now or datetime.utcnow(),
        client=client,
        recent=recent or submissions.RecentSubmissions(),
        **args,
    )


def test_submitting_masks_body_and_suggestion_and_counts_what_was_masked(app, campaign):
    result = submit(
        campaign,
        body="카드 4111 1111 1111 1111 가 도용됐어요",
        suggestion="연락은 010-1234-5678",
        acknowledged=submissions.SEND_MASKED,
    )
    assert result.moment.body == "카드 [카드번호] 가 도용됐어요"
    assert result.moment.suggestion == "연락은 [전화번호]"
    assert result.masked == {"CARD": 1, "PHONE": 1}
    assert result.moment.status is MomentStatus.RECEIVED


def test_a_receipt_finds_its_moment_and_nothing_else(app, campaign):
    result = submit(campaign)
    assert submissions.look_up_receipt(result.receipt_code).id == result.moment.id
    assert submissions.look_up_receipt("0000-0000-0000-0000") is None
    assert submissions.look_up_receipt("not a code") is None


def test_only_the_hour_of_arrival_is_kept(app):
    campaign = make_campaign(opens_on=past(30))
    assert submit(campaign, now=NOW).moment.received_hour == datetime(2026, 11, 23, 5)


def test_unknown_category_and_channel_are_dropped_not_stored(app, campaign):
    result = submit(campaign, category="해킹된 분야", channel="앱")
    assert result.moment.category is None and result.moment.channel == "앱"


def test_a_closed_campaign_refuses_a_moment(app):
    closed = make_campaign(opens_on=past(30), closes_on=past(1))
    with pytest.raises(submissions.CampaignClosed):
        submit(closed)


def test_the_same_text_from_the_same_client_is_one_moment_but_from_another_client_two(
    app, campaign
):
    recent = submissions.RecentSubmissions()
    first = submit(campaign, recent=recent)
    again = submit(campaign, recent=recent)
    other = submit(campaign, recent=recent, client="client-b")
    assert (
        again.duplicate
        and again.moment.id == first.moment.id
        and again.receipt_code == first.receipt_code
    )
    assert not other.duplicate and other.moment.id != first.moment.id


def test_length_is_enforced_in_the_domain_too(app, campaign):
    with pytest.raises(ValueError):
        submit(campaign, body="짧아요")


def test_counting_is_in_nfc_code_points():
    assert submissions.count_chars("\u1100\u1161") == 1  # decomposed 가
    assert submissions.count_chars("😀") == 1


def test_recent_submissions_expire_after_the_window():
    recent = submissions.RecentSubmissions()
    recent.put(("c", "t"), "m", "code", 60)
    assert recent.get(("c", "t"), 60) == ("m", "code")
    assert recent.get(("c", "t"), 0) is None


def test_personal_data_asks_for_confirmation_with_a_token_for_exactly_that_text(app, campaign):
    with pytest.raises(submissions.NeedsConfirmation) as asked:
        submit(campaign, body="제 번호 010-1234-5678로 연락 주세요")
    assert asked.value.body == "제 번호 [전화번호]로 연락 주세요" and asked.value.masked == {
        "PHONE": 1
    }
    with pytest.raises(submissions.NeedsConfirmation):
        submit(campaign, body="제 번호 010-9999-5678로 연락 주세요", acknowledged=asked.value.token)
    stored = submit(
        campaign, body="제 번호 010-1234-5678로 연락 주세요", acknowledged=asked.value.token
    )
    assert stored.moment.body == "제 번호 [전화번호]로 연락 주세요"
