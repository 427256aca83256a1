"""Response rates against the audience as it was when the survey ran.

A survey counts its audience when it is published and fixes it when it is
closed; an open survey is counted today; the rate never goes above 100 %.
"""

import io
from datetime import datetime, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.access import Forbidden
from accounts.models import User
from accounts.roles import Role
from audit.models import AuditAction, AuditEvent
from surveys import demo, selectors, services
from surveys.models import Response, Survey, SurveyStatus
from tests.factories import UserFactory
from tests.surveys.factories import add_question, make_survey


def pupil(school_class="7A", **fields):
    # An unusable password: these people never sign in, and hashing is slow.
    return UserFactory(
        school_class=school_class, roles=[Role.STUDENT], password="!", **fields
    )


def answer(survey, person, value=1):
    question = survey.questions.get()
    services.submit_response(actor=person, survey=survey, answers={question.pk: value})


def status_events(survey):
    return AuditEvent.objects.filter(
        action__in=[AuditAction.SURVEY_PUBLISH, AuditAction.SURVEY_CLOSE],
        target_type="surveys.survey",
        target_id=survey.pk,
    ).order_by("seq")


@pytest.fixture
def draft(security_officer):
    """A draft for grades 5–9, with three pupils in them and two people outside."""
    survey = make_survey(
        status=SurveyStatus.DRAFT,
        min_grade=5,
        max_grade=9,
        created_by=security_officer,
    )
    add_question(survey)
    for school_class in ("5A", "7B", "9A"):
        pupil(school_class)
    pupil("4A")  # too young
    UserFactory(school_class="7A", roles=[Role.STAFF], password="!")
    return survey


# The services


def test_publishing_records_the_audience_of_that_moment(security_officer, draft):
    services.publish_survey(actor=security_officer, survey=draft)

    draft.refresh_from_db()
    assert draft.status == SurveyStatus.OPEN
    assert draft.audience_size == 3
    assert draft.audience_counted_at is not None
    event = status_events(draft).get()
    assert (event.actor, event.action) == (security_officer, AuditAction.SURVEY_PUBLISH)
    assert event.details == {
        "old": {"status": "draft", "audience_size": None},
        "new": {"status": "open", "audience_size": 3},
    }


def test_closing_fixes_the_audience_with_everyone_who_came_meanwhile(
    security_officer, draft
):
    services.publish_survey(actor=security_officer, survey=draft)
    newcomer = pupil("8A")
    answer(draft, newcomer)

    services.close_survey(actor=security_officer, survey=draft)

    draft.refresh_from_db()
    assert (draft.status, draft.audience_size) == (SurveyStatus.CLOSED, 4)
    close = status_events(draft).last()
    assert (close.actor, close.action) == (security_officer, AuditAction.SURVEY_CLOSE)
    assert close.details == {
        "old": {"status": "open", "audience_size": 3},
        "new": {"status": "closed", "audience_size": 4},
    }


def test_people_joining_or_leaving_later_do_not_move_a_closed_surveys_rate(
    security_officer, draft
):
    services.publish_survey(actor=security_officer, survey=draft)
    first = pupil("6A")
    answer(draft, first)
    services.close_survey(actor=security_officer, survey=draft)
    before = selectors.results(survey=draft)

    for _i in range(10):
        pupil("7C")
    first.is_active = False
    first.save()
    after = selectors.results(survey=Survey.objects.get(pk=draft.pk))

    assert (before.responses, before.audience, before.rate) == (1, 4, 25.0)
    assert (after.responses, after.audience, after.rate) == (1, 4, 25.0)
    assert after.audience_live is False


def test_an_open_survey_counts_the_audience_of_today(security_officer, draft):
    services.publish_survey(actor=security_officer, survey=draft)
    pupil("8B")

    results = selectors.results(survey=draft)

    assert (results.audience, results.audience_live) == (4, True)


def test_someone_who_answered_and_left_is_still_counted(security_officer, draft):
    services.publish_survey(actor=security_officer, survey=draft)
    people = [pupil("9B") for _i in range(2)]
    for person in people:
        answer(draft, person)
    for person in people:
        person.is_active = False
        person.save()

    open_results = selectors.results(survey=draft)
    services.close_survey(actor=security_officer, survey=draft)

    assert (open_results.responses, open_results.audience) == (2, 5)
    assert Survey.objects.get(pk=draft.pk).audience_size == 5


def test_a_survey_closed_late_counts_only_who_had_joined_by_its_closing_time(
    security_officer,
):
    now = timezone.now()
    survey = make_survey(
        opens_at=now - timedelta(days=10), closes_at=now - timedelta(days=3)
    )
    add_question(survey)
    pupil("7A", date_joined=now - timedelta(days=30))
    pupil("7A")  # joined after the closing time

    assert selectors.results(survey=survey).audience == 1
    services.close_survey(actor=security_officer, survey=survey)

    assert Survey.objects.get(pk=survey.pk).audience_size == 1


@pytest.mark.parametrize("who", ["director", "teacher", "student"])
def test_only_managers_publish_and_a_refusal_counts_nothing(everyone, draft, who):
    with pytest.raises(Forbidden):
        services.publish_survey(actor=everyone[who], survey=draft)

    draft.refresh_from_db()
    assert (draft.status, draft.audience_size) == (SurveyStatus.DRAFT, None)
    assert not status_events(draft).exists()


def test_a_draft_cannot_be_closed_and_nothing_is_counted(security_officer, draft):
    with pytest.raises(services.SurveyRefused):
        services.close_survey(actor=security_officer, survey=draft)

    draft.refresh_from_db()
    assert (draft.status, draft.audience_size) == (SurveyStatus.DRAFT, None)
    assert not status_events(draft).exists()


def test_closing_twice_is_refused_and_keeps_the_first_count(security_officer, draft):
    services.publish_survey(actor=security_officer, survey=draft)
    stale = Survey.objects.get(pk=draft.pk)
    services.close_survey(actor=security_officer, survey=draft)
    pupil("8C")

    with pytest.raises(services.SurveyRefused):
        services.close_survey(actor=security_officer, survey=stale)

    assert Survey.objects.get(pk=draft.pk).audience_size == 3
    assert status_events(draft).count() == 2


def test_a_copy_run_again_has_its_own_audience(security_officer, draft):
    services.publish_survey(actor=security_officer, survey=draft)
    services.close_survey(actor=security_officer, survey=draft)

    again = services.copy_survey(actor=security_officer, survey=draft)
    assert (again.audience_size, again.audience_counted_at) == (None, None)
    for _i in range(3):
        pupil("6B")
    services.publish_survey(actor=security_officer, survey=again)

    assert Survey.objects.get(pk=again.pk).audience_size == 6
    assert Survey.objects.get(pk=draft.pk).audience_size == 3
    comparison = selectors.compare(first=draft, second=again)
    assert (comparison.first.audience, comparison.second.audience) == (3, 6)


# The rate


@pytest.mark.parametrize(
    ("responses", "audience", "rate", "beyond"),
    [
        (127, 127, 100.0, False),
        (1, 3, 33.3, False),
        (2499, 2500, 99.9, False),  # not everyone: never rounded up to 100
        (130, 127, 100.0, True),
        (3, 0, 100.0, True),
        (0, 0, None, False),
        (5, None, None, False),
    ],
)
def test_the_rate_never_goes_above_100(responses, audience, rate, beyond):
    results = selectors.Results(
        survey=None,
        responses=responses,
        audience=audience,
        audience_live=False,
        questions=[],
        groups=[],
        hidden_groups=0,
        min_group=5,
    )

    assert (results.rate, results.beyond_audience) == (rate, beyond)


def test_a_closed_survey_costs_one_query_less(
    security_officer, draft, django_assert_num_queries
):
    services.publish_survey(actor=security_officer, survey=draft)
    answer(draft, pupil("5B"))
    services.close_survey(actor=security_officer, survey=draft)

    # Questions, options, responses, answers: the audience is kept.
    with django_assert_num_queries(4):
        selectors.results(survey=draft)


# The pages


def test_the_results_page_reads_answers_of_the_audience(
    client, security_officer, draft
):
    client.force_login(security_officer)
    client.post(reverse("surveys:publish", args=[draft.pk]))
    answer(Survey.objects.get(pk=draft.pk), pupil("5C"))

    open_page = client.get(reverse("surveys:results", args=[draft.pk]))
    client.post(reverse("surveys:close", args=[draft.pk]))
    pupil("5C")
    closed_page = client.get(reverse("surveys:results", args=[draft.pk]))

    assert "1 of 4 people answered (25%)" in open_page.content.decode()
    assert "counted as it is today" in open_page.content.decode()
    closed = closed_page.content.decode()
    assert "1 of 4 people answered (25%)" in closed
    counted = timezone.localtime(Survey.objects.get(pk=draft.pk).audience_counted_at)
    assert f"The audience as counted on {counted:%d.%m.%Y %H:%M}" in closed
    assert [
        (e.details["old"]["status"], e.details["new"]["status"])
        for e in status_events(draft)
    ] == [("draft", "open"), ("open", "closed")]


def test_more_answers_than_people_are_shown_and_capped_honestly(client, director, db):
    survey = make_survey(status=SurveyStatus.CLOSED, audience_size=4)
    add_question(survey)
    Response.objects.bulk_create(Response(survey=survey, grade=7) for _i in range(6))
    client.force_login(director)

    html = client.get(reverse("surveys:results", args=[survey.pk])).content.decode()
    report = client.get(reverse("surveys:report", args=[survey.pk])).content.decode()

    for page in (html, report):
        assert "6 responses from an audience of 4 people (100%)" in page
        assert "more responses than people counted in the audience" in page
        assert "150" not in page
    assert "estimated from the records" in html


def test_a_closed_survey_without_a_recorded_audience_shows_no_rate(
    client, director, db
):
    survey = make_survey(status=SurveyStatus.CLOSED)
    add_question(survey)
    pupil("7A")
    client.force_login(director)

    html = client.get(reverse("surveys:results", args=[survey.pk])).content.decode()

    assert "0 responses" in html
    assert "was not recorded, so there is no response rate" in html
    assert "answered (" not in html


def test_the_detail_page_names_which_audience_it_shows(client, security_officer, draft):
    client.force_login(security_officer)
    url = reverse("surveys:detail", args=[draft.pk])

    assert "The audience today: 3 people." in client.get(url).content.decode()
    services.publish_survey(actor=security_officer, survey=draft)
    services.close_survey(actor=security_officer, survey=draft)
    pupil("8A")

    closed = client.get(url).content.decode()
    assert "The audience when the survey closed: 3 people." in closed


def test_the_compare_page_shows_each_runs_own_rate(client, security_officer, draft):
    services.publish_survey(actor=security_officer, survey=draft)
    answer(draft, pupil("6C"))
    services.close_survey(actor=security_officer, survey=draft)
    again = services.copy_survey(actor=security_officer, survey=draft)
    services.publish_survey(actor=security_officer, survey=again)
    client.force_login(security_officer)

    page = client.get(reverse("surveys:compare", args=[again.pk]), {"other": draft.pk})

    html = page.content.decode()
    assert "1 of 4 people answered (25%)" in html
    assert "0 of 4 people answered (0%)" in html


# The demo school


def test_the_seeded_2022_survey_shows_127_of_127(client, db):
    call_command("seed_demo", password="demo-password-for-tests", stdout=io.StringIO())
    survey = Survey.objects.get(title_ky=demo.TITLE[0])
    client.force_login(User.objects.get(username="director"))

    html = client.get(reverse("surveys:results", args=[survey.pk])).content.decode()
    report = client.get(reverse("surveys:report", args=[survey.pk])).content.decode()

    results = selectors.results(survey=survey)
    assert (results.responses, results.audience, results.rate) == (127, 127, 100.0)
    assert "127 of 127 people answered (100%)" in html
    assert "The audience as counted on 03.10.2022 17:00" in html
    assert "127 of 127 people answered (100%)" in report


def test_a_demo_seeded_before_the_audience_was_kept_gets_it(db):
    survey = demo.seed()
    Survey.objects.filter(pk=survey.pk).update(
        audience_size=None, audience_counted_at=None
    )

    demo.seed()

    survey.refresh_from_db()
    assert survey.audience_size == 127
    assert survey.audience_counted_at == demo.CLOSES_AT
    assert survey.closes_at == datetime.fromisoformat("2022-10-03T17:00+06:00")
