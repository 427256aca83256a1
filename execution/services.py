"""Writes of execution control: a resolution given, changed by its author, an
execution reported, a document taken off control. Each checks access through
accounts.access and records its own audit event in the same transaction.

A business refusal (a deadline before the registration, an executor who may not
have the document) is a ValidationError keyed by the form field it concerns;
nothing is saved.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import access
from accounts.models import Holiday, User
from accounts.security.calendar import is_working_day
from audit.models import AuditAction
from audit.services import record
from documents import storage
from documents.models import Document, DocumentStatus, JournalKind
from documents.services import Upload, store_attachment
from execution.models import (
    ExecutionReport,
    Resolution,
    ResolutionChange,
    ResolutionExecutor,
)

TEXT_LIMIT = 2000


def working_days_after(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` on the Kyrgyz working
    calendar (weekends and the public holidays the administrator keeps)."""
    # Each working week has five days; two spare weeks cover any holidays.
    horizon = start + timedelta(days=days * 2 + 30)
    holidays = set(
        Holiday.objects.filter(date__gt=start, date__lte=horizon).values_list(
            "date", flat=True
        )
    )
    day, left = start, days
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            left -= 1
    return day


def executor_candidates():
    """Who may be named an executor: active employees."""
    return (
        User.objects.filter(
            is_active=True,
            groups__permissions__content_type__app_label="accounts",
            groups__permissions__codename="undergo_onboarding",
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def _check_document(document: Document) -> None:
    if document.status != DocumentStatus.REGISTERED:
        raise ValidationError(
            _(
                "This document is annulled or destroyed: a resolution can't be "
                "given or changed on it."
            )
        )


def _check_values(
    *, document: Document, text: str, deadline: date | None, responsible, co
) -> None:
    errors = {}
    if not text.strip():
        errors["text"] = _("Write what is to be done.")
    elif len(text) > TEXT_LIMIT:
        errors["text"] = ngettext(
            "At most %(limit)d character.", "At most %(limit)d characters.", TEXT_LIMIT
        ) % {"limit": TEXT_LIMIT}
    if deadline is None:
        errors["deadline"] = _("Give the deadline.")
    elif deadline < document.registered_on:
        errors["deadline"] = _(
            "The deadline can't be before the registration date, %(date)s."
        ) % {"date": date_format(document.registered_on, "SHORT_DATE_FORMAT")}
    if responsible is None:
        errors["responsible"] = _("Choose the responsible executor.")
    people = [p for p in [responsible, *co] if p is not None]
    candidates = set(
        executor_candidates()
        .filter(pk__in=[p.pk for p in people])
        .values_list("pk", flat=True)
    )
    for field, group in (("responsible", [responsible]), ("co_executors", co)):
        for person in group:
            if person is None or field in errors:
                continue
            if person.pk not in candidates:
                errors[field] = _(
                    "%(person)s is not an active employee and can't execute "
                    "a resolution."
                ) % {"person": person}
            elif document.is_official_use and not access.is_cleared(person):
                errors[field] = _(
                    "%(person)s has not completed onboarding and can't be given "
                    "a document for official use."
                ) % {"person": person}
    if errors:
        raise ValidationError(errors)


def _executors_shown(responsible, co) -> dict:
    return {
        "responsible": responsible.pk,
        "co_executors": sorted(person.pk for person in co),
    }


def _add_executors(resolution: Resolution, responsible: User, co: list) -> None:
    ResolutionExecutor.objects.create(
        resolution=resolution, person=responsible, is_responsible=True
    )
    for person in co:
        ResolutionExecutor.objects.create(resolution=resolution, person=person)


def _details(resolution: Resolution, **extra) -> dict:
    return {
        "document": resolution.document_id,
        "number": resolution.document.number,
        **extra,
    }


@access.protected
def give_resolution(
    *,
    actor: User,
    document: Document,
    text: str,
    responsible: User | None,
    co_executors: list[User] = (),
    deadline: date | None = None,
    working_days: int | None = None,
    on_control: bool = False,
) -> Resolution:
    """The principal's (or the appointed deputy's) resolution on a document:
    to whom, what, by when. ``working_days`` sets the deadline that many
    working days from today instead of a date."""
    access.require_visible(actor, "documents.view_document", document)
    access.require(actor, "execution.give_resolution", document)
    document = Document.objects.select_for_update().get(pk=document.pk)
    _check_document(document)
    # The responsible executor named among the co-executors too is the
    # responsible one.
    co = [p for p in dict.fromkeys(co_executors) if p != responsible]
    if working_days is not None:
        deadline = working_days_after(timezone.localdate(), working_days)
    _check_values(
        document=document,
        text=text,
        deadline=deadline,
        responsible=responsible,
        co=co,
    )
    resolution = Resolution.objects.create(
        document=document,
        author=actor,
        text=text,
        deadline=deadline,
        on_control=on_control,
        given_at=timezone.now(),
    )
    _add_executors(resolution, responsible, co)
    record(
        actor=actor,
        action=AuditAction.RESOLUTION_GIVE,
        target=resolution,
        details=_details(
            resolution,
            deadline=deadline.isoformat(),
            on_control=on_control,
            **_executors_shown(responsible, co),
        ),
    )
    return resolution


def _locked(resolution: Resolution) -> Resolution:
    return (
        Resolution.objects.select_for_update()
        .select_related("document")
        .get(pk=resolution.pk)
    )


@access.protected
def change_resolution(
    *,
    actor: User,
    resolution: Resolution,
    text: str,
    deadline: date | None,
    on_control: bool,
    responsible: User | None,
    co_executors: list[User] = (),
) -> Resolution:
    """Its author changes a resolution that is not executed yet; what it said
    before is kept (ResolutionChange) and the trail names what changed."""
    access.require_visible(actor, "execution.view_resolution", resolution)
    access.require(actor, "execution.change_resolution", resolution)
    resolution = _locked(resolution)
    _check_document(resolution.document)
    if resolution.is_executed:
        raise ValidationError(
            _("This resolution is executed: it can't be changed any more.")
        )
    # The responsible executor named among the co-executors too is the
    # responsible one.
    co = [p for p in dict.fromkeys(co_executors) if p != responsible]
    _check_values(
        document=resolution.document,
        text=text,
        deadline=deadline,
        responsible=responsible,
        co=co,
    )
    executors = list(resolution.executors.all())
    was = {
        "text": resolution.text,
        "deadline": resolution.deadline.isoformat(),
        "on_control": resolution.on_control,
        "responsible": next(e.person_id for e in executors if e.is_responsible),
        "co_executors": sorted(e.person_id for e in executors if not e.is_responsible),
    }
    now = {
        "text": text,
        "deadline": deadline.isoformat(),
        "on_control": on_control,
        **_executors_shown(responsible, co),
    }
    old = {key: value for key, value in was.items() if now[key] != value}
    new = {key: now[key] for key in old}
    if not old:
        return resolution
    resolution.text, resolution.deadline = text, deadline
    resolution.on_control = on_control
    resolution.changed_at = timezone.now()
    resolution.save(update_fields=["text", "deadline", "on_control", "changed_at"])
    if "responsible" in old or "co_executors" in old:
        resolution.executors.all().delete()
        _add_executors(resolution, responsible, co)
    ResolutionChange.objects.create(
        resolution=resolution, changed_by=actor, old=old, new=new
    )
    record(
        actor=actor,
        action=AuditAction.RESOLUTION_CHANGE,
        target=resolution,
        details=_details(resolution, old=old, new=new),
    )
    return resolution


def replies_for(*, user: User):
    """Outgoing documents the person may give as a reply: registered, ones
    they see, not yet the reply to another resolution."""
    return (
        access.visible(user, "documents.view_document", Document.objects.all())
        .filter(journal__kind=JournalKind.OUTGOING, status=DocumentStatus.REGISTERED)
        .filter(answers__isnull=True)
        .select_related("journal")
        .order_by("-registered_on", "-seq")
    )


@storage.removed_unless_committed
@access.protected
def report_execution(
    *,
    actor: User,
    resolution: Resolution,
    note: str,
    reply: Document | None = None,
    upload: Upload | None = None,
) -> ExecutionReport:
    """An executor reports what was done. The responsible executor's report
    executes the resolution; a co-executor's goes to the responsible one."""
    access.require_visible(actor, "execution.view_resolution", resolution)
    resolution = _locked(resolution)
    executor = ResolutionExecutor.objects.filter(
        resolution=resolution, person=actor
    ).first()
    if executor is None:
        raise ValidationError(
            _("Only an executor of this resolution can report its execution.")
        )
    if resolution.is_executed:
        raise ValidationError(_("This resolution is executed already."))
    if resolution.document.status != DocumentStatus.REGISTERED:
        raise ValidationError(
            _("This document is annulled or destroyed: nothing is executed on it.")
        )
    errors = {}
    if not note.strip():
        errors["note"] = _("Say what was done.")
    elif len(note) > TEXT_LIMIT:
        errors["note"] = ngettext(
            "At most %(limit)d character.", "At most %(limit)d characters.", TEXT_LIMIT
        ) % {"limit": TEXT_LIMIT}
    if reply is not None and not replies_for(user=actor).filter(pk=reply.pk).exists():
        errors["reply"] = _(
            "Choose an outgoing document you registered or may see, not yet "
            "given as a reply."
        )
    if errors:
        raise ValidationError(errors)
    attachment = None
    if upload is not None:
        try:
            attachment = store_attachment(
                actor=actor, document=resolution.document, upload=upload
            )
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from None
    report = ExecutionReport.objects.create(
        resolution=resolution,
        author=actor,
        by_responsible=executor.is_responsible,
        note=note,
        reply=reply,
        attachment=attachment,
        reported_at=timezone.now(),
    )
    if executor.is_responsible:
        resolution.executed_at = report.reported_at
        resolution.save(update_fields=["executed_at"])
    record(
        actor=actor,
        action=AuditAction.EXECUTION_REPORT,
        target=resolution,
        details=_details(
            resolution,
            report=report.pk,
            responsible=executor.is_responsible,
            reply=reply.pk if reply else None,
            attachment=attachment.pk if attachment else None,
            late=executor.is_responsible and resolution.executed_late,
        ),
    )
    return report


@access.protected
def take_off_control(*, actor: User, resolution: Resolution) -> Resolution:
    """The principal or the records officer takes an executed document off
    control."""
    access.require_visible(actor, "execution.view_resolution", resolution)
    access.require(actor, "execution.take_off_control", resolution)
    resolution = _locked(resolution)
    if not resolution.on_control or resolution.taken_off_at is not None:
        raise ValidationError(_("This resolution is not on control."))
    if not resolution.is_executed:
        raise ValidationError(
            _("The responsible executor has not reported execution yet.")
        )
    resolution.taken_off_at = timezone.now()
    resolution.taken_off_by = actor
    resolution.save(update_fields=["taken_off_at", "taken_off_by"])
    record(
        actor=actor,
        action=AuditAction.CONTROL_OFF,
        target=resolution,
        details=_details(
            resolution,
            old={"taken_off_at": None},
            new={"taken_off_at": resolution.taken_off_at.isoformat()},
        ),
    )
    return resolution
