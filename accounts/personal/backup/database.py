"""The database in an archive: dumped together with its row counts, migrations
and the files it lists, all read at one moment; loaded over an empty database;
counted after the load."""

import os
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from .base import BackupError

APPLIED = "SELECT app, name FROM django_migrations ORDER BY id"


def model_tables() -> list[str]:
    """The tables of this code's models that the database has."""
    tables = set(connection.introspection.table_names())
    return sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if not model._meta.proxy and model._meta.db_table in tables
        }
    )


def _count_rows(cursor, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        counts[table] = cursor.fetchone()[0]
    return counts


def row_counts(tables: list[str] | None = None) -> dict[str, int]:
    """Rows per table: of the given tables that exist, or of every model's."""
    if tables is None:
        tables = model_tables()
    else:
        present = set(connection.introspection.table_names())
        tables = [table for table in tables if table in present]
    with connection.cursor() as cursor:
        return _count_rows(cursor, tables)


@dataclass(frozen=True)
class Dumped:
    """A dump and what was read at the same moment."""

    name: str  # its member name in the archive
    counts: dict[str, int]
    migrations: list[str]
    stored_names: list[str]  # of the attachments that can still be read
    audit_paths: list[str]  # AuditArchive.path, oldest first


def dump(folder: Path) -> Dumped:
    """The database into folder, with its row counts, applied migrations and
    the files it lists, all read at one moment, so a write during the backup
    can't make them differ."""
    tables = model_tables()
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(folder / "database.sqlite3")
        try:
            connection.connection.backup(copy)
            return _read_at_once(copy.cursor(), "database.sqlite3", tables)
        finally:
            copy.close()
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            (exported,) = cursor.fetchone()
            dumped = _read_at_once(cursor, "database.pgdump", tables)
            pg(
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={exported}",
                f"--file={folder / dumped.name}",
            )
        return dumped
    raise BackupError(f"backups of {connection.vendor} databases are not supported")


def _read_at_once(cursor, name: str, tables: list[str]) -> Dumped:
    quote = connection.ops.quote_name
    attachment = apps.get_model("documents", "Attachment")._meta
    archive = apps.get_model("audit", "AuditArchive")._meta
    cursor.execute(APPLIED)
    migrations = [f"{app}.{migration}" for app, migration in cursor.fetchall()]
    cursor.execute(
        f"SELECT {quote(attachment.get_field('stored_name').column)} "  # noqa: S608
        f"FROM {quote(attachment.db_table)} "
        f"WHERE {quote(attachment.get_field('shredded_at').column)} IS NULL "
        "ORDER BY 1"
    )
    stored_names = [row[0] for row in cursor.fetchall()]
    cursor.execute(
        f"SELECT {quote(archive.get_field('path').column)} "  # noqa: S608
        f"FROM {quote(archive.db_table)} "
        f"ORDER BY {quote(archive.get_field('first_seq').column)}"
    )
    audit_paths = [row[0] for row in cursor.fetchall()]
    return Dumped(
        name=name,
        counts=_count_rows(cursor, tables),
        migrations=migrations,
        stored_names=stored_names,
        audit_paths=audit_paths,
    )


def sqlite_file() -> Path | None:
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        return None
    return Path(name)


def snapshot(folder: Path) -> Path:
    """The (empty) database as it is before the load, to put back on failure."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        path = folder / "before.sqlite3"
        copy = sqlite3.connect(path)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
        return path
    path = folder / "before.pgdump"
    pg("pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={path}")
    return path


def load(path: Path) -> None:
    """Replace the whole database with the dump at path.

    PostgreSQL: everything in the schema is dropped first. The database was
    checked empty, and a dump of an older version lacks the tables a newer
    migration added; ``pg_restore --clean`` would stop at their foreign keys.
    """
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        _drop_everything()
        pg(
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            str(path),
        )
    # Content types cached from the database before have other ids now.
    ContentType.objects.clear_cache()


# What ``_drop_everything`` drops besides the tables: the functions and the
# sequences of the schema (not an extension's own, which its CREATE EXTENSION
# in the dump brings along).
_LEFT_AFTER_THE_TABLES = """
    SELECT 'ROUTINE', p.oid::regprocedure::text FROM pg_proc p
    WHERE p.pronamespace = current_schema()::regnamespace
      AND NOT EXISTS (
        SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e'
      )
    UNION ALL
    SELECT 'SEQUENCE', c.oid::regclass::text FROM pg_class c
    WHERE c.relkind = 'S' AND c.relnamespace = current_schema()::regnamespace
      AND NOT EXISTS (
        SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e'
      )
"""


def _drop_everything() -> None:
    """Every table of the schema, then what is left of it (the audit trail's
    trigger function), in one transaction."""
    with transaction.atomic(), connection.cursor() as cursor:
        tables = [
            info.name
            for info in connection.introspection.get_table_list(cursor)
            if info.type == "t"
        ]
        if tables:
            names = ", ".join(connection.ops.quote_name(table) for table in tables)
            cursor.execute(f"DROP TABLE IF EXISTS {names} CASCADE")
        cursor.execute(_LEFT_AFTER_THE_TABLES)
        for kind, name in cursor.fetchall():
            cursor.execute(f"DROP {kind} IF EXISTS {name} CASCADE")


def pg(program: str, *args: str) -> None:
    params = connection.settings_dict
    # DATABASE_BEHIND_PGBOUNCER (school_portal/env.py) is the only source of
    # this setting: pg_dump and pg_restore need a session of their own, which
    # transaction pooling does not give.
    if params.get("DISABLE_SERVER_SIDE_CURSORS"):
        raise BackupError(
            f"{program} needs PostgreSQL itself, not pgbouncer: run this command "
            "with DATABASE_URL pointing at the PostgreSQL server and "
            "DATABASE_BEHIND_PGBOUNCER=0 (docs/deployment.md)"
        )
    environ = {**os.environ}
    if params.get("PASSWORD"):
        environ["PGPASSWORD"] = params["PASSWORD"]
    command = [program, *args]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if params.get(key):
            command.append(f"{flag}={params[key]}")
    command.append(f"--dbname={params['NAME']}")
    result = subprocess.run(  # noqa: S603
        command, env=environ, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        lines = result.stderr.strip().splitlines() or ["no message"]
        raise BackupError(f"{program} failed: {lines[0]}")
