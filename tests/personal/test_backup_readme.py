"""The README's backup procedure, followed word by word as an administrator
would: `python manage.py …` in a shell, the commands taken from README.md
itself, on a server that is then lost and a new one restored from the copy
kept elsewhere. Runs on SQLite, and on PostgreSQL when DATABASE_URL names it."""

import json
import os
import re
import shutil
from base64 import urlsafe_b64encode
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from tests.installation import ROOT, Installation
from tests.personal.backup_world import Databases

README = (ROOT / "README.md").read_text(encoding="utf-8")
BACKUPS = README[README.index("6. Backups:") : README.index("## Rotating the")]
ROTATION = README[README.index("## Rotating the") : README.index("## When something")]

# What the test reads back on a server, through the portal's own code.
LOOK = """
import json
from accounts.models import PersonRecord, User
from audit.models import AuditArchive, SignedHead
from audit.services import archive_files
from documents import storage
from documents.models import Attachment

readable = Attachment.objects.filter(shredded_at__isnull=True).order_by("pk")
texts = [
    storage.read(stored_name=a.stored_name, wrapped_key=a.wrapped_key, sha256=a.sha256)
    .hex()[:64]
    for a in readable
]
print(json.dumps({
    "users": sorted(User.objects.values_list("username", flat=True)),
    "pins": sorted(r.pin for r in PersonRecord.objects.all()),
    "attachments": texts,
    "stored_names": [a.stored_name for a in readable],
    "audit_files": sorted(
        p.name for a in AuditArchive.objects.all() for p in archive_files(a)
        if p.is_file()
    ),
    "heads": sorted(SignedHead.objects.values_list("seq", "signature")),
}))
"""


def readme_command(section: str, text: str) -> str:
    """A command exactly as the README writes it (between backticks)."""
    commands = re.findall(r"`(python manage\.py [^`]+)`", section)
    assert text in commands, f"the README no longer says `{text}`"
    return text


def new_key() -> str:
    return urlsafe_b64encode(os.urandom(32)).decode()


def look(server: Installation) -> dict:
    return json.loads(server.shell(LOOK).strip().splitlines()[-1])


@pytest.fixture(scope="module")
def databases(tmp_path_factory):
    databases = Databases(tmp_path_factory.mktemp("databases"))
    yield databases
    databases.close()


@pytest.fixture(scope="module")
def school_keys():
    return {
        "DJANGO_SECRET_KEY": new_key() + new_key(),
        "PORTAL_ENCRYPTION_KEYS": new_key(),
        "PORTAL_AUDIT_KEY": new_key(),
        "PORTAL_BLIND_INDEX_KEY": new_key(),
    }


@pytest.fixture(scope="module")
def school_in_use(tmp_path_factory, databases, school_keys):
    """A school in use, made once: migrated, the demo school in it, an
    archived audit year and a signed head."""
    root = tmp_path_factory.mktemp("school") / "server"
    server = Installation(root, databases.url("readme_school"), **school_keys)
    server.run("python manage.py migrate --no-input")
    server.run("python manage.py seed_demo --password Mektep-Kitep-2026-backup")
    cutoff = (timezone.localdate() + timedelta(days=2)).isoformat()
    server.run(f"python manage.py audit_archive --before {cutoff}")
    server.run("python manage.py audit_sign_head")
    return server


@pytest.fixture
def old_server(school_in_use, databases, school_keys, tmp_path):
    """This test's own copy of the school in use (its database and folders)."""
    root = tmp_path / "old-server"
    shutil.copytree(school_in_use.root, root)
    url = databases.url("readme_old", copy_of="readme_school")
    return Installation(root, url, **school_keys)


def lose(server: Installation, databases: Databases) -> None:
    databases.drop("readme_old")
    shutil.rmtree(server.root)


def test_the_readme_backup_and_restore_procedure(
    old_server, databases, school_keys, tmp_path
):
    before = look(old_server)
    assert before["attachments"] and before["audit_files"] and before["heads"]

    # "python manage.py backup writes one encrypted, authenticated archive …"
    old_server.run(readme_command(BACKUPS, "python manage.py backup"))
    [archive] = (old_server.root / "backups").iterdir()
    # "… and copy the archive off the server"
    usb = tmp_path / "usb-disk"
    usb.mkdir()
    kept = Path(shutil.copy(archive, usb))
    checked = old_server.run(
        readme_command(BACKUPS, "python manage.py restore PATH --check"),
        PATH=str(kept),
    )
    assert "The archive is intact" in checked.stdout

    lose(old_server, databases)
    new = Installation(
        tmp_path / "new-server", databases.url("readme_new"), **school_keys
    )

    restored = new.run(
        readme_command(
            BACKUPS, "python manage.py migrate && python manage.py restore PATH"
        ),
        PATH=str(kept),
    )
    assert "Restored" in restored.stdout
    verified = new.run(readme_command(BACKUPS, "python manage.py audit_verify"))
    assert "audit trail intact" in verified.stdout
    assert look(new) == before

    # A disk error later takes an attachment file; the README's command brings
    # it back from the copy kept elsewhere.
    name = before["stored_names"][0]
    (new.root / "attachments" / name[:2] / name).unlink()
    again = new.run(
        readme_command(BACKUPS, "python manage.py restore PATH --missing-files"),
        PATH=str(kept),
    )
    assert "1 missing files came back" in again.stdout
    assert look(new) == before


def test_the_readme_key_rotation_keeps_the_archives_restorable(
    old_server, databases, school_keys, tmp_path
):
    before = look(old_server)
    old_server.run(readme_command(BACKUPS, "python manage.py backup"))
    old_key = school_keys["PORTAL_ENCRYPTION_KEYS"]
    fresh = new_key()

    # "Put it first and keep the old key after it: PORTAL_ENCRYPTION_KEYS=NEW,OLD"
    assert "`PORTAL_ENCRYPTION_KEYS=NEW,OLD`" in ROTATION
    old_server.set("PORTAL_ENCRYPTION_KEYS=NEW,OLD", NEW=fresh, OLD=old_key)
    assert "Run `python manage.py rotate_keys`" in ROTATION
    done = old_server.run("python manage.py rotate_keys")
    assert "Done" in done.stdout
    # "When it says "Done", remove the old key: PORTAL_ENCRYPTION_KEYS=NEW"
    assert "`PORTAL_ENCRYPTION_KEYS=NEW`" in ROTATION
    old_server.set("PORTAL_ENCRYPTION_KEYS=NEW", NEW=fresh)
    # The next copy off the server takes the re-wrapped archive.
    [archive] = (old_server.root / "backups").iterdir()
    usb = tmp_path / "usb-disk"
    usb.mkdir()
    kept = Path(shutil.copy(archive, usb))

    lose(old_server, databases)
    new = Installation(
        tmp_path / "new-server",
        databases.url("readme_new"),
        **{**school_keys, "PORTAL_ENCRYPTION_KEYS": fresh},
    )
    restored = new.run(
        readme_command(
            BACKUPS, "python manage.py migrate && python manage.py restore PATH"
        ),
        PATH=str(kept),
    )
    assert "re-encrypted under its first key" in restored.stdout
    new.run(readme_command(BACKUPS, "python manage.py audit_verify"))

    assert look(new) == before
