"""Named people for every test: tests read as stories about them."""

import pytest

from accounts.roles import Role
from tests.factories import PASSWORD, UserFactory

# s3_server, s3_store: a local S3-compatible server (moto) for the object store.
pytest_plugins = ["tests.s3"]


@pytest.fixture(autouse=True)
def english_messages(settings):
    """Tests read messages by their English msgids. The portal itself speaks
    Kyrgyz first: tests/accounts/test_home.py and the browser journeys switch
    LANGUAGE_CODE back to "ky" and check that."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is the point in production and far too slow for hundreds of users
    made per test run; tests/school_portal/test_settings.py checks it is first."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def administrator(db):
    return UserFactory(username="admin", roles=[Role.ADMINISTRATOR], is_staff=True)


@pytest.fixture
def director(db):
    return UserFactory(username="director", roles=[Role.PRINCIPAL, Role.STAFF])


@pytest.fixture
def security_officer(db):
    return UserFactory(username="security", roles=[Role.SECURITY_OFFICER, Role.STAFF])


@pytest.fixture
def records_officer(db):
    return UserFactory(username="records", roles=[Role.RECORDS_OFFICER, Role.STAFF])


@pytest.fixture
def teacher(db):
    return UserFactory(username="teacher", roles=[Role.STAFF])


@pytest.fixture
def support(db):
    return UserFactory(username="support", roles=[Role.SUPPORT, Role.STAFF])


@pytest.fixture
def student(db):
    return UserFactory(username="student1", roles=[Role.STUDENT])


@pytest.fixture
def parent(db):
    return UserFactory(username="parent1", roles=[Role.PARENT])


@pytest.fixture
def outsider(db):
    """Signed in, but holds no role at all."""
    return UserFactory(username="outsider")


@pytest.fixture
def everyone(
    administrator,
    director,
    security_officer,
    records_officer,
    teacher,
    support,
    student,
    parent,
    outsider,
):
    return {
        "administrator": administrator,
        "director": director,
        "security_officer": security_officer,
        "records_officer": records_officer,
        "teacher": teacher,
        "support": support,
        "student": student,
        "parent": parent,
        "outsider": outsider,
    }


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    """Attachments, backups and audit archives written by any test go to its own
    folder, not var/."""
    settings.PORTAL_ATTACHMENT_DIR = tmp_path / "attachments"
    settings.PORTAL_BACKUP_DIR = tmp_path / "backups"
    settings.PORTAL_AUDIT_ARCHIVE_DIR = tmp_path / "audit-archive"


@pytest.fixture
def installation_keys(settings):
    """Make these PORTAL_ENCRYPTION_KEYS the ones this installation's data was
    written with, as if it had been set up with them (accounts/keys.py)."""
    from accounts import keys
    from accounts.models import KeyFingerprint

    def use(*encryption_keys: str) -> None:
        settings.PORTAL_ENCRYPTION_KEYS = list(encryption_keys)
        KeyFingerprint.objects.all().delete()
        keys.remember()

    return use
