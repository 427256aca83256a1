"""Account security reads."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models import Count, Max, QuerySet, Sum
from django.utils import timezone

from accounts.models import (
    Authenticator,
    BackupCode,
    Incident,
    IncidentStatus,
    SecurityNotice,
    User,
    UserSession,
)

# 2 ** 20 minutes is far beyond any longest wait: no bigger power is needed.
DOUBLINGS = 20


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
    """When django-axes' pause of this username from this address ends; None: none."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    found = AccessAttempt.objects.filter(
        username=username, ip_address=address, attempt_time__gte=since
    ).aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    if (found["failures"] or 0) < settings.AXES_FAILURE_LIMIT:
        return None
    return found["last"] + settings.AXES_COOLOFF_TIME


@dataclass(frozen=True)
class Guard:
    """The wrong passwords for one username from every address, within the window.

    From PORTAL_GUESSING_LIMIT of them on, a right password alone is accepted
    only after a wait: PORTAL_GUESSING_FIRST_WAIT after the last failure,
    doubled by each failure after the limit, never longer than
    PORTAL_GUESSING_LONGEST_WAIT. Tries refused during the wait are not
    counted (django-axes does not log them), so nobody extends it at will.
    """

    username: str
    failures: int
    addresses: int
    last_failure: datetime | None

    @property
    def engaged(self) -> bool:
        return self.failures >= settings.PORTAL_GUESSING_LIMIT

    @property
    def wait(self) -> timedelta:
        doublings = min(self.failures - settings.PORTAL_GUESSING_LIMIT, DOUBLINGS)
        return min(
            settings.PORTAL_GUESSING_FIRST_WAIT * 2 ** max(doublings, 0),
            settings.PORTAL_GUESSING_LONGEST_WAIT,
        )

    @property
    def until(self) -> datetime | None:
        if not self.engaged or self.last_failure is None:
            return None
        return self.last_failure + self.wait

    def waiting(self) -> bool:
        return self.until is not None and timezone.now() < self.until


def _failures_in_window() -> QuerySet:
    since = timezone.now() - settings.PORTAL_GUESSING_WINDOW
    return AccessFailureLog.objects.filter(attempt_time__gte=since)


GUARD_COUNTS = {
    "failures": Count("id"),
    "addresses": Count("ip_address", distinct=True),
    "last": Max("attempt_time"),
}


def guessing_guard(*, username: str) -> Guard:
    """django-axes' failure log of this username, from all addresses."""
    found = _failures_in_window().filter(username=username).aggregate(**GUARD_COUNTS)
    return Guard(
        username=username,
        failures=found["failures"],
        addresses=found["addresses"],
        last_failure=found["last"],
    )


def guarded_accounts() -> list[Guard]:
    """Usernames with too many wrong passwords from all addresses: for support."""
    rows = (
        _failures_in_window()
        .values("username")
        .annotate(**GUARD_COUNTS)
        .filter(failures__gte=settings.PORTAL_GUESSING_LIMIT)
        .order_by("-last")
    )
    return [
        Guard(
            username=row["username"] or "",
            failures=row["failures"],
            addresses=row["addresses"],
            last_failure=row["last"],
        )
        for row in rows
    ]


def has_second_factor(*, user: User) -> bool:
    return Authenticator.objects.filter(user=user, confirmed=True).exists()


def unused_backup_codes(*, user: User) -> int:
    return BackupCode.objects.filter(user=user, used_at__isnull=True).count()


def pending_enrolment(*, user: User, pk: int | None) -> Authenticator | None:
    """The person's own unconfirmed authenticator of that id."""
    return Authenticator.objects.filter(pk=pk, user=user, confirmed=False).first()


def enrolment_expired(device: Authenticator) -> bool:
    """Its secret was shown more than PORTAL_ENROLMENT_MINUTES ago."""
    since = timezone.now() - timedelta(minutes=settings.PORTAL_ENROLMENT_MINUTES)
    return device.created_at < since


def unread_notices(*, user: User) -> QuerySet[SecurityNotice]:
    return SecurityNotice.objects.filter(person=user, read_at__isnull=True)
