"""The English catalog is complete, hand-checked (nothing fuzzy) and made from today's sources:
a string marked in the code or a template but missing from the .po (run `make translations`),
or an empty or fuzzy English, fails here."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from campaign.i18n import SOURCE, compile_catalogs

ROOT = Path(__file__).resolve().parents[2]
PO = SOURCE / "en" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "_n": (1, 2)}


def catalog():
    with PO.open("rb") as handle:
        return read_po(handle)


def extracted() -> set:
    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    return {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT),
            method_map,
            options_map,
            keywords=KEYWORDS,
            # Like `make translations`: hidden folders only (templates/_macros is read).
            directory_filter=lambda path: not Path(path).name.startswith("."),
        )
    }


def test_every_marked_string_is_in_the_english_catalog_and_nothing_stale_stays():
    in_po = {m.id for m in catalog() if m.id}
    found = extracted()
    assert found, "the extraction found nothing: babel.cfg no longer matches the sources"
    assert "확인이 필요한 부분이 있어요" in found, "templates/_macros/ was not read"
    assert sorted(map(str, found - in_po)) == [], "new strings: run `make translations`"
    assert sorted(map(str, in_po - found)) == [], "strings no longer used: `make translations`"


def test_every_string_has_a_hand_written_english_that_is_not_fuzzy():
    untranslated, fuzzy = [], []
    for message in catalog():
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(s and s.strip() for s in strings):
            untranslated.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)
    assert untranslated == []
    assert fuzzy == []


def test_english_keeps_every_placeholder_of_the_korean():
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]|\{\w*\}")
    wrong = []
    for message in catalog():
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = sorted(set(placeholder.findall(ids[0])))
        if any(sorted(set(placeholder.findall(s))) != wanted for s in strings):
            wrong.append(ids[0])
    assert wrong == []


@pytest.mark.parametrize("stale", [False, True])
def test_the_catalog_compiles_into_a_folder_the_app_reads(tmp_path, stale):
    target = tmp_path / "translations"
    if stale:
        (target / "en" / "LC_MESSAGES").mkdir(parents=True)
        (target / "en" / "LC_MESSAGES" / "messages.mo").write_bytes(b"old")
    compile_catalogs(SOURCE, target)
    from babel.support import Translations

    english = Translations.load(str(target), ["en"])
    assert english.gettext("개선 사례") == "What we fixed"
    assert list((target / "en" / "LC_MESSAGES").glob("*.part")) == []


def test_a_compiled_catalog_is_kept_until_its_source_changes(tmp_path):
    """Every process (and every test's app) compiles at start: an unchanged .po is not parsed
    again, an edited one is."""
    import shutil

    source, target = tmp_path / "source", tmp_path / "translations"
    shutil.copytree(SOURCE, source, ignore=shutil.ignore_patterns("*.pot"))
    compile_catalogs(source, target)
    mo = target / "en" / "LC_MESSAGES" / "messages.mo"
    mo.write_bytes(mo.read_bytes() + b"")  # same bytes, new mtime: only the digest decides
    first = mo.stat().st_mtime_ns
    compile_catalogs(source, target)
    assert mo.stat().st_mtime_ns == first
    po = source / "en" / "LC_MESSAGES" / "messages.po"
    po.write_text(
        po.read_text(encoding="utf-8").replace(
            'msgstr "What we fixed"', 'msgstr "Fixed for you"', 1
        ),
        encoding="utf-8",
    )
    compile_catalogs(source, target)
    from babel.support import Translations

    assert Translations.load(str(target), ["en"]).gettext("개선 사례") == "Fixed for you"
