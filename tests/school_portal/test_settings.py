"""Start-up configuration: safe defaults, one clear line for a bad value."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "x7#kq2!vR9mZ4pL8wT1sN6bY3hJ5dF0gC-aE_uI+oQ=rW%tZ&yX",
    "DJANGO_ALLOWED_HOSTS": "portal.school.kg",
    "DATABASE_URL": "sqlite:///:memory:",
    "PORTAL_AUDIT_KEY": "a-long-random-audit-key-for-the-hash-chain",
    "PORTAL_ENCRYPTION_KEYS": "q0t8UHc0k8dcvqjUbW2m6hW3Jd0bn4jXUyT8cJ4pG1Q=",
    "PORTAL_BLIND_INDEX_KEY": "a-long-random-key-for-the-blind-index-of-the-pin",
}


def manage(*args: str, **environ: str) -> subprocess.CompletedProcess:
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "PORTAL_"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **environ},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG"),
        ({"DJANGO_DEBUG": "1", "DATABASE_URL": "oracle-ish://nowhere"}, "DATABASE_URL"),
        ({"DJANGO_DEBUG": "1", "DATABASE_URL": "postgres://"}, "DATABASE_URL"),
        ({"DJANGO_DEBUG": "0"}, "DJANGO_SECRET_KEY"),
        ({**PRODUCTION, "PORTAL_AUDIT_KEY": ""}, "PORTAL_AUDIT_KEY"),
        ({**PRODUCTION, "DJANGO_BEHIND_TLS_PROXY": "1"}, "PORTAL_TRUSTED_PROXIES"),
        ({**PRODUCTION, "PORTAL_BLIND_INDEX_KEY": ""}, "PORTAL_BLIND_INDEX_KEY"),
        ({**PRODUCTION, "PORTAL_ENCRYPTION_KEYS": ""}, "PORTAL_ENCRYPTION_KEYS"),
        (
            {**PRODUCTION, "PORTAL_ENCRYPTION_KEYS": "not-a-key"},
            "PORTAL_ENCRYPTION_KEYS",
        ),
        (
            {"DJANGO_DEBUG": "1", "PORTAL_SCHOOL_NETWORKS": "10.0.0.0/8,school"},
            "PORTAL_SCHOOL_NETWORKS",
        ),
        (
            {"DJANGO_DEBUG": "1", "PORTAL_AUDIT_KEY_FILE": "/nonexistent/key"},
            "PORTAL_AUDIT_KEY_FILE",
        ),
    ],
)
def test_a_bad_value_stops_start_up_with_one_line_naming_it(environ, named):
    result = manage("check", **environ)

    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"configuration error: {named} ")
    assert "Traceback" not in result.stderr


def test_a_secret_can_be_read_from_the_file_named_by_name_file(tmp_path):
    key_file = tmp_path / "secret"
    key_file.write_text(PRODUCTION["DJANGO_SECRET_KEY"] + "\n")
    environ = {**PRODUCTION, "DJANGO_SECRET_KEY_FILE": str(key_file)}
    del environ["DJANGO_SECRET_KEY"]

    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.SECRET_KEY)",
        **environ,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == PRODUCTION["DJANGO_SECRET_KEY"]


def test_production_values_pass_the_deployment_checklist():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stderr + result.stdout


def test_production_cookies_are_host_only_secure_and_hidden_from_scripts():
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, "
        "s.DEBUG, s.TIME_ZONE, s.PASSWORD_HASHERS[0].rsplit('.', 1)[1])"
    )
    result = manage("shell", "--no-imports", "-c", code, **PRODUCTION)

    assert result.stdout.split() == [
        "__Host-sessionid",
        "__Host-csrftoken",
        "True",
        "True",
        "True",
        "Lax",
        "False",
        "Asia/Bishkek",
        "Argon2PasswordHasher",
    ]


def test_debug_is_off_when_nothing_is_set():
    result = manage("shell", "--no-imports", "-c", "print(1)")

    assert "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off" in result.stderr


def test_portal_var_dir_moves_what_the_installation_writes(tmp_path):
    var = tmp_path / "lib" / "portal"

    result = manage(
        "shell",
        "--verbosity",
        "0",
        "-c",
        "from django.conf import settings; "
        "print(settings.VAR_DIR, settings.DATABASES['default']['NAME'], "
        "settings.PORTAL_ATTACHMENT_DIR)",
        DJANGO_DEBUG="1",
        PORTAL_VAR_DIR=str(var),
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        str(var),
        str(var / "portal.sqlite3"),
        str(var / "attachments"),
    ]
    assert (var / "django_secret_key").exists()


def test_behind_pgbouncer_turns_server_side_cursors_off(monkeypatch):
    from school_portal import env

    url = "postgres://portal@127.0.0.1:6432/school_7"
    monkeypatch.delenv("DATABASE_BEHIND_PGBOUNCER", raising=False)
    monkeypatch.setenv("DATABASE_URL", url)
    assert not env.database("DATABASE_URL", default="").get(
        "DISABLE_SERVER_SIDE_CURSORS"
    )

    monkeypatch.setenv("DATABASE_BEHIND_PGBOUNCER", "1")

    assert env.database("DATABASE_URL", default="")["DISABLE_SERVER_SIDE_CURSORS"]


def test_behind_pgbouncer_with_sqlite_is_one_clear_line():
    result = manage(
        "check",
        DJANGO_DEBUG="1",
        DATABASE_URL="sqlite:////tmp/x.sqlite3",
        DATABASE_BEHIND_PGBOUNCER="1",
    )

    assert result.returncode == 2
    assert "configuration error: DATABASE_BEHIND_PGBOUNCER is for a PostgreSQL" in (
        result.stderr
    )
