import time
import uuid

from django.conf import settings
from django.utils import timezone
from django.utils.functional import empty

from accounts import access
from accounts.security import network as security_network
from audit.context import RequestInfo, current_request
from audit.models import RequestLogEntry


def client_address(request) -> str | None:
    """The client's address; a proxy's header counts only from a trusted proxy."""
    return security_network.client_address(request)


def log_request(request, response, started: float) -> None:
    """One INSERT into the request log, for a signed-in person only.

    request.user was already loaded by the login check or the view, so reading
    it here costs no query. The query string is left out: it may carry secrets.
    """
    user = getattr(request, "user", None)
    # Still lazy: a public page that never looked at the person. Loading them
    # now would cost queries, and a request that needed no one is not logged.
    if user is None or getattr(user, "_wrapped", None) is empty:
        return
    if not user.is_authenticated:
        return
    RequestLogEntry.objects.create(
        at=timezone.now(),
        user_id=user.pk,
        method=request.method[:8],
        path=request.path[:300],
        status=response.status_code,
        duration_ms=round((time.perf_counter() - started) * 1000),
        request_id=request.id,
    )


class AuditMiddleware:
    """Gives every request an id and its client's address for record(), and
    records each refusal made by accounts.access (403 and 404 alike).

    A refusal is recorded here, after the view's transaction has been rolled
    back, so that the record of the denied attempt is kept.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = uuid.uuid4().hex
        started = time.perf_counter()
        token = current_request.set(
            RequestInfo(
                request_id=request.id,
                client_address=client_address(request),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
                path=request.path,
                user=getattr(request, "user", None),
            )
        )
        try:
            response = self.get_response(request)
        finally:
            current_request.reset(token)
        if settings.PORTAL_REQUEST_LOG:
            log_request(request, response, started)
        return response

    def process_exception(self, request, exception):
        # A service records its own refusals (accounts.access.protected).
        refused = isinstance(exception, access.Forbidden | access.NotVisible)
        if refused and not exception.recorded:
            actor = request.user if request.user.is_authenticated else None
            access.record_refusal(actor, exception)
        return None
