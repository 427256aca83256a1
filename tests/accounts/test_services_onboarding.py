"""Regulation 2.5: pledge, familiarization and briefing clear an employee."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts import access, services
from accounts.models import Onboarding
from tests.trail import service_events


def fresh(user):
    return type(user).objects.get(pk=user.pk)


def test_all_three_steps_clear_an_employee(teacher, security_officer):
    assert not access.is_cleared(fresh(teacher))

    services.pledge_accept(actor=teacher)
    services.familiarization_confirm(actor=teacher)
    assert not access.is_cleared(fresh(teacher))
    services.briefing_record(actor=security_officer, person=teacher)

    assert access.is_cleared(fresh(teacher))
    steps = list(service_events().values_list("details__step", flat=True))
    assert steps == ["pledge", "familiarization", "briefing"]


def test_the_briefing_waits_for_the_pledge_and_familiarization(
    teacher, security_officer
):
    with pytest.raises(ValidationError):
        services.briefing_record(actor=security_officer, person=teacher)

    assert not service_events().exists()


def test_only_the_security_officer_records_a_briefing(teacher, director):
    services.pledge_accept(actor=teacher)
    services.familiarization_confirm(actor=teacher)

    with pytest.raises(access.Forbidden):
        services.briefing_record(actor=director, person=teacher)


def test_a_stale_briefing_no_longer_clears(teacher, security_officer, settings):
    services.pledge_accept(actor=teacher)
    services.familiarization_confirm(actor=teacher)
    services.briefing_record(actor=security_officer, person=teacher)
    Onboarding.objects.filter(person=teacher).update(
        briefed_at=timezone.now() - timedelta(days=settings.PORTAL_REBRIEFING_DAYS + 1)
    )

    assert not access.is_cleared(fresh(teacher))


def test_students_are_not_onboarded(student):
    with pytest.raises(access.Forbidden):
        services.pledge_accept(actor=student)
