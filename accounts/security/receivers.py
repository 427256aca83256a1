"""Signals: each sign-in gets a session row and timeouts; lockouts are recorded,
and each wrong password that django-axes counts feeds the guard against guessing.

Sign-ins, sign-outs and failed sign-ins themselves are recorded by audit/receivers.py.
"""

import time

from axes.models import AccessFailureLog
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts import access
from accounts.models import UserSession
from accounts.security import network, services

# Session keys this package keeps.
STARTED = "portal_started"
SEEN = "portal_seen"
IDLE = "portal_idle_seconds"
ABSOLUTE = "portal_absolute_seconds"


def session_limits(user) -> tuple[int, int]:
    """(idle, absolute) seconds: shorter for staff-side accounts."""
    kind = "staff" if access.can(user, "accounts.short_sessions") else "others"
    return (
        settings.PORTAL_SESSION_IDLE_MINUTES[kind] * 60,
        settings.PORTAL_SESSION_ABSOLUTE_HOURS[kind] * 3600,
    )


@receiver(user_logged_in, dispatch_uid="account_security_logged_in")
def on_logged_in(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    idle, absolute = session_limits(user)
    now = int(time.time())
    request.session[STARTED] = now
    request.session[SEEN] = now
    request.session[IDLE] = idle
    request.session[ABSOLUTE] = absolute
    if request.session.session_key is None:
        request.session.save()
    services.register_session(
        user=user,
        session_key=request.session.session_key,
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        address=network.client_address(request),
    )


@receiver(user_logged_out, dispatch_uid="account_security_logged_out")
def on_logged_out(sender, request, user, **kwargs):
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        UserSession.objects.filter(session_key=key).delete()


@receiver(user_locked_out, dispatch_uid="account_security_locked_out")
def on_locked_out(sender, request, username, ip_address, **kwargs):
    # axes leaves axes_failures_since_start unset when it refuses an attempt
    # during a lockout: only the failure that starts the lockout is recorded here.
    if getattr(request, "axes_failures_since_start", None) is None:
        return
    services.record_lockout(username=username or "", address=ip_address)


@receiver(post_save, sender=AccessFailureLog, dispatch_uid="account_security_failure")
def on_failure_logged(sender, instance, created, **kwargs):
    if created:
        services.failure_counted(username=instance.username or "")
