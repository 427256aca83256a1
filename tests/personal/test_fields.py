"""Encryption at rest, key rotation and the blind index."""

import io
import json

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from accounts import fields, keys
from accounts.models import PersonRecord
from tests.personal.conftest import BORN, PIN

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()


def raw_columns(record_pk) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT birth_date, pin, address, phone, pin_index "
            "FROM accounts_personrecord WHERE id = %s",
            [record_pk],
        )
        return cursor.fetchone()


def test_sensitive_columns_hold_only_ciphertext(pupil):
    saved = PersonRecord.objects.get(person=pupil)

    birth, pin, address, phone, index = raw_columns(saved.pk)

    for value, plain in [
        (birth, BORN.isoformat()),
        (pin, PIN),
        (address, "Ибраимов"),
        (phone, "555"),
    ]:
        assert plain not in value
        assert value.startswith("gAAAAA")  # a Fernet token
    assert PIN not in index and len(index) == 64
    assert saved.pin == PIN and saved.birth_date == BORN


def test_each_write_gives_new_ciphertext_but_the_same_blind_index(pupil):
    saved = PersonRecord.objects.get(person=pupil)
    before = raw_columns(saved.pk)

    saved.save()

    after = raw_columns(saved.pk)
    assert after[1] != before[1]
    assert after[4] == before[4] == fields.blind_index(PIN)
    assert PersonRecord.objects.get(pin_index=fields.blind_index(PIN)) == saved


def test_a_wrong_key_raises_and_never_returns_ciphertext(pupil, settings):
    settings.PORTAL_ENCRYPTION_KEYS = [KEY_B]

    with pytest.raises(fields.DecryptionError):
        PersonRecord.objects.get(person=pupil)


def test_rotation_moves_every_value_to_the_first_key(
    pupil, settings, tmp_path, teacher, installation_keys
):
    settings.VAR_DIR = tmp_path
    installation_keys(KEY_A)
    PersonRecord.objects.filter(person=pupil).delete()
    written = PersonRecord.objects.create(
        person=pupil, birth_date=BORN, pin=PIN, address="A", phone="1"
    )
    PersonRecord.objects.create(person=teacher, address="B")
    settings.PORTAL_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    assert PersonRecord.objects.get(pk=written.pk).pin == PIN
    out = io.StringIO()

    call_command("rotate_keys", batch=1, stdout=out)

    settings.PORTAL_ENCRYPTION_KEYS = [KEY_B]
    rotated = PersonRecord.objects.get(pk=written.pk)
    assert (rotated.pin, rotated.birth_date, rotated.address) == (PIN, BORN, "A")
    assert PersonRecord.objects.get(person=teacher).address == "B"
    assert "Done: 5 values re-encrypted" in out.getvalue()
    assert not (tmp_path / "rotate_keys.json").exists()
    settings.PORTAL_ENCRYPTION_KEYS = [KEY_A]
    with pytest.raises(fields.DecryptionError):
        PersonRecord.objects.get(pk=written.pk)


def test_rotation_run_again_changes_nothing_and_resumes_after_a_stop(
    pupil, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    saved = PersonRecord.objects.get(person=pupil)
    before = raw_columns(saved.pk)
    out = io.StringIO()

    call_command("rotate_keys", stdout=out)

    assert raw_columns(saved.pk) == before
    assert "Done: 0 values re-encrypted" in out.getvalue()


def test_rotation_resumes_from_the_saved_position(
    pupil, settings, tmp_path, installation_keys
):
    settings.VAR_DIR = tmp_path
    installation_keys(KEY_A)
    PersonRecord.objects.filter(person=pupil).delete()
    skipped = PersonRecord.objects.create(person=pupil, address="old")
    settings.PORTAL_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    (tmp_path / "rotate_keys.json").write_text(
        json.dumps(
            {
                "first_key": keys.fingerprint(KEY_B),
                "tables": {"accounts.personrecord": skipped.pk},
            }
        )
    )
    out = io.StringIO()

    call_command("rotate_keys", stdout=out)

    assert "Resuming" in out.getvalue()
    assert not fields.made_with_first_key(raw_columns(skipped.pk)[2])


def test_rotation_never_overwrites_a_value_written_while_it_runs(
    pupil, settings, tmp_path, installation_keys, monkeypatch
):
    """The portal keeps serving during a rotation: a person's record saved
    between the command's read and its write keeps the new value."""
    settings.VAR_DIR = tmp_path
    installation_keys(KEY_A)
    PersonRecord.objects.filter(person=pupil).delete()
    record = PersonRecord.objects.create(person=pupil, address="old address")
    settings.PORTAL_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    real_reencrypt = fields.reencrypt

    def reencrypt_while_someone_saves(token):
        PersonRecord.objects.filter(pk=record.pk).update(address="saved meanwhile")
        return real_reencrypt(token)

    monkeypatch.setattr(fields, "reencrypt", reencrypt_while_someone_saves)

    call_command("rotate_keys", stdout=io.StringIO())

    assert PersonRecord.objects.get(pk=record.pk).address == "saved meanwhile"
