"""One response per person, even when the same person submits twice at once."""

import threading

import pytest
from django.db import connection, connections

from accounts.roles import Role
from surveys import services
from surveys.models import Answer, Participation, Response
from tests.factories import UserFactory
from tests.surveys.factories import add_question, make_survey


@pytest.mark.django_db
def test_a_double_submit_stores_one_response():
    pupil = UserFactory(school_class="6B", roles=[Role.STUDENT])
    survey = make_survey()
    question = add_question(survey)

    outcomes = []
    for value in (1, 2):
        try:
            services.submit_response(
                actor=pupil, survey=survey, answers={question.pk: value}
            )
            outcomes.append("stored")
        except services.SurveyRefused:
            outcomes.append("refused")

    assert outcomes == ["stored", "refused"]
    assert Response.objects.count() == Participation.objects.count() == 1
    assert list(Answer.objects.values_list("value", flat=True)) == [1]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL's row locking"
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_store_one_response():
    pupil = UserFactory(school_class="6B", roles=[Role.STUDENT])
    survey = make_survey()
    question = add_question(survey)
    start = threading.Barrier(4)
    outcomes = []

    def submit(value):
        try:
            start.wait()
            services.submit_response(
                actor=pupil, survey=survey, answers={question.pk: value}
            )
            outcomes.append("stored")
        except services.SurveyRefused:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(v,)) for v in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["refused", "refused", "refused", "stored"]
    assert Response.objects.count() == Participation.objects.count() == 1
    assert Answer.objects.count() == 1
