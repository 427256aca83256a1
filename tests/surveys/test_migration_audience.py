"""Migration 0002 estimates the audience of the surveys already published."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from accounts.roles import Role
from tests.factories import UserFactory

BEFORE = [("surveys", "0001_surveys_questions_responses_recommendations")]
AFTER = [("surveys", "0002_survey_audience")]


def pupil(school_class, joined):
    person = UserFactory(school_class=school_class, roles=[Role.STUDENT], password="!")
    person.date_joined = joined
    person.save(update_fields=["date_joined"])
    return person


@pytest.fixture
def old_schema(transactional_db):
    """The surveys tables as they were before 0002; the latest again afterwards."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    yield executor.loader.project_state(BEFORE).apps
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_audience_of_published_surveys_is_estimated_from_the_records(old_schema):
    Survey = old_schema.get_model("surveys", "Survey")
    Participation = old_schema.get_model("surveys", "Participation")
    Response = old_schema.get_model("surveys", "Response")
    now = timezone.now()
    year_ago = now - timedelta(days=365)

    def survey(status, closes_at, **fields):
        return Survey.objects.create(
            title_ky=status,
            audience_roles=[Role.STUDENT.value],
            min_grade=5,
            max_grade=9,
            opens_at=closes_at - timedelta(days=7),
            closes_at=closes_at,
            status=status,
            **fields,
        )

    closed = survey("closed", year_ago)
    still_open = survey("open", now + timedelta(days=3))
    draft = survey("draft", now + timedelta(days=3))
    on_paper = survey("closed", year_ago - timedelta(days=30), title_en="paper")
    pupil("7A", year_ago - timedelta(days=100))  # there then, still here
    pupil("4A", year_ago - timedelta(days=100))  # not in grades 5-9
    pupil("8A", now - timedelta(days=10))  # came after the closed survey
    left = pupil("9A", year_ago - timedelta(days=100))
    left.is_active = False
    left.save(update_fields=["is_active"])
    for each in (closed, still_open):
        Participation.objects.create(survey=each, person_id=left.pk)
        Response.objects.create(survey=each, grade=9)
    Response.objects.bulk_create(
        Response(survey=on_paper, grade=7) for _i in range(127)
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)

    Survey = executor.loader.project_state(AFTER).apps.get_model("surveys", "Survey")
    audiences = dict(Survey.objects.values_list("pk", "audience_size"))
    assert audiences == {
        closed.pk: 2,  # the 7A pupil and the 9A pupil who answered and left
        still_open.pk: 3,  # and the 8A pupil who has come since
        draft.pk: None,
        on_paper.pk: 127,  # never fewer than its responses
    }
    assert not Survey.objects.filter(audience_counted_at__isnull=False).exists()
