"""Is the portal itself healthy? For the administrator, the security officer, a timer.

Each check answers ok, warning or red; red means a person must act. The page
(office:health) and ``manage.py healthcheck`` show the same list; the command
exits non-zero when something is red, so a timer or a monitoring tool can run it.

Backups and audit verifications are recorded by other features. Their models
are looked up lazily by label (``RunSource``): when the model does not exist
yet, the check is red ("no backup recorded"), which is the truth. If those
models name their fields differently, change ``BACKUPS`` / ``VERIFICATIONS``.
Secrets are only ever said to be configured or not, never shown.
"""

import shutil
import tomllib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from school_portal import env

OK = "ok"
WARNING = "warning"
RED = "red"

# A nightly backup, with a day's grace; the audit chain verified weekly.
BACKUP_MAX_AGE = timedelta(days=2)
VERIFICATION_MAX_AGE = timedelta(days=8)
DISK_RED_BYTES = 1024**3
DISK_WARNING_FRACTION = 0.10


@dataclass(frozen=True)
class Check:
    key: str
    title: str | Promise
    status: str
    detail: str

    @property
    def is_red(self) -> bool:
        return self.status == RED


@dataclass(frozen=True)
class RunSource:
    """Where another feature records its runs: model label, time and success fields."""

    label: str
    time_field: str
    # None: a row is written only for a successful run.
    ok_field: str | None


@dataclass(frozen=True)
class Run:
    at: datetime
    ok: bool


BACKUPS = RunSource("accounts.BackupRun", "at", None)
VERIFICATIONS = RunSource("audit.VerificationRun", "at", "ok")


def latest_runs(source: RunSource) -> tuple[Run | None, Run | None] | None:
    """(the last run, the last good run), or None when the model does not exist."""
    try:
        model = apps.get_model(source.label)
    except LookupError:
        return None
    rows = model.objects.order_by(f"-{source.time_field}")

    def as_run(row):
        if row is None:
            return None
        ok = getattr(row, source.ok_field) if source.ok_field else True
        return Run(at=getattr(row, source.time_field), ok=ok)

    good = rows.filter(**{source.ok_field: True}) if source.ok_field else rows
    return as_run(rows.first()), as_run(good.first())


def _age(at: datetime) -> str:
    return date_format(timezone.localtime(at), "SHORT_DATETIME_FORMAT")


def backup_check() -> Check:
    title = gettext_lazy("Last good backup")
    runs = latest_runs(BACKUPS)
    last, good = runs if runs else (None, None)
    if good is None:
        return Check("backup", title, RED, _("No backup recorded."))
    if timezone.now() - good.at > BACKUP_MAX_AGE:
        detail = _("The last good backup is too old: %(at)s.") % {"at": _age(good.at)}
        return Check("backup", title, RED, detail)
    if last is not None and not last.ok:
        detail = _("The last backup failed; the last good one: %(at)s.") % {
            "at": _age(good.at)
        }
        return Check("backup", title, WARNING, detail)
    return Check("backup", title, OK, _age(good.at))


def verification_check() -> Check:
    title = gettext_lazy("Last audit verification")
    runs = latest_runs(VERIFICATIONS)
    last = runs[0] if runs else None
    if last is None:
        return Check("verification", title, RED, _("No verification recorded."))
    if not last.ok:
        detail = _("The audit chain is broken (verified %(at)s).") % {
            "at": _age(last.at)
        }
        return Check("verification", title, RED, detail)
    if timezone.now() - last.at > VERIFICATION_MAX_AGE:
        detail = _("The last verification is too old: %(at)s.") % {"at": _age(last.at)}
        return Check("verification", title, RED, detail)
    return Check(
        "verification", title, OK, _("Intact, %(at)s.") % {"at": _age(last.at)}
    )


def keys_check() -> Check:
    title = gettext_lazy("Encryption and audit keys")
    encryption = settings.PORTAL_ENCRYPTION_KEYS and all(
        env.is_fernet_key(key) for key in settings.PORTAL_ENCRYPTION_KEYS
    )
    audit_key = getattr(settings, "PORTAL_AUDIT_KEY", "")
    audit = len(audit_key) >= 32 and audit_key != settings.SECRET_KEY
    if encryption and audit:
        return Check("keys", title, OK, _("Configured."))
    missing = []
    if not encryption:
        missing.append(_("encryption keys"))
    if not audit:
        missing.append(_("audit key"))
    detail = _("Not configured: %(names)s.") % {"names": ", ".join(missing)}
    return Check("keys", title, RED, detail)


def deploy_check() -> Check:
    title = gettext_lazy("Deployment checks (check --deploy)")
    found = [
        message
        for message in checks.run_checks(include_deployment_checks=True)
        if not message.is_silenced()
    ]
    errors = [m.id for m in found if m.level >= checks.ERROR]
    warnings = [m.id for m in found if checks.WARNING <= m.level < checks.ERROR]
    if errors:
        return Check("deploy", title, RED, ", ".join(errors + warnings))
    if warnings:
        detail = _("Warnings: %(ids)s.") % {"ids": ", ".join(warnings)}
        return Check("deploy", title, WARNING, detail)
    return Check("deploy", title, OK, _("No issues."))


def migrations_check() -> Check:
    title = gettext_lazy("Database migrations")
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        detail = _("%(count)d not applied: run the upgrade.") % {"count": len(plan)}
        return Check("migrations", title, RED, detail)
    return Check("migrations", title, OK, _("All applied."))


def disk_check() -> Check:
    title = gettext_lazy("Free disk space")
    folder = settings.VAR_DIR if settings.VAR_DIR.exists() else settings.BASE_DIR
    usage = shutil.disk_usage(folder)
    detail = _("%(free).1f GB free of %(total).1f GB.") % {
        "free": usage.free / 1024**3,
        "total": usage.total / 1024**3,
    }
    if usage.free < DISK_RED_BYTES:
        return Check("disk", title, RED, detail)
    if usage.free < usage.total * DISK_WARNING_FRACTION:
        return Check("disk", title, WARNING, detail)
    return Check("disk", title, OK, detail)


def version_check() -> Check:
    title = gettext_lazy("Version running")
    try:
        with open(settings.BASE_DIR / "pyproject.toml", "rb") as handle:
            version = tomllib.load(handle)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return Check("version", title, WARNING, _("Unknown."))
    return Check("version", title, OK, version)


def quick_checks() -> list[Check]:
    """What costs a query or two: fit for every home page."""
    return [backup_check(), verification_check()]


def all_checks() -> list[Check]:
    return [
        *quick_checks(),
        keys_check(),
        deploy_check(),
        migrations_check(),
        disk_check(),
        version_check(),
    ]
