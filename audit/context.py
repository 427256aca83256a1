"""Who is asking, from where: set per request by the middleware, read by record()."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestInfo:
    request_id: str = ""
    client_address: str | None = None
    user_agent: str = ""
    path: str = ""
    # request.user, still lazy: read only by auditlog's entries (audit.auditlog).
    user: object = None


NO_REQUEST = RequestInfo()
# A frozen dataclass is immutable, so sharing one default is safe.
current_request: ContextVar[RequestInfo] = ContextVar(
    "current_request",
    default=NO_REQUEST,
)
