"""Checks every rendered page must pass: a title, unique ids, no inline script or style
attribute, nothing loaded from a third party, labels that point at a control, <html lang>
saying the language the page was served in
(its Content-Language: "ko" unless the reader chose English)."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

FIRST_PARTY = ("/", "#", "mailto:", "?")


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: Counter[str] = Counter()
        self.label_for: list[str] = []
        self.problems: list[str] = []
        self.title = ""
        self._in_title = False
        self.lang = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if "id" in a:
            self.ids[a["id"]] += 1
        if tag == "label" and a.get("for"):
            self.label_for.append(a["for"])
        if tag == "script" and not a.get("src"):
            self.problems.append("inline <script>")
        if "style" in a:
            self.problems.append(f"inline style on <{tag}>")
        if any(k.startswith("on") for k in a):
            self.problems.append(f"inline event handler on <{tag}>")
        for attr in ("src", "href", "action"):
            url = a.get(attr)
            if url and not url.startswith(FIRST_PARTY) and not url == "":
                self.problems.append(f"third-party or relative URL {attr}={url!r} on <{tag}>")
        if tag == "title":
            self._in_title = True

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def check_page(html: str, language: str = "ko") -> None:
    page = _Page()
    page.feed(html)
    problems = list(page.problems)
    if not page.title.strip():
        problems.append("no <title>")
    if page.lang != language:
        problems.append(f'<html lang="{page.lang}">, expected "{language}"')
    problems += [f"duplicate id {i!r}" for i, n in page.ids.items() if n > 1]
    problems += [
        f"<label for={f!r}> points at nothing" for f in page.label_for if f not in page.ids
    ]
    assert not problems, "page check failed:\n- " + "\n- ".join(problems)
