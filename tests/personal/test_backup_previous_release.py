"""Archives written by the previous release come back after the upgrade.

tests/personal/data/ holds two real archives written by the release before
this one (commit in previous-release.json): the demo school, one TOTP device
enrolled in django-otp's own table (migration accounts/0007 moves it into the
encrypted Authenticator), an archived audit year and a signed head. Each is
restored the README's way into a new installation with the keys it was made
with (after a first try with a wrong audit key, refused), on its own kind of
database; afterwards every secret reads, the moved TOTP secret is encrypted
and its codes verify, and audit_verify passes."""

import json
import time
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.db import connection
from django_otp.oath import TOTP

from tests.installation import Installation
from tests.personal.backup_world import Databases

DATA = Path(__file__).parent / "data"
MADE = json.loads((DATA / "previous-release.json").read_text(encoding="utf-8"))

LOOK = """
import json
from django.db import connection
from accounts import fields
from accounts.models import Authenticator, PersonRecord, User
from documents import storage
from documents.models import Attachment

readable = 0
for a in Attachment.objects.filter(shredded_at__isnull=True):
    storage.read(stored_name=a.stored_name, wrapped_key=a.wrapped_key, sha256=a.sha256)
    readable += 1
device = Authenticator.objects.get(user__username=USERNAME)
with connection.cursor() as cursor:
    cursor.execute("SELECT key FROM accounts_authenticator WHERE id = %s", [device.pk])
    (stored,) = cursor.fetchone()
print(json.dumps({
    "users": User.objects.count(),
    "pins": sorted(r.pin for r in PersonRecord.objects.all()),
    "readable_attachments": readable,
    "totp_key": device.key,
    "stored_key_encrypted": fields.opens(stored) and device.key not in stored,
    "tables": sorted(connection.introspection.table_names()),
}))
"""

VERIFY = """
from accounts.models import User
from accounts.security import services
print(services.verify_second_factor(
    person=User.objects.get(username=USERNAME), code=CODE))
"""


def code_of(secret_hex: str) -> str:
    """The code an authenticator app enrolled with this secret shows now."""
    totp = TOTP(bytes.fromhex(secret_hex), 30, 0, 6, 0)
    totp.time = time.time()
    return f"{totp.token():06d}"


@pytest.fixture
def databases(tmp_path):
    databases = Databases(tmp_path / "databases")
    databases.folder.mkdir()
    yield databases
    databases.close()


@pytest.mark.django_db
def test_an_archive_of_the_previous_release_restores_whole(databases, tmp_path):
    vendor = connection.vendor
    archive = DATA / f"previous-release-{vendor}.backup"
    totp = MADE["totp"][vendor]
    new = Installation(
        tmp_path / "new-server",
        databases.url("previous_new"),
        **{**MADE["keys"], "PORTAL_AUDIT_KEY": Fernet.generate_key().decode()},
    )
    readme = "python manage.py migrate && python manage.py restore PATH"

    # First with a wrong audit key: refused, nothing kept, not even that key.
    refused = new.run(readme, PATH=str(archive), check=False)
    assert refused.returncode != 0
    assert "PORTAL_AUDIT_KEY is not the key the stored data was made with" in (
        refused.stderr
    )
    new.set(f"PORTAL_AUDIT_KEY={MADE['keys']['PORTAL_AUDIT_KEY']}")
    restored = new.run(readme, PATH=str(archive))

    assert "Restored" in restored.stdout
    assert f"{MADE['readable_attachments']} attachments" in restored.stdout
    assert "its database was migrated" in restored.stdout
    new.run("python manage.py migrate --check")  # nothing left to apply
    verified = new.run("python manage.py audit_verify")
    assert "audit trail intact" in verified.stdout
    seen = json.loads(
        new.shell(LOOK.replace("USERNAME", repr(totp["username"])))
        .strip()
        .splitlines()[-1]
    )
    assert seen["users"] == MADE["users"]
    assert seen["pins"] == MADE["pins"]
    assert seen["readable_attachments"] == MADE["readable_attachments"]
    assert seen["totp_key"] == totp["key"]
    assert seen["stored_key_encrypted"]
    assert "otp_totp_totpdevice" not in seen["tables"]
    script = VERIFY.replace("USERNAME", repr(totp["username"]))
    assert new.shell(script.replace("CODE", repr(code_of(totp["key"])))).strip() == (
        "True"
    )
