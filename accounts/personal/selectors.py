"""Reads about personal data: records, who viewed them, logins, requests, consent."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import access
from accounts import selectors as account_selectors
from accounts.models import (
    Consent,
    ConsentKind,
    PersonalDataRequest,
    PersonRecord,
    RequestStatus,
    User,
)
from accounts.roles import Role
from audit import selectors as audit_selectors
from audit.models import AuditAction, AuditEvent, AuditOutcome

# The encrypted fields, as the pages and the trail name them.
FIELD_LABELS = {
    "birth_date": _("date of birth"),
    "pin": _("personal identification number"),
    "address": _("address"),
    "phone": _("phone"),
}
VIEWS_SHOWN = 50
LOGINS_SHOWN = 10


def record_of(*, person: User) -> PersonRecord:
    """The person's record; an unsaved empty one if nothing is kept yet."""
    return PersonRecord.objects.filter(person=person).first() or PersonRecord(
        person=person
    )


@dataclass(frozen=True)
class Viewing:
    at: datetime
    roles: list[str]
    name: str  # empty unless the school shows viewers' names
    field: str  # the revealed field, or empty for a masked view

    @property
    def field_label(self) -> str:
        return str(FIELD_LABELS.get(self.field, self.field))


def who_viewed(*, person: User) -> list[Viewing]:
    """Views of the person's data by others, newest first, from the audit trail."""
    targets = Q(target_type="accounts.user", target_id=str(person.pk))
    record_pk = (
        PersonRecord.objects.filter(person=person).values_list("pk", flat=True).first()
    )
    if record_pk is not None:
        targets |= Q(target_type="accounts.personrecord", target_id=str(record_pk))
    events = (
        AuditEvent.objects.filter(
            targets, action=AuditAction.VIEW, outcome=AuditOutcome.ALLOWED
        )
        .exclude(actor=person)
        .order_by("-seq")
        .only("at", "actor_roles", "actor_label", "details")[:VIEWS_SHOWN]
    )
    labels = {role.value: str(role.label) for role in Role}
    show_names = settings.PORTAL_SHOW_VIEWER_NAMES
    return [
        Viewing(
            at=event.at,
            roles=[labels.get(role, role) for role in event.actor_roles],
            name=event.actor_label if show_names else "",
            field=str(event.details.get("field", "")),
        )
        for event in events
    ]


def last_logins(*, person: User) -> list[AuditEvent]:
    return audit_selectors.last_logins(user=person, limit=LOGINS_SHOWN)


def requests_about(*, person: User) -> QuerySet[PersonalDataRequest]:
    return PersonalDataRequest.objects.filter(subject=person).select_related(
        "requested_by"
    )


def open_requests() -> QuerySet[PersonalDataRequest]:
    """Every open request, oldest deadline first: the records office's queue."""
    return (
        PersonalDataRequest.objects.filter(status=RequestStatus.OPEN)
        .select_related("subject", "requested_by")
        .order_by("due_on", "pk")
    )


def overdue_requests() -> QuerySet[PersonalDataRequest]:
    """Open requests past their deadline: the security officer watches these."""
    return open_requests().filter(due_on__lt=timezone.localdate())


def consent_now(*, student: User) -> dict[str, Consent | None]:
    """The latest decision for each kind of consent, or None if never asked."""
    latest: dict[str, Consent | None] = dict.fromkeys(ConsentKind.values)
    for consent in Consent.objects.filter(student=student).select_related("given_by"):
        if latest[consent.kind] is None:
            latest[consent.kind] = consent
    return latest


def consent_history(*, student: User) -> QuerySet[Consent]:
    return Consent.objects.filter(student=student).select_related("given_by")


def request_visible(*, user: User, pk) -> PersonalDataRequest:
    """A request the person made about themself or their child, or a handler's."""
    return access.get_visible(
        user,
        "accounts.view_personaldatarequest",
        PersonalDataRequest.objects.select_related(
            "subject", "requested_by", "closed_by"
        ),
        pk=pk,
    )


@dataclass(frozen=True)
class HomeSummary:
    my_open: int
    queue: int | None  # for those who answer requests
    overdue: int | None  # for the security officer


def home_summary(*, user: User) -> HomeSummary:
    subjects = Q(subject=user) | Q(subject__parent_links__parent=user)
    mine = PersonalDataRequest.objects.filter(subjects, status=RequestStatus.OPEN)
    return HomeSummary(
        my_open=mine.distinct().count(),
        queue=open_requests().count()
        if access.can(user, "accounts.handle_personal_request")
        else None,
        overdue=overdue_requests().count()
        if access.can(user, "accounts.view_overdue_requests")
        else None,
    )


# The copy of one's data (law No. 58). Each later feature that keeps data on a
# person adds a section: a function (person) -> (title, JSON-ready value).
EXPORT_SECTIONS: list = []


def _local(moment):
    """School time to the second: the copy is read by a person, not a program
    (the JSON file writes it as 2026-05-03T14:30:05+06:00)."""
    return timezone.localtime(moment).replace(microsecond=0)


def personal_data_export(*, person: User) -> dict:
    """Everything the school holds on the person: text, numbers, dates and
    local datetimes (the view writes them out as JSON or HTML)."""
    personal_record = record_of(person=person)
    data = {
        "generated_at": _local(timezone.now()),
        "account": {
            "login": person.username,
            "last_name": person.last_name,
            "first_name": person.first_name,
            "patronymic": person.middle_name,
            "email": person.email,
            "class": person.school_class,
            "position": person.position,
            "active": person.is_active,
            "joined": _local(person.date_joined),
            "roles": [
                str(role.label) for role in account_selectors.roles_of(user=person)
            ],
        },
        "personal_data": {
            "date_of_birth": personal_record.birth_date or "",
            "pin": personal_record.pin,
            "address": personal_record.address,
            "phone": personal_record.phone,
        },
        "parents": [
            link.parent.get_full_name() or link.parent.username
            for link in person.parent_links.select_related("parent")
        ],
        "children": [
            link.child.get_full_name() or link.child.username
            for link in person.child_links.select_related("child")
        ],
        "consents": [
            {
                "consent_for": str(consent.get_kind_display()),
                "given": consent.granted,
                "by": consent.given_by.get_full_name() or consent.given_by.username,
                "at": _local(consent.at),
            }
            for consent in consent_history(student=person)
        ],
        "requests": [
            {
                "request": str(request.get_kind_display()),
                "status": str(request.get_status_display()),
                "made": _local(request.created_at),
                "due": request.due_on,
                "field": request.field,
                "correct_value": request.proposed_value,
                "reason": request.reason,
                "certificate_number": request.certificate_number,
            }
            for request in requests_about(person=person)
        ],
        "viewed_by": [
            {
                "at": _local(viewing.at),
                "roles": viewing.roles,
                "name": viewing.name,
                "field": viewing.field,
            }
            for viewing in who_viewed(person=person)
        ],
        "sign_ins": [
            {
                "at": _local(event.at),
                "address": event.client_address or "",
                "device": event.user_agent,
            }
            for event in AuditEvent.objects.filter(
                actor=person, action=AuditAction.LOGIN
            ).order_by("-seq")
        ],
    }
    for section in EXPORT_SECTIONS:
        title, value = section(person)
        data[title] = value
    return data
