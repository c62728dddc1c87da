"""The Japanese message catalogue is complete, consistent and compiled.

Message ids are extracted from the code and templates the way ``.ci/i18n`` does
(``babel.cfg``) and compared with the committed catalogue
``engine/locale/ja/LC_MESSAGES/mimamori.po`` and its compiled ``.mo``.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from engine.i18n import DOMAIN, LOCALE_DIR, translate

ROOT = Path(__file__).resolve().parents[3]
BABEL_CFG = ROOT / "babel.cfg"
POT = LOCALE_DIR / f"{DOMAIN}.pot"
PO = LOCALE_DIR / "ja" / "LC_MESSAGES" / f"{DOMAIN}.po"
MO = PO.with_suffix(".mo")

FIX = (
    "Run `.ci/i18n` to refresh the catalogues, translate the new or changed entries "
    f"in {PO.relative_to(ROOT)} (no fuzzy, no empty msgstr), then run `.ci/i18n` again."
)

_PERCENT_FIELD = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


def _extract_from_code() -> Catalog:
    """What ``pybabel extract -F babel.cfg -k N_`` finds in the repository."""
    with BABEL_CFG.open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, str(BABEL_CFG))
    catalog = Catalog(project=DOMAIN)
    for filename, lineno, message, comments, context in extract_from_dir(
        ROOT, method_map, options_map, keywords={**DEFAULT_KEYWORDS, "N_": None}
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def _read_po(path: Path) -> Catalog:
    assert path.is_file(), f"{path.relative_to(ROOT)} is missing. {FIX}"
    with path.open("rb") as f:
        return read_po(f)


def _messages(catalog: Catalog) -> Iterator[Message]:
    return (m for m in catalog if m.id)


def _translated(message: Message | None) -> bool:
    return message is not None and all(_forms(message.string)) and bool(_forms(message.string))


def _key(message: Message) -> tuple[str, str | None]:
    singular = message.id if isinstance(message.id, str) else message.id[0]
    return singular, message.context


def _forms(text: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    if text is None:
        return ()
    return (text,) if isinstance(text, str) else tuple(text)


def _placeholders(text: str) -> list[str]:
    """The ``{named}`` (str.format) and ``%(named)s`` (Jinja / %) fields of a text."""
    fields = [
        f"{{{name}{'!' + conversion if conversion else ''}{':' + spec if spec else ''}}}"
        for _, name, spec, conversion in string.Formatter().parse(text)
        if name is not None
    ]
    fields += ["%(" + name + ")" for name in _PERCENT_FIELD.findall(text)]
    return sorted(fields)


@pytest.fixture(scope="module")
def extracted() -> Catalog:
    return _extract_from_code()


@pytest.fixture(scope="module")
def ja() -> Catalog:
    return _read_po(PO)


def test_the_code_has_messages(extracted: Catalog):
    ids = {_key(m)[0] for m in _messages(extracted)}
    assert "Log at least one hearing or visit." in ids, "babel.cfg no longer finds N_(...)"


def test_every_message_in_the_code_is_translated(extracted: Catalog, ja: Catalog):
    missing = sorted(_key(m)[0] for m in _messages(extracted) if ja.get(*_key(m)) is None)
    assert not missing, f"Messages missing from the Japanese catalogue: {missing}. {FIX}"
    untranslated = sorted(
        _key(m)[0] for m in _messages(extracted) if not _translated(ja.get(*_key(m)))
    )
    assert not untranslated, f"Messages without a Japanese translation: {untranslated}. {FIX}"


def test_the_catalogues_hold_no_message_the_code_dropped(extracted: Catalog, ja: Catalog):
    in_code = {_key(m) for m in _messages(extracted)}
    template = _read_po(POT)
    for catalog, path in ((template, POT), (ja, PO)):
        stale = sorted(k[0] for k in {_key(m) for m in _messages(catalog)} - in_code)
        assert not stale, (
            f"{path.relative_to(ROOT)} has messages no longer in the code: {stale}. {FIX}"
        )


def test_no_entry_is_fuzzy(ja: Catalog):
    assert not ja.fuzzy, f"The header of {PO.relative_to(ROOT)} is marked fuzzy. {FIX}"
    fuzzy = sorted(_key(m)[0] for m in _messages(ja) if m.fuzzy)
    assert not fuzzy, f"Fuzzy entries are never shown; check and unmark them: {fuzzy}. {FIX}"


def _placeholders_kept(message: Message) -> bool:
    """The translation has the id's fields; every plural form those of the plural id."""
    if isinstance(message.id, str):
        return _placeholders(message.string) == _placeholders(message.id)
    fields = set(_placeholders(message.id[-1]))
    forms = [set(_placeholders(form)) for form in _forms(message.string)]
    return all(form <= fields for form in forms) and set().union(*forms) == fields


def test_translations_keep_the_placeholders(ja: Catalog):
    wrong = {}
    for message in _messages(ja):
        try:
            if not _placeholders_kept(message):
                wrong[_key(message)[0]] = message.string
        except ValueError as error:  # unbalanced braces
            wrong[_key(message)[0]] = f"{message.string!r}: {error}"
    assert not wrong, (
        "Translations must keep the {named} / %(named)s placeholders of their message id "
        f"exactly: {wrong}"
    )


def test_the_compiled_catalogue_matches_the_po(ja: Catalog):
    assert MO.is_file(), f"{MO.relative_to(ROOT)} is missing. {FIX}"
    with MO.open("rb") as f:
        compiled = read_mo(f)
    expected = {
        (_forms(m.id), m.context): _forms(m.string)
        for m in _messages(ja)
        if _translated(m) and not m.fuzzy
    }
    actual = {(_forms(m.id), m.context): _forms(m.string) for m in _messages(compiled)}
    assert actual == expected, f"{MO.relative_to(ROOT)} is out of date with the .po. {FIX}"


def test_translate_picks_the_locale(ja: Catalog):
    message = "Log at least one hearing or visit."
    japanese = ja.get(message).string
    assert japanese and japanese != message
    assert translate(message, "ja") == japanese
    assert "ヒアリング" in translate(message, "ja")
    assert translate(message, "en") == message


def test_translate_fills_named_parameters():
    message = "Record a measured value for the KPI “{kpi}”."
    assert "声かけ人数" in translate(message, "ja", kpi="声かけ人数")
    assert translate(message, "en", kpi="Residents spoken to") == (
        "Record a measured value for the KPI “Residents spoken to”."
    )
