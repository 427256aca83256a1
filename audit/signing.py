"""Ed25519 signatures for the chain's head and for archives, and the head as
it is kept outside the database.

The private key is derived from PORTAL_AUDIT_KEY with HKDF, so the school keeps
no second secret. The public key is printed on the report: anyone holding a
printed head and the public key can check it without the portal.

A head kept outside is what makes a cut tail show even when the signed heads
were deleted with it: a head file (JSON, signed; in every backup) or a head
code short enough to print and keep on paper (the principal's daily e-mail):
the event's number and the first 16 hex digits of its hash, e.g.
``48213-9f2c-4a1b-7d3e-5f60``. ``audit_verify --head`` takes either.
"""

import base64
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

HKDF_INFO = b"school-portal audit signing key v1"


def private_key() -> Ed25519PrivateKey:
    seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO).derive(
        settings.PORTAL_AUDIT_KEY.encode()
    )
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_key() -> Ed25519PublicKey:
    return private_key().public_key()


def public_key_text() -> str:
    """The raw 32-byte public key, base64: short enough to print and compare."""
    raw = public_key().public_bytes(
        encoding=serialization.Encoding.Raw, format=serialization.PublicFormat.Raw
    )
    return base64.b64encode(raw).decode()


def head_message(seq: int, entry_hash: str, signed_at: datetime) -> bytes:
    when = signed_at.astimezone(UTC).isoformat()
    return f"school-portal audit head|{seq}|{entry_hash}|{when}".encode()


def sign(message: bytes) -> str:
    return private_key().sign(message).hex()


def is_valid(message: bytes, signature: str) -> bool:
    try:
        public_key().verify(bytes.fromhex(signature), message)
    except (InvalidSignature, ValueError):
        return False
    return True


CODE_HASH_DIGITS = 16


@dataclass(frozen=True)
class KeptHead:
    """A head kept outside the database: the chain must still hold it."""

    seq: int
    hash_prefix: str


def head_code(seq: int, entry_hash: str) -> str:
    digits = entry_hash[:CODE_HASH_DIGITS]
    return "-".join([str(seq), *(digits[i : i + 4] for i in range(0, 16, 4))])


def head_file(head) -> str:
    """A SignedHead as the JSON kept outside the database."""
    return json.dumps(
        {
            "seq": head.seq,
            "entry_hash": head.entry_hash,
            "signed_at": head.signed_at.astimezone(UTC).isoformat(),
            "signature": head.signature,
            "public_key": public_key_text(),
            "code": head_code(head.seq, head.entry_hash),
        },
        indent=2,
    )


class NotAHead(ValueError):
    """The text is neither a head code nor a signed head file of this trail."""


def read_kept_head(text: str) -> KeptHead:
    """A head code or a head file's JSON; a file's signature must hold."""
    text = text.strip()
    if text.startswith("{"):
        return _from_file(text)
    match = re.fullmatch(r"(\d+)-([0-9a-fA-F-]+)", re.sub(r"\s+", "", text))
    digits = match.group(2).replace("-", "").lower() if match else ""
    if not match or len(digits) < CODE_HASH_DIGITS:
        raise NotAHead(
            "a head code is the number and 16 hex digits, e.g. "
            "48213-9f2c-4a1b-7d3e-5f60"
        )
    return KeptHead(int(match.group(1)), digits)


def _from_file(text: str) -> KeptHead:
    try:
        head = json.loads(text)
        seq, entry_hash = int(head["seq"]), str(head["entry_hash"])
        signed_at = datetime.fromisoformat(head["signed_at"])
        signature = str(head["signature"])
    except (ValueError, KeyError, TypeError) as error:
        raise NotAHead(f"not a head file: {error}") from None
    if not is_valid(head_message(seq, entry_hash, signed_at), signature):
        raise NotAHead("the head file's signature does not hold under this trail's key")
    return KeptHead(seq, entry_hash.lower())
