"""A school's installation for the backup tests: its folders, its files, its
archived audit years, the new empty server it is restored into, and the
databases of the installations that run in their own processes."""

import hashlib
import io
import shutil
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from accounts.models import BackupRun, User
from accounts.roles import sync_role_groups
from audit.models import AuditArchive, AuditEvent
from documents import services
from documents.models import Attachment, DocumentClass, Journal, JournalKind
from tests.documents.conftest import ensure_registry_basics, make_pdf


@dataclass(frozen=True)
class Server:
    """The folders one installation keeps its files in."""

    root: Path

    @property
    def attachments(self) -> Path:
        return self.root / "attachments"

    @property
    def audit_archives(self) -> Path:
        return self.root / "audit-archive"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    def use(self, settings) -> "Server":
        settings.PORTAL_ATTACHMENT_DIR = self.attachments
        settings.PORTAL_AUDIT_ARCHIVE_DIR = self.audit_archives
        settings.PORTAL_BACKUP_DIR = self.backups
        return self


def files_in(folder: Path) -> dict[str, bytes]:
    """Every file under folder (hidden ones too) by relative name: its SHA-256."""
    folder = Path(folder)
    if not folder.exists():
        return {}
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).digest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def tree(folder: Path) -> list[str]:
    """Every path under folder, files and folders, hidden ones too."""
    folder = Path(folder)
    if not folder.exists():
        return []
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*"))


def register_letter_with_files(records_officer, teacher, count: int = 2):
    """A letter registered the way the office does it, with PDF attachments."""
    ensure_registry_basics()
    return services.register_document(
        actor=records_officer,
        journal=Journal.objects.get(kind=JournalKind.INCOMING, name=""),
        document_class=DocumentClass.objects.get(code="letter"),
        summary="Окуу жылынын башталышы жөнүндө",
        executor=teacher,
        uploads=[
            services.Upload(
                name=f"letter-{n}.pdf",
                content_type="application/pdf",
                data=make_pdf(n + 1),
            )
            for n in range(count)
        ],
    )


def archive_the_trail() -> AuditArchive:
    """audit_archive with a cutoff in the future: every event but the last goes
    to a signed export; then the head is signed, as the daily timer does."""
    cutoff = (timezone.localdate() + timedelta(days=2)).isoformat()
    call_command("audit_archive", before=cutoff, stdout=io.StringIO())
    call_command("audit_sign_head", stdout=io.StringIO())
    return AuditArchive.objects.get()


def back_up(**options) -> Path:
    """`manage.py backup`; the archive it wrote."""
    call_command("backup", stdout=io.StringIO(), stderr=io.StringIO(), **options)
    return Path(BackupRun.objects.filter(ok=True).latest().file_name)


def new_empty_installation(settings, root: Path) -> Server:
    """What a new server looks like after `migrate`: tables, groups, no data,
    and its own empty folders."""
    call_command("flush", interactive=False, verbosity=0)
    sync_role_groups()
    return Server(root).use(settings)


def is_empty(server: Server) -> None:
    assert not User.objects.exists()
    assert not AuditEvent.objects.exists()
    assert not AuditArchive.objects.exists()
    assert not Attachment.objects.exists()
    assert files_in(server.attachments) == {}
    assert files_in(server.audit_archives) == {}


class Databases:
    """Databases for the servers of one test module, on the suite's kind of
    database: SQLite files, or PostgreSQL databases named after the test one."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.names: list[str] = []
        if connection.vendor == "postgresql":
            import psycopg2

            params = connection.settings_dict
            self.base = params["NAME"]
            self.server = {
                "host": params.get("HOST") or "127.0.0.1",
                "port": params.get("PORT") or 5432,
                "user": params.get("USER") or "postgres",
                "password": params.get("PASSWORD") or "",
            }
            self.admin = psycopg2.connect(dbname="postgres", **self.server)
            self.admin.autocommit = True

    def url(self, name: str, *, copy_of: str | None = None) -> str:
        """A new database, empty or a copy of another."""
        self.names.append(name)
        self.drop(name)
        if connection.vendor != "postgresql":
            path = self.folder / f"{name}.sqlite3"
            if copy_of:
                shutil.copy(self.folder / f"{copy_of}.sqlite3", path)
            return f"sqlite:///{path}"
        template = f' TEMPLATE "{self.base}_{copy_of}"' if copy_of else ""
        self._execute(f'CREATE DATABASE "{self.base}_{name}"{template}')
        server = self.server
        auth = server["user"] + (f":{server['password']}" if server["password"] else "")
        return f"postgres://{auth}@{server['host']}:{server['port']}/{self.base}_{name}"

    def drop(self, name: str) -> None:
        if connection.vendor != "postgresql":
            (self.folder / f"{name}.sqlite3").unlink(missing_ok=True)
            return
        self._execute(f'DROP DATABASE IF EXISTS "{self.base}_{name}" WITH (FORCE)')

    def _execute(self, sql: str) -> None:
        with self.admin.cursor() as cursor:
            cursor.execute(sql)

    def close(self) -> None:
        for name in self.names:
            self.drop(name)
        if connection.vendor == "postgresql":
            self.admin.close()
