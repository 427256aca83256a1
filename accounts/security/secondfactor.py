"""Helpers of the second factor: backup codes and the enrolment QR code."""

import secrets

import segno
from django.utils.crypto import salted_hmac

BACKUP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def new_backup_code() -> str:
    """Ten characters (about 50 bits): too many to guess, so a keyed hash suffices."""
    return "".join(secrets.choice(BACKUP_ALPHABET) for _ in range(10))


def backup_code_hash(code: str) -> str:
    """HMAC-SHA256 keyed with SECRET_KEY: a stolen table gives no usable codes."""
    normalized = code.strip().replace(" ", "").replace("-", "").lower()
    return salted_hmac(
        "accounts.security.backup_code", normalized, algorithm="sha256"
    ).hexdigest()


def qr_svg(text: str) -> str:
    """The otpauth:// URL as an inline SVG drawn here: no outside service sees it."""
    return segno.make(text, error="m").svg_inline(scale=5, title="")
