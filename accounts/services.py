"""Changes to people, roles, appointments, onboarding, parent links and grants.

Each function takes the acting person first, checks access, changes the data
and records the audit event in one transaction. A refusal raises
``ValidationError`` (a translated reason for the person) or ``access.Forbidden``
and changes nothing.
"""

import secrets
from datetime import date
from typing import TYPE_CHECKING

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from accounts import access, selectors
from accounts.models import (
    PLEDGE_VERSION,
    AppointedRole,
    Appointment,
    Onboarding,
    ParentLink,
    User,
)
from accounts.roles import OFFERED_ROLES, Role
from audit.models import AuditAction
from audit.services import record

if TYPE_CHECKING:
    from documents.models import HandOverAct


def temporary_password() -> str:
    """Twelve-plus characters a person can type from a printed slip."""
    return "-".join(secrets.token_hex(3) for _ in range(3))


# People


@access.protected
def person_create(
    *,
    actor: User,
    username: str,
    last_name: str,
    first_name: str,
    roles: list[Role],
    middle_name: str = "",
    school_class: str = "",
    position: str = "",
    email: str = "",
) -> tuple[User, str]:
    """A new account with a temporary password, returned once to be handed over."""
    access.require(actor, "accounts.manage_people")
    _check_offered(roles)
    # Sign-in compares usernames lower-cased (accounts.security.network).
    username = username.strip().lower()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            _("The login %(username)s is taken.") % {"username": username}
        )
    password = temporary_password()
    person = User(
        username=username,
        last_name=last_name,
        first_name=first_name,
        middle_name=middle_name,
        school_class=school_class,
        position=position,
        email=email,
        is_staff=Role.ADMINISTRATOR in roles,
        must_change_password=True,
    )
    person.set_password(password)
    person.save()
    person.groups.set(Group.objects.filter(name__in=[role.value for role in roles]))
    record(
        actor=actor,
        action=AuditAction.ACCOUNT_OPEN,
        target=person,
        details={"roles": [role.value for role in roles], "class": school_class},
    )
    return person, password


@access.protected
def person_set_roles(*, actor: User, person: User, roles: list[Role]) -> None:
    """Give exactly these roles; appointed roles are left to appointments."""
    access.require(actor, "accounts.manage_people", person)
    _check_offered(roles)
    if person.pk == actor.pk and Role.ADMINISTRATOR not in roles:
        raise ValidationError(_("You can't take the administrator role from yourself."))
    before = {group.name for group in person.groups.all()}
    wanted = {role.value for role in roles}
    offered = {role.value for role in OFFERED_ROLES}
    # Saved first, so its diff goes with the first role event: the
    # administrator's, which sorts first, when that role is what changes.
    if person.is_staff != (Role.ADMINISTRATOR.value in wanted):
        person.is_staff = Role.ADMINISTRATOR.value in wanted
        person.save(update_fields=["is_staff"])
    for name in sorted((wanted - before) | ((before & offered) - wanted)):
        group = Group.objects.get(name=name)
        if name in wanted:
            person.groups.add(group)
            record(
                actor=actor,
                action=AuditAction.ROLE_ADD,
                target=person,
                details={"role": name},
            )
        else:
            person.groups.remove(group)
            record(
                actor=actor,
                action=AuditAction.ROLE_REMOVE,
                target=person,
                details={"role": name},
            )


@access.protected
def person_deactivate(*, actor: User, person: User) -> None:
    """A leaver can't sign in any more; their history stays."""
    access.require(actor, "accounts.manage_people", person)
    if person.pk == actor.pk:
        raise ValidationError(_("You can't deactivate your own account."))
    if not person.is_active:
        raise ValidationError(_("This account is already deactivated."))
    if Appointment.objects.filter(person=person, ends_on__isnull=True).exists():
        raise ValidationError(
            _("This person holds an appointment. Appoint a successor first.")
        )
    person.is_active = False
    person.save(update_fields=["is_active"])
    record(actor=actor, action=AuditAction.DEACTIVATE, target=person)


def _check_offered(roles: list[Role]) -> None:
    if not roles:
        raise ValidationError(_("Choose at least one role."))
    if any(role not in OFFERED_ROLES for role in roles):
        raise ValidationError(
            _("The security and records officers are appointed by school order.")
        )


# Appointments (2.3, 4.3)


@access.protected
def appoint(
    *,
    actor: User,
    person: User,
    role: AppointedRole,
    starts_on: date,
    order_number: str,
    order_date: date,
    replace_current: bool = False,
    hand_over: "HandOverAct | None" = None,
) -> Appointment:
    """Appoint by school order. With replace_current, ending the present holder's
    appointment and starting this one are one action; without it an occupied
    role is refused.

    ``hand_over``: the completed hand-over act (regulation 4.2.6) this
    appointment is for. The principal who confirmed it makes the appointment
    by that confirmation; appointing otherwise takes accounts.appoint_officer.
    """
    if hand_over is None:
        access.require(actor, "accounts.appoint_officer")
    else:
        # The act as stored, not as the caller holds it.
        hand_over = type(hand_over).objects.get(pk=hand_over.pk)
        access.require(actor, "documents.appoint_by_handoveract", hand_over)
        if role != AppointedRole.RECORDS_OFFICER or hand_over.incoming_id != person.pk:
            raise access.Forbidden("documents.appoint_by_handoveract", hand_over)
        # The act's order and date, not the caller's.
        starts_on = hand_over.starts_on
        order_number, order_date = hand_over.order_number, hand_over.order_date
    if not access.can(person, "accounts.undergo_onboarding"):
        raise ValidationError(_("Only an active employee can be appointed."))
    if order_date > starts_on:
        raise ValidationError(_("The appointment can't start before its order."))
    current = (
        Appointment.objects.select_for_update()
        .filter(role=role, ends_on__isnull=True)
        .select_related("person")
        .first()
    )
    if hand_over is not None and current is None:
        raise ValidationError(
            _(
                "The records officer is replaced through the hand-over "
                "act: draft it and have it confirmed first."
            )
        )
    group = Group.objects.get(name=role)
    if current is not None:
        if current.person_id == person.pk:
            raise ValidationError(_("This person already holds this appointment."))
        if not replace_current:
            raise ValidationError(
                _(
                    "%(person)s holds this appointment. "
                    "Confirm the replacement to end it."
                )
                % {"person": current.person}
            )
        if starts_on < current.starts_on:
            raise ValidationError(
                _("The new appointment can't start before the current one.")
            )
        # Regulation 4.2.6: the records officer is replaced only through a
        # hand-over act confirmed by both officers and the principal, and an
        # act hands over from the officer it names, once.
        if role == AppointedRole.RECORDS_OFFICER and (
            hand_over is None or hand_over.outgoing_id != current.person_id
        ):
            raise ValidationError(
                _(
                    "The records officer is replaced through the hand-over "
                    "act: draft it and have it confirmed first."
                )
            )
        current.ends_on = starts_on
        current.save(update_fields=["ends_on"])
        current.person.groups.remove(group)
        record(
            actor=actor,
            action=AuditAction.APPOINTMENT_END,
            target=current.person,
            details={
                "role": role,
                "appointment": current.pk,
                "ends_on": str(starts_on),
            },
        )
    appointment = Appointment.objects.create(
        person=person,
        role=role,
        starts_on=starts_on,
        order_number=order_number,
        order_date=order_date,
        order_document=_registered_order(order_number, order_date),
        appointed_by=actor,
    )
    person.groups.add(group)
    record(
        actor=actor,
        action=AuditAction.APPOINT,
        target=person,
        details={
            "role": role,
            "appointment": appointment.pk,
            "order_number": order_number,
            "order_date": str(order_date),
            "order_document": appointment.order_document_id,
            "starts_on": str(starts_on),
        },
    )
    return appointment


def _registered_order(number: str, on: date):
    """The school order in the orders journal with this number and year, if any."""
    from documents.models import Document, DocumentStatus, JournalKind

    return (
        Document.objects.filter(
            journal__kind=JournalKind.ORDERS, year=on.year, number=number
        )
        .exclude(status=DocumentStatus.ANNULLED)
        .order_by("pk")
        .first()
    )


# Onboarding (2.5)


def _onboarding(person: User) -> Onboarding:
    onboarding, _created = Onboarding.objects.select_for_update().get_or_create(
        person=person
    )
    return onboarding


@access.protected
def pledge_accept(*, actor: User) -> Onboarding:
    access.require(actor, "accounts.undergo_onboarding")
    onboarding = _onboarding(actor)
    if not onboarding.pledge_current:
        onboarding.pledge_version = PLEDGE_VERSION
        onboarding.pledge_accepted_at = timezone.now()
        onboarding.save(update_fields=["pledge_version", "pledge_accepted_at"])
        record(
            actor=actor,
            action=AuditAction.ONBOARDING,
            target=actor,
            details={"step": "pledge", "version": PLEDGE_VERSION},
        )
    return onboarding


@access.protected
def familiarization_confirm(*, actor: User) -> Onboarding:
    access.require(actor, "accounts.undergo_onboarding")
    onboarding = _onboarding(actor)
    if onboarding.familiarized_at is None:
        onboarding.familiarized_at = timezone.now()
        onboarding.save(update_fields=["familiarized_at"])
        record(
            actor=actor,
            action=AuditAction.ONBOARDING,
            target=actor,
            details={"step": "familiarization"},
        )
    return onboarding


@access.protected
def briefing_record(*, actor: User, person: User) -> Onboarding:
    """The security officer briefs an employee who has pledged and read the rules."""
    access.require(actor, "accounts.record_briefing")
    if person.pk == actor.pk:
        raise ValidationError(_("Another officer must record your own briefing."))
    if not access.can(person, "accounts.undergo_onboarding"):
        raise ValidationError(_("Only an active employee is briefed."))
    onboarding = _onboarding(person)
    if not onboarding.pledge_current or onboarding.familiarized_at is None:
        raise ValidationError(
            _("The employee must first accept the pledge and confirm familiarization.")
        )
    onboarding.briefed_at = timezone.now()
    onboarding.briefed_by = actor
    onboarding.save(update_fields=["briefed_at", "briefed_by"])
    record(
        actor=actor,
        action=AuditAction.ONBOARDING,
        target=person,
        details={"step": "briefing"},
    )
    return onboarding


# Parents and children


@access.protected
def parent_link(*, actor: User, parent: User, child: User) -> ParentLink:
    access.require(actor, "accounts.manage_people")
    if Role.PARENT not in selectors.roles_of(user=parent):
        raise ValidationError(_("%(person)s is not a parent.") % {"person": parent})
    if Role.STUDENT not in selectors.roles_of(user=child):
        raise ValidationError(_("%(person)s is not a student.") % {"person": child})
    if parent.pk == child.pk:
        raise ValidationError(_("A person can't be their own parent."))
    try:
        with transaction.atomic():
            link = ParentLink.objects.create(
                parent=parent, child=child, linked_by=actor
            )
    except IntegrityError:
        raise ValidationError(_("These two are already linked.")) from None
    record(
        actor=actor,
        action=AuditAction.LINK,
        target=child,
        details={"parent": parent.pk},
    )
    return link


@access.protected
def parent_unlink(*, actor: User, link: ParentLink) -> None:
    access.require(actor, "accounts.manage_people")
    child, parent_id = link.child, link.parent_id
    # Deleted first: the event carries the removed row (audit.field_log).
    link.delete()
    record(
        actor=actor,
        action=AuditAction.UNLINK,
        target=child,
        details={"parent": parent_id},
    )


# Per-object permissions (django-guardian)


@access.protected
def object_permission_grant(
    *, actor: User, obj: Model, permission: str, grantee: User | Group
) -> None:
    rule = _grant_rule(actor, obj, permission)
    reason = access.refusal_to_receive(grantee, obj)
    if reason:
        raise ValidationError(reason)
    assign_perm(permission, grantee, obj)
    record(
        actor=actor,
        action=AuditAction.GRANT,
        target=obj,
        details={
            "permission": permission,
            **_grantee_details(grantee),
            "by_role_of": rule.manager_permission,
        },
    )


@access.protected
def object_permission_revoke(
    *, actor: User, obj: Model, permission: str, grantee: User | Group
) -> None:
    _grant_rule(actor, obj, permission)
    remove_perm(permission, grantee, obj)
    record(
        actor=actor,
        action=AuditAction.REVOKE,
        target=obj,
        details={"permission": permission, **_grantee_details(grantee)},
    )


def _grant_rule(actor: User, obj: Model, permission: str) -> access.Grantable:
    rule = access.grantable(obj)
    if rule is None:
        raise access.NotVisible("grant", obj)
    access.require(actor, rule.manager_permission, obj)
    if permission not in rule.permissions:
        raise ValidationError(_("This permission can't be given on this object."))
    return rule


def _grantee_details(grantee: User | Group) -> dict:
    if isinstance(grantee, Group):
        return {"group": grantee.name}
    return {"user": grantee.pk, "username": grantee.username}


@access.protected
def people_import_confirm(*, actor: User, rows: list[dict]) -> list[tuple[User, str]]:
    """Create every previewed good row, or none: one bad row stops them all."""
    access.require(actor, "accounts.manage_people")
    created = []
    for values in rows:
        created.append(
            person_create(
                actor=actor,
                username=values["username"],
                last_name=values["last_name"],
                first_name=values["first_name"],
                middle_name=values["middle_name"],
                school_class=values["school_class"],
                roles=[Role(values["role"])],
            )
        )
    return created
