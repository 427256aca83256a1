"""The audit trail's signals for the home pages (see office.signals)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import access
from audit import reports
from audit.models import AuditAction, AuditEvent, AuditOutcome
from office.signals import WARNING, Signal


def this_week(user) -> list[Signal]:
    """Refusals and lockouts, and after-hours reads of official-use material,
    in the last seven days: for those who review the trail."""
    if not access.can(user, "audit.view_audit_report"):
        return []
    since = timezone.now() - timedelta(days=7)
    week = AuditEvent.objects.filter(at__gte=since)
    url = reverse("audit:report")
    signals = []
    refused = week.filter(outcome=AuditOutcome.DENIED).count()
    locked = week.filter(action=AuditAction.LOCKED_OUT).count()
    if refused + locked:
        title = _("Refused attempts and lockouts this week")
        signals.append(Signal("audit.refused", title, refused + locked, url, WARNING))
    days = reports.Period(timezone.localdate(since), timezone.localdate())
    late = reports.official_use(reports.after_hours(week, days)).count()
    if late:
        title = _("After-hours reads of official-use material this week")
        signals.append(Signal("audit.after_hours", title, late, url, WARNING))
    return signals
