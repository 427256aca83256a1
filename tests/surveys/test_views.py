"""The survey pages: build, answer, results, recommendations on the home page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from accounts.roles import Role
from audit.models import AuditAction, AuditEvent
from surveys import demo
from surveys.models import (
    Answer,
    Participation,
    Recommendation,
    Response,
    Survey,
    SurveyStatus,
)
from tests.factories import UserFactory
from tests.surveys.factories import add_question, make_survey


@pytest.fixture(autouse=True)
def kyrgyz_first(settings):
    """These tests read the Kyrgyz texts, as the school sees them."""
    settings.LANGUAGE_CODE = "ky"


@pytest.fixture
def pupil(db):
    return UserFactory(username="pupil7a", school_class="7A", roles=[Role.STUDENT])


@pytest.fixture
def survey(db):
    survey = make_survey(min_grade=5, max_grade=9)
    add_question(survey, min_value=0, max_value=3)
    return survey


def answer_url(survey):
    return reverse("surveys:answer", args=[survey.pk])


def field(survey, order=1):
    return f"q{survey.questions.get(order=order).pk}"


def test_security_officer_builds_and_publishes_a_survey(client, security_officer):
    client.force_login(security_officer)
    now = timezone.localtime()
    response = client.post(
        reverse("surveys:create"),
        {
            "title_ky": "Коопсуздук",
            "audience_roles": ["student"],
            "min_grade": 5,
            "max_grade": 9,
            "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
            "anonymous": "on",
        },
    )
    survey = Survey.objects.get()
    assert response.url == reverse("surveys:detail", args=[survey.pk])

    client.post(
        reverse("surveys:question_add", args=[survey.pk]),
        {
            "kind": "scale",
            "text_ky": "Канча?",
            "required": "on",
            "min_value": 0,
            "max_value": 3,
            "options": "жок | нет | none\nбир | один | one",
        },
    )
    client.post(reverse("surveys:publish", args=[survey.pk]))

    survey.refresh_from_db()
    assert survey.status == SurveyStatus.OPEN
    question = survey.questions.get()
    assert question.choices()[:2] == [(0, "жок"), (1, "бир")]


def test_a_bad_question_shows_the_reason(client, security_officer):
    client.force_login(security_officer)
    survey = make_survey(status=SurveyStatus.DRAFT)

    response = client.post(
        reverse("surveys:question_add", args=[survey.pk]),
        {"kind": "scale", "text_ky": "?", "min_value": 3, "max_value": 1},
    )

    assert response.status_code == 200
    assert response.context["question_form"].non_field_errors()
    assert not survey.questions.exists()


@pytest.mark.parametrize("who", ["director", "teacher", "student", "outsider"])
def test_management_pages_are_not_found_for_others(client, everyone, survey, who):
    client.force_login(everyone[who])

    assert client.get(reverse("surveys:create")).status_code == 404
    assert client.get(reverse("surveys:detail", args=[survey.pk])).status_code == 404
    response = client.post(reverse("surveys:conclusions", args=[survey.pk]))
    assert response.status_code == 404
    survey.refresh_from_db()
    assert survey.conclusions == ""


def test_the_answer_page_has_big_radio_buttons(client, pupil, survey):
    client.force_login(pupil)

    html = client.get(answer_url(survey)).content.decode()

    assert html.count('type="radio"') == 4
    assert 'class="choice"' in html


def test_a_pupil_answers_and_cannot_answer_again(client, pupil, survey):
    client.force_login(pupil)

    response = client.post(answer_url(survey), {field(survey): "2"})
    assert response.url == reverse("surveys:list")
    again = client.post(answer_url(survey), {field(survey): "3"})

    assert list(Answer.objects.values_list("value", flat=True)) == [2]
    with translation.override("ky"):
        expected = translation.gettext(
            "You have already answered this survey. Thank you!"
        )
    assert expected in again.content.decode()


def test_an_out_of_range_answer_is_refused_with_a_message(client, pupil, survey):
    client.force_login(pupil)

    response = client.post(answer_url(survey), {field(survey): "7"})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Response.objects.exists()
    assert not Participation.objects.exists()


def test_a_closed_survey_says_so(client, pupil, survey):
    survey.status = SurveyStatus.CLOSED
    survey.save()
    client.force_login(pupil)

    response = client.post(answer_url(survey), {field(survey): "1"})

    assert response.context["refusal"]
    assert not Response.objects.exists()


@pytest.mark.parametrize("school_class", ["4A", "11A"])
def test_outside_the_audience_the_survey_is_not_found(client, db, survey, school_class):
    client.force_login(UserFactory(school_class=school_class, roles=[Role.STUDENT]))

    assert client.get(answer_url(survey)).status_code == 404
    assert client.post(answer_url(survey), {field(survey): "1"}).status_code == 404
    assert not Response.objects.exists()
    denied = AuditEvent.objects.filter(action=AuditAction.DENIED)
    assert [event.details["status"] for event in denied] == [404, 404]


def test_a_draft_is_not_found_even_for_its_audience(client, pupil, survey):
    survey.status = SurveyStatus.DRAFT
    survey.save()
    client.force_login(pupil)

    assert client.get(answer_url(survey)).status_code == 404


def test_open_surveys_appear_on_the_students_home(client, pupil, survey, student):
    client.force_login(pupil)
    assert answer_url(survey) in client.get(reverse("home")).content.decode()

    client.post(answer_url(survey), {field(survey): "1"})
    assert answer_url(survey) not in client.get(reverse("home")).content.decode()

    client.force_login(student)  # no class: not in grades 5-9
    assert answer_url(survey) not in client.get(reverse("home")).content.decode()


def test_results_show_a_chart_and_are_audited(client, pupil, security_officer, survey):
    client.force_login(pupil)
    client.post(answer_url(survey), {field(survey): "2"})
    client.force_login(security_officer)

    response = client.get(reverse("surveys:results", args=[survey.pk]))

    html = response.content.decode()
    assert "<svg" in html
    assert response.context["results"].questions[0].mean == 2
    view = AuditEvent.objects.get(action=AuditAction.VIEW)
    assert (view.actor, view.target_id) == (security_officer, str(survey.pk))


def test_the_officer_writes_a_recommendation_the_principal_sees_at_home(
    client, security_officer, director, survey
):
    client.force_login(security_officer)
    client.post(
        reverse("surveys:conclusions", args=[survey.pk]),
        {"conclusions": "Wi-Fi is weak"},
    )
    client.post(
        reverse("surveys:recommendation_add", args=[survey.pk]),
        {
            "text": "Strong Wi-Fi in every classroom",
            "responsible": director.pk,
            "due_on": "2030-09-01",
        },
    )
    item = Recommendation.objects.get()
    assert (item.responsible, item.due_on.isoformat()) == (director, "2030-09-01")

    client.force_login(director)
    home = client.get(reverse("home")).content.decode()
    assert "Strong Wi-Fi in every classroom" in home
    results = client.get(reverse("surveys:results", args=[survey.pk]))
    assert "Wi-Fi is weak" in results.content.decode()
    assert 'action="/surveys/' not in results.content.decode()

    client.force_login(security_officer)
    client.post(
        reverse("surveys:recommendation_status", args=[item.pk]), {"status": "done"}
    )
    client.force_login(director)
    home = client.get(reverse("home")).content.decode()
    assert "Strong Wi-Fi in every classroom" not in home


def test_the_principals_home_costs_few_queries(
    client, director, survey, django_assert_max_num_queries
):
    for i in range(10):
        Recommendation.objects.create(
            survey=survey,
            text=f"item {i}",
            responsible=director,
            due_on=timezone.localdate(),
            created_by=director,
        )
    client.force_login(director)

    # A fixed cost: the panel's signals from every feature, not one per item
    # (tests/accounts/test_home_query_counts.py pins each home's exact count).
    with django_assert_max_num_queries(30):
        client.get(reverse("home"))


def test_the_survey_list_costs_few_queries(
    client, security_officer, django_assert_max_num_queries
):
    for _i in range(20):
        make_survey()
    client.force_login(security_officer)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("surveys:list"))

    assert len(response.context["surveys"]) == 20


def test_the_printable_report_and_exports(client, director, pupil, survey):
    client.force_login(pupil)
    client.post(answer_url(survey), {field(survey): "1"})
    client.force_login(director)

    report = client.get(reverse("surveys:report", args=[survey.pk]))
    csv_file = client.get(reverse("surveys:export_csv", args=[survey.pk]))
    xlsx_file = client.get(reverse("surveys:export_xlsx", args=[survey.pk]))

    assert survey.title_ky in report.content.decode()
    assert "______" in report.content.decode()
    assert csv_file["Content-Type"].startswith("text/csv")
    assert "attachment" in xlsx_file["Content-Disposition"]
    actions = set(
        AuditEvent.objects.filter(actor=director).values_list("action", flat=True)
    )
    assert {AuditAction.PRINT, AuditAction.EXPORT} <= actions


def test_copy_and_compare(client, security_officer, survey):
    client.force_login(security_officer)

    response = client.post(reverse("surveys:copy", args=[survey.pk]))

    copy = Survey.objects.exclude(pk=survey.pk).get()
    assert response.url == reverse("surveys:edit", args=[copy.pk])
    page = client.get(reverse("surveys:compare", args=[survey.pk]), {"other": copy.pk})
    assert len(page.context["comparison"].rows) == 1


def test_the_2022_report_in_the_schools_layout(client, director, security_officer):
    survey = demo.seed()
    client.force_login(director)

    html = client.get(reverse("surveys:report", args=[survey.pk])).content.decode()
    results = client.get(reverse("surveys:results", args=[survey.pk]))

    assert demo.TITLE[0] in html
    assert demo.CONCLUSIONS in html
    assert "127" in html
    assert "1 (бир класс бар)" in html
    assert results.content.decode().count("<svg") == 4
    assert len(results.context["results"].groups) == 5
