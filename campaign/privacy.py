"""Every decision about personal data, in one place.

- What is stored about a sender: nothing. Moments keep the hour they arrived, never a finer time,
  and ids are random. Rate limits key on a keyed hash of the address that lives in memory only.
- Text is masked (`mask_pii`) before a row is built; the original is never stored.
- Receipt codes are shown once; only a keyed hash is stored (the pepper lives outside the DB).
- Follow links ("소식 받기") carry their own random token, never derived from the receipt code;
  only a keyed hash of it is stored, and the thanks page keeps it sealed like the code.

This module reads config through `current_app` at call time and imports nothing from the database
layer, so every other layer may depend on it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import re
import secrets
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

import bleach
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

from campaign import pii
from campaign.i18n import _, _l

# Crockford base32: no I, L, O or U, so a code read aloud or copied by hand survives.
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_RECEIPT_BITS = 80
_RECEIPT_CHARS = _RECEIPT_BITS // 5  # 16 characters, shown as four groups of four

PLACEHOLDERS = {
    pii.RRN: "주민등록번호",
    pii.ARN: "외국인등록번호",
    pii.PHONE: "전화번호",
    pii.CARD: "카드번호",
    pii.ACCOUNT: "계좌번호",
    pii.EMAIL: "이메일",
    pii.PASSPORT: "여권번호",
    pii.DRIVER_LICENSE: "운전면허번호",
    pii.PLATE: "차량번호",
    pii.ADDRESS: "주소",
    pii.NAME: "이름",
}


# --- identifiers and time ---------------------------------------------------------------------


def new_public_id() -> str:
    """A random 128-bit id (26 Crockford characters): never sequential, reveals no order."""
    n = secrets.randbits(130)
    return "".join(_CROCKFORD[(n >> (5 * i)) & 31] for i in range(26)).lower()


def coarse_hour(moment: datetime) -> datetime:
    """The only precision at which the arrival of a moment is kept."""
    return moment.replace(minute=0, second=0, microsecond=0)


# --- receipts --------------------------------------------------------------------------------


def new_receipt_code() -> str:
    n = secrets.randbits(_RECEIPT_BITS)
    chars = "".join(_CROCKFORD[(n >> (5 * i)) & 31] for i in range(_RECEIPT_CHARS))
    return shown_receipt_code(chars)


def shown_receipt_code(code: str) -> str:
    """A receipt code as people read it, however it was typed: groups of four joined by
    hyphens (K7QF-3M90-A2BD-8HJ1). Text that cannot be a code is grouped as it is."""
    normal = normalise_receipt_code(code) or code
    return "-".join(normal[i : i + 4] for i in range(0, len(normal), 4))


_RECEIPT_READ = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def normalise_receipt_code(typed: str) -> str | None:
    """Read a code as a person may type it: any case, with or without hyphens or spaces,
    O/I/L as 0/1. None when it cannot be a code."""
    s = unicodedata.normalize("NFKC", typed or "").upper().translate(_RECEIPT_READ)
    s = re.sub(r"[\s\-_.·]", "", s)
    if len(s) != _RECEIPT_CHARS or any(c not in _CROCKFORD for c in s):
        return None
    return s


def receipt_hash(code: str) -> str | None:
    """Keyed hash of a receipt code, as stored; None for text that cannot be a code."""
    normal = normalise_receipt_code(code)
    if normal is None:
        return None
    key = current_app.config["RECEIPT_PEPPER"].encode()
    return hmac.new(key, b"receipt:" + normal.encode(), hashlib.sha256).hexdigest()


def _receipt_cipher() -> AESGCM:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"thanks-page receipt code"
    ).derive(current_app.config["SECRET_KEY"].encode())
    return AESGCM(key)


def seal_receipt_code(code: str) -> str:
    """The code as the thanks page keeps it in the (signed, not encrypted) session cookie:
    encrypted with AES-GCM under a key derived from SECRET_KEY, so a copied cookie does not
    show it."""
    nonce = secrets.token_bytes(12)
    return base64.urlsafe_b64encode(
        nonce + _receipt_cipher().encrypt(nonce, code.encode(), b"receipt")
    ).decode()


def open_receipt_code(sealed: str | None) -> str | None:
    """The code back from `seal_receipt_code`, or None for anything else."""
    try:
        raw = base64.urlsafe_b64decode(sealed.encode())
        return _receipt_cipher().decrypt(raw[:12], raw[12:], b"receipt").decode()
    except (AttributeError, ValueError, InvalidTag):
        return None


# --- follow links -----------------------------------------------------------------------------
# A follow link opens one moment's timeline for whoever holds it, so its token is a secret of its
# own: 192 random bits (URL-safe base64, 32 characters), made here and never from the receipt
# code, so neither can be worked out from the other. The database keeps a keyed hash only.
_FOLLOW_BYTES = 24
_FOLLOW_CHARS = 32
_FOLLOW_SHAPE = re.compile(r"[A-Za-z0-9_-]{32}")


def new_follow_token() -> str:
    return secrets.token_urlsafe(_FOLLOW_BYTES)


def follow_hash(token: str | None) -> str | None:
    """Keyed hash of a follow token, as stored; None for text that cannot be a token (so a
    malformed link is never looked up)."""
    if not token or len(token) != _FOLLOW_CHARS or not _FOLLOW_SHAPE.fullmatch(token):
        return None
    key = current_app.config["RECEIPT_PEPPER"].encode()
    return hmac.new(key, b"follow:" + token.encode(), hashlib.sha256).hexdigest()


def seal_follow_token(token: str) -> str:
    """The token as the thanks page keeps it in the session cookie (see seal_receipt_code)."""
    nonce = secrets.token_bytes(12)
    return base64.urlsafe_b64encode(
        nonce + _receipt_cipher().encrypt(nonce, token.encode(), b"follow")
    ).decode()


def open_follow_token(sealed: str | None) -> str | None:
    try:
        raw = base64.urlsafe_b64decode(sealed.encode())
        return _receipt_cipher().decrypt(raw[:12], raw[12:], b"follow").decode()
    except (AttributeError, ValueError, InvalidTag):
        return None


# --- the anonymous client key ----------------------------------------------------------------


def client_key(address: str | None) -> str:
    """Keyed hash of a client address, for rate limits and duplicate detection in memory.

    Never stored in the database or logged; with the pepper outside the database it cannot be
    reversed by enumerating the IPv4 space from a leaked limiter dump alone.
    """
    key = current_app.config["RECEIPT_PEPPER"].encode()
    return hmac.new(key, b"client:" + (address or "").encode(), hashlib.sha256).hexdigest()[:32]


def content_digest(*parts: str | None) -> str:
    """A keyed digest of submitted text, to recognise the same text sent twice."""
    key = current_app.config["RECEIPT_PEPPER"].encode()
    joined = "\x1f".join(unicodedata.normalize("NFC", p or "").strip() for p in parts)
    return hmac.new(key, b"text:" + joined.encode(), hashlib.sha256).hexdigest()


# --- masking ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Masked:
    text: str
    spans: list[pii.Span]

    @property
    def counts(self) -> dict[str, int]:
        return dict(Counter(s.type for s in self.spans))


def find_pii(text: str, today: date | None = None) -> list[pii.Span]:
    """What looks like personal data in `text`, in order: the spans `mask_pii` would hide."""
    return pii.detect(text, today or date.today()) if text else []


def mask_pii(
    text: str, today: date | None = None, keep: frozenset[int] | set[int] = frozenset()
) -> Masked:
    """Replace personal data with typed placeholders such as `[전화번호]`.

    The spans are offsets into the original `text`. `today` bounds plausible birth dates.
    `keep` holds the positions (in `find_pii` order) of spans the person said are not personal
    data, which stay as written; only the person who wrote the text can say so, on the preview.
    """
    if not text:
        return Masked(text or "", [])
    spans = [s for i, s in enumerate(find_pii(text, today)) if i not in keep]
    if not spans:
        return Masked(text, [])
    out, last = [], 0
    for span in spans:
        out.append(text[last : span.start])
        out.append(f"[{PLACEHOLDERS[span.type]}]")
        last = span.end
    out.append(text[last:])
    return Masked("".join(out), spans)


# What each placeholder hides, named for the person reading (the placeholder inside stored text
# stays Korean, as stored: "[전화번호]").
PLACEHOLDER_NAMES = {
    pii.RRN: _l("주민등록번호"),
    pii.ARN: _l("외국인등록번호"),
    pii.PHONE: _l("전화번호"),
    pii.CARD: _l("카드번호"),
    pii.ACCOUNT: _l("계좌번호"),
    pii.EMAIL: _l("이메일"),
    pii.PASSPORT: _l("여권번호"),
    pii.DRIVER_LICENSE: _l("운전면허번호"),
    pii.PLATE: _l("차량번호"),
    pii.ADDRESS: _l("주소"),
    pii.NAME: _l("이름"),
}


def describe_masked(counts: dict[str, int]) -> list[str]:
    """Phrases such as "전화번호 1개" ("phone number (1)") in a stable order, in the reader's
    language, for telling a person what we hid."""
    return [
        _("%(what)s %(count)s개", what=PLACEHOLDER_NAMES[t], count=counts[t])
        for t in PLACEHOLDERS
        if counts.get(t)
    ]


# ---- what moderators publish -----------------------------------------------------------------
# A fix's body is written in a small Markdown subset and shown to everyone, so it is rendered
# here and cleaned by bleach against an explicit allow-list: the only place HTML written by a
# person reaches a page.
_ALLOWED_TAGS = frozenset({"p", "br", "strong", "em", "ul", "ol", "li", "a", "h3", "blockquote"})
_ALLOWED_ATTRIBUTES = {"a": ["href", "rel"]}
_ALLOWED_PROTOCOLS = frozenset({"https", "http", "mailto"})
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])")
_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")
_ORDERED = re.compile(r"^\d{1,3}[.)]\s+")


def clean_html(markdown: str) -> str:
    """HTML for the Markdown subset of a fix's body: paragraphs, line breaks, **bold**, *italic*,
    [links](https://…), lists ("- " or "1. "), "### " headings and "> " quotes. Anything else
    is text; the result passes bleach's allow-list, so no script, style or attribute survives."""
    blocks = re.split(r"\n\s*\n", (markdown or "").replace("\r\n", "\n").strip())
    html = [_block(block.strip("\n")) for block in blocks if block.strip()]
    return bleach.clean(
        "\n".join(html),
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        protocols=_ALLOWED_PROTOCOLS,
        strip=True,
    )


def _block(block: str) -> str:
    lines = [line.strip() for line in block.split("\n")]
    if all(line.startswith(("- ", "* ")) for line in lines):
        return "<ul>" + "".join(f"<li>{_inline(line[2:])}</li>" for line in lines) + "</ul>"
    if all(_ORDERED.match(line) for line in lines):
        return (
            "<ol>"
            + "".join(f"<li>{_inline(_ORDERED.sub('', line))}</li>" for line in lines)
            + "</ol>"
        )
    if len(lines) == 1 and lines[0].startswith("#"):
        return f"<h3>{_inline(lines[0].lstrip('#').strip())}</h3>"
    if all(line.startswith(">") for line in lines):
        return (
            "<blockquote><p>"
            + "<br>".join(_inline(line[1:].strip()) for line in lines)
            + "</p></blockquote>"
        )
    return "<p>" + "<br>".join(_inline(line) for line in lines) + "</p>"


def _inline(text: str) -> str:
    text = html.escape(text, quote=True)
    text = _LINK.sub(
        lambda m: f'<a href="{m.group(2)}" rel="nofollow noopener">{m.group(1)}</a>', text
    )
    text = _BOLD.sub(r"<strong>\1</strong>", text)
    return _ITALIC.sub(r"<em>\1</em>", text)


OTHER = "기타"  # where small public groups are folded


def fold_small_groups(
    rows: Iterable[tuple[str | None, int]], min_group: int, *, other: str = OTHER
) -> list[tuple[str, int]]:
    """Groups (a category, a source) the public may see: each label with at least `min_group`
    moments, largest first; smaller ones, unlabelled ones and one already called `other` are
    summed into `other`, itself shown only once it reaches `min_group`: a small group's name is
    never shown beside a count (/stats and the API fold categories and sources this way)."""
    shown, folded = [], 0
    for label, n in sorted(rows, key=lambda r: (-r[1], r[0] or "")):
        if label and label != other and n >= min_group:
            shown.append((label, n))
        else:
            folded += n
    if folded >= min_group:
        shown.append((other, folded))
    return shown


def public_count(n: int, min_group: int) -> int | None:
    """A count the public may see, or None below the minimum group (PUBLIC_MIN_GROUP): small
    numbers, with dates or a narrow topic beside them, can point at one person."""
    return n if n >= min_group else None
