"""The page reader the web tests use finds what it says it finds, and nothing else."""

from __future__ import annotations

import pytest

from tests.dom import parse

PAGE = """<!doctype html><html lang="ko"><head><title>시험</title></head><body>
<main id="main"><h1>묶음 &amp; 이야기</h1>
<form method="post" action="/admin/rules/3/remove" class="inline-form">
  <input type="hidden" name="csrf_token" value="t">
  <button class="link-button" type="submit">빼기<span class="visually-hidden">: 복제</span>
  </button></form>
<label for="q">검색</label><input id="q" name="q" value="점검">
<label class="choice"><input type="checkbox" name="listed" value="y"> 보여 주기</label>
<ul data-quotes><li class="empty">아직 없어요.</li></ul>
<p>줄이
   바뀐 글<br>그리고</p>
</main></body></html>"""


def test_text_is_what_a_person_reads():
    page = parse(PAGE)
    assert page.one("h1").text == "묶음 & 이야기"
    assert page.one("main > p").text == "줄이 바뀐 글그리고"


def test_selectors_match_tags_ids_classes_attributes_and_nesting():
    page = parse(PAGE)
    assert page.one("form[action$='/remove'] button.link-button").text == "빼기: 복제"
    assert page.one("#main > form > input[name=csrf_token]")["value"] == "t"
    assert page.texts("[data-quotes] > li.empty") == ["아직 없어요."]
    assert page.all("body > button") == [] and page.all("ul li, h1") and not page.has("[data-none]")
    with pytest.raises(AssertionError):
        page.one("input")  # three of them: one() refuses to guess


def test_roles_and_names_follow_what_assistive_technology_hears():
    page = parse(PAGE)
    [button] = page.by_role("button", name="빼기: 복제", exact=True)
    assert button.closest("form")["action"] == "/admin/rules/3/remove"
    assert page.by_role("button", name="빼기") and not page.by_role("button", name="복제 빼기")
    assert page.by_role("heading", level=1) and not page.by_role("heading", level=2)
    assert page.by_label("검색")["value"] == "점검"
    assert page.by_label("보여 주기")["name"] == "listed"
    assert page.by_test_id("quotes")[0].tag == "ul"
