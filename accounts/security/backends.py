from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from django.contrib.auth.backends import ModelBackend

from accounts.security import selectors, services
from accounts.security.network import normalize_username

# Why a sign-in was refused before its password was looked at: the lockout page
# (views.lockout) reads it from the request.
REFUSED_GUESSING = "guessing"
REFUSED_CODE = "code"


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' pauses for web sign-ins, and the guard against guessing.

    django-axes pauses a username from one address after 5 wrong passwords.
    The guard adds the username from all addresses (selectors.Guard): while it
    makes a sign-in wait, a password alone is refused unchecked and not counted.

    A password sent with a second-factor code (``otp_token``: the pause page's
    code field; Django masks the name in its failure signal) is
    checked with it at once, whatever pause there is: both must be right, and a
    refusal says nothing about which was wrong and is not counted, so a guess
    learns nothing and a pause never locks out a person who has a second factor.

    Calls without a request (management commands, scripts, tests) have no
    address to count against, so they pass to the next backend instead of
    failing: every web sign-in goes through the login view, which passes one.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        code = (kwargs.pop("otp_token", "") or "").strip()
        if code:
            return self._with_code(request, username, password, code)
        super().authenticate(request, username, password, **kwargs)
        guard = selectors.guessing_guard(username=normalize_username(username))
        if guard.waiting():
            self._refuse(request, REFUSED_GUESSING)
        return None

    def _with_code(self, request, username, password, code):
        person = ModelBackend().authenticate(
            request, username=username, password=password
        )
        if person is None or not services.verify_second_factor(
            person=person, code=code
        ):
            self._refuse(request, REFUSED_CODE)
        # Both factors are proved: the login view skips the code step. The
        # next backend signs the person in.
        request.portal_second_factor_done = True
        return None

    def _refuse(self, request, reason: str):
        # As for a try during axes' own pause: axes does not count it, and its
        # middleware answers with the lockout page.
        request.axes_locked_out = True
        request.portal_refused = reason
        raise AxesBackendPermissionDenied("refused by the guard against guessing")
