"""In an anonymous survey nothing joins what was answered to who answered."""

import pytest
from django.db import models

from accounts.models import User
from accounts.roles import Role
from audit.models import AuditEvent
from surveys import services
from surveys.models import Answer, Participation, Response
from tests.factories import UserFactory
from tests.surveys.factories import add_question, make_survey


def test_response_tables_have_no_path_to_a_person_nor_an_order():
    for model in (Response, Answer):
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete:
                assert field.related_model is not User, (model, field.name)
                assert field.related_model is not Participation, (model, field.name)
            assert not isinstance(field, models.DateField | models.DateTimeField), (
                model,
                field.name,
            )
        # The primary key is a random UUID: no sequence tells which came first.
        assert isinstance(model._meta.pk, models.UUIDField)
        assert model._meta.pk.default.__name__ == "uuid4"
        assert model._meta.ordering == ["id"]
    # From a response, only the named survey's participation can point back.
    reverse = sorted(
        f.name for f in Response._meta.get_fields() if f.auto_created and not f.concrete
    )
    assert reverse == ["answers", "named_participation"]


@pytest.mark.django_db
def test_insertion_order_cannot_be_recovered_from_anonymous_responses():
    survey = make_survey(anonymous=True)
    question = add_question(survey, min_value=0, max_value=9)
    pupils = [
        UserFactory(username=f"p{i}", school_class="7A", roles=[Role.STUDENT])
        for i in range(12)
    ]
    for value, pupil in enumerate(pupils[:10]):
        services.submit_response(
            actor=pupil, survey=survey, answers={question.pk: value}
        )

    participations = Participation.objects.filter(survey=survey)
    assert participations.count() == 10
    assert not participations.filter(response__isnull=False).exists()
    # Rows come back in UUID order, which is random: the answers given in the
    # order 0..9 do not come back in that order (one chance in 10! that they do).
    stored = list(
        Answer.objects.filter(question=question).values_list("value", flat=True)
    )
    assert sorted(stored) == list(range(10))
    assert stored != list(range(10))
    # Nothing on a response row besides its survey and the grade.
    row = Response.objects.values().first()
    assert set(row) == {"id", "survey_id", "grade", "school_class"}
    assert row["school_class"] == ""
    # The trail names who took part, never which response is theirs.
    ids = {str(pk) for pk in Response.objects.values_list("id", flat=True)}
    for event in AuditEvent.objects.all():
        assert not ids & {event.target_id, *map(str, event.details.values())}
