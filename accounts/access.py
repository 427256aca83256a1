"""The one place that answers "may this person do this to this object?".

Views and services call ``require``; templates and views never look at roles.
A person who may not see an object gets 404, the same as for an object that
does not exist; a person who may see it but not act on it gets 403.
"""

from django.core.exceptions import PermissionDenied

from accounts.models import User


def can(user: User, permission: str, obj=None) -> bool:
    return user.is_active and user.has_perm(permission, obj)


def require(user: User, permission: str, obj=None) -> None:
    if not can(user, permission, obj):
        raise PermissionDenied
