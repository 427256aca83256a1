"""Who may see and do what: the portal's one access policy (regulation 5.1).

Every protected model has a policy here. Each answers both questions from the
same rules — roles (groups holding model permissions), appointments,
onboarding, custody, commissions and the per-object permissions granted with
django-guardian:

- ``can(person, permission, obj)``: may this person do this to this object?
- ``visible(person, permission, queryset)``: which of these objects may they?

A policy writes each rule twice, once for one object in Python and once as a
query filter; ``tests/test_access_policy.py`` proves the two agree for
every demo person, object and action. Selectors, services, views and
templates ask here; Django's ``has_perm`` is called nowhere else.

A person who may not see an object gets 404 (``NotVisible``), exactly as for
an object that does not exist; one who may see it but not act on it gets 403
(``Forbidden``). Services wrapped in ``protected`` (or ``records_refusals``)
record their own refusals, whoever calls them; the audit middleware records
those raised in views.
"""

import functools
from contextvars import ContextVar, Token
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext
from guardian.exceptions import MixedContentTypeError
from guardian.shortcuts import get_objects_for_user

from accounts.models import (
    ClassTeacher,
    Incident,
    Onboarding,
    ParentLink,
    PersonalDataRequest,
    PersonRecord,
    User,
)
from audit import field_log
from documents.models import (
    Attachment,
    CommissionMember,
    Copy,
    Custody,
    DestructionAct,
    Document,
    Grif,
    HandOverAct,
)
from execution.models import Resolution, ResolutionExecutor


class _Refusal:
    recorded = False  # set once the refusal is in the trail

    def __init__(self, permission: str, target: Model | None = None) -> None:
        super().__init__(permission)
        self.permission = permission
        self.target_type = target._meta.label_lower if target is not None else ""
        self.target_id = str(target.pk) if target is not None else ""
        self.target_label = str(target)[:200] if target is not None else ""


class Forbidden(_Refusal, PermissionDenied):
    """403: the person may see the object but may not do this to it."""


class NotVisible(_Refusal, Http404):
    """404: the person may not see the object, or it does not exist."""


# The questions


def can(user: User, permission: str, obj: Model | None = None) -> bool:
    """May this person do this (to this object)?

    Without an object: does one of the person's roles grant the permission.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if obj is None:
        return user.has_perm(permission)
    return policy_for(type(obj), permission).can(user, permission, obj)


def visible(user: User, permission: str, queryset: QuerySet) -> QuerySet:
    """The objects of the queryset on which the person may do this."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    policy = policy_for(queryset.model, permission)
    return queryset.filter(policy.allowed(user, permission))


def require(user: User, permission: str, obj: Model | None = None) -> None:
    if not can(user, permission, obj):
        raise Forbidden(permission, obj)


def require_visible(user: User, permission: str, obj: Model | None = None) -> None:
    if not can(user, permission, obj):
        raise NotVisible(permission, obj)


def get_visible(user: User, permission: str, queryset: QuerySet, **lookup) -> Model:
    """The object, if it exists and the person may see it; else 404."""
    found = queryset.filter(**lookup)
    obj = visible(user, permission, found).first()
    if obj is None:
        # The trail names what was asked for, if it exists.
        raise NotVisible(permission, found.first())
    return obj


def is_cleared(user: User) -> bool:
    """Regulation 2.5: pledged, familiarized and briefed (within the interval)."""
    if not hasattr(user, "_portal_cleared"):
        onboarding = Onboarding.objects.filter(person=user).first()
        user._portal_cleared = onboarding is not None and onboarding.is_complete
    return user._portal_cleared


# Services record their own refusals


def record_refusal(actor, refusal: _Refusal) -> None:
    """The refusal in the trail, in its own transaction: who, what, where."""
    from audit.context import current_request
    from audit.models import AuditAction, AuditOutcome
    from audit.services import record

    with transaction.atomic():
        record(
            actor=actor if isinstance(actor, User) else None,
            action=AuditAction.DENIED,
            outcome=AuditOutcome.DENIED,
            target_label=refusal.target_label,
            details={
                "permission": refusal.permission,
                "path": current_request.get().path,
                "status": 404 if isinstance(refusal, NotVisible) else 403,
                "target_type": refusal.target_type,
                "target_id": refusal.target_id,
            },
        )
    refusal.recorded = True


_services_running: ContextVar[int] = ContextVar("services_running", default=0)


def records_refusals(service):
    """A refusal raised by the service is in the trail once the outermost
    service has ended (and its transaction rolled back), whoever called it: a
    view, a command, a test."""

    @functools.wraps(service)
    def run(*args, **kwargs):
        token = _services_running.set(_services_running.get() + 1)
        try:
            return service(*args, **kwargs)
        except (Forbidden, NotVisible) as refusal:
            outermost = token.old_value in (0, Token.MISSING)
            if outermost and not refusal.recorded:
                _services_running.reset(token)
                token = None
                record_refusal(kwargs.get("actor"), refusal)
            raise
        finally:
            if token is not None:
                _services_running.reset(token)

    return run


def protected(service):
    """A service on protected objects: one transaction, and a refusal recorded
    after that transaction has rolled back. Its audit events carry the row
    diffs django-auditlog logs meanwhile (audit.field_log)."""
    return records_refusals(transaction.atomic(field_log.business_action()(service)))


# The policies


def _role(user: User, permission: str) -> bool:
    return user.has_perm(permission)


def _granted(user: User, permission: str, obj: Model) -> bool:
    """A permission given on this one object, to the person or their group."""
    return user.has_perm(permission, obj)


def _granted_ids(user: User, permission: str, model) -> QuerySet | list:
    """Pks of the model's objects on which the permission was given to the
    person or their group; none for a permission of another model."""
    try:
        return get_objects_for_user(
            user, permission, model, accept_global_perms=False
        ).values("pk")
    except MixedContentTypeError:
        return []


NOTHING = Q(pk__in=[])
EVERYTHING = Q()


class Policy:
    """The default for a model without rules of its own: a role's permission,
    or the same permission given on the one object."""

    model = None  # the model class the policy is for
    view = ""  # the permission that means "see"
    actions: tuple[str, ...] = ()  # the other permissions it answers

    def sees(self, user: User, obj) -> bool:
        return self.may(user, self.view, obj)

    def seen(self, user: User) -> Q:
        return self.may_q(user, self.view)

    def may(self, user: User, permission: str, obj) -> bool:
        return _role(user, permission) or _granted(user, permission, obj)

    def may_q(self, user: User, permission: str) -> Q:
        if _role(user, permission):
            return EVERYTHING
        return Q(pk__in=_granted_ids(user, permission, self.model))

    def can(self, user: User, permission: str, obj) -> bool:
        if not self.view:
            return self.may(user, permission, obj)
        if permission == self.view:
            return self.sees(user, obj)
        return self.sees(user, obj) and self.may(user, permission, obj)

    def allowed(self, user: User, permission: str) -> Q:
        if not self.view:
            return self.may_q(user, permission)
        if permission == self.view:
            return self.seen(user)
        return self.seen(user) & self.may_q(user, permission)


class DefaultPolicy(Policy):
    """Objects with nothing but role and per-object permissions: office
    registers, surveys, journals."""

    def __init__(self, model) -> None:
        self.model = model


def _cleared_for(user: User, document: Document) -> bool:
    return not document.is_official_use or is_cleared(user)


def _cleared_q(user: User, prefix: str = "") -> Q:
    if is_cleared(user):
        return EVERYTHING
    return ~Q(**{f"{prefix}grif": Grif.OFFICIAL_USE})


def _holds(user: User, document: Document) -> bool:
    held = getattr(document, "open_custodies", None)
    if held is not None:
        return any(custody.holder_id == user.pk for custody in held)
    return Custody.objects.filter(
        document=document, holder=user, returned_at__isnull=True
    ).exists()


def _assigned(user: User, document: Document) -> bool:
    """An executor of one of the document's resolutions (issue 21)."""
    return ResolutionExecutor.objects.filter(
        person=user, resolution__document=document
    ).exists()


def _assigned_documents(user: User) -> QuerySet:
    return ResolutionExecutor.objects.filter(person=user).values("resolution__document")


class DocumentPolicy(Policy):
    """The records office (and its supervisors) see every document; others the
    ones they execute (as the document's executor or a resolution's),
    registered, hold now or were given; official-use ones only when cleared
    (2.5). Acting on a document needs seeing it."""

    model = Document
    view = "documents.view_document"
    actions = (
        "documents.change_document",
        "documents.annul_document",
        "documents.destroy_document",
        "documents.issue_document",
        "documents.add_copy",
        "documents.change_copy",
        "documents.grant_document",
        "execution.give_resolution",
    )

    def sees(self, user: User, document: Document) -> bool:
        if not _cleared_for(user, document):
            return False
        return (
            _role(user, self.view)
            or document.executor_id == user.pk
            or document.registered_by_id == user.pk
            or _holds(user, document)
            or _granted(user, self.view, document)
            or _assigned(user, document)
        )

    def seen(self, user: User) -> Q:
        if _role(user, self.view):
            return _cleared_q(user)
        held = Custody.objects.filter(holder=user, returned_at__isnull=True)
        return _cleared_q(user) & (
            Q(executor=user)
            | Q(registered_by=user)
            | Q(pk__in=held.values("document"))
            | Q(pk__in=_granted_ids(user, self.view, Document))
            | Q(pk__in=_assigned_documents(user))
        )

    # A resolution is given by a role (the principal, an appointed deputy),
    # never by a permission on one document.
    by_role_only = ("execution.give_resolution",)

    def may(self, user: User, permission: str, document: Document) -> bool:
        if permission in self.by_role_only:
            return _role(user, permission)
        return super().may(user, permission, document)

    def may_q(self, user: User, permission: str) -> Q:
        if permission in self.by_role_only:
            return EVERYTHING if _role(user, permission) else NOTHING
        return super().may_q(user, permission)


DOCUMENTS = DocumentPolicy()


def _on_documents(user: User, permission: str) -> Q:
    """Rows whose document the person may do this to."""
    return Q(document__in=Document.objects.filter(DOCUMENTS.allowed(user, permission)))


class AttachmentPolicy(Policy):
    """A document's files go with the document."""

    model = Attachment
    view = DOCUMENTS.view

    def sees(self, user: User, attachment: Attachment) -> bool:
        return DOCUMENTS.sees(user, attachment.document)

    def seen(self, user: User) -> Q:
        return Q(document__in=Document.objects.filter(DOCUMENTS.seen(user)))


class CustodyPolicy(Policy):
    """An issue against signature: its holder, and the records office. The
    holder alone signs for it and hands it back."""

    model = Custody
    view = "documents.view_custody"
    # "receive_document" here is the holder's own part, not a role's.
    actions = ("documents.receive_document", "documents.issue_document")

    def sees(self, user: User, custody: Custody) -> bool:
        return _cleared_for(user, custody.document) and (
            custody.holder_id == user.pk or _role(user, self.view)
        )

    def seen(self, user: User) -> Q:
        cleared = _cleared_q(user, "document__")
        if _role(user, self.view):
            return cleared
        return cleared & Q(holder=user)

    def may(self, user: User, permission: str, custody: Custody) -> bool:
        if permission == "documents.receive_document":
            return custody.holder_id == user.pk
        return DOCUMENTS.can(user, permission, custody.document)

    def may_q(self, user: User, permission: str) -> Q:
        if permission == "documents.receive_document":
            return Q(holder=user)
        return _on_documents(user, permission)


class CopyPolicy(Policy):
    """The copy log: for the roles that keep it; official-use copies for the
    cleared. A copy's fate is recorded by those who may on its document."""

    model = Copy
    view = "documents.view_copy"
    actions = ("documents.change_copy",)

    def sees(self, user: User, copy: Copy) -> bool:
        return _role(user, self.view) and _cleared_for(user, copy.document)

    def seen(self, user: User) -> Q:
        if not _role(user, self.view):
            return NOTHING
        return _cleared_q(user, "document__")

    def may(self, user: User, permission: str, copy: Copy) -> bool:
        return DOCUMENTS.can(user, permission, copy.document)

    def may_q(self, user: User, permission: str) -> Q:
        return _on_documents(user, permission)


class DestructionActPolicy(Policy):
    """Destruction acts (4.1): the roles that keep or approve them, and each
    act's commission members. A member confirms their own part."""

    model = DestructionAct
    view = "documents.view_destructionact"
    # "confirm_destructionact" is a commission member's own part, not a role's.
    actions = ("documents.approve_destructionact", "documents.confirm_destructionact")

    def _member(self, user: User, act: DestructionAct) -> bool:
        return CommissionMember.objects.filter(act=act, person=user).exists()

    def sees(self, user: User, act: DestructionAct) -> bool:
        return _role(user, self.view) or self._member(user, act)

    def seen(self, user: User) -> Q:
        if _role(user, self.view):
            return EVERYTHING
        return Q(pk__in=CommissionMember.objects.filter(person=user).values("act"))

    def may(self, user: User, permission: str, act: DestructionAct) -> bool:
        if permission == "documents.confirm_destructionact":
            return self._member(user, act)
        return _role(user, permission)

    def may_q(self, user: User, permission: str) -> Q:
        if permission == "documents.confirm_destructionact":
            return Q(pk__in=CommissionMember.objects.filter(person=user).values("act"))
        return EVERYTHING if _role(user, permission) else NOTHING


class HandOverActPolicy(Policy):
    """The records officer's hand-over act (4.2.6): the roles that keep it,
    the principal who confirms it, and the outgoing and incoming officers."""

    model = HandOverAct
    view = "documents.view_handoveract"
    # "appoint_by_handoveract" is the confirming principal's: the completed act
    # is their authority to appoint its incoming officer (accounts.services.appoint).
    actions = (
        "documents.add_handoveract",
        "documents.confirm_handoveract",
        "documents.appoint_by_handoveract",
    )

    def sees(self, user: User, act: HandOverAct) -> bool:
        return (
            _role(user, self.view)
            or _role(user, "documents.confirm_handoveract")
            or user.pk in (act.outgoing_id, act.incoming_id)
        )

    def seen(self, user: User) -> Q:
        if _role(user, self.view) or _role(user, "documents.confirm_handoveract"):
            return EVERYTHING
        return Q(outgoing=user) | Q(incoming=user)

    def may(self, user: User, permission: str, act: HandOverAct) -> bool:
        if permission == "documents.appoint_by_handoveract":
            return (
                act.completed_at is not None
                and act.principal_id == user.pk
                and _role(user, "documents.confirm_handoveract")
            )
        return _role(user, permission)

    def may_q(self, user: User, permission: str) -> Q:
        if permission == "documents.appoint_by_handoveract":
            if not _role(user, "documents.confirm_handoveract"):
                return NOTHING
            return Q(completed_at__isnull=False, principal=user)
        return EVERYTHING if _role(user, permission) else NOTHING


class ResolutionPolicy(Policy):
    """A resolution goes with its document: whoever sees the document sees
    its resolutions. Only its author changes it; only its executors report on
    it; the roles that keep control take it off control."""

    model = Resolution
    view = "execution.view_resolution"
    # "add_executionreport" is an executor's own part, not a role's.
    actions = (
        "execution.change_resolution",
        "execution.add_executionreport",
        "execution.take_off_control",
    )

    def sees(self, user: User, resolution: Resolution) -> bool:
        return DOCUMENTS.sees(user, resolution.document)

    def seen(self, user: User) -> Q:
        return _on_documents(user, DOCUMENTS.view)

    def may(self, user: User, permission: str, resolution: Resolution) -> bool:
        if permission == "execution.change_resolution":
            return resolution.author_id == user.pk and _role(
                user, "execution.give_resolution"
            )
        if permission == "execution.add_executionreport":
            return ResolutionExecutor.objects.filter(
                resolution=resolution, person=user
            ).exists()
        return _role(user, permission)

    def may_q(self, user: User, permission: str) -> Q:
        if permission == "execution.change_resolution":
            if not _role(user, "execution.give_resolution"):
                return NOTHING
            return Q(author=user)
        if permission == "execution.add_executionreport":
            mine = ResolutionExecutor.objects.filter(person=user)
            return Q(pk__in=mine.values("resolution"))
        return EVERYTHING if _role(user, permission) else NOTHING


class IncidentPolicy(Policy):
    """An account incident: the person who reported it, and support."""

    model = Incident
    view = "accounts.view_incident"
    actions = ("accounts.handle_incident",)

    def sees(self, user: User, incident: Incident) -> bool:
        return incident.reporter_id == user.pk or _role(user, self.view)

    def seen(self, user: User) -> Q:
        return EVERYTHING if _role(user, self.view) else Q(reporter=user)

    def may(self, user: User, permission: str, incident: Incident) -> bool:
        return _role(user, permission)

    def may_q(self, user: User, permission: str) -> Q:
        return EVERYTHING if _role(user, permission) else NOTHING


def _children(user: User) -> QuerySet:
    return ParentLink.objects.filter(parent=user).values("child")


class PeoplePolicy(Policy):
    """A person's account: the roles that keep people, the person, their
    parents, and whoever was given it. Managing a person needs seeing them."""

    model = User
    view = "accounts.view_user"
    actions = (
        "accounts.manage_people",
        "accounts.change_user",
        "accounts.change_personrecord",
        "accounts.grant_object_permission",
        "accounts.reset_password",
        "accounts.reset_privileged_password",
        "accounts.view_onboarding",
    )
    # Support resets passwords and the security officer keeps the onboarding
    # register of accounts whose records they do not see.
    on_any_account = (
        "accounts.reset_password",
        "accounts.reset_privileged_password",
        "accounts.view_onboarding",
    )

    def can(self, user: User, permission: str, person: User) -> bool:
        if permission in self.on_any_account:
            return _role(user, permission)
        return super().can(user, permission, person)

    def allowed(self, user: User, permission: str) -> Q:
        if permission in self.on_any_account:
            return EVERYTHING if _role(user, permission) else NOTHING
        return super().allowed(user, permission)

    def sees(self, user: User, person: User) -> bool:
        return (
            _role(user, self.view)
            or person.pk == user.pk
            or ParentLink.objects.filter(parent=user, child=person).exists()
            or _granted(user, self.view, person)
        )

    def seen(self, user: User) -> Q:
        if _role(user, self.view):
            return EVERYTHING
        return (
            Q(pk=user.pk)
            | Q(pk__in=_children(user))
            | Q(pk__in=_granted_ids(user, self.view, User))
        )


PEOPLE = PeoplePolicy()


class PersonalDataPolicy(Policy):
    """Personal data (issue 8; regulation 2.1, 2.2; law No. 58) goes by
    relationship, not by role: a person sees their own, a parent their
    children's, a class teacher their class's, the administrator only where
    PORTAL_ADMIN_SEES_PERSONAL_DATA allows it; the records officer none. Only
    the person or their parent asks about it; only a parent gives consent.
    Its objects are the people whose data it is (or their PersonRecord)."""

    model = User
    view = "accounts.view_personrecord"
    actions = ("accounts.request_personal_data", "accounts.give_consent")

    def _sees_all(self, user: User) -> bool:
        return settings.PORTAL_ADMIN_SEES_PERSONAL_DATA and _role(
            user, "accounts.view_all_personal_data"
        )

    def _parent(self, user: User, subject: User) -> bool:
        return ParentLink.objects.filter(parent=user, child=subject).exists()

    def _teaches(self, user: User, subject: User) -> bool:
        return (
            bool(subject.school_class)
            and ClassTeacher.objects.filter(
                teacher=user, school_class=subject.school_class
            ).exists()
        )

    def answers(self, permission: str) -> bool:
        return permission == self.view or permission in self.actions

    def can(self, user: User, permission: str, obj) -> bool:
        subject = obj.person if isinstance(obj, PersonRecord) else obj
        if not isinstance(subject, User) or not self.answers(permission):
            return False
        if permission == "accounts.give_consent":
            return self._parent(user, subject) and _role(user, permission)
        if subject.pk == user.pk or self._parent(user, subject):
            return True
        if permission != self.view:
            return False
        return self._sees_all(user) or self._teaches(user, subject)

    def allowed(self, user: User, permission: str) -> Q:
        if not self.answers(permission):
            return NOTHING
        children = Q(pk__in=_children(user))
        if permission == "accounts.give_consent":
            return children if _role(user, permission) else NOTHING
        own = Q(pk=user.pk) | children
        if permission != self.view:
            return own
        if self._sees_all(user):
            return EVERYTHING
        classes = ClassTeacher.objects.filter(teacher=user).values("school_class")
        return own | (~Q(school_class="") & Q(school_class__in=classes))


PERSONAL_DATA = PersonalDataPolicy()


class PersonRecordPolicy(Policy):
    """A PersonRecord is its person's data: seeing it and asking about it go by
    the personal-data rules; keeping it (changing the record) goes with
    keeping the person's account."""

    model = PersonRecord
    view = PERSONAL_DATA.view

    def _rules(self, permission: str) -> Policy:
        return PERSONAL_DATA if PERSONAL_DATA.answers(permission) else PEOPLE

    def can(self, user: User, permission: str, record: PersonRecord) -> bool:
        return self._rules(permission).can(user, permission, record.person)

    def allowed(self, user: User, permission: str) -> Q:
        rules = self._rules(permission)
        subjects = User.objects.filter(rules.allowed(user, permission))
        return Q(person__in=subjects)


class PersonalDataRequestPolicy(Policy):
    """A request about personal data: those who may ask about its subject,
    and the people who answer requests."""

    model = PersonalDataRequest
    view = "accounts.view_personaldatarequest"
    actions = ("accounts.handle_personal_request",)

    def sees(self, user: User, request: PersonalDataRequest) -> bool:
        return _role(user, "accounts.handle_personal_request") or PERSONAL_DATA.can(
            user, "accounts.request_personal_data", request.subject
        )

    def seen(self, user: User) -> Q:
        if _role(user, "accounts.handle_personal_request"):
            return EVERYTHING
        subjects = User.objects.filter(
            PERSONAL_DATA.allowed(user, "accounts.request_personal_data")
        )
        return Q(subject__in=subjects)

    def may(self, user: User, permission: str, request) -> bool:
        return _role(user, permission)

    def may_q(self, user: User, permission: str) -> Q:
        return EVERYTHING if _role(user, permission) else NOTHING


POLICIES: list[Policy] = [
    DOCUMENTS,
    AttachmentPolicy(),
    CustodyPolicy(),
    CopyPolicy(),
    DestructionActPolicy(),
    HandOverActPolicy(),
    ResolutionPolicy(),
    IncidentPolicy(),
    PEOPLE,
    PERSONAL_DATA,
    PersonRecordPolicy(),
    PersonalDataRequestPolicy(),
]
_BY_PERMISSION = {
    (policy.model, permission): policy
    for policy in POLICIES
    for permission in (policy.view, *policy.actions)
}
_BY_MODEL = {policy.model: policy for policy in reversed(POLICIES)}
_DEFAULTS: dict = {}


def policy_for(model, permission: str) -> Policy:
    """The policy that answers this permission on this model's objects."""
    found = _BY_PERMISSION.get((model, permission)) or _BY_MODEL.get(model)
    if found is None:
        found = _DEFAULTS.setdefault(model, DefaultPolicy(model))
    return found


# Objects on which one person or group may be given a permission from the
# portal's permissions page. Each feature registers its models here.
@dataclass(frozen=True)
class Grantable:
    permissions: tuple[str, ...]  # "app.codename" that may be given on one object
    manager_permission: str  # who may give and take them back


GRANTABLE: dict[str, Grantable] = {
    "accounts.user": Grantable(
        permissions=("accounts.view_user",),
        manager_permission="accounts.grant_object_permission",
    ),
    "documents.document": Grantable(
        permissions=("documents.view_document",),
        manager_permission="documents.grant_document",
    ),
    "documents.journal": Grantable(
        permissions=("documents.register_in_journal",),
        manager_permission="documents.manage_journals",
    ),
}


def grantable(obj: Model) -> Grantable | None:
    return GRANTABLE.get(obj._meta.label_lower)


def group_may(group: Group, permission: str) -> bool:
    """Whether the role (group) itself holds the permission."""
    app_label, codename = permission.split(".")
    return group.permissions.filter(
        content_type__app_label=app_label, codename=codename
    ).exists()


def refusal_to_receive(grantee: User | Group, obj: Model) -> str | None:
    """Why this person or group may not be given a permission on obj, or None."""
    if isinstance(grantee, Group):
        if not group_may(grantee, "accounts.receive_object_permission"):
            return gettext("This group's role can't be given permissions on objects.")
        if getattr(obj, "is_official_use", False):
            return gettext("Material for official use is given to cleared people only.")
        return None
    if not grantee.is_active:
        return gettext("This person's account is deactivated.")
    if not can(grantee, "accounts.receive_object_permission"):
        return gettext("This person's role can't be given permissions on objects.")
    if getattr(obj, "is_official_use", False) and not is_cleared(grantee):
        return gettext(
            "This person has not completed onboarding and can't receive material "
            "for official use."
        )
    return None
