"""Changes in the security office: the registers, the carriers, the controls.

Each function takes the acting person first, checks access, changes the data
and records the audit event in one transaction. A refusal raises
``ValidationError`` (a translated reason) or ``access.Forbidden`` and changes
nothing.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import User
from audit.models import AuditAction
from audit.services import record
from office.models import (
    CARRIER_CHECK_DAYS,
    Carrier,
    CarrierCheck,
    CarrierIssue,
    ControlCompletion,
    PeriodicControl,
    ProtectedResource,
)

MANAGE = "office.manage_office"
RESOURCE_FIELDS = [
    "name",
    "kind",
    "responsible",
    "location",
    "holds_personal_data",
    "holds_official_use",
    "holds_open",
    "protection_measures",
    "access_holders",
    "last_review_on",
    "next_review_on",
]


def _not_in_future(day: date, message: str) -> None:
    if day > timezone.localdate():
        raise ValidationError(message)


def _snapshot(obj, fields) -> dict:
    values = {}
    for name in fields:
        value = getattr(obj, f"{name}_id" if name == "responsible" else name)
        values[name] = value.isoformat() if isinstance(value, date) else value
    return values


def _changes(before: dict, after: dict, changed: list[str]) -> dict:
    return {
        "old": {name: before[name] for name in changed},
        "new": {name: after[name] for name in changed},
    }


# Register of protected resources (2.4)


def _check_review_dates(*, last_review_on, next_review_on, is_new: bool) -> None:
    today = timezone.localdate()
    if last_review_on and last_review_on > today:
        raise ValidationError(_("The last review can't be in the future."))
    if last_review_on and next_review_on <= last_review_on:
        raise ValidationError(_("The next review must come after the last one."))
    if is_new and next_review_on < today:
        raise ValidationError(_("The next review of a new resource can't be past."))


@access.protected
def resource_create(*, actor: User, **values) -> ProtectedResource:
    """A new line of the register; it waits for the principal's approval."""
    access.require(actor, MANAGE)
    _check_review_dates(
        last_review_on=values.get("last_review_on"),
        next_review_on=values["next_review_on"],
        is_new=True,
    )
    resource = ProtectedResource.objects.create(
        **{name: values[name] for name in RESOURCE_FIELDS if name in values}
    )
    record(
        actor=actor,
        action=AuditAction.ENTER,
        target=resource,
        details=_snapshot(resource, RESOURCE_FIELDS),
    )
    return resource


@access.protected
def resource_update(
    *, actor: User, resource: ProtectedResource, **values
) -> ProtectedResource:
    """Change a line; a changed line needs the principal's approval again."""
    access.require(actor, MANAGE, resource)
    resource = ProtectedResource.objects.select_for_update().get(pk=resource.pk)
    _check_review_dates(
        last_review_on=values.get("last_review_on"),
        next_review_on=values["next_review_on"],
        is_new=False,
    )
    before = _snapshot(resource, RESOURCE_FIELDS)
    for name in RESOURCE_FIELDS:
        if name in values:
            setattr(resource, name, values[name])
    after = _snapshot(resource, RESOURCE_FIELDS)
    changed = [k for k in RESOURCE_FIELDS if before[k] != after[k]]
    if not changed:
        return resource
    resource.approved_at = None
    resource.approved_by = None
    resource.save()
    record(
        actor=actor,
        action=AuditAction.ENTRY_CHANGE,
        target=resource,
        details=_changes(before, after, changed),
    )
    return resource


@access.protected
def resource_approve(*, actor: User, resource: ProtectedResource) -> None:
    access.require(actor, "office.approve_resource", resource)
    resource = ProtectedResource.objects.select_for_update().get(pk=resource.pk)
    if resource.approved_at is not None:
        raise ValidationError(_("This resource is already approved."))
    resource.approved_at = timezone.now()
    resource.approved_by = actor
    resource.save(update_fields=["approved_at", "approved_by"])
    record(actor=actor, action=AuditAction.APPROVE, target=resource)


# Register of carriers (3)


@access.protected
def carrier_register(
    *,
    actor: User,
    inventory_number: str,
    kind: str,
    category: str,
    next_check_on: date,
    description: str = "",
) -> Carrier:
    access.require(actor, MANAGE)
    if Carrier.objects.filter(inventory_number__iexact=inventory_number).exists():
        raise ValidationError(
            _("Inventory number %(number)s is taken.") % {"number": inventory_number}
        )
    if next_check_on < timezone.localdate():
        raise ValidationError(_("The first check can't be in the past."))
    carrier = Carrier.objects.create(
        inventory_number=inventory_number,
        kind=kind,
        category=category,
        description=description,
        next_check_on=next_check_on,
    )
    record(
        actor=actor,
        action=AuditAction.ENTER,
        target=carrier,
        details={"kind": kind, "category": category},
    )
    return carrier


def _locked(carrier: Carrier) -> Carrier:
    return Carrier.objects.select_for_update().get(pk=carrier.pk)


@access.protected
def carrier_issue(
    *, actor: User, carrier: Carrier, holder: User, issued_on: date, due_back_on: date
) -> CarrierIssue:
    """Hand a carrier to a cleared employee against a due-back date."""
    access.require(actor, MANAGE, carrier)
    carrier = _locked(carrier)
    if carrier.is_destroyed:
        raise ValidationError(_("This carrier is destroyed."))
    current = carrier.issues.filter(returned_on__isnull=True).first()
    if current is not None:
        raise ValidationError(
            _("This carrier is already issued to %(holder)s. Take it back first.")
            % {"holder": current.holder}
        )
    if not access.can(holder, "accounts.undergo_onboarding"):
        raise ValidationError(_("A carrier is issued to an active employee only."))
    if not access.is_cleared(holder):
        raise ValidationError(
            _(
                "%(holder)s has not completed onboarding (pledge, familiarization, "
                "briefing) and can't receive a carrier."
            )
            % {"holder": holder}
        )
    _not_in_future(issued_on, _("The issue date can't be in the future."))
    if due_back_on < issued_on:
        raise ValidationError(_("The carrier can't be due back before it is issued."))
    issue = CarrierIssue.objects.create(
        carrier=carrier,
        holder=holder,
        issued_on=issued_on,
        due_back_on=due_back_on,
        issued_by=actor,
    )
    record(
        actor=actor,
        action=AuditAction.ISSUE,
        target=carrier,
        details={
            "holder": holder.pk,
            "issued_on": issued_on.isoformat(),
            "due_back_on": due_back_on.isoformat(),
        },
    )
    return issue


@access.protected
def carrier_return(*, actor: User, carrier: Carrier, returned_on: date) -> CarrierIssue:
    access.require(actor, MANAGE, carrier)
    carrier = _locked(carrier)
    issue = carrier.issues.filter(returned_on__isnull=True).first()
    if issue is None:
        raise ValidationError(_("This carrier is not issued to anyone."))
    _not_in_future(returned_on, _("The return date can't be in the future."))
    if returned_on < issue.issued_on:
        raise ValidationError(_("The carrier can't come back before it was issued."))
    issue.returned_on = returned_on
    issue.returned_to = actor
    issue.save(update_fields=["returned_on", "returned_to"])
    record(
        actor=actor,
        action=AuditAction.RETURN,
        target=carrier,
        details={"holder": issue.holder_id, "returned_on": returned_on.isoformat()},
    )
    return issue


@access.protected
def carrier_check(
    *, actor: User, carrier: Carrier, checked_on: date, note: str
) -> CarrierCheck:
    """A periodic check: the carrier is there and intact; the next one is set."""
    access.require(actor, MANAGE, carrier)
    carrier = _locked(carrier)
    if carrier.is_destroyed:
        raise ValidationError(_("This carrier is destroyed."))
    _not_in_future(checked_on, _("The check date can't be in the future."))
    if checked_on < carrier.registered_on:
        raise ValidationError(
            _("The check can't be before the carrier was registered.")
        )
    if not note.strip():
        raise ValidationError(_("Write what the check found."))
    check = CarrierCheck.objects.create(
        carrier=carrier, checked_on=checked_on, checked_by=actor, note=note
    )
    carrier.next_check_on = checked_on + timedelta(days=CARRIER_CHECK_DAYS)
    carrier.save(update_fields=["next_check_on"])
    record(
        actor=actor,
        action=AuditAction.CHECK,
        target=carrier,
        details={
            "checked_on": checked_on.isoformat(),
            "next_check_on": carrier.next_check_on.isoformat(),
        },
    )
    return check


@access.protected
def carrier_destroy(
    *,
    actor: User,
    carrier: Carrier,
    destroyed_on: date,
    act_number: str,
    note: str = "",
) -> Carrier:
    access.require(actor, MANAGE, carrier)
    carrier = _locked(carrier)
    if carrier.is_destroyed:
        raise ValidationError(_("This carrier is already destroyed."))
    if carrier.issues.filter(returned_on__isnull=True).exists():
        raise ValidationError(_("Take the carrier back before destroying it."))
    _not_in_future(destroyed_on, _("The destruction date can't be in the future."))
    if destroyed_on < carrier.registered_on:
        raise ValidationError(
            _("The carrier can't be destroyed before it was registered.")
        )
    if not act_number.strip():
        raise ValidationError(_("A carrier is destroyed by an act: give its number."))
    carrier.destroyed_on = destroyed_on
    carrier.destruction_act_number = act_number
    carrier.destruction_note = note
    carrier.save(
        update_fields=["destroyed_on", "destruction_act_number", "destruction_note"]
    )
    record(
        actor=actor,
        action=AuditAction.DESTROY,
        target=carrier,
        details={"destroyed_on": destroyed_on.isoformat(), "act_number": act_number},
    )
    return carrier


# Periodic controls (3)

CONTROL_FIELDS = ["title", "frequency_days", "responsible", "next_due_on"]


@access.protected
def control_create(
    *,
    actor: User,
    title: str,
    frequency_days: int,
    next_due_on: date,
    responsible: User | None = None,
) -> PeriodicControl:
    access.require(actor, MANAGE)
    if next_due_on < timezone.localdate():
        raise ValidationError(_("A new control can't be due in the past."))
    control = PeriodicControl.objects.create(
        title=title,
        frequency_days=frequency_days,
        next_due_on=next_due_on,
        responsible=responsible,
    )
    record(
        actor=actor,
        action=AuditAction.CONTROL_ADD,
        target=control,
        details=_snapshot(control, CONTROL_FIELDS),
    )
    return control


@access.protected
def control_update(
    *, actor: User, control: PeriodicControl, **values
) -> PeriodicControl:
    access.require(actor, MANAGE, control)
    control = PeriodicControl.objects.select_for_update().get(pk=control.pk)
    if control.key:
        values.pop("title", None)
    before = _snapshot(control, CONTROL_FIELDS)
    for name in CONTROL_FIELDS:
        if name in values:
            setattr(control, name, values[name])
    after = _snapshot(control, CONTROL_FIELDS)
    changed = [k for k in CONTROL_FIELDS if before[k] != after[k]]
    if changed:
        control.save()
        record(
            actor=actor,
            action=AuditAction.CONTROL_CHANGE,
            target=control,
            details=_changes(before, after, changed),
        )
    return control


@access.protected
def control_done(
    *, actor: User, control: PeriodicControl, done_on: date, note: str
) -> ControlCompletion:
    """Evidence recorded; the control is next due a full period after done_on."""
    access.require(actor, MANAGE, control)
    control = PeriodicControl.objects.select_for_update().get(pk=control.pk)
    _not_in_future(done_on, _("The date done can't be in the future."))
    last = control.completions.order_by("-done_on").first()
    if last is not None and done_on < last.done_on:
        raise ValidationError(
            _("It was already done later, on %(date)s.") % {"date": last.done_on}
        )
    if not note.strip():
        raise ValidationError(_("Write what was done: the evidence."))
    completion = ControlCompletion.objects.create(
        control=control, done_on=done_on, done_by=actor, note=note
    )
    control.next_due_on = control.due_after(done_on)
    control.save(update_fields=["next_due_on"])
    record(
        actor=actor,
        action=AuditAction.CONTROL_DONE,
        target=control,
        details={
            "done_on": done_on.isoformat(),
            "next_due_on": control.next_due_on.isoformat(),
        },
    )
    return completion
