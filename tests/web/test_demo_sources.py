"""The demo's sources, its imported call-centre lines and its English moments (campaign/demo.py),
as `flask demo` loads them and the worker settles them."""

from __future__ import annotations

from collections import Counter
from zoneinfo import ZoneInfo

from sqlalchemy import select

from campaign import analytics, demo
from campaign.extensions import db
from campaign.models import ORIGIN_IMPORT, Moment, Source, utcnow
from tests.dom import page


def test_the_demo_has_sources_two_silent_imported_lines_and_english_moments(app, client, sign_in):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    every = list(db.session.scalars(select(Moment)))
    imported = [m for m in every if m.origin == ORIGIN_IMPORT]
    assert len(imported) == demo.CALL_LINES == 200
    assert all(m.source_id is None and m.import_batch for m in imported)
    assert len({m.import_batch for m in imported}) == 1
    masked = [m for m in imported if m.masked]
    assert len(masked) >= 20 and all(
        "010-" not in m.body and "@naver" not in m.body for m in masked
    )
    assert {"[전화번호]", "[계좌번호]", "[이메일]"} <= {
        tag for m in masked for tag in ("[전화번호]", "[계좌번호]", "[이메일]") if tag in m.body
    }
    english = [m for m in every if m.body in {e[2] for e in demo.ENGLISH}]
    assert len(english) == len(demo.ENGLISH) >= 5
    # The worker (in-process here, after the command's commit) settled and grouped them all.
    assert all(m.settled for m in every)
    assert sum(1 for m in imported if m.cluster_id) >= 150
    codes = {s.id: s.code for s in db.session.scalars(select(Source))}
    used = Counter(codes[m.source_id] for m in every if m.source_id)
    assert set(codes.values()) == {code for _, code, _ in demo.SOURCES}
    assert set(used) == set(codes.values()) - set(demo.SILENT_SOURCES)
    assert min(used.values()) >= 5  # moments spread over every source that is not silent
    campaign = every[0].campaign
    f = analytics.Filter(campaign, ZoneInfo(app.config["TIMEZONE"]))
    silent = analytics.silent_sources(f, now=utcnow())
    assert sorted(s.code for s in silent) == sorted(demo.SILENT_SOURCES)
    assert all(s.days >= 21 for s in silent)
    sign_in(client, "viewer")
    card = page(client.get(f"/admin/dashboard?campaign={campaign.id}")).one('[data-chart="source"]')
    assert card.one("[data-silent-sources]").texts("li strong") == ["ATM 화면", "직원용"]
