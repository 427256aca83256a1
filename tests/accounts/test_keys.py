"""A key that does not fit the stored data is named at start-up, not page by page."""

import io

import pytest
from cryptography.fernet import Fernet
from django.core import checks
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts import keys
from accounts.checks import keys_fit_the_data
from accounts.models import KeyFingerprint, KeyPurpose, PersonRecord
from audit.models import AuditAction, AuditEvent
from audit.services import record
from office import health

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()


@pytest.fixture
def school_with_data(installation_keys, teacher, settings):
    """An installation set up with KEY_A: a personal record and a trail."""
    installation_keys(KEY_A)
    PersonRecord.objects.create(person=teacher, address="Чүй көчөсү 1", pin="123")
    record(actor=teacher, action=AuditAction.VIEW, target=teacher)
    return teacher


def test_migrate_remembers_the_fingerprint_of_every_writing_key(db, settings):
    recorded = set(KeyFingerprint.objects.values_list("purpose", "fingerprint"))

    assert recorded == {
        (KeyPurpose.ENCRYPTION, keys.fingerprint(settings.PORTAL_ENCRYPTION_KEYS[0])),
        (KeyPurpose.AUDIT, keys.fingerprint(settings.PORTAL_AUDIT_KEY)),
        (KeyPurpose.BLIND_INDEX, keys.fingerprint(settings.PORTAL_BLIND_INDEX_KEY)),
    }
    assert keys.problems() == []


def test_a_fingerprint_tells_keys_apart_and_gives_none_away():
    assert keys.fingerprint(KEY_A) != keys.fingerprint(KEY_B)
    assert KEY_A not in keys.fingerprint(KEY_A)
    assert len(keys.fingerprint(KEY_A)) == 16


def test_a_valid_but_wrong_encryption_key_is_named_before_any_page_fails(
    school_with_data, settings
):
    settings.PORTAL_ENCRYPTION_KEYS = [KEY_B]

    found = keys.problems()

    assert len(found) == 1
    assert "PORTAL_ENCRYPTION_KEYS does not hold" in found[0]
    assert keys.fingerprint(KEY_A) in found[0]
    assert KEY_A not in found[0] and KEY_B not in found[0]
    assert [error.id for error in keys_fit_the_data()] == ["accounts.E001"]
    assert keys_fit_the_data()[0].level == checks.ERROR


def test_a_wrong_audit_key_is_named_instead_of_tampering_at_entry_one(
    school_with_data, settings
):
    expected = keys.fingerprint(settings.PORTAL_AUDIT_KEY)
    settings.PORTAL_AUDIT_KEY = "another-audit-key-that-is-long-enough-0123456789"

    found = keys.problems()

    assert found == [
        "PORTAL_AUDIT_KEY is not the key the stored data was made with "
        f"(expected fingerprint {expected}). Put the right key back; the data "
        "itself is unchanged."
    ]
    keys.remember()
    assert not KeyFingerprint.objects.filter(
        fingerprint=keys.fingerprint(settings.PORTAL_AUDIT_KEY)
    ).exists()


def test_a_wrong_blind_index_key_is_named(school_with_data, settings):
    settings.PORTAL_BLIND_INDEX_KEY = "another-blind-index-key-long-enough-0123456789"

    assert [p.split(" ")[0] for p in keys.problems()] == ["PORTAL_BLIND_INDEX_KEY"]


def test_healthcheck_prints_one_red_line_for_a_wrong_key(
    school_with_data, settings, capsys
):
    settings.PORTAL_ENCRYPTION_KEYS = [KEY_B]
    out = io.StringIO()

    with pytest.raises(CommandError, match="needs a person"):
        call_command("healthcheck", language="en", stdout=out)

    lines = [line for line in out.getvalue().splitlines() if "[RED]" in line]
    assert any(
        line.startswith("[RED] Encryption and audit keys: Stored data is encrypted")
        for line in lines
    )
    assert "Traceback" not in out.getvalue()


def test_a_new_first_key_is_remembered_while_the_old_one_stays(
    school_with_data, settings
):
    settings.PORTAL_ENCRYPTION_KEYS = [KEY_B, KEY_A]

    keys.remember()

    assert keys.problems() == []
    active = KeyFingerprint.objects.filter(
        purpose=KeyPurpose.ENCRYPTION, retired_at__isnull=True
    ).values_list("fingerprint", flat=True)
    assert set(active) == {keys.fingerprint(KEY_A), keys.fingerprint(KEY_B)}


def test_removing_the_old_key_before_rotation_is_refused_by_rotate_keys(
    school_with_data, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    settings.PORTAL_ENCRYPTION_KEYS = [KEY_B]

    with pytest.raises(CommandError, match="does not hold"):
        call_command("rotate_keys", stdout=io.StringIO())


def test_after_rotation_the_old_key_is_retired_and_may_go(
    school_with_data, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    settings.PORTAL_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    call_command("rotate_keys", stdout=io.StringIO())

    settings.PORTAL_ENCRYPTION_KEYS = [KEY_B]

    assert keys.problems() == []
    assert PersonRecord.objects.get(person=school_with_data).pin == "123"
    assert KeyFingerprint.objects.get(fingerprint=keys.fingerprint(KEY_A)).retired_at
    rotated = AuditEvent.objects.get(action=AuditAction.KEYS_ROTATE)
    assert (rotated.actor, rotated.target_label) == (None, "PORTAL_ENCRYPTION_KEYS")
    assert rotated.details["rotated_values"] >= 1


def test_an_older_installation_without_fingerprints_is_checked_on_its_data(
    school_with_data, settings
):
    """Upgrading: nothing recorded yet; a key that can't open the data is not
    vouched for, and is named."""
    KeyFingerprint.objects.all().delete()
    settings.PORTAL_ENCRYPTION_KEYS = [KEY_B]

    keys.remember()

    assert not KeyFingerprint.objects.filter(purpose=KeyPurpose.ENCRYPTION).exists()
    assert keys.problems() == [keys._wrong_key(KeyPurpose.ENCRYPTION, "?")]
    settings.PORTAL_ENCRYPTION_KEYS = [KEY_A]
    keys.remember()
    assert keys.problems() == []


def test_the_health_page_names_the_wrong_key(school_with_data, settings):
    settings.PORTAL_AUDIT_KEY = "another-audit-key-that-is-long-enough-0123456789"

    check = health.keys_check()

    assert check.status == health.RED
    assert "PORTAL_AUDIT_KEY is not the key" in check.detail
    assert settings.PORTAL_AUDIT_KEY not in check.detail


def test_a_key_corrected_before_any_data_was_made_is_simply_taken(db, settings):
    """A migrate with a wrong key on an empty installation, then the right key:
    nothing was made with the first one, so nothing holds the right one back."""
    from audit.models import AuditEvent

    assert not AuditEvent.objects.exists()
    settings.PORTAL_AUDIT_KEY = "the-key-set-at-the-first-migrate-0123456789"
    keys.remember()
    settings.PORTAL_AUDIT_KEY = "the-right-key-set-a-minute-later-0123456789"

    assert keys.problems() == []
    keys.remember()
    assert KeyFingerprint.objects.get(
        purpose=KeyPurpose.AUDIT, retired_at__isnull=True
    ).fingerprint == keys.fingerprint(settings.PORTAL_AUDIT_KEY)
