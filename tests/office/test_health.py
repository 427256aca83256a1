"""System health and `manage.py healthcheck`: red where a person must act."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from office import health
from tests.factories import UserFactory


def fresh(ok=True):
    return health.Run(at=timezone.now(), ok=ok)


@pytest.fixture
def healthy(monkeypatch):
    """Backups and verification fresh; disk roomy (the test machine's may not be)."""
    # The browser tests set this for Playwright; the deployment check refuses it.
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)
    monkeypatch.setattr(health, "latest_runs", lambda source: (fresh(), fresh()))
    monkeypatch.setattr(
        health.shutil,
        "disk_usage",
        lambda path: shutil_usage(total=100 * 1024**3, free=50 * 1024**3),
    )


def shutil_usage(*, total, free):
    import shutil

    return shutil._ntuple_diskusage(total, total - free, free)


def run_healthcheck() -> str:
    out = io.StringIO()
    call_command("healthcheck", stdout=out)
    return out.getvalue()


def test_without_a_backup_there_is_no_backup_and_the_command_fails(db):
    assert health.latest_runs(health.BACKUPS) == (None, None)
    assert health.backup_check().status == health.RED

    with pytest.raises(CommandError, match="needs a person"):
        run_healthcheck()


def test_a_healthy_portal_passes_and_shows_the_version(db, healthy):
    output = run_healthcheck()

    assert "healthy" in output
    assert "0.1.0" in output


def test_a_broken_audit_chain_fails_the_command(db, healthy, monkeypatch):
    monkeypatch.setattr(
        health,
        "latest_runs",
        lambda source: (
            (fresh(ok=False), None)
            if source is health.VERIFICATIONS
            else (fresh(), fresh())
        ),
    )

    assert health.verification_check().status == health.RED
    with pytest.raises(CommandError, match="needs a person"):
        run_healthcheck()


def test_an_old_backup_is_red_and_a_failed_last_one_is_a_warning(monkeypatch):
    old = health.Run(at=timezone.now() - timedelta(days=3), ok=True)
    monkeypatch.setattr(health, "latest_runs", lambda source: (old, old))
    assert health.backup_check().status == health.RED

    monkeypatch.setattr(
        health, "latest_runs", lambda source: (fresh(ok=False), fresh())
    )
    assert health.backup_check().status == health.WARNING


def test_runs_are_read_from_whatever_model_the_source_names(db):
    """The adapter, on a model that exists here: the newest row, the newest good row."""
    UserFactory(username="older", is_active=True)
    newest = UserFactory(username="newer", is_active=False)
    source = health.RunSource("accounts.User", "date_joined", "is_active")

    last, good = health.latest_runs(source)

    assert (last.at, last.ok) == (newest.date_joined, False)
    assert good.ok is True


def test_keys_are_never_shown(db, settings):
    check = health.keys_check()
    assert check.status == health.OK
    assert settings.PORTAL_AUDIT_KEY not in check.detail

    settings.PORTAL_AUDIT_KEY = "short"
    check = health.keys_check()
    assert check.status == health.RED
    assert "short" not in check.detail


def test_little_disk_space_is_red(monkeypatch):
    monkeypatch.setattr(
        health.shutil,
        "disk_usage",
        lambda path: shutil_usage(total=100 * 1024**3, free=512 * 1024**2),
    )

    assert health.disk_check().status == health.RED


def test_pending_migrations_are_red(db, monkeypatch):
    monkeypatch.setattr(
        health.MigrationExecutor, "migration_plan", lambda self, targets: [("x", False)]
    )

    assert health.migrations_check().status == health.RED
    monkeypatch.undo()
    assert health.migrations_check().status == health.OK


def test_deployment_errors_are_red(monkeypatch):
    from django.core import checks

    monkeypatch.setattr(
        health.checks,
        "run_checks",
        lambda **kwargs: [checks.Error("bad", id="security.E999")],
    )

    check = health.deploy_check()
    assert (check.status, check.detail) == (health.RED, "security.E999")
