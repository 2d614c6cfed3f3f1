"""The one QR helper (qr.py) and what each of its callers draws with it: the follow link, the
authenticator's enrolment, a source's poster."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pyotp
import pytest
import segno

from campaign import qr, two_factor
from campaign.models import Moderator
from campaign.public.follow import FollowLink

SVG = "{http://www.w3.org/2000/svg}"
LINK = "https://example.kr/c/finance/s/branch"


def _modules(text: str) -> int:
    return len(list(segno.make(text, error="m").matrix_iter(border=0)))


def test_the_path_is_the_link_drawn_module_by_module():
    drawn = qr.path(LINK)
    matrix = [list(row) for row in segno.make(LINK, error="m").matrix_iter(border=0)]
    assert drawn.size == len(matrix)
    # Every dark module is in exactly one run, and the runs cover nothing else.
    covered = 0
    for part in drawn.path.split("z")[:-1]:
        x, y = (int(v) for v in part[1:].split("h")[0].split())
        run = int(part.split("h")[1].split("v")[0])
        assert all(matrix[y][x : x + run])
        covered += run
    assert covered == sum(sum(1 for cell in row if cell) for row in matrix)


@pytest.mark.parametrize("scale", [4, 5])
def test_an_svg_is_standalone_titled_and_as_large_as_asked(scale):
    markup = qr.svg(LINK, title="링크 QR", scale=scale)
    assert not markup.startswith("<?xml")
    root = ET.fromstring(markup)
    assert root.tag == f"{SVG}svg" and root.find(f"{SVG}title").text == "링크 QR"
    assert int(root.get("width")) == (_modules(LINK) + 2 * qr.BORDER) * scale


def test_each_caller_keeps_its_own_words_and_size(app):
    with app.test_request_context("/"):
        follow = ET.fromstring(FollowLink(LINK, LINK + ".xml", "/f", "/f.xml").qr)
        assert follow.find(f"{SVG}title").text == "소식 받기 링크 QR 코드"
        assert int(follow.get("width")) == (_modules(LINK) + 4) * 4

        moderator = Moderator(email="a@example.kr", totp_pending=pyotp.random_base32())
        enrol = ET.fromstring(two_factor.enrolment_qr(moderator))
        assert enrol.find(f"{SVG}title").text == "인증 앱에 등록할 QR 코드"
        uri = pyotp.TOTP(moderator.totp_pending).provisioning_uri(
            name=moderator.email, issuer_name=two_factor.ISSUER
        )
        assert int(enrol.get("width")) == (_modules(uri) + 4) * 5
