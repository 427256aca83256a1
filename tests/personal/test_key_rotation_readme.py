"""README, "Rotating the encryption keys", followed word by word.

The steps' commands are read from the README itself: if the procedure changes
there, this test changes with it. Each command runs as an administrator runs it,
in its own process, against an installation of its own (SQLite files in a
temporary folder). Afterwards, with only the new key: every attachment opens,
every personal record reads, a second-factor code is accepted, and a backup
made before the rotation restores into a new installation.
"""

import re

import pytest
from cryptography.fernet import Fernet
from django.db import connection

from tests.installation import ROOT, Installation

README = ROOT / "README.md"
SECTION = "## Rotating the encryption keys"
PASSWORD = "demo-rotation-password-2026"
# The school's other secrets, the same on the server it moves to.
SECRETS = {
    "DJANGO_SECRET_KEY": Fernet.generate_key().decode() * 2,
    "PORTAL_AUDIT_KEY": Fernet.generate_key().decode(),
    "PORTAL_BLIND_INDEX_KEY": Fernet.generate_key().decode(),
}

EXPECTED_STEPS = [
    [
        'python -c "import base64, secrets; print(base64.urlsafe_b64encode('
        'secrets.token_bytes(32)).decode())"'
    ],
    ["PORTAL_ENCRYPTION_KEYS=NEW,OLD"],
    ["python manage.py rotate_keys"],
    ["PORTAL_ENCRYPTION_KEYS=NEW", "python manage.py healthcheck"],
    [],
]

ENROL = """
from accounts.models import User
from accounts.security import services
from tests.e2e.helpers import totp_code
director = User.objects.get(username="director")
device = services.start_enrolment(actor=director)
assert services.confirm_enrolment(actor=director, device=device, code=totp_code(device))
"""

# With only the new key: everything encrypted opens.
READ_EVERYTHING = """
from accounts.models import PersonRecord, User
from accounts.security import services
from documents import storage
from documents.models import Attachment
from tests.e2e.helpers import totp_code
files = 0
for attachment in Attachment.objects.filter(shredded_at__isnull=True):
    data = storage.read(stored_name=attachment.stored_name,
                        wrapped_key=attachment.wrapped_key, sha256=attachment.sha256)
    assert data.startswith(b"%PDF"), attachment.pk
    files += 1
records = 0
for record in PersonRecord.objects.all():
    (record.birth_date, record.pin, record.address, record.phone)
    records += 1
director = User.objects.get(username="director")
assert services.verify_second_factor(person=director, code=totp_code(
    director.authenticator_set.get(), 30)), "the TOTP code was refused"
print(f"read {files} files {records} records")
"""


def readme_steps() -> list[list[str]]:
    text = README.read_text(encoding="utf-8")
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    numbered = section.split("\n\n", 2)[2].split("\n\n", 1)[0]
    steps = re.split(r"\n(?=\d+\. )", "\n" + numbered)
    return [
        re.findall(r"`([^`]+)`", step)
        for step in steps
        if re.match(r"\d+\. ", step.strip())
    ]


def test_the_readme_procedure_is_the_one_this_test_follows():
    assert readme_steps() == EXPECTED_STEPS


@pytest.fixture
def once():
    if connection.vendor != "sqlite":
        pytest.skip(
            "the procedure runs on its own SQLite files: once, not per database"
        )


def test_rotating_keys_by_the_readme_keeps_every_secret_readable(once, tmp_path):
    old = Fernet.generate_key().decode()
    school = Installation(tmp_path / "school", PORTAL_ENCRYPTION_KEYS=old, **SECRETS)
    school.run("python manage.py migrate --no-input")
    school.run(f"python manage.py seed_demo --password {PASSWORD}")
    school.shell(ENROL)
    before = tmp_path / "before-rotation.backup"
    school.run(f"python manage.py backup --output {before}")
    step = EXPECTED_STEPS

    new = school.run(step[0][0]).stdout.strip()
    school.set(step[1][0], NEW=new, OLD=old)
    with school.serving():
        pass  # the portal restarts with both keys
    rotated = school.run(step[2][0])
    assert "Done" in rotated.stdout
    school.set(step[3][0], NEW=new, OLD=old)
    with school.serving():
        pass  # and again with the new key alone
    health = school.run(f"{step[3][1]} --language en", check=False)

    assert school.own["PORTAL_ENCRYPTION_KEYS"] == new
    assert "[ok ] Encryption and audit keys: Configured" in health.stdout
    assert "Traceback" not in health.stderr
    assert re.search(
        r"read [1-9]\d* files [1-9]\d* records", school.shell(READ_EVERYTHING)
    )
    # The archive made before the rotation opens with the new key alone.
    elsewhere = Installation(
        tmp_path / "new-server", PORTAL_ENCRYPTION_KEYS=new, **SECRETS
    )
    elsewhere.run("python manage.py migrate --no-input")
    elsewhere.run(f"python manage.py restore {before}")
    assert re.search(r"read [1-9]\d* files", elsewhere.shell(READ_EVERYTHING))


def test_removing_the_old_key_too_early_stops_the_start_with_one_line(once, tmp_path):
    old = Fernet.generate_key().decode()
    school = Installation(tmp_path / "school", PORTAL_ENCRYPTION_KEYS=old)
    school.run("python manage.py migrate --no-input")
    school.run(f"python manage.py seed_demo --password {PASSWORD}")
    new = school.run(EXPECTED_STEPS[0][0]).stdout.strip()

    school.set("PORTAL_ENCRYPTION_KEYS=NEW", NEW=new)

    with pytest.raises(RuntimeError, match="gunicorn stopped"), school.serving():
        pass
    log = (school.root / "gunicorn.log").read_text()
    assert "configuration error: Stored data is encrypted with a key that" in log
    assert "App failed to load" in log  # gunicorn stopped, it did not loop
    # (gunicorn 27 prints its own traceback while halting; none is the portal's)
    assert "school_portal/wsgi.py" not in log and "accounts/keys.py" not in log
    refused = school.run("python manage.py rotate_keys", check=False)
    assert refused.returncode != 0
    assert "does not hold" in refused.stderr
    assert "Traceback" not in refused.stderr
