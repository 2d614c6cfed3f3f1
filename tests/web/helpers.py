from __future__ import annotations

import re

_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
_CODE = re.compile(r'id="receipt-code" translate="no">([^<]+)<')


def csrf_token(client, url: str = "/submit") -> str:
    return _TOKEN.search(client.get(url).get_data(as_text=True)).group(1)


def post_moment(client, url: str = "/submit", token: str | None = None, **fields):
    data = {"body": "이체 버튼을 눌러도 아무 반응이 없었어요.", "category": "", "channel": "",
            "suggestion": "", "website": ""}
    data.update(fields)
    data["csrf_token"] = token if token is not None else csrf_token(client, url)
    return client.post(url, data=data)


def receipt_code(html: str) -> str:
    return _CODE.search(html).group(1)
