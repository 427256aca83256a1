from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check for web sign-ins.

    Calls without a request (management commands, scripts, tests) have no
    address to count against, so they pass to the next backend instead of
    failing: every web sign-in goes through the login view, which passes one.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
