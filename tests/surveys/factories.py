"""Surveys built straight in the database, for tests that need one ready."""

from datetime import timedelta

from django.utils import timezone

from accounts.roles import Role
from surveys.models import (
    Option,
    Question,
    QuestionKind,
    Recommendation,
    Survey,
    SurveyStatus,
)


def make_survey(**fields) -> Survey:
    now = timezone.now()
    values = {
        "title_ky": "Коопсуздук",
        "title_ru": "Безопасность",
        "title_en": "Security",
        "audience_roles": [Role.STUDENT.value],
        "opens_at": now - timedelta(days=1),
        "closes_at": now + timedelta(days=7),
        "status": SurveyStatus.OPEN,
        "anonymous": True,
    }
    values.update(fields)
    return Survey.objects.create(**values)


def add_question(survey: Survey, kind=QuestionKind.SCALE, **fields) -> Question:
    order = survey.questions.count() + 1
    values = {"text_ky": f"Суроо {order}", "text_en": f"Question {order}"}
    if kind == QuestionKind.SCALE:
        values.update(min_value=0, max_value=3)
    values.update(fields)
    question = Question.objects.create(survey=survey, order=order, kind=kind, **values)
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        for value, label in enumerate(["A", "B", "C"], start=1):
            Option.objects.create(question=question, value=value, label_ky=label)
    return question


def matrix_survey(people: dict) -> Survey:
    """An open survey for students, with one question and one recommendation."""
    survey = make_survey(created_by=people["security_officer"])
    add_question(survey)
    Recommendation.objects.create(
        survey=survey,
        text="Wi-Fi",
        responsible=people["director"],
        due_on=timezone.localdate(),
        created_by=people["security_officer"],
    )
    return survey


def survey_args(people: dict) -> dict:
    return {"pk": matrix_survey(people).pk}


def question_args(people: dict) -> dict:
    survey = matrix_survey(people)
    return {"pk": survey.pk, "question_pk": survey.questions.get().pk}


def recommendation_args(people: dict) -> dict:
    return {"pk": matrix_survey(people).recommendations.get().pk}
