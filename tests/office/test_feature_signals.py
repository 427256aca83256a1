"""Signals other features add to the home pages: each appears when its
condition holds and disappears when it is resolved."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import Incident
from audit.models import AuditAction, AuditOutcome
from audit.services import record
from office.signals import signals_for


def keys(user):
    fresh = type(user).objects.get(pk=user.pk)
    return {signal.key for signal in signals_for(fresh)}


def test_an_overdue_breach_report_shows_until_it_is_closed(security_officer, student):
    incident = Incident.objects.create(
        reporter=student, due_at=timezone.now() - timedelta(hours=1)
    )
    assert "security.overdue_incidents" in keys(security_officer)

    incident.status = "closed"
    incident.save()
    assert "security.overdue_incidents" not in keys(security_officer)


def test_refusals_this_week_show_to_the_principal_not_to_a_teacher(director, teacher):
    assert "audit.refused" not in keys(director)

    record(actor=teacher, action=AuditAction.DENIED, outcome=AuditOutcome.DENIED)

    assert "audit.refused" in keys(director)
    assert "audit.refused" not in keys(teacher)
