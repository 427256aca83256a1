"""Changes to personal data, and the reads of it that the law wants recorded.

Each function takes the acting person first, checks access, does its work and
writes the audit event in one transaction. Values of encrypted fields never go
into the audit trail: a reveal records which field, a change which fields.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.fields import blind_index
from accounts.models import (
    Consent,
    ConsentKind,
    PersonalDataRequest,
    PersonRecord,
    RequestKind,
    RequestStatus,
    User,
)
from accounts.personal import selectors
from accounts.personal.pin import validate_birth_date, validate_pin
from audit.models import AuditAction
from audit.services import MASK, record

# The fields kept encrypted, in the order a page shows them.
SENSITIVE_FIELDS = ("birth_date", "pin", "address", "phone")
# Law No. 58: a person gets their data within a week. A certificate of study is
# quicker; a correction is answered within the same week.
DUE_DAYS = {
    RequestKind.COPY: 7,
    RequestKind.CERTIFICATE: 3,
    RequestKind.CORRECTION: 7,
}


# Person records


def _target(person: User):
    """What an audit event about a person's data points at."""
    saved = PersonRecord.objects.filter(person=person).first()
    return saved if saved is not None else person


@access.protected
def record_open(*, actor: User, person: User) -> PersonRecord:
    """The person's record, masked on the page; the opening is recorded."""
    access.require_visible(actor, "accounts.view_personrecord", person)
    personal_record = selectors.record_of(person=person)
    record(actor=actor, action=AuditAction.VIEW, target=_target(person))
    return personal_record


@access.protected
def field_reveal(*, actor: User, person: User, field: str):
    """One sensitive value, shown on request; which field is recorded, not its value."""
    access.require_visible(actor, "accounts.view_personrecord", person)
    if field not in SENSITIVE_FIELDS:
        raise ValidationError(_("There is no such field."))
    personal_record = selectors.record_of(person=person)
    record(
        actor=actor,
        action=AuditAction.VIEW,
        target=_target(person),
        details={"field": field},
    )
    return getattr(personal_record, field)


def clean_record_values(
    *, personal_record: PersonRecord, values: dict[str, object]
) -> dict[str, object]:
    """The given values checked together with what is kept; ValidationError if not."""
    birth_date = values.get("birth_date", personal_record.birth_date)
    pin = values.get("pin", personal_record.pin)
    errors = {}
    if "birth_date" in values and birth_date is not None:
        try:
            validate_birth_date(birth_date)
        except ValidationError as error:
            errors["birth_date"] = error.messages
    if pin and "birth_date" not in errors:
        try:
            validate_pin(str(pin), birth_date=birth_date)
        except ValidationError as error:
            field = "pin" if "pin" in values else "birth_date"
            errors[field] = error.messages
    if "pin" in values and pin and not errors:
        taken = PersonRecord.objects.filter(pin_index=blind_index(str(pin))).exclude(
            person=personal_record.person_id
        )
        if taken.exists():
            errors["pin"] = [_("Another person's record has this PIN.")]
    if errors:
        raise ValidationError(errors)
    return values


@access.protected
def record_update(
    *, actor: User, person: User, values: dict[str, object]
) -> PersonRecord:
    """Write the given sensitive values; the others stay as they are."""
    access.require(actor, "accounts.change_personrecord", person)
    return _apply(actor=actor, person=person, values=values, details={})


def _apply(*, actor: User, person: User, values: dict, details: dict) -> PersonRecord:
    personal_record, _created = PersonRecord.objects.select_for_update().get_or_create(
        person=person
    )
    values = {name: value for name, value in values.items() if name in SENSITIVE_FIELDS}
    clean_record_values(personal_record=personal_record, values=values)
    for name, value in values.items():
        setattr(personal_record, name, value)
    personal_record.updated_at = timezone.now()
    personal_record.save()
    # Which fields changed, never their values (module docstring).
    hidden = dict.fromkeys(sorted(values), MASK)
    record(
        actor=actor,
        action=AuditAction.PERSONAL_DATA_CHANGE,
        target=personal_record,
        details={**details, "old": hidden, "new": hidden},
    )
    return personal_record


# Consent (photos, publication)


@access.protected
def consent_set(
    *, actor: User, student: User, kind: ConsentKind, granted: bool
) -> Consent:
    """A parent gives or takes back consent; every decision is a new row."""
    access.require_visible(actor, "accounts.give_consent", student)
    current = selectors.consent_now(student=student)[kind]
    if current is not None and current.granted == granted:
        raise ValidationError(_("This is already the recorded decision."))
    consent = Consent.objects.create(
        student=student, kind=kind, granted=granted, given_by=actor
    )
    record(
        actor=actor,
        action=AuditAction.CONSENT_GIVE if granted else AuditAction.CONSENT_WITHDRAW,
        target=consent,
        details={"student": student.pk, "consent": kind, "granted": granted},
    )
    return consent


# Requests


@access.protected
def request_create(
    *,
    actor: User,
    subject: User,
    kind: RequestKind,
    note: str = "",
    field: str = "",
    proposed_value: object = "",
) -> PersonalDataRequest:
    """A request about oneself or one's own child; anyone else's is not visible."""
    access.require_visible(actor, "accounts.request_personal_data", subject)
    if kind == RequestKind.CERTIFICATE and not subject.school_class:
        raise ValidationError(_("A certificate of study is given to students only."))
    stored_value = ""
    if kind == RequestKind.CORRECTION:
        if field not in SENSITIVE_FIELDS:
            raise ValidationError({"field": _("Choose what to correct.")})
        if proposed_value in ("", None):
            raise ValidationError({"proposed_value": _("Give the correct value.")})
        clean_record_values(
            personal_record=selectors.record_of(person=subject),
            values={field: proposed_value},
        )
        stored_value = (
            proposed_value.isoformat()
            if isinstance(proposed_value, date)
            else str(proposed_value)
        )
    else:
        field = ""
    request = PersonalDataRequest.objects.create(
        kind=kind,
        subject=subject,
        requested_by=actor,
        due_on=timezone.localdate() + timedelta(days=DUE_DAYS[kind]),
        note=note,
        field=field,
        proposed_value=stored_value,
    )
    record(
        actor=actor,
        action=AuditAction.REQUEST_MAKE,
        target=request,
        details={"kind": kind, "subject": subject.pk, "field": field},
    )
    return request


def _open_request(request: PersonalDataRequest, kind: RequestKind | None = None):
    locked = PersonalDataRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != RequestStatus.OPEN:
        raise ValidationError(_("This request is already closed."))
    if kind is not None and locked.kind != kind:
        raise ValidationError(_("This is a different kind of request."))
    return locked


def _close(request: PersonalDataRequest, *, actor: User, status: RequestStatus):
    request.status = status
    request.closed_at = timezone.now()
    request.closed_by = actor


def _closed(request: PersonalDataRequest, **facts) -> dict:
    """The details of a request's closing: its kind, and open -> the new status."""
    return {
        "kind": request.kind,
        **facts,
        "old": {"status": RequestStatus.OPEN.value},
        "new": {"status": request.status},
    }


@access.protected
def copy_prepare(*, actor: User, request: PersonalDataRequest) -> PersonalDataRequest:
    """The copy is ready: the person downloads it from their cabinet."""
    access.require(actor, "accounts.handle_personal_request")
    request = _open_request(request, RequestKind.COPY)
    _close(request, actor=actor, status=RequestStatus.DONE)
    request.save(update_fields=["status", "closed_at", "closed_by"])
    record(
        actor=actor,
        action=AuditAction.REQUEST_ANSWER,
        target=request,
        details=_closed(request),
    )
    return request


@access.protected
def certificate_issue(
    *, actor: User, request: PersonalDataRequest
) -> PersonalDataRequest:
    """The records officer issues the certificate: it is registered in the
    outgoing journal (4.1) and carries that journal's number."""
    access.require(actor, "accounts.issue_certificate")
    request = _open_request(request, RequestKind.CERTIFICATE)
    subject = request.subject
    if not subject.school_class or not subject.is_active:
        raise ValidationError(_("This person is not a student of the school now."))
    today = timezone.localdate()
    document = _register_in_outgoing_journal(actor=actor, request=request)
    # Numbers restart every year: the year keeps them unique.
    request.certificate_number = f"{document.number}/{document.year}"
    request.certificate_details = {
        "name": subject.get_full_name() or subject.username,
        "class": subject.school_class,
        "issued_on": today.isoformat(),
        "school_year": _school_year(today),
        "issued_by": actor.get_full_name() or actor.username,
        "position": actor.position,
    }
    _close(request, actor=actor, status=RequestStatus.DONE)
    request.save()
    record(
        actor=actor,
        action=AuditAction.ISSUE,
        target=request,
        details=_closed(request, number=request.certificate_number, subject=subject.pk),
    )
    return request


def _register_in_outgoing_journal(*, actor: User, request: PersonalDataRequest):
    from documents import services as documents_services
    from documents.models import DocumentClass, Journal, JournalKind

    journal = (
        Journal.objects.filter(kind=JournalKind.OUTGOING, is_active=True)
        .order_by("position", "pk")
        .first()
    )
    document_class = DocumentClass.objects.filter(code="certificate").first()
    if journal is None or document_class is None:
        raise ValidationError(
            _("There is no outgoing journal to register the certificate in.")
        )
    subject = request.subject
    return documents_services.register_document(
        actor=actor,
        journal=journal,
        document_class=document_class,
        summary=_("Certificate of study: %(name)s, class %(class)s")
        % {
            "name": subject.get_full_name() or subject.username,
            "class": subject.school_class,
        },
        correspondent=str(request.requested_by),
        executor=actor,
    )


def _school_year(today: date) -> str:
    start = today.year if today.month >= 9 else today.year - 1
    return f"{start}–{start + 1}"


@access.protected
def correction_approve(
    *, actor: User, request: PersonalDataRequest
) -> PersonalDataRequest:
    """The correction is made as asked: the record changes, the request closes."""
    access.require(actor, "accounts.handle_personal_request")
    request = _open_request(request, RequestKind.CORRECTION)
    value: object = request.proposed_value
    if request.field == "birth_date":
        value = date.fromisoformat(request.proposed_value)
    _apply(
        actor=actor,
        person=request.subject,
        values={request.field: value},
        details={"request": request.pk},
    )
    _close(request, actor=actor, status=RequestStatus.DONE)
    request.save(update_fields=["status", "closed_at", "closed_by"])
    record(
        actor=actor,
        action=AuditAction.REQUEST_ANSWER,
        target=request,
        details=_closed(request),
    )
    return request


@access.protected
def request_refuse(
    *, actor: User, request: PersonalDataRequest, reason: str
) -> PersonalDataRequest:
    """Any open request may be refused, always with a reason the person reads."""
    access.require(actor, "accounts.handle_personal_request")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the request is refused.")})
    request = _open_request(request)
    if request.kind == RequestKind.CERTIFICATE:
        access.require(actor, "accounts.issue_certificate")
    request.reason = reason.strip()
    _close(request, actor=actor, status=RequestStatus.REFUSED)
    request.save(update_fields=["status", "closed_at", "closed_by", "reason"])
    record(
        actor=actor,
        action=AuditAction.REQUEST_REFUSE,
        target=request,
        details=_closed(request, reason=request.reason),
    )
    return request


def _ready(request: PersonalDataRequest, kind: RequestKind) -> None:
    if request.kind != kind or request.status != RequestStatus.DONE:
        raise access.NotVisible("accounts.request_personal_data", request)


@access.protected
def copy_export(*, actor: User, request: PersonalDataRequest, file_format: str) -> dict:
    """Everything the school holds on the person, for that person (or their parent)."""
    access.require_visible(actor, "accounts.request_personal_data", request.subject)
    _ready(request, RequestKind.COPY)
    data = selectors.personal_data_export(person=request.subject)
    record(
        actor=actor,
        action=AuditAction.EXPORT,
        target=_target(request.subject),
        details={"request": request.pk, "format": file_format},
    )
    return data


@access.protected
def certificate_download(*, actor: User, request: PersonalDataRequest) -> dict:
    """What the certificate says, for the person, their parent or the records office."""
    if not access.can(actor, "accounts.issue_certificate"):
        access.require_visible(actor, "accounts.request_personal_data", request.subject)
    _ready(request, RequestKind.CERTIFICATE)
    record(
        actor=actor,
        action=AuditAction.DOWNLOAD,
        target=request,
        details={"number": request.certificate_number},
    )
    personal_record = selectors.record_of(person=request.subject)
    return {
        **request.certificate_details,
        "number": request.certificate_number,
        "birth_date": personal_record.birth_date,
    }
