"""Sign-in, sign-out and failed sign-in enter the trail through Django's signals."""

import unicodedata

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.dispatch import receiver

from audit.models import AuditAction, AuditOutcome
from audit.services import record

USERNAME_LIMIT = 150


@receiver(user_logged_in, dispatch_uid="audit_login")
def on_login(sender, request, user, **kwargs):
    record(actor=user, action=AuditAction.LOGIN)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def on_logout(sender, request, user, **kwargs):
    if user is not None and user.is_authenticated:
        record(actor=user, action=AuditAction.LOGOUT)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    """The account that was tried is the actor; an unknown name has none.

    Django has already replaced the password in credentials; only the
    username, normalized and cut short, is kept.
    """
    username = attempted_username(credentials)
    user_model = get_user_model()
    actor = user_model._default_manager.filter(
        **{user_model.USERNAME_FIELD: username}
    ).first()
    record(
        actor=actor,
        action=AuditAction.LOGIN_FAILED,
        outcome=AuditOutcome.DENIED,
        details={"username": username},
    )


def attempted_username(credentials: dict) -> str:
    value = str(credentials.get("username") or "")
    value = unicodedata.normalize("NFKC", value).strip()
    return "".join(ch for ch in value if ch.isprintable())[:USERNAME_LIMIT]
