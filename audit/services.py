"""Writing to the audit trail: the one call every app makes, record()."""

from django.db import connection, transaction
from django.db.models import Model

from accounts.models import User
from audit import chain
from audit.context import current_request
from audit.models import AuditAction, AuditEvent, AuditOutcome

# Any key of details containing one of these is masked: the trail never holds
# a password, a token, a secret or the plaintext of an encrypted field.
SECRET_WORDS = ("password", "token", "secret", "otp", "pin", "key")
MASK = "***"
# pg_advisory_xact_lock key that serializes appends ("audit" in ASCII).
APPEND_LOCK = 0x6175646974


def record(
    *,
    actor: User | None,
    action: AuditAction,
    target: Model | None = None,
    outcome: AuditOutcome = AuditOutcome.ALLOWED,
    details: dict | None = None,
    target_label: str = "",
) -> AuditEvent:
    """Append one event, inside the caller's transaction, chained to the last one."""
    request = current_request.get()
    event = AuditEvent(
        actor=actor if actor is not None and actor.pk else None,
        actor_label=actor.get_username() if actor is not None else "",
        actor_roles=_roles(actor),
        action=action,
        outcome=outcome,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=(target_label or (str(target) if target is not None else ""))[
            :200
        ],
        client_address=request.client_address,
        user_agent=request.user_agent[:300],
        request_id=request.request_id,
        details=_masked(details or {}),
    )
    with transaction.atomic():
        _lock_the_chain()
        last = AuditEvent.objects.order_by("-seq").values_list("seq", "entry_hash")
        last_seq, last_hash = last.first() or (0, chain.GENESIS)
        event.seq = last_seq + 1
        event.prev_hash = last_hash
        event.entry_hash = chain.entry_hash(last_hash, event)
        event.save(force_insert=True)
    return event


def _lock_the_chain() -> None:
    # On SQLite every write transaction already holds the database's one write
    # lock (transaction_mode IMMEDIATE), which serializes appends by itself.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [APPEND_LOCK])


def _roles(actor: User | None) -> list[str]:
    if actor is None or not actor.pk:
        return []
    from accounts import selectors

    return [role.value for role in selectors.roles_of(user=actor)]


def _masked(details: dict) -> dict:
    masked = {}
    for key, value in details.items():
        if any(word in key.lower() for word in SECRET_WORDS):
            masked[key] = MASK
        elif isinstance(value, dict):
            masked[key] = _masked(value)
        else:
            masked[key] = value
    return masked
