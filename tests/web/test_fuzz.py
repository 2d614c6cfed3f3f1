"""Arbitrary input at every route, with real CSRF tokens, on SQLite and PostgreSQL: never a 5xx,
and a refused moment keeps what was typed."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaign import fixes, moderation
from campaign.extensions import db
from campaign.models import Cluster, MomentStatus, UrgentRule
from tests.factories import make_moderator, make_moment, make_tag, make_team
from tests.web.helpers import csrf_token

# Text people and tools really send: any Unicode (controls, NUL, bidi marks, surrogate-free),
# huge and negative numbers, dates far away, and markup.
ANY_TEXT = st.one_of(
    st.text(max_size=80),
    st.text(min_size=100, max_size=400),  # past every column's length
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x3000), max_size=40),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(
        [
            "0001-01-01",
            "9999-12-31",
            "\x00",
            "'; DROP TABLE moment;--",
            "<script>x</script>",
            "%00",
            '=HYPERLINK("x")',
            "..",
            "../../etc/passwd",
            "9" * 25,
            "-1",
            "1e309",
            "NaN",
        ]
    ),
)
QUERY_NAMES = [
    "q",
    "page",
    "since",
    "until",
    "tag",
    "team",
    "campaign",
    "category",
    "limit",
    "sort",
    "flag",
    "status",
    "cluster",
    "actor",
    "action",
    "next",
    "channel",
    "view",
]
FORM_NAMES = [
    "body",
    "suggestion",
    "category",
    "channel",
    "website",
    "pii_ack",
    "code",
    "resolved",
    "note",
    "email",
    "password",
    "name",
    "title",
    "status",
    "reason",
    "tag",
    "team",
    "cluster",
    "ids",
    "moment",
    "text",
    "on",
    "progress",
    "phrase",
    "role",
    "shortcuts",
    "which",
    "current",
    "new",
    "listed",
    "kind",
    "slug",
    "question",
]
FUZZ = settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def world(app, client, sign_in, campaign):
    """One of everything a route can name, so every route's view runs, not just its 404."""
    moment, _ = make_moment(campaign)
    cluster = Cluster(campaign_id=campaign.id)
    db.session.add(cluster)
    db.session.flush()
    moment.cluster_id = cluster.id
    other = make_moderator()
    fix = fixes.create_fix(
        campaign, fixes.FixFields(title="점검 시간에도 이체를 예약할 수 있어요"), by=other
    )
    fixes.link_cluster(fix, cluster, by=other)
    note = fixes.add_note(fix, date(2026, 11, 20), "만들기 시작했어요", by=other)
    quote = fixes.add_quote(fix, moment, None, by=other)
    tag, team = make_tag("점검"), make_team("송금팀")
    moment.tags.append(tag)
    rule = db.session.scalar(db.select(UrgentRule))
    done = moderation.set_status([moment], MomentStatus.IN_REVIEW, by=other)
    db.session.commit()
    sign_in(client, "admin")
    rules = sorted(
        (
            (r.rule, m)
            for r in app.url_map.iter_rules()
            for m in r.methods - {"HEAD", "OPTIONS"}
            if r.endpoint not in ("static", "admin.logout")
        ),
        key=str,
    )
    values = {
        "moment_id": moment.id,
        "cluster_id": cluster.id,
        "fix_id": fix.id,
        "slug": campaign.slug,
        "campaign_id": campaign.id,
        "moderator_id": other.id,
        "note_id": note.id,
        "quote_id": quote.id,
        "tag_id": tag.id,
        "team_id": team.id,
        "rule_id": rule.id,
        "batch": done.batch,
        "kind": "moments",
        "fmt": "csv",
        "filename": "css/site.css",
    }
    return rules, values, csrf_token(client, "/admin/moments")


def url_for_rule(rule: str, values: dict, fuzzed: str) -> str:
    def fill(match):
        name = match.group(2)
        return (
            str(values[name])
            if name in values and fuzzed == ""
            else re.sub(r"[/?#]", "", fuzzed) or "x"
        )

    return re.sub(r"<(\w+:)?(\w+)>", fill, rule)


@FUZZ
@given(data=st.data())
def test_no_route_answers_5xx_to_arbitrary_queries_and_forms(client, world, data):
    rules, values, token = world
    rule, method = data.draw(st.sampled_from(rules))
    path = url_for_rule(
        rule, values, data.draw(st.sampled_from(["", "", "99999999999999999999", "%00", "é"]))
    )
    query = data.draw(st.dictionaries(st.sampled_from(QUERY_NAMES), ANY_TEXT, max_size=4))
    form = data.draw(st.dictionaries(st.sampled_from(FORM_NAMES), ANY_TEXT, max_size=6))
    form["csrf_token"] = token
    response = client.open(
        path, method=method, query_string=query, data=form if method == "POST" else None
    )
    assert response.status_code < 500, (method, path, query, form, response.status_code)


@FUZZ
@given(body=st.text(min_size=1, max_size=60), category=ANY_TEXT)
def test_a_refused_moment_keeps_what_was_typed(client, campaign, body, category):
    response = client.post(
        "/submit", data={"body": body, "category": category, "csrf_token": "expired"}
    )
    assert response.status_code < 500
    if response.status_code == 200:
        kept = body.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
        page = (
            html.unescape(response.get_data(as_text=True)).replace("\r\n", "\n").replace("\r", "\n")
        )
        assert kept.strip() in page
