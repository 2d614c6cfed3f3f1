"""Languages: Korean (the source and the default) and English. Safe for domain code.

Interface strings are written in Korean in the code and templates and marked for translation:
`_l("…")` for a string defined before anyone asks for it (module constants, `Refusal`
messages, form labels), resolved in the reader's language when it is rendered; `_("…")` where
the string is used at once. The English is in translations/en/LC_MESSAGES/messages.po, written
by hand. The domain imports this module only, never Flask's request: which language a request
wants is decided at the edge (templating.choose_language) and read here through Flask-Babel.

The .po file is the one source. `compile_catalogs` turns it into the .mo Flask-Babel reads,
into the instance folder when the app starts: a fresh clone and an installed wheel need no
build step, and a compiled catalog can never be older than the text beside it.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from pathlib import Path

from flask_babel import get_locale, gettext, lazy_gettext, ngettext
from flask_babel.speaklater import LazyString

LANGUAGES = ("ko", "en")
DEFAULT_LANGUAGE = "ko"
SOURCE = Path(__file__).resolve().parent / "translations"
DOMAIN = "messages"

_ = gettext
_l = lazy_gettext
_n = ngettext

__all__ = [
    "_",
    "_l",
    "_n",
    "LANGUAGES",
    "DEFAULT_LANGUAGE",
    "language",
    "pick",
    "english",
    "json_default",
]


def language() -> str:
    """The language of what is being rendered now: "ko" or "en". Outside a request (jobs, the
    CLI, digests) it is Korean."""
    locale = get_locale()
    return locale.language if locale is not None and locale.language in LANGUAGES else "ko"


def english() -> bool:
    return language() == "en"


def pick(korean: str | None, english_text: str | None) -> tuple[str, str]:
    """A text people wrote in both languages (a campaign's title…): (text, its language).
    An English reader gets the English when there is one, else the Korean, marked "ko"."""
    if english() and english_text and english_text.strip():
        return english_text, "en"
    return korean or "", "ko"


def json_default(value):
    """`json.dumps(…, default=json_default)`: a label defined with `_l` is written as its text
    (in the reader's language; Korean in jobs and the CLI), anything else still refused."""
    if isinstance(value, LazyString):
        return str(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def choose(explicit: str | None, accepted) -> str:
    """Which language a request gets: an explicit choice (the switch's cookie) when it names
    one we have, then the browser's Accept-Language (werkzeug's `LanguageAccept`, best of ko
    and en: `en-GB` counts as en), else Korean."""
    if explicit in LANGUAGES:
        return explicit
    best = accepted.best_match(LANGUAGES) if accepted else None
    return best or DEFAULT_LANGUAGE


def compile_catalogs(source: Path, target: Path) -> None:
    """Every source/<lang>/LC_MESSAGES/messages.po compiled to target/<lang>/LC_MESSAGES/.mo.
    Written to a temporary file and renamed, so workers starting at once never read half. A .mo
    whose stamp holds the digest of the .po it came from is kept: parsing the .po costs about
    30 ms, on every start of every process (and every test's app)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in sorted(source.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        folder = target / po.parent.relative_to(source)
        folder.mkdir(parents=True, exist_ok=True)
        data = po.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        mo, stamp = folder / f"{DOMAIN}.mo", folder / f"{DOMAIN}.mo.source"
        if mo.exists() and stamp.exists() and stamp.read_text() == digest:
            continue
        catalog = read_po(io.BytesIO(data))
        handle_fd, temporary = tempfile.mkstemp(dir=folder, suffix=".mo.part")
        with os.fdopen(handle_fd, "wb") as out:
            write_mo(out, catalog, use_fuzzy=False)
        os.replace(temporary, mo)
        handle_fd, temporary = tempfile.mkstemp(dir=folder, suffix=".source.part")
        with os.fdopen(handle_fd, "w") as out:
            out.write(digest)
        os.replace(temporary, stamp)
