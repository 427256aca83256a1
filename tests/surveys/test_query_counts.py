"""Survey results cost a fixed number of queries, whatever the survey holds:
one survey with one answer, and one with many questions, answers, groups,
recommendations and a long copy history, cost the same (issue 19)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys import selectors, services
from surveys.models import QuestionKind, Recommendation, Survey
from tests.surveys.factories import add_question, make_survey
from tests.surveys.test_results import answer

# Session, person and permissions; the survey; the view's audit event (the
# head read, the roles, the insert: BEGIN and COMMIT are not counted by
# Django); questions, options, responses, answers; the permission checks;
# the copy history; the recommendations; the request log.
RESULTS_QUERIES = 19


def a_small_survey():
    survey = make_survey(min_grade=5, max_grade=9)
    add_question(survey)
    answer(survey, "7A", 1)
    return survey


def a_large_survey(security_officer):
    original = make_survey(min_grade=5, max_grade=9)
    for kind in (QuestionKind.SCALE, QuestionKind.SINGLE, QuestionKind.NUMBER):
        add_question(original, kind=kind)
    add_question(original, kind=QuestionKind.TEXT, required=False)
    # Four generations of copies, and a copy beside them.
    survey = original
    for _generation in range(4):
        survey = services.copy_survey(actor=security_officer, survey=survey)
    services.copy_survey(actor=security_officer, survey=original)
    services.publish_survey(actor=security_officer, survey=survey)
    for n, school_class in enumerate(["5A", "6B", "7A", "8B"] * 3):
        answer(survey, school_class, n % 4, (n % 3) + 1, n, f"text {n}")
    for n in range(3):
        Recommendation.objects.create(
            survey=survey,
            text=f"Recommendation {n}",
            responsible=security_officer,
            due_on=timezone.localdate(),
            created_by=security_officer,
        )
    return survey


@pytest.mark.parametrize("size", ["small", "large"])
def test_the_results_page_costs_the_same_queries_at_any_size(
    client, security_officer, django_assert_num_queries, size
):
    survey = a_small_survey() if size == "small" else a_large_survey(security_officer)
    client.force_login(security_officer)
    url = reverse("surveys:results", args=[survey.pk])

    with django_assert_num_queries(RESULTS_QUERIES):
        response = client.get(url)

    assert response.status_code == 200
    assert response.context["results"].responses == (1 if size == "small" else 12)


def test_the_copy_history_is_read_in_one_query(
    db, security_officer, django_assert_num_queries
):
    original = make_survey()
    chain = [original]
    for _generation in range(5):
        chain.append(services.copy_survey(actor=security_officer, survey=chain[-1]))
    beside = services.copy_survey(actor=security_officer, survey=chain[2])
    unrelated = make_survey()

    with django_assert_num_queries(1):
        runs = set(selectors.runs_of(survey=chain[3]))

    assert runs == {*chain, beside} - {chain[3]}
    assert unrelated not in runs
    assert set(selectors.runs_of(survey=unrelated)) == set()


def test_a_copy_whose_original_was_deleted_still_finds_its_own_copies(
    db, security_officer
):
    original = make_survey()
    first = services.copy_survey(actor=security_officer, survey=original)
    second = services.copy_survey(actor=security_officer, survey=first)
    Survey.objects.filter(pk=original.pk).delete()
    first.refresh_from_db()

    assert list(selectors.runs_of(survey=first)) == [second]
    assert list(selectors.runs_of(survey=second)) == [first]
