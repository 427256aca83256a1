"""Per request: session timeouts, last-seen, and the steps a person must take first."""

import time

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import UserSession
from accounts.security import network, receivers, services

# At most one write of "last seen" per session per minute.
TOUCH_SECONDS = 60
# Set at sign-in when the person's role requires a second factor they lack.
MUST_ENROL = "portal_must_enrol"


class AccountSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            response = self._expire(request) or self._first_steps(request)
            if response is not None:
                return response
            self._touch(request)
        return self.get_response(request)

    def _expire(self, request):
        session = request.session
        now = int(time.time())
        if receivers.IDLE not in session:
            idle, absolute = receivers.session_limits(request.user)
            session[receivers.IDLE], session[receivers.ABSOLUTE] = idle, absolute
            session[receivers.STARTED] = session[receivers.SEEN] = now
        if now - session[receivers.STARTED] > session[receivers.ABSOLUTE]:
            reason = services.SessionEnd.ABSOLUTE
        elif now - session[receivers.SEEN] > session[receivers.IDLE]:
            reason = services.SessionEnd.IDLE
        else:
            return None
        user_session = UserSession.objects.filter(
            session_key=session.session_key
        ).first()
        if user_session is not None:
            services.end_session(actor=None, session=user_session, reason=reason)
        logout(request)
        messages.info(request, _("Your session has ended. Please sign in again."))
        return redirect_to_login(request.get_full_path())

    def _first_steps(self, request):
        """A forced password change, then enrolment of a required second factor."""
        if request.user.must_change_password:
            target = reverse("security:password_change")
        elif request.session.get(MUST_ENROL):
            target = reverse("security:second_factor_setup")
        else:
            return None
        allowed = {target, reverse("logout"), reverse("set_language")}
        if request.path in allowed:
            return None
        return redirect(target)

    def _touch(self, request):
        now = int(time.time())
        if now - request.session[receivers.SEEN] < TOUCH_SECONDS:
            return
        request.session[receivers.SEEN] = now
        key = request.session.session_key
        touched = UserSession.objects.filter(session_key=key).update(
            last_seen=timezone.now()
        )
        if not touched and key:
            services.register_session(
                user=request.user,
                session_key=key,
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
                address=network.client_address(request),
            )
