"""Reads of the trail for the personal cabinets."""

from django.db.models import QuerySet

from accounts.models import User
from audit.models import AuditAction, AuditEvent


def last_logins(*, user: User, limit: int = 10) -> list[AuditEvent]:
    """The person's latest sign-ins, with the address and device of each."""
    return list(
        AuditEvent.objects.filter(actor=user, action=AuditAction.LOGIN).order_by(
            "-at", "-seq"
        )[:limit]
    )


def who_viewed(*, person: User) -> QuerySet[AuditEvent]:
    """Every view of this person's record: who, when, from where."""
    return AuditEvent.objects.filter(
        target_type=person._meta.label_lower,
        target_id=str(person.pk),
        action=AuditAction.VIEW,
    ).order_by("-at", "-seq")
