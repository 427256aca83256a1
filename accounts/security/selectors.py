"""Account security reads."""

from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models import Max, QuerySet, Sum
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import BackupCode, Incident, IncidentStatus, User, UserSession


def sessions_of(*, user: User) -> QuerySet[UserSession]:
    """The person's live sessions (expired Django sessions are left out)."""
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    return UserSession.objects.filter(user=user, session_key__in=live)


def incidents_reported_by(*, user: User) -> QuerySet[Incident]:
    return Incident.objects.filter(reporter=user).order_by("-opened_at")


def incidents_for_support(*, status: str = IncidentStatus.OPEN) -> QuerySet[Incident]:
    return Incident.objects.filter(status=status).select_related(
        "reporter", "closed_by"
    )


def overdue_incidents() -> QuerySet[Incident]:
    """Open reports past their working-day deadline: for the security officer."""
    return Incident.objects.filter(
        status=IncidentStatus.OPEN, due_at__lt=timezone.now()
    ).select_related("reporter")


@dataclass(frozen=True)
class Lockout:
    username: str
    address: str
    failures: int
    last_failure: datetime

    @property
    def until(self) -> datetime:
        return self.last_failure + settings.AXES_COOLOFF_TIME


def current_lockouts() -> list[Lockout]:
    """Usernames locked from an address now (django-axes' rows, summed as axes does)."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    rows = (
        AccessAttempt.objects.filter(attempt_time__gte=since)
        .values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last")
    )
    return [
        Lockout(
            username=row["username"] or "",
            address=row["ip_address"] or "",
            failures=row["failures"],
            last_failure=row["last"],
        )
        for row in rows
    ]


def lockout_until(*, username: str, address: str | None) -> datetime | None:
    last = AccessAttempt.objects.filter(
        username=username, ip_address=address
    ).aggregate(last=Max("attempt_time"))["last"]
    return last + settings.AXES_COOLOFF_TIME if last else None


def has_second_factor(*, user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def unused_backup_codes(*, user: User) -> int:
    return BackupCode.objects.filter(user=user, used_at__isnull=True).count()
