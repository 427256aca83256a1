"""When the database or the file store is gone: /health/ stays a liveness answer,
/health/ready/ says 503, and `healthcheck` prints red lines, never a traceback."""

import io
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from benchmark.load import gunicorn
from office import health
from tests.office.test_health import shutil_usage

ROOT = Path(__file__).resolve().parents[2]
# Nothing listens on port 1: a database server that is down.
DATABASE_DOWN = "postgres://portal@127.0.0.1:1/portal"


@pytest.fixture
def unwritable_store(settings, tmp_path):
    """As root, permissions stop nothing: a folder under a regular file can't exist."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.PORTAL_ATTACHMENT_DIR = blocker / "attachments"
    return settings.PORTAL_ATTACHMENT_DIR


def test_ready_answers_ok_when_the_database_and_the_store_answer(client, db):
    response = client.get(reverse("health_ready"))

    assert (response.status_code, response.content) == (200, b"ok")


def test_ready_is_503_when_the_file_store_cant_be_written(client, db, unwritable_store):
    response = client.get(reverse("health_ready"))

    assert response.status_code == 503
    assert response.content == b"files: unavailable\n"
    assert client.get(reverse("health")).status_code == 200


def test_with_the_database_down_health_is_ok_and_ready_is_503(tmp_path):
    environment = {
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": DATABASE_DOWN,
        "PORTAL_ATTACHMENT_DIR": str(tmp_path / "attachments"),
    }
    with gunicorn(env=environment, log=tmp_path / "gunicorn.log") as base:
        with urllib.request.urlopen(f"{base}/health/", timeout=10) as live:  # noqa: S310
            assert (live.status, live.read()) == (200, b"ok")
        with pytest.raises(urllib.error.HTTPError) as ready:
            urllib.request.urlopen(f"{base}/health/ready/", timeout=10)  # noqa: S310

    assert ready.value.code == 503
    assert ready.value.read() == b"database: unavailable\n"


def run_healthcheck_process(*args: str, **environment: str):
    return subprocess.run(
        [sys.executable, "manage.py", "healthcheck", *args],
        cwd=ROOT,
        env={**os.environ, "DJANGO_DEBUG": "1", **environment},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_healthcheck_with_the_database_down_prints_one_red_line_and_what_to_do(
    tmp_path,
):
    result = run_healthcheck_process(
        "--language",
        "en",
        DATABASE_URL=DATABASE_DOWN,
        PORTAL_ATTACHMENT_DIR=str(tmp_path),
    )

    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    red = [line for line in result.stdout.splitlines() if line.startswith("[RED]")]
    assert len(red) == 1
    assert red[0].startswith("[RED] Database: The database can't be reached")
    assert (
        "Check that the database server runs and that DATABASE_URL is right" in (red[0])
    )
    assert result.stderr.strip().splitlines() == [
        "CommandError: needs a person: Database"
    ]


def test_healthcheck_speaks_the_language_of_the_shell(tmp_path):
    result = run_healthcheck_process(
        DATABASE_URL=DATABASE_DOWN, LANG="ru_RU.UTF-8", LANGUAGE=""
    )

    with translation.override("ru"):
        title = translation.gettext("Database")
    assert f"[RED] {title}: " in result.stdout
    assert "Traceback" not in result.stderr


def test_healthcheck_names_a_store_it_cannot_write(db, unwritable_store):
    out = io.StringIO()

    with pytest.raises(CommandError, match="needs a person"):
        call_command("healthcheck", language="en", stdout=out)

    lines = out.getvalue().splitlines()
    [line] = [line for line in lines if "Attachment files" in line]
    assert line.startswith("[RED] Attachment files: The file store")
    assert "can't be written: Not a directory" in line


def test_low_space_where_attachments_live_is_one_red_line(db, monkeypatch, settings):
    def usage(path):
        if Path(path) == Path(settings.PORTAL_ATTACHMENT_DIR).parent or str(
            path
        ).startswith(str(settings.PORTAL_ATTACHMENT_DIR)):
            return shutil_usage(total=100 * 1024**3, free=300 * 1024**2)
        return shutil_usage(total=100 * 1024**3, free=50 * 1024**3)

    monkeypatch.setattr(health.shutil, "disk_usage", usage)

    check = health.disk_check()

    assert check.status == health.RED
    assert "0.3 GB free" in check.detail
    assert f"attachments ({settings.PORTAL_ATTACHMENT_DIR})" in check.detail
    assert "Free space there" in check.detail


def test_a_check_that_cannot_run_is_a_red_line_not_a_failure(db, monkeypatch):
    def broken():
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(health, "version_check", broken)
    broken.__name__ = "version_check"

    checks = {check.key: check for check in health.all_checks()}

    assert checks["version"].status == health.RED
    assert checks["version"].detail == "Not checked: Input/output error."
    assert checks["database"].status == health.OK
