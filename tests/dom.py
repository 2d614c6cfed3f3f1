"""Pages read as a tree, so a test finds the element a thing belongs in rather than a substring
anywhere in the HTML. Standard library only (html.parser).

    page = parse(response.get_data(as_text=True))
    page.one("h1").text                        # the text a person reads, entities decoded
    page.one("form[action$='/split'] button")  # CSS-like: tag, #id, .class, [attr], [attr=v],
                                               # [attr*=v], [attr^=v], [attr$=v], ' ' and '>'
    page.by_role("button", name="공개하기")      # implicit roles and accessible names
    page.by_label("이 묶음을 합칠 곳")            # the control a label names
    page.by_test_id("fix-state")               # our test hooks are data-* attributes:
                                               # data-fix-state, data-answered …
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
TEXT_INPUTS = {"text", "search", "email", "tel", "url", "password", None}


@dataclass(eq=False)
class Element:
    tag: str
    attrs: dict[str, str]
    parent: Element | None = None
    children: list[Element | str] = field(default_factory=list)

    # What a person reads -------------------------------------------------------------------
    @property
    def text(self) -> str:
        """The element's text with runs of white space made one space, ends trimmed."""
        return " ".join(self.raw_text().split())

    def raw_text(self) -> str:
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag not in ("script", "style", "template"):
                parts.append(child.raw_text())
        return "".join(parts)

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrs.get(name, default)

    def __getitem__(self, name: str) -> str:
        return self.attrs[name]

    def __contains__(self, name: str) -> bool:
        return name in self.attrs

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def __repr__(self) -> str:
        attrs = " ".join(f'{k}="{v}"' for k, v in self.attrs.items())
        return f"<{self.tag}{' ' if attrs else ''}{attrs}>{self.text[:60]!r}"

    # Walking -------------------------------------------------------------------------------
    def descendants(self):
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.descendants()

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def closest(self, selector: str) -> Element | None:
        return next((a for a in self.ancestors() if matches(a, selector)), None)

    def root(self) -> Element:
        node = self
        while node.parent is not None:
            node = node.parent
        return node

    # Finding -------------------------------------------------------------------------------
    def all(self, selector: str) -> list[Element]:
        """Every descendant matching any of the comma-separated selectors, in document order."""
        return [e for e in self.descendants() if matches(e, selector, scope=self)]

    def one(self, selector: str) -> Element:
        """The one element a selector names; fails the test when there are none or several."""
        found = self.all(selector)
        assert len(found) == 1, f"{len(found)} elements match {selector!r}: {found[:5]}"
        return found[0]

    def first(self, selector: str) -> Element | None:
        return next(iter(self.all(selector)), None)

    def has(self, selector: str) -> bool:
        return bool(self.all(selector))

    def texts(self, selector: str) -> list[str]:
        return [e.text for e in self.all(selector)]

    def by_role(
        self,
        role: str,
        name: str | re.Pattern | None = None,
        *,
        exact: bool = False,
        level: int | None = None,
    ) -> list[Element]:
        """Elements with this role (explicit, or implied by the tag) whose accessible name
        contains `name` (equals it with exact=True; a compiled pattern is searched)."""
        found = []
        for e in self.descendants():
            if role_of(e) != role or (level is not None and e.tag != f"h{level}"):
                continue
            if name is None or name_matches(accessible_name(e), name, exact):
                found.append(e)
        return found

    def by_label(self, label: str | re.Pattern, *, exact: bool = False) -> Element:
        """The one control whose label (label[for], a wrapping label, or aria-label) says
        `label`."""
        found = [
            e
            for e in self.descendants()
            if e.tag in ("input", "select", "textarea", "button")
            and name_matches(label_of(e), label, exact)
        ]
        assert len(found) == 1, f"{len(found)} controls labelled {label!r}: {found[:5]}"
        return found[0]

    def by_test_id(self, hook: str) -> list[Element]:
        """Elements carrying the data-<hook> attribute our templates mark things with."""
        return [e for e in self.descendants() if f"data-{hook}" in e.attrs]


def name_matches(actual: str, wanted: str | re.Pattern, exact: bool) -> bool:
    if isinstance(wanted, re.Pattern):
        return bool(wanted.search(actual))
    return actual == wanted if exact else wanted in actual


# Roles and names -----------------------------------------------------------------------------
def role_of(e: Element) -> str | None:
    if e.get("role"):
        return e.get("role")
    kind = (e.get("type") or "").lower() or None
    if e.tag == "button" or (e.tag == "input" and kind in ("submit", "button", "reset")):
        return "button"
    if e.tag == "a" and "href" in e.attrs:
        return "link"
    if e.tag in HEADINGS:
        return "heading"
    if e.tag == "textarea" or (e.tag == "input" and kind in TEXT_INPUTS):
        return "searchbox" if kind == "search" else "textbox"
    if e.tag == "input" and kind in ("checkbox", "radio"):
        return kind
    if e.tag == "select":
        return "combobox"
    return {
        "nav": "navigation",
        "ul": "list",
        "ol": "list",
        "li": "listitem",
        "table": "table",
        "tr": "row",
        "main": "main",
        "form": "form",
        "dialog": "dialog",
        "fieldset": "group",
        "img": "img",
    }.get(e.tag)


def label_of(e: Element) -> str:
    if e.get("aria-label"):
        return " ".join(e["aria-label"].split())
    root = e.root()
    if e.get("aria-labelledby"):
        ids = e["aria-labelledby"].split()
        return " ".join(x.text for i in ids for x in root.descendants() if x.get("id") == i)
    if e.get("id"):
        for label in root.descendants():
            if label.tag == "label" and label.get("for") == e["id"]:
                return label.text
    wrapping = e.closest("label")
    return wrapping.text if wrapping is not None else ""


def accessible_name(e: Element) -> str:
    """Close enough to the accessible name computation for our pages: aria-label(ledby), the
    label of a control, an input button's value, else the text inside (visually hidden text
    included, as a screen reader hears it)."""
    kind = e.get("type") or ""
    if e.tag in ("input", "select", "textarea") and kind not in ("submit", "button"):
        return label_of(e)
    if e.get("aria-label") or e.get("aria-labelledby"):
        return label_of(e)
    if e.tag == "input":
        return e.get("value") or ""
    return e.text


# Selectors -----------------------------------------------------------------------------------
_COMPOUND = re.compile(
    r"""
    (?P<tag>[a-zA-Z][a-zA-Z0-9-]*|\*)?
    (?P<rest>(?:\#[\w-]+|\.[\w-]+|\[[^\]]+\])*)
""",
    re.X,
)
_PART = re.compile(
    r"""\#(?P<id>[\w-]+)|\.(?P<cls>[\w-]+)|\[(?P<attr>[\w:-]+)
                       (?:(?P<op>[*^$~|]?=)(?P<q>["']?)(?P<value>.*?)(?P=q))?\]""",
    re.X,
)


def _tokens(selector: str) -> list[str]:
    """A selector split into compounds and combinators, brackets kept whole."""
    out, buf, depth = [], "", 0
    for ch in selector.strip():
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        if depth == 0 and ch in " >":
            if buf:
                out.append(buf)
                buf = ""
            if ch == ">":
                out.append(">")
            continue
        buf += ch
    if buf:
        out.append(buf)
    return out


def _compound_matches(e: Element, compound: str) -> bool:
    m = _COMPOUND.fullmatch(compound)
    assert m, f"unsupported selector part {compound!r}"
    if m["tag"] and m["tag"] != "*" and e.tag != m["tag"].lower():
        return False
    for part in _PART.finditer(m["rest"] or ""):
        if part["id"] is not None and e.get("id") != part["id"]:
            return False
        if part["cls"] is not None and part["cls"] not in e.classes:
            return False
        if part["attr"] is not None:
            actual = e.get(part["attr"])
            if actual is None:
                return False
            op, value = part["op"], part["value"]
            if op == "=" and actual != value:
                return False
            if op == "*=" and value not in actual:
                return False
            if op == "^=" and not actual.startswith(value):
                return False
            if op == "$=" and not actual.endswith(value):
                return False
            if op == "~=" and value not in actual.split():
                return False
    return True


def matches(e: Element, selector: str, scope: Element | None = None) -> bool:
    return any(_matches_one(e, _tokens(s), scope) for s in selector.split(","))


def _matches_one(e: Element, tokens: list[str], scope: Element | None) -> bool:
    if not tokens or not _compound_matches(e, tokens[-1]):
        return False
    rest = tokens[:-1]
    if not rest:
        return True
    if rest[-1] == ">":
        parent = e.parent
        return parent is not None and parent is not scope and _matches_one(parent, rest[:-1], scope)
    for ancestor in e.ancestors():
        if ancestor is scope:
            return False
        if _matches_one(ancestor, rest, scope):
            return True
    return False


# Parsing -------------------------------------------------------------------------------------
class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.document = Element("#document", {})
        self.open = self.document

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v or "" for k, v in attrs}, parent=self.open)
        self.open.children.append(element)
        if tag not in VOID:
            self.open = element

    def handle_startendtag(self, tag, attrs):
        self.open.children.append(Element(tag, {k: v or "" for k, v in attrs}, parent=self.open))

    def handle_endtag(self, tag):
        node = self.open
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:  # close it and anything left open in it
            self.open = node.parent

    def handle_data(self, data):
        self.open.children.append(data)


def parse(html: str) -> Element:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.document


def page(response) -> Element:
    """A test client's response, parsed."""
    return parse(response.get_data(as_text=True))


# Languages -----------------------------------------------------------------------------------
HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff]+")
# Attributes a person sees or hears: shown text, names read aloud, the page's description.
READ_ATTRIBUTES = ("alt", "title", "placeholder", "aria-label", "aria-description", "content")


def hangul_outside_korean(root: Element) -> list[str]:
    """Korean that a reader of an English page would meet: text and read attributes outside
    every element marked lang="ko" (people's own words, a campaign text with no English, the
    "한국어" link), script and style left out. An English page should give []."""
    found: list[str] = []

    def walk(node: Element) -> None:
        if node.get("lang", "").lower().startswith("ko") and node.tag != "html":
            return
        if node.tag in ("script", "style", "template"):
            return
        for name in READ_ATTRIBUTES:
            value = node.get(name)
            if value and HANGUL.search(value):
                found.append(f"<{node.tag} {name}>: {value}")
        if node.tag == "input" and node.get("type") in ("submit", "button", "reset"):
            value = node.get("value", "")
            if HANGUL.search(value):
                found.append(f"<input value>: {value}")
        for child in node.children:
            if isinstance(child, str):
                if HANGUL.search(child):
                    found.append(f"<{node.tag}>: {' '.join(child.split())}")
            else:
                walk(child)

    walk(root)
    return found
