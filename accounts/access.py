"""The one place that answers "may this person do this to this object?".

It combines the person's roles (groups with model permissions), their
appointment, their onboarding and the per-object permissions granted with
django-guardian. Views and services call it; templates and views never look
at roles themselves.

A person who may not see an object gets 404 (``NotVisible``), exactly as for
an object that does not exist; one who may see it but not act on it gets 403
(``Forbidden``). The audit middleware records both.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from accounts.models import Onboarding, User


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
    if getattr(obj, "is_official_use", False) and not is_cleared(user):
        return False
    if user.has_perm(permission):
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
