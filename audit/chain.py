"""The hash chain: how an event's entry_hash is computed, for record() and verify()."""

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
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


# Why verification stopped, as stored in VerificationRun.problem.
MISSING = "missing"
CHANGED = "changed"
CUT_TAIL = "cut_tail"
BAD_SIGNATURE = "bad_signature"


@dataclass(frozen=True)
class Result:
    ok: bool
    events_checked: int
    first_broken_seq: int | None = None
    problem: str = ""


def verify(
    events: Iterable,
    *,
    start_seq: int = 1,
    start_hash: str = GENESIS,
    signed_heads: dict[int, str] | None = None,
) -> Result:
    """Walk the events in seq order and recompute every link.

    A changed or reordered row fails its own hash; a removed row leaves a gap in
    seq; a removed tail leaves a signed head (seq -> entry_hash) past the end.
    """
    signed_heads = signed_heads or {}
    expected_seq, prev_hash, checked = start_seq, start_hash, 0
    for event in events:
        if event.seq != expected_seq:
            return Result(False, checked, expected_seq, MISSING)
        if event.prev_hash != prev_hash or entry_hash(prev_hash, event) != (
            event.entry_hash
        ):
            return Result(False, checked, event.seq, CHANGED)
        # A head kept outside may hold only the start of the hash (a code).
        if not event.entry_hash.startswith(signed_heads.get(event.seq, "")):
            return Result(False, checked, event.seq, CHANGED)
        prev_hash = event.entry_hash
        expected_seq += 1
        checked += 1
    if any(seq >= expected_seq for seq in signed_heads):
        return Result(False, checked, expected_seq, CUT_TAIL)
    return Result(True, checked)
