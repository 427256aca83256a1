"""Results: counts, means, medians, distributions, groups, charts, exports, demo."""

import csv
import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from openpyxl import load_workbook

from accounts.roles import Role
from surveys import charts, demo, exports, selectors, services
from surveys.models import QuestionKind, Recommendation, Response, Survey
from tests.factories import UserFactory
from tests.surveys.factories import add_question, make_survey


def answer(survey, school_class, *values, username=None):
    # An unusable password: these people never sign in, and hashing is slow.
    extra = {"username": username} if username else {}
    person = UserFactory(
        school_class=school_class, roles=[Role.STUDENT], password="!", **extra
    )
    pks = survey.questions.values_list("pk", flat=True)
    services.submit_response(
        actor=person, survey=survey, answers=dict(zip(pks, values, strict=False))
    )
    return person


@pytest.fixture
def survey(db):
    survey = make_survey(min_grade=5, max_grade=9)
    add_question(survey, min_value=0, max_value=3)
    add_question(survey, kind=QuestionKind.TEXT, required=False)
    return survey


def test_mean_median_and_distribution(survey):
    for value in (0, 1, 1, 3):
        answer(survey, "7A", value, "")

    results = selectors.results(survey=survey)

    scale = results.questions[0]
    assert (scale.count, scale.mean, scale.median, scale.mode) == (4, 1.25, 1.0, 1)
    assert [(b.value, b.count, b.percent) for b in scale.bars] == [
        (0, 1, 25.0),
        (1, 2, 50.0),
        (2, 0, 0.0),
        (3, 1, 25.0),
    ]
    assert results.responses == 4
    assert results.audience == 4
    assert results.rate == 100.0


def test_free_text_answers_are_listed(survey):
    answer(survey, "5A", 1, "Wi-Fi is slow")
    answer(survey, "5A", 2, "")

    texts = selectors.results(survey=survey).questions[1]

    assert texts.texts == ["Wi-Fi is slow"]
    assert texts.count == 1


def test_the_rate_counts_the_whole_audience(survey):
    UserFactory(school_class="8B", roles=[Role.STUDENT])
    UserFactory(school_class="4B", roles=[Role.STUDENT])
    answer(survey, "7A", 1)

    results = selectors.results(survey=survey)

    assert (results.responses, results.audience, results.rate) == (1, 2, 50.0)


@override_settings(PORTAL_SURVEY_MIN_GROUP=5)
def test_only_groups_of_five_or_more_are_broken_down(survey):
    for _i in range(5):
        answer(survey, "7A", 3)
    for _i in range(4):
        answer(survey, "8A", 0)

    results = selectors.results(survey=survey)

    assert [(g.name, g.respondents, g.means) for g in results.groups] == [
        ("7", 5, [3.0])
    ]
    assert results.hidden_groups == 1


@override_settings(PORTAL_SURVEY_MIN_GROUP=5)
def test_the_threshold_moves_with_the_setting(survey):
    for _i in range(4):
        answer(survey, "8A", 0)

    assert selectors.results(survey=survey).groups == []
    with override_settings(PORTAL_SURVEY_MIN_GROUP=4):
        assert [g.name for g in selectors.results(survey=survey).groups] == ["8"]


def test_a_named_survey_is_broken_down_by_class(survey):
    survey.anonymous = False
    survey.save()
    for _i in range(5):
        answer(survey, "7A", 2)
    answer(survey, "7B", 0)

    groups = selectors.results(survey=survey).groups

    assert [(g.name, g.means) for g in groups] == [("7A", [2.0])]


def test_results_cost_a_fixed_number_of_queries(survey, django_assert_num_queries):
    for value in (0, 1, 2, 3, 3, 2):
        answer(survey, "6A", value, "x")

    with django_assert_num_queries(5):
        selectors.results(survey=survey)


def test_the_chart_is_inline_svg_with_escaped_labels(survey):
    bars = [selectors.Bar(1, "<script>", 3, 75.0), selectors.Bar(2, "B", 1, 25.0)]

    svg = charts.bar_chart(bars, title="Q & A")

    assert svg.startswith("<svg")
    assert svg.count("<rect") == 2
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "Q &amp; A" in svg


def test_exports_neutralize_formulas(survey):
    answer(survey, "7A", 1, "=HYPERLINK(1)")
    answer(survey, "7A", 2, "+1")
    answer(survey, "7A", 3, "@x")
    answer(survey, "7A", 0, "-1")

    rows = list(csv.reader(io.StringIO(exports.as_csv(survey=survey).decode())))
    texts = sorted(row[3] for row in rows[1:])
    assert texts == ["'+1", "'-1", "'=HYPERLINK(1)", "'@x"]

    sheet = load_workbook(io.BytesIO(exports.as_xlsx(survey=survey))).active
    cells = sorted(row[3] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert cells == ["'+1", "'-1", "'=HYPERLINK(1)", "'@x"]
    assert all(cell.data_type == "s" for row in sheet.iter_rows() for cell in row[3:])


@override_settings(PORTAL_SURVEY_MIN_GROUP=5)
def test_exports_hide_the_grade_of_small_groups(survey):
    for _i in range(5):
        answer(survey, "7A", 1)
    answer(survey, "9A", 1)

    rows = exports.rows(survey=survey)

    assert sorted(str(row[1]) for row in rows[1:]) == ["", "7", "7", "7", "7", "7"]


def test_compare_puts_two_runs_side_by_side(survey, security_officer):
    answer(survey, "7A", 1)
    answer(survey, "7A", 3)
    again = services.copy_survey(actor=security_officer, survey=survey)
    services.publish_survey(actor=security_officer, survey=again)
    answer(again, "7B", 3, username="later")

    rows = selectors.compare(first=survey, second=again).rows

    assert [(r.first, r.second, r.change) for r in rows] == [
        (2.0, 3.0, 1.0),
        (None, None, None),
    ]
    assert list(selectors.runs_of(survey=survey)) == [again]
    assert list(selectors.runs_of(survey=again)) == [survey]


def test_the_2022_survey_matches_the_schools_report(db):
    call_command("seed_demo", password="demo-password-for-tests", stdout=io.StringIO())
    call_command("seed_demo", password="demo-password-for-tests", stdout=io.StringIO())

    survey = Survey.objects.get(title_ky=demo.TITLE[0])
    results = selectors.results(survey=survey)

    assert results.responses == 127
    assert Response.objects.filter(survey=survey).count() == 127
    reported = [q[4] for q in demo.QUESTIONS]
    assert [r.mode for r in results.questions] == reported == [1, 1, 0, 3]
    assert [round(r.mean) for r in results.questions] == reported
    assert [
        (r.question.min_value, r.question.max_value) for r in results.questions
    ] == [
        (0, 3),
        (0, 1),
        (0, 2),
        (0, 3),
    ]
    assert {g.name for g in results.groups} == {"5", "6", "7", "8", "9"}
    assert survey.conclusions == demo.CONCLUSIONS
    assert Recommendation.objects.filter(survey=survey).count() == 2
    assert survey.title_ru and survey.title_en and survey.purpose_en
    assert not survey.participations.exists()
