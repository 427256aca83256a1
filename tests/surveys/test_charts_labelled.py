"""Survey charts: one size for all, every scale value named (issue 20)."""

import re

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from surveys import charts, selectors
from surveys.models import Option, QuestionKind
from tests.surveys.factories import add_question, make_survey


def test_every_scale_value_is_named_and_the_ends_keep_their_labels(db):
    survey = make_survey()
    scale = add_question(survey, min_value=1, max_value=5)
    Option.objects.create(
        question=scale, value=1, label_ky="Эч качан", label_ru="Никогда"
    )
    Option.objects.create(question=scale, value=5, label_ky="Дайыма", label_ru="Всегда")

    with translation.override("ru"):
        bars = selectors.results(survey=survey).questions[0].bars

    assert [bar.shown for bar in bars] == [
        "1 — Никогда",
        "2 по шкале 1–5",
        "3 по шкале 1–5",
        "4 по шкале 1–5",
        "5 — Всегда",
    ]
    assert bars[0].label == "Никогда"  # the printed report's mode keeps the label
    chart = charts.bar_chart(bars, title="q")
    assert "2 по шкале 1–5" in chart and "5 — Всегда" in chart


def test_all_charts_of_a_survey_are_drawn_at_one_scale(client, director, db):
    survey = make_survey()
    add_question(survey, min_value=0, max_value=1)
    add_question(survey, min_value=0, max_value=6)
    add_question(survey, kind=QuestionKind.YES_NO)
    client.force_login(director)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ky"

    page = client.get(reverse("surveys:results", args=[survey.pk])).content.decode()

    boxes = re.findall(r'<svg class="chart bars" viewBox="0 0 (\d+) (\d+)"', page)
    assert len(boxes) == 3
    # One width, and a height that grows with the bars: the same size per bar.
    assert {width for width, _h in boxes} == {str(charts.WIDTH)}
    assert [int(h) for _w, h in boxes] == [charts.ROW * n + 4 for n in (2, 7, 2)]
    assert "шкаласында" in page  # the values between the ends are named
