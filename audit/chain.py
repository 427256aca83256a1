"""The hash chain: how an event's entry_hash is computed, for record() and verify."""

import hashlib
import hmac
import json
from datetime import UTC

from django.conf import settings

GENESIS = "0" * 64


def canonical(event) -> bytes:
    """The event's content as canonical JSON: sorted keys, UTC time, no spaces."""
    content = {
        "seq": event.seq,
        "at": event.at.astimezone(UTC).isoformat(),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "actor_roles": event.actor_roles,
        "action": event.action,
        "outcome": event.outcome,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target_label": event.target_label,
        "client_address": event.client_address,
        "user_agent": event.user_agent,
        "request_id": event.request_id,
        "details": event.details,
    }
    return json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()


def entry_hash(prev_hash: str, event) -> str:
    key = settings.PORTAL_AUDIT_KEY.encode()
    return hmac.new(
        key, prev_hash.encode() + canonical(event), hashlib.sha256
    ).hexdigest()
