"""The one place that answers "may this person do this to this object?".

It combines the person's roles (groups with model permissions), their
appointment, their onboarding and the per-object permissions granted with
django-guardian. Views and services call it; templates and views never look
at roles themselves.

A person who may not see an object gets 404 (``NotVisible``), exactly as for
an object that does not exist; one who may see it but not act on it gets 403
(``Forbidden``). The audit middleware records both.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext

from accounts.models import Onboarding, ParentLink, User


class _Refusal:
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


def can(user: User, permission: str, obj: Model | None = None) -> bool:
    """Role-wide permission, or a permission granted on this one object.

    Material marked for official use additionally needs a complete onboarding.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if permission in PERSONAL_DATA_PERMISSIONS:
        # Personal data goes by relationship, not by role (see below).
        return _personal_data_rule(user, permission, obj)
    if getattr(obj, "is_official_use", False) and not is_cleared(user):
        return False
    if user.has_perm(permission):
        return True
    if _allowed_by_relationship(user, permission, obj):
        return True
    return obj is not None and user.has_perm(permission, obj)


def require(user: User, permission: str, obj: Model | None = None) -> None:
    if not can(user, permission, obj):
        raise Forbidden(permission, obj)


def require_visible(user: User, permission: str, obj: Model | None = None) -> None:
    if not can(user, permission, obj):
        raise NotVisible(permission, obj)


def get_visible(user: User, permission: str, queryset: QuerySet, **lookup) -> Model:
    """The object, if it exists and the person may see it; else 404."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise NotVisible(permission)
    require_visible(user, permission, obj)
    return obj


def is_cleared(user: User) -> bool:
    """Regulation 2.5: pledged, familiarized and briefed (within the interval)."""
    if not hasattr(user, "_portal_cleared"):
        onboarding = Onboarding.objects.filter(person=user).first()
        user._portal_cleared = onboarding is not None and onboarding.is_complete
    return user._portal_cleared


def _allowed_by_relationship(user: User, permission: str, obj: Model | None) -> bool:
    """A person sees their own record; a parent sees their own children's."""
    if permission != "accounts.view_user" or not isinstance(obj, User):
        return False
    if obj.pk == user.pk:
        return True
    return ParentLink.objects.filter(parent=user, child=obj).exists()


# Personal data (issue 8; regulation 2.1, 2.2; law No. 58). No role sees
# everyone's data: a person sees their own, a parent their children's, a class
# teacher their class's, the administrator only where the school's setting
# PORTAL_ADMIN_SEES_PERSONAL_DATA allows it; the records officer none. Only the
# person or their parent may make a request about it or give consent.
PERSONAL_DATA_PERMISSIONS = (
    "accounts.view_personrecord",
    "accounts.request_personal_data",
    "accounts.give_consent",
)


def _personal_data_rule(user: User, permission: str, obj: Model | None) -> bool:
    from django.conf import settings

    from accounts.models import ClassTeacher, PersonRecord

    subject = obj.person if isinstance(obj, PersonRecord) else obj
    if not isinstance(subject, User):
        return False
    is_parent = ParentLink.objects.filter(parent=user, child=subject).exists()
    if permission == "accounts.give_consent":
        return is_parent and user.has_perm("accounts.give_consent")
    if subject.pk == user.pk or is_parent:
        return True
    if permission != "accounts.view_personrecord":
        return False
    if settings.PORTAL_ADMIN_SEES_PERSONAL_DATA and user.has_perm(
        "accounts.view_all_personal_data"
    ):
        return True
    return bool(subject.school_class) and (
        ClassTeacher.objects.filter(
            teacher=user, school_class=subject.school_class
        ).exists()
    )


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


def refusal_to_receive(grantee: User | Group, obj: Model) -> str | None:
    """Why this person or group may not be given a permission on obj, or None."""
    if isinstance(grantee, Group):
        allowed = grantee.permissions.filter(
            content_type__app_label="accounts", codename="receive_object_permission"
        ).exists()
        if not allowed:
            return gettext("This group's role can't be given permissions on objects.")
        if getattr(obj, "is_official_use", False):
            return gettext("Material for official use is given to cleared people only.")
        return None
    if not grantee.is_active:
        return gettext("This person's account is deactivated.")
    if not grantee.has_perm("accounts.receive_object_permission"):
        return gettext("This person's role can't be given permissions on objects.")
    if getattr(obj, "is_official_use", False) and not is_cleared(grantee):
        return gettext(
            "This person has not completed onboarding and can't receive material "
            "for official use."
        )
    return None
