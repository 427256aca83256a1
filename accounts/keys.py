"""Do the configured keys fit the stored data? Asked at start-up, not page by page.

A wrong but well-formed key starts cleanly and then fails everywhere: personal
data pages answer 500, attachments look damaged, ``audit_verify`` reports
tampering at entry 1. So the database keeps a fingerprint of every key that
stored data was made with (HMAC of a fixed text under the key: it tells keys
apart and gives nothing away), and ``problems()`` names each recorded key the
settings no longer hold. ``remember()`` records the keys that write: the first
of PORTAL_ENCRYPTION_KEYS, PORTAL_AUDIT_KEY and PORTAL_BLIND_INDEX_KEY. It
vouches for a key only when the data already stored opens with it.

Asked by: Django's system checks (every manage.py command, runserver), the WSGI
start (school_portal/wsgi.py), the health page and ``healthcheck``, and
``rotate_keys``, which retires the old encryption keys when it is done.
"""

import hashlib
import hmac

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import fields
from accounts.models import KeyFingerprint, KeyPurpose

FINGERPRINT_TEXT = b"school-portal key fingerprint v1"


def fingerprint(key: str) -> str:
    return hmac.new(key.encode(), FINGERPRINT_TEXT, hashlib.sha256).hexdigest()[:16]


def _configured() -> dict[str, list[str]]:
    """Each purpose's configured keys; the first one is the one that writes."""
    return {
        KeyPurpose.ENCRYPTION: list(settings.PORTAL_ENCRYPTION_KEYS),
        KeyPurpose.AUDIT: [settings.PORTAL_AUDIT_KEY],
        KeyPurpose.BLIND_INDEX: [settings.PORTAL_BLIND_INDEX_KEY],
    }


def problems() -> list[str]:
    """One sentence per key that does not fit the data, saying what to do."""
    configured = {
        purpose: {fingerprint(key) for key in keys}
        for purpose, keys in _configured().items()
    }
    recorded = {purpose: set() for purpose in configured}
    for row in KeyFingerprint.objects.filter(retired_at__isnull=True):
        recorded[row.purpose].add(row.fingerprint)
    found = []
    for purpose, prints in recorded.items():
        missing = sorted(prints - configured[purpose])
        if missing and not _has_data(purpose):
            continue  # a fingerprint vouches for data; with none, any key will do
        if not prints and not _opens_stored_data(purpose):
            found.append(_wrong_key(purpose, "?"))
        elif missing and purpose == KeyPurpose.ENCRYPTION:
            found.append(
                _(
                    "Stored data is encrypted with a key that "
                    "PORTAL_ENCRYPTION_KEYS does not hold (fingerprint %(print)s). "
                    "Put that key back after the first one; remove it only when "
                    "rotate_keys has finished."
                )
                % {"print": ", ".join(missing)}
            )
        elif missing:
            found.append(_wrong_key(purpose, ", ".join(missing)))
    return found


def _wrong_key(purpose: str, expected: str) -> str:
    return _(
        "%(setting)s is not the key the stored data was made with "
        "(expected fingerprint %(print)s). Put the right key back; the data "
        "itself is unchanged."
    ) % {"setting": KeyPurpose(purpose).label, "print": expected}


def remember() -> None:
    """Record the fingerprints of the keys that write, where they fit the data."""
    now = timezone.now()
    with transaction.atomic():
        for purpose, keys in _configured().items():
            writer = fingerprint(keys[0])
            rows = KeyFingerprint.objects.select_for_update().filter(purpose=purpose)
            known = {row.fingerprint: row for row in rows}
            if writer in known:
                if known[writer].retired_at is not None:
                    known[writer].retired_at = None
                    known[writer].save(update_fields=["retired_at"])
                continue
            active = {p for p, row in known.items() if row.retired_at is None}
            if active and not _has_data(purpose):
                # Recorded before any data was made (a migrate with a key that
                # was then corrected): they vouch for nothing.
                rows.filter(retired_at__isnull=True).update(retired_at=now)
                active = set()
            if purpose == KeyPurpose.ENCRYPTION:
                # A new first key: fine while the keys of the data are still there.
                fits = active <= {fingerprint(key) for key in keys}
                fits = fits and (active or _opens_stored_data(purpose))
            else:
                # One key at a time: another key is a wrong key, not a new one.
                fits = not active and _opens_stored_data(purpose)
            if fits:
                KeyFingerprint.objects.create(
                    purpose=purpose, fingerprint=writer, first_used_at=now
                )


def retire_old_encryption_keys() -> int:
    """After rotate_keys: every value is under the first key, the others go."""
    remember()
    first = fingerprint(settings.PORTAL_ENCRYPTION_KEYS[0])
    return (
        KeyFingerprint.objects.filter(
            purpose=KeyPurpose.ENCRYPTION, retired_at__isnull=True
        )
        .exclude(fingerprint=first)
        .update(retired_at=timezone.now())
    )


def startup_problems() -> list[str]:
    """problems(), or none when the database can't answer yet (not migrated, down:
    that is for migrate and /health/ready/ to say)."""
    try:
        remember()
        return problems()
    except DatabaseError:
        return []


def _has_data(purpose: str) -> bool:
    """Whether anything is stored that this purpose's key made."""
    from accounts.models import PersonRecord
    from audit.models import AuditEvent

    if purpose == KeyPurpose.ENCRYPTION:
        from django.apps import apps

        return any(
            _first_stored(model, field) is not None
            for model in apps.get_models()
            for field in fields.fernet_fields(model)
        )
    if purpose == KeyPurpose.AUDIT:
        return AuditEvent.objects.exists()
    return PersonRecord.objects.exclude(pin_index="").exists()


# Where nothing was recorded yet (an installation older than the
# fingerprints), one stored value is tried with the configured key instead.


def _opens_stored_data(purpose: str) -> bool:
    if purpose == KeyPurpose.ENCRYPTION:
        return _encryption_opens_a_value()
    if purpose == KeyPurpose.AUDIT:
        return _audit_key_opens_the_last_event()
    return _blind_index_matches_a_pin()


def _encryption_opens_a_value() -> bool:
    from django.apps import apps

    for model in apps.get_models():
        for field in fields.fernet_fields(model):
            token = _first_stored(model, field)
            if token is not None:
                return fields.opens(token)
    return True


def _first_stored(model, field) -> str | None:
    """One non-empty value of the column as stored, not as the field hands it back."""
    from django.db import connection

    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(field.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM {table} "  # noqa: S608 (names from the model)
            f"WHERE {column} IS NOT NULL AND {column} <> '' LIMIT 1"
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _audit_key_opens_the_last_event() -> bool:
    from audit import chain
    from audit.models import AuditEvent

    last = AuditEvent.objects.order_by("-seq").first()
    return last is None or chain.entry_hash(last.prev_hash, last) == last.entry_hash


def _blind_index_matches_a_pin() -> bool:
    from accounts.models import PersonRecord

    record = PersonRecord.objects.exclude(pin_index="").only("pin", "pin_index")
    try:
        record = record.first()
    except fields.DecryptionError:
        return True  # the encryption key is the problem, and is named as such
    return record is None or fields.blind_index(record.pin) == record.pin_index
