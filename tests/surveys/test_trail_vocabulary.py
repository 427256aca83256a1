"""Each action on a survey, done from its page, is in the trail by its name; an
edit or a change of status is "old" and "new" of what it changed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditAction, AuditEvent
from surveys.models import Question, Recommendation, Survey
from tests.account_security.browser import submit
from tests.factories import UserFactory
from tests.surveys.factories import add_question, make_survey
from tests.trail import changed, the_event


def page(client, name, *args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200, name
    return response


def on(survey) -> dict:
    return {"target_type": "surveys.survey", "target_id": str(survey.pk)}


def survey_events(action, survey):
    return AuditEvent.objects.filter(action=action, **on(survey)).order_by("seq")


def detail(client, survey, name, values=None, *args):
    return submit(
        client,
        page(client, "surveys:detail", survey.pk),
        values or {},
        action=reverse(name, args=[survey.pk, *args]),
    )


def test_a_survey_drafted_built_published_answered_and_closed_from_its_pages(
    client, security_officer
):
    pupil = UserFactory(username="pupil7a", school_class="7A", roles=[Role.STUDENT])
    client.force_login(security_officer)
    now = timezone.localtime()
    submit(
        client,
        page(client, "surveys:create"),
        {
            "title_ky": "Коопсуздук",
            "audience_roles": ["student"],
            "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        },
        having="title_ky",
    )
    survey = Survey.objects.get()
    question = {"text_ky": "Канча?", "min_value": "0", "max_value": "3"}
    for _twice in range(2):
        detail(client, survey, "surveys:question_add", {"kind": "scale", **question})
    detail(
        client,
        survey,
        "surveys:question_delete",
        {},
        Question.objects.get(order=2).pk,
    )
    detail(client, survey, "surveys:publish")
    client.force_login(pupil)
    answer = f"q{survey.questions.get().pk}"
    submit(
        client, page(client, "surveys:answer", survey.pk), {answer: "2"}, having=answer
    )
    client.force_login(security_officer)
    detail(client, survey, "surveys:close")

    drafted = the_event(AuditAction.SURVEY_DRAFT, **on(survey))
    assert (drafted.actor, drafted.details) == (
        security_officer,
        {"title": "Коопсуздук"},
    )
    added = survey_events(AuditAction.QUESTION_ADD, survey)
    assert [e.details for e in added] == [
        {"question": 1, "kind": "scale"},
        {"question": 2, "kind": "scale"},
    ]
    removed = the_event(AuditAction.QUESTION_REMOVE, **on(survey))
    assert removed.details == {"question": 2}
    published = the_event(AuditAction.SURVEY_PUBLISH, **on(survey))
    assert changed(published) == (
        {"status": "draft", "audience_size": None},
        {"status": "open", "audience_size": 1},
    )
    answered = the_event(AuditAction.SURVEY_ANSWER, **on(survey))
    assert (answered.actor, answered.details) == (pupil, {"anonymous": True})
    closed = the_event(AuditAction.SURVEY_CLOSE, **on(survey))
    assert changed(closed) == (
        {"status": "open", "audience_size": 1},
        {"status": "closed", "audience_size": 1},
    )


@pytest.fixture
def open_survey(security_officer):
    survey = make_survey(min_grade=5, max_grade=9, created_by=security_officer)
    add_question(survey, min_value=0, max_value=3)
    return survey


def test_conclusions_recommendations_and_a_copy_from_the_results_page(
    client, security_officer, director, open_survey
):
    client.force_login(security_officer)
    results = "surveys:results"
    submit(
        client,
        page(client, results, open_survey.pk),
        {"conclusions": "Wi-Fi начар"},
        having="conclusions",
    )
    submit(
        client,
        page(client, results, open_survey.pk),
        {
            "text": "Ар бир класста Wi-Fi",
            "responsible": str(director.pk),
            "due_on": "2030-09-01",
        },
        having="text",
    )
    item = Recommendation.objects.get()
    for _done_then_reopened in range(2):
        submit(
            client,
            page(client, results, open_survey.pk),
            {},
            action=reverse("surveys:recommendation_status", args=[item.pk]),
        )
    detail(client, open_survey, "surveys:copy")

    conclusions = the_event(AuditAction.CONCLUSIONS, **on(open_survey))
    assert changed(conclusions) == (
        {"conclusions": ""},
        {"conclusions": "Wi-Fi начар"},
    )
    made = the_event(AuditAction.RECOMMENDATION_ADD)
    assert made.details == {
        "survey": open_survey.pk,
        "responsible": director.pk,
        "due_on": "2030-09-01",
    }
    done = the_event(AuditAction.RECOMMENDATION_DONE)
    reopened = the_event(AuditAction.RECOMMENDATION_REOPEN)
    assert changed(done) == ({"status": "open"}, {"status": "done"})
    assert changed(reopened) == ({"status": "done"}, {"status": "open"})
    copy = Survey.objects.get(copied_from=open_survey)
    copied = the_event(AuditAction.SURVEY_COPY, **on(copy))
    assert copied.details == {"copied_from": open_survey.pk}
