"""The catalogs follow docs/terminology.md: the office's words, not literal ones.

Every msgid a row names says the row's word in Kyrgyz and in Russian; no
msgstr anywhere uses a variant the row forbids. (That every msgid is translated
and none is fuzzy: tests/school_portal/test_translations.py.)
"""

import re
from dataclasses import dataclass
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "docs" / "terminology.md"
LANGUAGES = ("ky", "ru")
QUOTED = re.compile(r"`([^`]+)`")


@dataclass
class Term:
    en: str
    words: dict  # language -> the word its msgstrs contain
    msgids: list  # (context or None, msgid)
    forbidden: dict  # language -> [variants]


def _key(quoted: str) -> tuple:
    context, sep, msgid = quoted.partition("::")
    return (context, msgid) if sep else (None, quoted)


def terms() -> list[Term]:
    rows = [
        line
        for line in TABLE.read_text(encoding="utf-8").splitlines()
        if line.startswith("| ")
        and not line.startswith("| en |")
        and not line.startswith("| ---")
    ]
    found = []
    for row in rows:
        cells = [cell.strip() for cell in row.strip().strip("|").split("|")]
        assert len(cells) == 6, row
        en, ky, ru, msgids, never_ky, never_ru = cells
        found.append(
            Term(
                en=en,
                words={"ky": ky, "ru": ru},
                msgids=[_key(quoted) for quoted in QUOTED.findall(msgids)],
                forbidden={
                    "ky": QUOTED.findall(never_ky),
                    "ru": QUOTED.findall(never_ru),
                },
            )
        )
    return found


def catalog(language: str) -> dict:
    po = polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))
    return {
        (entry.msgctxt, entry.msgid): entry
        for entry in po
        if entry.msgid and not entry.obsolete
    }


def texts(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return list(entry.msgstr_plural.values())
    return [entry.msgstr]


def test_the_table_holds_the_terms_the_issue_asked_for():
    english = {term.en.split(" (")[0] for term in terms()}

    assert {
        "for official use",
        "document kind",
        "storage place",
        "number of copies",
        "issue against signature",
        "copy's fate",
        "correspondent's number",
        "correspondent's date",
        "stamp",
        "login",
        "password",
        "journal",
        "executor",
        "destruction act",
        "hand-over act",
        "commission",
        "security officer",
        "records officer",
    } <= english


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_listed_msgid_says_the_word_of_the_table(language):
    entries = catalog(language)
    wrong = []
    for term in terms():
        word = term.words[language].casefold()
        for key in term.msgids:
            assert key in entries, f"{key} (row {term.en!r}) is not in the catalog"
            for text in texts(entries[key]):
                if word not in text.casefold():
                    wrong.append((term.en, key[1], text))

    assert wrong == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_msgstr_uses_a_forbidden_variant(language):
    forbidden = [
        (variant, term.en) for term in terms() for variant in term.forbidden[language]
    ]
    assert forbidden, "the table forbids nothing: the parser lost the column"
    found = [
        (variant, term, key[1], text)
        for key, entry in catalog(language).items()
        for text in texts(entry)
        for variant, term in forbidden
        if variant.casefold() in text.casefold()
    ]

    assert found == []


def test_one_english_word_with_two_meanings_has_a_context_each():
    ky, ru = catalog("ky"), catalog("ru")

    # A document's status is a state, the audit action an event.
    assert ky[("document status", "Destroyed")].msgstr == "Жок кылынган"
    assert ky[("audit action", "Destroyed")].msgstr == "Жок кылынды"
    assert ru[("document status", "Destroyed")].msgstr == "Уничтожен"
    # The grif is not the state of an incident or a survey.
    assert ru[("grif", "Open")].msgstr == "Открытый"
    assert ru[(None, "Open")].msgstr == "Открыт"
