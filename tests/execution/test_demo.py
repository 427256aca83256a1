"""The demo school has resolutions to look at: one in progress, one overdue,
one executed late, one done in time and taken off control."""

import io

import pytest
from django.core.management import call_command

from audit.models import AuditAction, AuditEvent
from execution.models import Resolution

pytestmark = pytest.mark.django_db


def test_the_demo_school_has_an_overdue_and_a_late_resolution():
    call_command("seed_demo", password="demo-password-for-tests", stdout=io.StringIO())

    resolutions = list(Resolution.objects.prefetch_related("executors"))
    states = sorted(r.state for r in resolutions)
    assert states == ["done", "executed", "open", "overdue"]
    assert sum(r.executed_late for r in resolutions) == 1
    assert AuditEvent.objects.filter(action=AuditAction.RESOLUTION_GIVE).count() == 4
    assert AuditEvent.objects.filter(action=AuditAction.CONTROL_OFF).count() == 1

    call_command("seed_demo", password="demo-password-for-tests", stdout=io.StringIO())
    assert Resolution.objects.count() == 4
