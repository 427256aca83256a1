"""Counts take the plural form of the language: ngettext in Python, {%
blocktranslate count %} in templates, and every plural in the catalogs."""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from audit.reports import chart_svg
from office.notifications import message_for

LOCALE = Path(settings.BASE_DIR) / "locale"


@dataclass
class Signal:
    title: str
    count: int
    url: str = "/"


@pytest.mark.parametrize(
    ("count", "ru", "ky"),
    [
        (1, "ждёт 1 дело", "Сизди 1 иш күтүп турат"),
        (2, "ждут 2 дела", "Сизди 2 иш күтүп турат"),
        (5, "ждут 5 дел", "Сизди 5 иш күтүп турат"),
        (21, "ждёт 21 дело", "Сизди 21 иш күтүп турат"),
    ],
)
def test_the_morning_digest_counts_in_the_language_of_the_reader(count, ru, ky):
    signals = [Signal("Мөөнөтү өткөн", count)]

    with translation.override("ru"):
        ru_subject, _body = message_for(signals, base_url="https://school")
    with translation.override("ky"):
        ky_subject, _body = message_for(signals, base_url="https://school")
    with translation.override("en"):
        en_subject, _body = message_for(signals, base_url="https://school")

    assert ru in ru_subject
    assert ky in ky_subject
    assert en_subject.endswith(
        "1 thing needs you today" if count == 1 else f"{count} things need you today"
    )


@pytest.mark.parametrize(
    ("days", "words"), [(1, "за 1 день"), (3, "за 3 дня"), (7, "за 7 дней")]
)
def test_the_audit_chart_says_its_days_in_russian_forms(days, words):
    series = [(date(2026, 5, 1) + timedelta(n), 2) for n in range(days)]

    with translation.override("ru"):
        chart = str(chart_svg(series))

    assert f"Записи по дням {words}: всего {2 * days}" in chart


@dataclass
class Run:
    at: datetime
    events_checked: int
    ok: bool = True


@pytest.mark.parametrize(
    ("n", "words"),
    [(1, "1 запись,"), (2, "2 записи,"), (5, "5 записей,"), (21, "21 запись,")],
)
def test_the_integrity_line_counts_events_in_russian(n, words):
    at = datetime(2026, 5, 3, 8, 5, tzinfo=UTC)

    with translation.override("ru"):
        html = render_to_string(
            "audit/_integrity.html",
            {"last_run": Run(at=at, events_checked=n), "printing": True},
        )

    assert f"Последняя проверка 03.05.2026 14:05: {words}" in html


# A msgid that puts a number before an English plural without a plural form:
# "%(n)s events", "{{ hours }} hours". Verbs after a name are not counts.
COUNT_WITHOUT_PLURAL = re.compile(r"%\(\w+\)[sd] (?:([a-z]+) )?([a-z]+s)\b")
VERBS = {"is", "has", "was", "holds", "does", "says", "goes", "lives", "its", "this"}


def test_no_count_is_put_into_a_sentence_without_a_plural_form():
    catalog = polib.pofile(str(LOCALE / "ru" / "LC_MESSAGES" / "django.po"))
    found = [
        entry.msgid
        for entry in catalog
        if not entry.obsolete and not entry.msgid_plural
        for match in COUNT_WITHOUT_PLURAL.finditer(entry.msgid)
        if not VERBS & set(match.groups())
    ]

    assert found == []


@pytest.mark.parametrize("language", ["ru", "ky"])
def test_every_plural_has_each_form_of_the_language(language):
    catalog = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    forms = {"ru": 3, "ky": 1}[language]

    incomplete = [
        entry.msgid
        for entry in catalog
        if entry.msgid_plural
        and not entry.obsolete
        and not all(entry.msgstr_plural.get(i) for i in range(forms))
    ]

    assert incomplete == []
