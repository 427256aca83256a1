"""Ed25519 signatures for the chain's head and for archives.

The private key is derived from PORTAL_AUDIT_KEY with HKDF, so the school keeps
no second secret. The public key is printed on the report: anyone holding a
printed head and the public key can check it without the portal.
"""

import base64
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
