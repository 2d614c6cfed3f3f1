"""Sources (campaign/sources.py): adding, renaming and retiring them, what a link's code resolves
to, the poster's parts, and the figures per source (analytics.py, privacy.fold_small_groups)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from campaign import analytics, privacy, sources, submissions
from campaign.audit import AuditAction
from campaign.extensions import db
from campaign.models import ORIGIN_IMPORT, AuditEvent, MomentStatus, utcnow
from tests.factories import make_campaign, make_moderator, make_moment

SEOUL = ZoneInfo("Asia/Seoul")


def _add(campaign, name, code=None, **more):
    return sources.add_source(campaign, name=name, code=code, by=None, now=utcnow(), **more)


def _actions(source) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.target_type == "source", AuditEvent.target_id == str(source.id))
            .order_by(AuditEvent.id)
        )
    )


# ---- the domain ----------------------------------------------------------------------------------


def test_a_typed_code_is_kept_in_lower_case_and_an_empty_one_is_made_unambiguous(app, campaign):
    typed = _add(campaign, "강남역 지점 QR", "Gangnam-QR", description="  1층   입구  ")
    made = _add(campaign, "ATM 화면")
    assert typed.code == "gangnam-qr" and typed.description == "1층 입구"
    assert len(made.code) == sources.RANDOM_LENGTH
    assert set(made.code) <= set(sources.RANDOM_ALPHABET) and not set(made.code) & set("01ilo")
    assert _actions(typed) == [AuditAction.SOURCE_ADD]


@pytest.mark.parametrize(
    ("name", "code", "field"),
    [
        ("", None, "name"),
        ("   ", None, "name"),
        ("가" * 61, None, "name"),
        ("지점 QR", "지점", "code"),
        ("지점 QR", "has space", "code"),
        ("지점 QR", "-dash", "code"),
        ("지점 QR", "x" * 33, "code"),
    ],
)
def test_a_name_or_code_that_cannot_be_used_is_refused_beside_its_field(
    app, campaign, name, code, field
):
    with pytest.raises(sources.SourceError) as refused:
        _add(campaign, name, code)
    assert refused.value.field == field and refused.value.message


def test_names_and_codes_are_unique_within_a_campaign_retired_ones_included(app, campaign):
    first = _add(campaign, "지점 QR", "branch")
    sources.retire_source(first, by=None, now=utcnow())
    with pytest.raises(sources.SourceError) as same_code:
        _add(campaign, "새 지점 QR", "branch")
    with pytest.raises(sources.SourceError) as same_name:
        _add(campaign, "지점 QR", "branch-2")
    assert same_code.value.field == "code" and same_name.value.field == "name"
    other = make_campaign()
    assert _add(other, "지점 QR", "branch").code == "branch"  # another campaign's own


def test_a_long_description_is_refused(app, campaign):
    with pytest.raises(sources.SourceError) as refused:
        _add(campaign, "지점 QR", description="가" * 201)
    assert refused.value.field == "description"


def test_renaming_keeps_the_code_and_is_audited_once_it_changes_anything(app, campaign):
    source = _add(campaign, "지점 QR", "branch")
    sources.rename_source(source, "지점 QR", by=None)
    sources.rename_source(source, "  강남 지점   QR ", by=None)
    assert (source.name, source.code) == ("강남 지점 QR", "branch")
    assert _actions(source) == [AuditAction.SOURCE_ADD, AuditAction.SOURCE_RENAME]
    other = _add(campaign, "ATM 화면")
    with pytest.raises(sources.SourceError):
        sources.rename_source(other, "강남 지점 QR", by=None)


def test_retiring_twice_is_refused_and_a_retired_code_resolves_to_nothing(app, campaign):
    admin = make_moderator("admin")
    source = _add(campaign, "지점 QR", "branch")
    assert sources.active_source(campaign.id, "BRANCH") is source
    sources.retire_source(source, by=admin, now=utcnow())
    with pytest.raises(sources.SourceError):
        sources.retire_source(source, by=admin, now=utcnow())
    assert sources.active_source(campaign.id, "branch") is None
    assert _actions(source) == [AuditAction.SOURCE_ADD, AuditAction.SOURCE_RETIRE]


def test_a_code_resolves_only_within_its_own_campaign(app, campaign):
    _add(campaign, "지점 QR", "branch")
    assert sources.active_source(make_campaign().id, "branch") is None
    for junk in (None, "", "nope", "x" * 500, "a\x00b", "../admin"):
        assert sources.active_source(campaign.id, junk) is None


def test_sources_are_listed_in_use_first(app, campaign):
    old = _add(campaign, "지점 QR")
    new = _add(campaign, "ATM 화면")
    sources.retire_source(old, by=None, now=utcnow())
    assert sources.sources_of(campaign.id) == [new, old]


def test_a_moment_keeps_only_a_source_in_use(app, campaign):
    source = _add(campaign, "지점 QR", "branch")
    retired = _add(campaign, "문자", "sms")
    sources.retire_source(retired, by=None, now=utcnow())

    def tell(code, body):
        return submissions.submit_moment(
            campaign,
            body=body,
            suggestion=None,
            category=None,
            channel=None,
            now=utcnow(),
            client="unit",
            recent=submissions.RecentSubmissions(),
            source=code,
        ).moment

    assert tell("branch", "지점에서 번호표를 뽑는데 한참 걸렸어요").source_id == source.id
    assert tell("sms", "문자로 받은 링크를 눌렀더니 로그인을 또 하래요").source_id is None
    assert tell("unknown", "모르는 링크로 들어왔는데 이체가 안 됐어요").source_id is None


# ---- the poster ----------------------------------------------------------------------------------


def test_the_question_breaks_at_spaces_and_a_long_one_ends_with_an_ellipsis():
    assert sources.poster_lines("금융이 불편했던 순간, 언제였나요?") == [
        "금융이 불편했던 순간,",
        "언제였나요?",
    ]
    long = sources.poster_lines("아주 " * 60)
    assert len(long) == 5 and long[-1].endswith("…")
    assert sources.poster_lines("띄어쓰기없이아주길게쓴한낱말입니다") == [
        "띄어쓰기없이아주길게쓴한낱말입니다"
    ]


def test_a_poster_shows_the_link_without_its_scheme_and_fits_a_long_one(app, campaign):
    source = _add(campaign, "지점 QR", "branch")
    poster = sources.poster(source, campaign, link="https://example.kr/c/x/s/branch")
    assert poster.link_shown == "example.kr/c/x/s/branch" and poster.link_mm == 6.5
    longer = sources.poster(source, campaign, link="https://" + "a" * 80 + ".kr/c/x/s/branch")
    assert 0.6 * len(longer.link_shown) * longer.link_mm <= 180.5


# ---- figures ------------------------------------------------------------------------------------


@pytest.fixture
def told(app):
    """A campaign of 1-10 October 2026 with three sources: 12 moments through the branch
    poster (one hidden), 3 through the text message, 4 on the form without a link, 2 imported,
    and the ATM screen silent."""
    campaign = make_campaign(
        slug="sourced", opens_on=date(2026, 10, 1), closes_on=date(2026, 10, 10)
    )
    made = datetime(2026, 9, 30, 3)  # the day before the campaign opened, in UTC
    branch = sources.add_source(campaign, name="지점 QR", code="branch", by=None, now=made)
    sms = sources.add_source(campaign, name="고객센터 문자", code="sms", by=None, now=made)
    atm = sources.add_source(campaign, name="ATM 화면", code="atm", by=None, now=made)
    when = datetime(2026, 10, 3, 3)
    for i in range(12):
        status = MomentStatus.HIDDEN if i == 0 else MomentStatus.RECEIVED
        make_moment(campaign, body=f"지점 {i}", source_id=branch.id, received=when, status=status)
    for i in range(3):
        make_moment(campaign, body=f"문자 {i}", source_id=sms.id, received=when)
    for i in range(4):
        make_moment(campaign, body=f"직접 {i}", received=when)
    for i in range(2):
        make_moment(campaign, body=f"가져옴 {i}", origin=ORIGIN_IMPORT, received=when)
    db.session.commit()
    return campaign, branch, sms, atm


NOW = datetime(2026, 10, 12, 3)


def test_moments_per_source_count_what_was_told_here_and_visible(told):
    campaign, *_ = told
    f = analytics.Filter(campaign, SEOUL)
    assert analytics.source_rows(f) == [("지점 QR", 11), ("직접 방문", 4), ("고객센터 문자", 3)]


def test_silent_sources_are_listed_with_how_long_they_have_existed(told):
    campaign, _, sms, atm = told
    f = analytics.Filter(campaign, SEOUL)
    silent = analytics.silent_sources(f, now=NOW)
    assert [(s.name, s.days) for s in silent] == [("ATM 화면", 12)]
    # A range with nothing in it: every source in use is silent there, retired ones are not.
    sources.retire_source(sms, by=None, now=NOW)
    quiet = analytics.Filter(campaign, SEOUL, since=date(2026, 10, 5), until=date(2026, 10, 6))
    assert [s.name for s in analytics.silent_sources(quiet, now=NOW)] == ["지점 QR", "ATM 화면"]
    # A source made after the range ended was not silent in it.
    before = analytics.Filter(campaign, SEOUL, since=date(2026, 9, 1), until=date(2026, 9, 2))
    assert analytics.silent_sources(before, now=NOW) == []
    assert analytics.dashboard(f, now=NOW, min_sample=1, regression=(5, 14)).silent_sources == (
        analytics.silent_sources(f, now=NOW)
    )


def test_a_campaign_without_sources_shows_no_figure_per_source(app):
    campaign = make_campaign()
    make_moment(campaign)
    assert analytics.source_rows(analytics.Filter(campaign, SEOUL)) == []
    assert analytics.public_stats(min_group=1, min_sample=1, campaign=campaign).by_source == []


def test_public_figures_fold_sources_below_the_minimum_group(told):
    campaign, *_ = told
    stats = analytics.public_stats(min_group=4, min_sample=1, campaign=campaign)
    assert [(label, n) for label, n, _ in stats.by_source] == [("지점 QR", 11), ("직접 방문", 4)]
    assert stats.by_source[0][2] == pytest.approx(11 / 18)
    wide = analytics.public_stats(min_group=3, min_sample=1, campaign=campaign)
    assert [label for label, *_ in wide.by_source] == ["지점 QR", "직접 방문", "고객센터 문자"]
    folded = analytics.public_stats(min_group=5, min_sample=1, campaign=campaign)
    assert [(label, n) for label, n, _ in folded.by_source] == [("지점 QR", 11), ("기타", 7)]


def test_small_groups_fold_into_other_which_shows_only_from_the_minimum():
    rows = [("a", 10), ("b", 3), (None, 2), ("기타", 4), ("c", 12)]
    assert privacy.fold_small_groups(rows, 10) == [("c", 12), ("a", 10)]
    assert privacy.fold_small_groups(rows, 9) == [("c", 12), ("a", 10), ("기타", 9)]
    assert privacy.fold_small_groups([], 10) == []


def test_the_export_names_each_moments_source(told):
    campaign, *_ = told
    rows = list(analytics.export_moments(analytics.Filter(campaign, SEOUL)))
    by_body = {r["masked_text"]: r["source"] for r in rows}
    assert by_body["지점 3"] == "지점 QR" and by_body["직접 0"] == "" and by_body["가져옴 0"] == ""
    assert "source" in analytics.MOMENT_FIELDS
