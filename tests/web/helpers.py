from __future__ import annotations

import html
import re

from tests.dom import Element, parse

_TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
_ACK = re.compile(r'name="pii_ack" type="hidden" value="([^"]+)"')


def csrf_token(client, url: str = "/submit") -> str:
    return _TOKEN.search(client.get(url).get_data(as_text=True)).group(1)


def post_moment(
    client, url: str = "/submit", token: str | None = None, confirm_pii: bool = True, **fields
):
    """Post the form; when the soft check asks about personal data, send it masked (as a person
    pressing 가려서 보내기 would) unless confirm_pii is False."""
    data = {
        "body": "이체 버튼을 눌러도 아무 반응이 없었어요.",
        "category": "",
        "channel": "",
        "suggestion": "",
        "website": "",
    }
    data.update(fields)
    data["csrf_token"] = token if token is not None else csrf_token(client, url)
    response = client.post(url, data=data)
    ack = _ACK.search(response.get_data(as_text=True)) if response.status_code == 200 else None
    if confirm_pii and ack:
        response = client.post(url, data={**data, "pii_ack": ack.group(1)})
    return response


def receipt_code(page: Element | str) -> str:
    """The one receipt code on a thanks page (parsed, or its HTML)."""
    tree = parse(page) if isinstance(page, str) else page
    return tree.one("#receipt-code").text


def table_row(scope: Element, heading: str) -> list[str]:
    """The data cells of the one table row whose row header reads `heading`."""
    rows = [tr for tr in scope.all("tr") if tr.texts("th[scope=row]") == [heading]]
    assert len(rows) == 1, f"{len(rows)} rows headed {heading!r}"
    return rows[0].texts("td")


def described(scope: Element) -> dict[str, str]:
    """A description list's terms and what each says (<dl><div><dt/><dd/></div>…</dl>)."""
    return {dt.text: dt.parent.one("dd").text for dt in scope.all("dt")}


def every_word(tree: Element) -> str:
    """All a page says anywhere: its text (title included) and every attribute value."""
    values = (value for e in tree.descendants() for value in e.attrs.values())
    return "\n".join([tree.raw_text(), *values])


def page_text(client, url: str) -> str:
    """The page as a person reads it: entities such as &#39; turned back into characters."""
    return html.unescape(client.get(url).get_data(as_text=True))
