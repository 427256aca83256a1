"""Building, publishing and answering surveys; conclusions and recommendations."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from accounts.access import Forbidden, NotVisible
from accounts.roles import Role
from audit.models import AuditAction, AuditEvent
from surveys import services
from surveys.models import (
    Answer,
    Participation,
    QuestionKind,
    Recommendation,
    RecommendationStatus,
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


def survey_events():
    """Events about surveys (creating the test's people is audited too)."""
    return AuditEvent.objects.filter(target_type__startswith="surveys.")


def survey_fields(**overrides):
    now = timezone.now()
    fields = {
        "title_ky": "Коопсуздук",
        "title_ru": "Безопасность",
        "title_en": "Security",
        "purpose_ky": "Максаты",
        "audience_roles": [Role.STUDENT.value],
        "min_grade": 5,
        "max_grade": 9,
        "opens_at": now,
        "closes_at": now + timedelta(days=7),
        "anonymous": True,
    }
    return fields | overrides


@pytest.fixture
def pupil(db):
    return UserFactory(username="pupil7a", school_class="7A", roles=[Role.STUDENT])


@pytest.fixture
def open_survey(security_officer):
    survey = make_survey(min_grade=5, max_grade=9, created_by=security_officer)
    add_question(survey, min_value=0, max_value=3)
    add_question(survey, kind=QuestionKind.YES_NO)
    add_question(survey, kind=QuestionKind.TEXT, required=False)
    return survey


def answers_for(survey, *values):
    return dict(
        zip(survey.questions.values_list("pk", flat=True), values, strict=False)
    )


# Building


def test_security_officer_creates_a_draft_and_it_is_audited(security_officer):
    survey = services.create_survey(actor=security_officer, fields=survey_fields())

    assert survey.status == SurveyStatus.DRAFT
    assert survey.audience_roles == ["student"]
    event = survey_events().get(action=AuditAction.SURVEY_DRAFT)
    assert (event.actor, event.target_id) == (security_officer, str(survey.pk))
    assert event.details == {"title": survey.title_ky}


@pytest.mark.parametrize("who", ["director", "teacher", "student", "outsider"])
def test_only_managers_create_surveys(everyone, who):
    with pytest.raises(Forbidden):
        services.create_survey(actor=everyone[who], fields=survey_fields())

    assert not Survey.objects.exists()
    assert not survey_events().exists()


def test_a_survey_must_close_after_it_opens(administrator):
    fields = survey_fields()
    fields["closes_at"] = fields["opens_at"]

    with pytest.raises(services.SurveyRefused):
        services.create_survey(actor=administrator, fields=fields)

    assert not Survey.objects.exists()


def test_questions_are_added_in_order_with_scale_labels(security_officer):
    survey = services.create_survey(actor=security_officer, fields=survey_fields())

    first = services.add_question(
        actor=security_officer,
        survey=survey,
        fields={"kind": "scale", "text_ky": "Канча?", "min_value": 1, "max_value": 5},
        options=[("аз", "мало", "few"), ("", "", "")],
    )
    second = services.add_question(
        actor=security_officer,
        survey=survey,
        fields={"kind": "multiple", "text_ky": "Кайсы?"},
        options=[("A", "", ""), ("B", "", "")],
    )

    assert (first.order, second.order) == (1, 2)
    assert first.choices()[0] == (1, "аз")
    assert first.choices()[4] == (5, "5")
    assert [v for v, _label in second.choices()] == [1, 2]


@pytest.mark.parametrize(
    ("fields", "options"),
    [
        ({"kind": "scale", "text_ky": "?", "min_value": 3, "max_value": 3}, []),
        ({"kind": "scale", "text_ky": "?", "min_value": 0, "max_value": 20}, []),
        ({"kind": "scale", "text_ky": "?"}, []),
        ({"kind": "single", "text_ky": "?"}, [("A", "", "")]),
        ({"kind": "text", "text_ky": ""}, []),
        ({"kind": "text", "text_ky": "?"}, [("A", "", "")]),
    ],
)
def test_a_malformed_question_is_refused(security_officer, fields, options):
    survey = services.create_survey(actor=security_officer, fields=survey_fields())

    with pytest.raises(services.SurveyRefused):
        services.add_question(
            actor=security_officer, survey=survey, fields=fields, options=options
        )

    assert not survey.questions.exists()


def test_a_published_survey_cannot_be_changed(security_officer, open_survey):
    with pytest.raises(services.SurveyRefused):
        services.add_question(
            actor=security_officer,
            survey=open_survey,
            fields={"kind": "text", "text_ky": "?"},
        )
    with pytest.raises(services.SurveyRefused):
        services.update_survey(
            actor=security_officer, survey=open_survey, fields={"title_ky": "Жаңы"}
        )

    assert open_survey.questions.count() == 3


def test_publishing_needs_a_question_and_then_opens(security_officer):
    survey = services.create_survey(actor=security_officer, fields=survey_fields())
    with pytest.raises(services.SurveyRefused):
        services.publish_survey(actor=security_officer, survey=survey)

    add_question(survey)
    services.publish_survey(actor=security_officer, survey=survey)

    survey.refresh_from_db()
    assert survey.status == SurveyStatus.OPEN
    assert survey.is_open_now


def test_closing_and_deleting_questions(security_officer):
    survey = services.create_survey(actor=security_officer, fields=survey_fields())
    first, second = add_question(survey), add_question(survey)

    services.delete_question(actor=security_officer, question=first)

    second.refresh_from_db()
    assert second.order == 1
    services.publish_survey(actor=security_officer, survey=survey)
    services.close_survey(actor=security_officer, survey=survey)
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.CLOSED


# Answering


def test_a_pupil_in_the_audience_answers_once(pupil, open_survey):
    response = services.submit_response(
        actor=pupil, survey=open_survey, answers=answers_for(open_survey, 2, 1, "ok")
    )

    assert response.grade == 7
    assert response.school_class == ""
    stored = Answer.objects.filter(response=response)
    assert set(stored.values_list("value", "text")) == {(2, ""), (1, ""), (None, "ok")}
    participation = Participation.objects.get(survey=open_survey, person=pupil)
    assert participation.response is None
    event = survey_events().get(action=AuditAction.SURVEY_ANSWER)
    assert event.actor == pupil
    assert event.target_id == str(open_survey.pk)
    assert event.details == {"anonymous": True}
    assert str(response.pk) not in str(event.details)


def test_a_named_survey_links_the_response_to_the_person(pupil, open_survey):
    open_survey.anonymous = False
    open_survey.save()

    response = services.submit_response(
        actor=pupil, survey=open_survey, answers=answers_for(open_survey, 0, 0, "")
    )

    assert Participation.objects.get(person=pupil).response == response
    assert response.school_class == "7A"
    event = survey_events().get(action=AuditAction.SURVEY_ANSWER)
    assert event.details["response"] == str(response.pk)


def nothing_stored():
    return (
        not Response.objects.exists()
        and not Answer.objects.exists()
        and not Participation.objects.exists()
        and not survey_events().filter(action=AuditAction.SURVEY_ANSWER).exists()
    )


def test_a_second_answer_is_refused_and_nothing_changes(pupil, open_survey):
    services.submit_response(
        actor=pupil, survey=open_survey, answers=answers_for(open_survey, 1, 1)
    )

    with pytest.raises(services.SurveyRefused) as refusal:
        services.submit_response(
            actor=pupil, survey=open_survey, answers=answers_for(open_survey, 3, 0)
        )

    with translation.override("ky"):
        assert refusal.value.message == translation.gettext(
            "You have already answered this survey."
        )
    assert Response.objects.count() == 1
    assert list(Answer.objects.values_list("value", flat=True).order_by("value")) == [
        1,
        1,
    ]


@pytest.mark.parametrize(
    "values",
    [(4, 1, ""), (-1, 1, ""), (1, 2, ""), ("x", 1, ""), (None, 1, ""), (1, None, "")],
)
def test_an_answer_out_of_range_or_missing_is_refused(pupil, open_survey, values):
    with pytest.raises(services.SurveyRefused) as refusal:
        services.submit_response(
            actor=pupil, survey=open_survey, answers=answers_for(open_survey, *values)
        )

    assert refusal.value.errors
    assert nothing_stored()


def test_a_closed_survey_refuses_answers(pupil, open_survey):
    open_survey.closes_at = timezone.now() - timedelta(minutes=1)
    open_survey.save()

    with pytest.raises(services.SurveyRefused):
        services.submit_response(
            actor=pupil, survey=open_survey, answers=answers_for(open_survey, 1, 1)
        )

    assert nothing_stored()


@pytest.mark.parametrize("school_class", ["4B", "10A", ""])
def test_someone_outside_the_audience_gets_not_found(db, open_survey, school_class):
    other = UserFactory(school_class=school_class, roles=[Role.STUDENT])

    with pytest.raises(NotVisible):
        services.submit_response(
            actor=other, survey=open_survey, answers=answers_for(open_survey, 1, 1)
        )

    assert nothing_stored()


def test_a_teacher_is_outside_a_students_survey(teacher, open_survey):
    with pytest.raises(NotVisible):
        services.submit_response(
            actor=teacher, survey=open_survey, answers=answers_for(open_survey, 1, 1)
        )

    assert nothing_stored()


def test_a_survey_for_named_classes(db):
    survey = make_survey(classes="7a, 8B")
    add_question(survey)
    inside = UserFactory(school_class="7A", roles=[Role.STUDENT])
    outside = UserFactory(school_class="7B", roles=[Role.STUDENT])

    services.submit_response(
        actor=inside, survey=survey, answers=answers_for(survey, 1)
    )
    with pytest.raises(NotVisible):
        services.submit_response(
            actor=outside, survey=survey, answers=answers_for(survey, 1)
        )

    assert Response.objects.count() == 1


def test_multiple_choice_and_number_answers(pupil):
    survey = make_survey()
    add_question(survey, kind=QuestionKind.MULTIPLE)
    add_question(survey, kind=QuestionKind.NUMBER, min_value=0, max_value=24)

    with pytest.raises(services.SurveyRefused):
        services.submit_response(
            actor=pupil, survey=survey, answers=answers_for(survey, [1, 9], 3)
        )
    with pytest.raises(services.SurveyRefused):
        services.submit_response(
            actor=pupil, survey=survey, answers=answers_for(survey, [1], 25)
        )
    services.submit_response(
        actor=pupil, survey=survey, answers=answers_for(survey, [1, 3], 24)
    )

    assert sorted(Answer.objects.values_list("value", flat=True)) == [1, 3, 24]


# Conclusions, recommendations, copies


def test_conclusions_and_recommendations_are_audited(
    security_officer, director, open_survey
):
    services.write_conclusions(
        actor=security_officer, survey=open_survey, text="Wi-Fi is weak."
    )
    item = services.add_recommendation(
        actor=security_officer,
        survey=open_survey,
        text="Strong Wi-Fi in every class",
        responsible=director,
        due_on=timezone.localdate() + timedelta(days=30),
    )
    services.set_recommendation_status(
        actor=security_officer, recommendation=item, status=RecommendationStatus.DONE
    )

    open_survey.refresh_from_db()
    item.refresh_from_db()
    assert open_survey.conclusions == "Wi-Fi is weak."
    assert item.status == RecommendationStatus.DONE
    actions = list(survey_events().order_by("seq").values_list("action", "details"))
    assert actions[0] == (
        AuditAction.CONCLUSIONS,
        {"old": {"conclusions": ""}, "new": {"conclusions": "Wi-Fi is weak."}},
    )
    assert actions[1][0] == AuditAction.RECOMMENDATION_ADD
    assert actions[1][1]["responsible"] == director.pk
    assert actions[2] == (
        AuditAction.RECOMMENDATION_DONE,
        {"old": {"status": "open"}, "new": {"status": "done"}},
    )


@pytest.mark.parametrize("who", ["director", "teacher", "student"])
def test_only_managers_write_recommendations(everyone, open_survey, who):
    with pytest.raises(Forbidden):
        services.add_recommendation(
            actor=everyone[who],
            survey=open_survey,
            text="x",
            responsible=everyone["director"],
            due_on=timezone.localdate(),
        )
    with pytest.raises(Forbidden):
        services.write_conclusions(actor=everyone[who], survey=open_survey, text="x")

    assert not Recommendation.objects.exists()
    open_survey.refresh_from_db()
    assert open_survey.conclusions == ""
    assert not survey_events().exists()


def test_a_copy_is_a_draft_with_the_same_questions(security_officer, open_survey):
    copy = services.copy_survey(actor=security_officer, survey=open_survey)

    assert copy.status == SurveyStatus.DRAFT
    assert copy.copied_from == open_survey
    assert copy.title_ky == open_survey.title_ky
    assert list(copy.questions.values_list("order", "kind", "text_ky")) == list(
        open_survey.questions.values_list("order", "kind", "text_ky")
    )
    event = survey_events().get(action=AuditAction.SURVEY_COPY)
    assert (event.target_id, event.details) == (
        str(copy.pk),
        {"copied_from": open_survey.pk},
    )


def test_a_student_cannot_copy(student, open_survey):
    with pytest.raises(Forbidden):
        services.copy_survey(actor=student, survey=open_survey)

    assert Survey.objects.count() == 1
