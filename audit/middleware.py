import uuid

from accounts.access import Forbidden, NotVisible
from audit.context import RequestInfo, current_request
from audit.models import AuditAction, AuditOutcome
from audit.services import record


def client_address(request) -> str | None:
    """The client's address: REMOTE_ADDR, as the server (or trusted proxy) set it."""
    return request.META.get("REMOTE_ADDR") or None


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
        token = current_request.set(
            RequestInfo(
                request_id=request.id,
                client_address=client_address(request),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
            )
        )
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)

    def process_exception(self, request, exception):
        if isinstance(exception, Forbidden | NotVisible):
            actor = request.user if request.user.is_authenticated else None
            record(
                actor=actor,
                action=AuditAction.DENIED,
                outcome=AuditOutcome.DENIED,
                target_label=exception.target_label,
                details={
                    "permission": exception.permission,
                    "path": request.path,
                    "status": 404 if isinstance(exception, NotVisible) else 403,
                    "target_type": exception.target_type,
                    "target_id": exception.target_id,
                },
            )
        return None
