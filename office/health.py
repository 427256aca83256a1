"""Is the portal itself healthy? For the administrator, the security officer, a timer.

Each check answers ok, warning or red; red means a person must act. The page
(office:health) and ``manage.py healthcheck`` show the same list; the command
exits non-zero when something is red, so a timer or a monitoring tool can run it.

Backups and audit verifications are recorded by other features. Their models
are looked up lazily by label (``RunSource``): when the model does not exist
yet, the check is red ("no backup recorded"), which is the truth. If those
models name their fields differently, change ``BACKUPS`` / ``VERIFICATIONS``.
Secrets are only ever said to be configured or not, never shown.

No check may fail the list: a check that can't run (the database is down, a
folder is gone) is a red line saying so, never a traceback. ``ready()`` is the
cheap subset behind /health/ready/: can the database and the file store answer?
"""

import logging
import shutil
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts import keys
from school_portal import env, stores

logger = logging.getLogger(__name__)

OK = "ok"
WARNING = "warning"
RED = "red"

# A nightly backup, with a day's grace; the audit chain verified weekly.
BACKUP_MAX_AGE = timedelta(days=2)
VERIFICATION_MAX_AGE = timedelta(days=8)
DISK_RED_BYTES = 1024**3
DISK_WARNING_FRACTION = 0.10


# Each check's title, also for the red line when the check itself can't run.
TITLES = {
    "backup": gettext_lazy("Last good backup"),
    "verification": gettext_lazy("Last audit verification"),
    "keys": gettext_lazy("Encryption and audit keys"),
    "deploy": gettext_lazy("Deployment checks (check --deploy)"),
    "migrations": gettext_lazy("Database migrations"),
    "disk": gettext_lazy("Free disk space"),
    "files": gettext_lazy("Attachment files"),
    "database": gettext_lazy("Database"),
    "version": gettext_lazy("Version running"),
}


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
    # A good run counts only if this says its result is still there.
    still_there: Callable | None = None


@dataclass(frozen=True)
class Run:
    at: datetime
    ok: bool
    problem: str = ""


# How many of the newest good runs are looked at for one whose file is still there.
GOOD_RUNS_LOOKED_AT = 30


def _archive_still_there(run) -> bool:
    """The archive file exists with its recorded size: a stat, cheap enough for
    every home page. Its SHA-256 is not read here (the whole archive, hourly);
    ``restore PATH --check`` authenticates every byte of it."""
    if not run.file_name:
        return False
    in_store = stores.in_store(stores.BACKUPS, run.file_name)
    try:
        if in_store is not None:
            return stores.size(stores.BACKUPS, in_store) == run.size
        return Path(run.file_name).stat().st_size == run.size
    except (OSError, stores.NotFound, stores.Unreachable):
        return False


BACKUPS = RunSource("accounts.BackupRun", "at", "ok", _archive_still_there)
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
        problem = getattr(row, "problem", "") or ""
        return Run(at=getattr(row, source.time_field), ok=ok, problem=problem)

    good = rows.filter(**{source.ok_field: True}) if source.ok_field else rows
    if source.still_there is None:
        return as_run(rows.first()), as_run(good.first())
    found = next(
        (row for row in good[:GOOD_RUNS_LOOKED_AT] if source.still_there(row)), None
    )
    return as_run(rows.first()), as_run(found)


def _age(at: datetime) -> str:
    return date_format(timezone.localtime(at), "SHORT_DATETIME_FORMAT")


def backup_check() -> Check:
    """The last good backup: the newest good run whose archive is still there
    with its recorded size (a deleted or cut file does not count)."""
    title = TITLES["backup"]
    runs = latest_runs(BACKUPS)
    last, good = runs if runs else (None, None)
    failed = last is not None and not last.ok
    if good is None:
        if last is None:
            detail = _("No backup recorded.")
        elif failed:
            detail = _("The last backup failed, and no earlier backup file is left.")
        else:
            detail = _("No backup file is left: the archives were moved or deleted.")
        return Check("backup", title, RED, detail)
    if timezone.now() - good.at > BACKUP_MAX_AGE:
        if failed:
            detail = _("The last backup failed; the last good one is too old: %(at)s.")
        else:
            detail = _("The last good backup is too old: %(at)s.")
        return Check("backup", title, RED, detail % {"at": _age(good.at)})
    if failed:
        detail = _("The last backup failed; the last good one: %(at)s.") % {
            "at": _age(good.at)
        }
        return Check("backup", title, WARNING, detail)
    if good.problem:
        detail = _(
            "%(at)s, without some files that are missing from the disk: bring "
            "them back with restore --missing-files from an older backup."
        ) % {"at": _age(good.at)}
        return Check("backup", title, WARNING, detail)
    return Check("backup", title, OK, _age(good.at))


def verification_check() -> Check:
    title = TITLES["verification"]
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
    title = TITLES["keys"]
    encryption = settings.PORTAL_ENCRYPTION_KEYS and all(
        env.is_fernet_key(key) for key in settings.PORTAL_ENCRYPTION_KEYS
    )
    audit_key = getattr(settings, "PORTAL_AUDIT_KEY", "")
    audit = len(audit_key) >= 32 and audit_key != settings.SECRET_KEY
    if encryption and audit:
        wrong = keys.problems()
        if wrong:
            return Check("keys", title, RED, " ".join(wrong))
        return Check("keys", title, OK, _("Configured; they fit the stored data."))
    missing = []
    if not encryption:
        missing.append(_("encryption keys"))
    if not audit:
        missing.append(_("audit key"))
    detail = _("Not configured: %(names)s.") % {"names": ", ".join(missing)}
    return Check("keys", title, RED, detail)


def deploy_check() -> Check:
    title = TITLES["deploy"]
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
    title = TITLES["migrations"]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        detail = ngettext(
            "%(count)d migration not applied: run the upgrade.",
            "%(count)d migrations not applied: run the upgrade.",
            len(plan),
        ) % {"count": len(plan)}
        return Check("migrations", title, RED, detail)
    return Check("migrations", title, OK, _("All applied."))


def _places() -> dict[str, Path]:
    """Where the portal keeps what it must not lose, by what a person calls it."""
    folders = {
        _("attachments"): settings.PORTAL_ATTACHMENT_DIR,
        _("backups"): settings.PORTAL_BACKUP_DIR,
        _("audit archives"): settings.PORTAL_AUDIT_ARCHIVE_DIR,
    }
    # An object store (PORTAL_STORAGE_URL=s3://…) has no folder here.
    places = {name: Path(folder) for name, folder in folders.items() if folder}
    if connection.vendor == "sqlite":
        places[_("database")] = Path(settings.DATABASES["default"]["NAME"]).parent
    return places


def _existing(folder: Path) -> Path:
    """The folder, or its nearest parent that exists (a folder made on first use)."""
    while not folder.exists() and folder.parent != folder:
        folder = folder.parent
    return folder


def disk_check() -> Check:
    """The emptiest disk among those where files live (attachments, backups,
    audit archives, an SQLite database)."""
    title = TITLES["disk"]
    disks = {}  # device -> (its usage, the places on it)
    for name, folder in _places().items():
        existing = _existing(folder)
        usage, names = disks.setdefault(
            existing.stat().st_dev, (shutil.disk_usage(existing), [])
        )
        names.append(f"{name} ({folder})")
    if not disks:
        return Check(
            "disk",
            title,
            OK,
            _("No file is kept on this server's disks: all are in the object store."),
        )
    usage, names = min(disks.values(), key=lambda disk: disk[0].free)
    detail = _("%(free).1f GB free of %(total).1f GB where %(places)s live.") % {
        "free": usage.free / 1024**3,
        "total": usage.total / 1024**3,
        "places": ", ".join(names),
    }
    if usage.free < DISK_RED_BYTES:
        detail += " " + _("Free space there, or the next files will not be saved.")
        return Check("disk", title, RED, detail)
    if usage.free < usage.total * DISK_WARNING_FRACTION:
        return Check("disk", title, WARNING, detail)
    return Check("disk", title, OK, detail)


def store_writable_problem() -> str | None:
    """Write, read back and remove a probe file where attachments live."""
    try:
        stores.probe(stores.ATTACHMENTS)
    except stores.Unreachable as error:
        return str(error)
    return None


def files_check() -> Check:
    """The file store is writable; every attachment's file is there; no file is
    left over from a registration that never committed."""
    from documents import selectors as documents

    title = TITLES["files"]
    problem = store_writable_problem()
    if problem:
        detail = _(
            "The file store (%(folder)s) can't be written: %(problem)s. New "
            "files can't be saved until it can."
        ) % {"folder": stores.describe(stores.ATTACHMENTS), "problem": problem}
        return Check("files", title, RED, detail)
    missing = documents.missing_files()
    if missing:
        detail = ngettext(
            "%(count)d file the journals list is missing from the store "
            "(%(first)s). Bring it back from the latest backup: "
            "manage.py restore BACKUP --missing-files.",
            "%(count)d files the journals list are missing from the store "
            "(first: %(first)s). Bring them back from the latest backup: "
            "manage.py restore BACKUP --missing-files.",
            len(missing),
        ) % {"count": len(missing), "first": missing[0]}
        return Check("files", title, RED, detail)
    orphans = documents.orphan_files()
    if orphans:
        detail = ngettext(
            "%(count)d file belongs to no document (left by a registration that "
            "did not finish); it can't be read. Remove it: manage.py "
            "remove_orphan_files.",
            "%(count)d files belong to no document (left by registrations that "
            "did not finish); they can't be read. Remove them: manage.py "
            "remove_orphan_files.",
            len(orphans),
        ) % {"count": len(orphans)}
        return Check("files", title, WARNING, detail)
    return Check("files", title, OK, _("Every file is in place."))


def database_problem() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return str(error).strip().splitlines()[0] if str(error).strip() else ""
    return None


def database_check() -> Check:
    title = TITLES["database"]
    problem = database_problem()
    if problem is not None:
        detail = _(
            "The database can't be reached (%(problem)s). Check that the "
            "database server runs and that DATABASE_URL is right."
        ) % {"problem": problem}
        return Check("database", title, RED, detail)
    return Check("database", title, OK, _("Answers."))


def version_check() -> Check:
    title = TITLES["version"]
    try:
        with open(settings.BASE_DIR / "pyproject.toml", "rb") as handle:
            version = tomllib.load(handle)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return Check("version", title, WARNING, _("Unknown."))
    return Check("version", title, OK, version)


def quick_checks() -> list[Check]:
    """What costs a query or two: fit for every home page."""
    return [backup_check(), verification_check()]


def _safely(check: Callable[[], Check]) -> Check:
    """The check's answer, or a red line naming why it could not be made."""
    try:
        return check()
    except DatabaseError as error:
        problem = str(error).strip().splitlines()[0] if str(error).strip() else ""
        detail = _("Not checked: the database can't be reached (%(problem)s).")
    except OSError as error:
        problem = error.strerror or str(error)
        detail = _("Not checked: %(problem)s.")
    except Exception as error:  # a health list must never fail as a whole
        logger.exception("health check %s failed", check.__name__)
        problem = f"{type(error).__name__}: {error}"
        detail = _("Not checked: %(problem)s.")
    key = check.__name__.removesuffix("_check")
    return Check(key, TITLES[key], RED, detail % {"problem": problem})


def all_checks() -> list[Check]:
    database = database_check()
    if database.is_red:
        # Everything else asks the database: say once what is wrong.
        return [database, *(_safely(c) for c in (disk_check, version_check))]
    return [
        database,
        *(
            _safely(check)
            for check in (
                backup_check,
                verification_check,
                keys_check,
                files_check,
                deploy_check,
                migrations_check,
                disk_check,
                version_check,
            )
        ),
    ]


def ready() -> dict[str, str | None]:
    """For /health/ready/: each part that must answer, and its problem or None."""
    return {"database": database_problem(), "files": store_writable_problem()}
