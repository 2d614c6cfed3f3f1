"""Text and parameters as they enter the app, made safe and bounded before anything else sees them.

Text: characters that are invisible or change how text around them is shown (C0 and C1 controls,
DEL, bidirectional overrides and isolates, zero-width characters) can make a moment read one
way on the desk and another in a spreadsheet, and NUL is refused by PostgreSQL. Line breaks are
kept (NEL and the Unicode separators become one), tabs become spaces, the rest is dropped and
counted so the desk can say it was done.

Parameters: numbers and dates from a URL are parsed into bounded values, so an id of twenty
digits or the year 9999 is "not found" or "ignored", never an overflow in the database.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

# Invisible or direction-changing characters that are never part of what someone meant to say:
# zero-width space and word joiner, BOM, bidi embeddings, overrides, isolates and marks, the
# soft hyphen, invisible math operators, Hangul fillers (a "blank" that is not a space) and tag
# characters. The zero-width joiner and non-joiner are kept between two visible characters,
# where they build emoji (👩‍💻) and Indic or Persian words; anywhere else they go too.
_INVISIBLE = (
    "\u200b\u2060\ufeff\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u00ad\u2061-\u2064"
    "\u115f\u1160\u3164\uffa0\U000e0000-\U000e007f"
)
_DROPPED = re.compile(
    f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x84\x86-\x9f{_INVISIBLE}]"
    "|(?<![^\\s\u200c\u200d])[\u200c\u200d]|[\u200c\u200d](?![^\\s\u200c\u200d])"
)
_LINE_BREAKS = re.compile("\r\n|[\r\x85\u2028\u2029]")
_SHOWN = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_INVISIBLE}]")

# Ids are 32-bit in every table; a larger number can only be a typo or a probe.
MAX_ID = 2**31 - 1
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)


def clean_text(text: str) -> tuple[str, int]:
    """NFC text with line breaks kept, tabs as spaces and every other control or invisible
    character removed; returns the text and how many characters were dropped or replaced."""
    text = unicodedata.normalize("NFC", text)
    # Browsers send CR LF for every line break in a textarea: that is not worth recording.
    unusual = len(re.findall("[\x85\u2028\u2029]", text)) + text.count("\t")
    unified = _LINE_BREAKS.sub("\n", text).replace("\t", " ")
    cleaned, dropped = _DROPPED.subn("", unified)
    return cleaned, unusual + dropped


def without_nul(text: str | None) -> str | None:
    """Form fields lose NUL before any validation: no database keeps it and nobody types it."""
    return text.replace("\x00", "") if isinstance(text, str) else text


def show_controls(text: str) -> str:
    """Any control or invisible character still in stored text (from before intake cleaned
    it), written out as ⟨U+202E⟩ so a moderator sees it instead of being fooled by it."""
    return _SHOWN.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", text)


def bounded_int(raw: str | None, *, maximum: int = MAX_ID) -> int | None:
    """A positive whole number written in ASCII digits, no larger than `maximum`, or None."""
    if not raw or len(raw) > 10 or not raw.isascii() or not raw.isdigit():
        return None
    value = int(raw)
    return value if 0 < value <= maximum else None


def bounded_day(raw: str | None) -> date | None:
    """A date written YYYY-MM-DD (as <input type=date> sends it) within 2000–2099, or None."""
    if not raw or len(raw) != 10 or not raw.isascii():
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return None
    return day if FIRST_DAY <= day <= LAST_DAY else None


_PUBLIC_ID = re.compile(r"[0-9a-z]{1,26}")


def public_ids(raw: list[str], *, limit: int = 500) -> list[str]:
    """Moment ids chosen in a form (checkboxes): only well-formed ones, at most `limit`."""
    return [value for value in raw[:limit] if _PUBLIC_ID.fullmatch(value)]


def has_control(text: str) -> bool:
    """A control character where none can belong (query strings and paths): NUL and friends."""
    return bool(re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text))
