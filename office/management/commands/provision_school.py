"""One school of a district in one step: its own database on the district's
PostgreSQL cluster, its own keys, its own prefix in the bucket, its first
administrator; refused when the database or the prefix is already taken.

docs/deployment.md, "A district", tells where this fits.
"""

import base64
import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from school_portal import env, stores

CODE = re.compile(r"^[a-z][a-z0-9_]{1,40}$")
# Claims the prefix: written first, so a second school never takes it.
MARKER = "school.json"


class Command(BaseCommand):
    help = (
        "Provision a school: CREATE DATABASE school_CODE on the cluster, new keys, "
        "the prefix CODE/ under the district's storage URL, migrate, and an "
        "administrator; writes ENV_DIR/CODE.env (the school's environment file) "
        "and ENV_DIR/CODE-admin-password. Refuses a database or a prefix that "
        "is already taken."
    )

    def add_arguments(self, parser):
        parser.add_argument("code", help="the school's code: a-z, 0-9, _")
        parser.add_argument(
            "--cluster-url",
            required=True,
            help="postgres://USER@HOST:PORT/postgres: may create databases",
        )
        parser.add_argument(
            "--pool-url",
            help="postgres://USER@HOST:PORT as the nodes reach the cluster "
            "(pgbouncer); default: the cluster URL itself",
        )
        parser.add_argument(
            "--storage-url",
            required=True,
            help="the district's s3://BUCKET/PREFIX?… or file:///folder; the "
            "school gets PREFIX/CODE",
        )
        parser.add_argument("--env-dir", required=True, help="where CODE.env goes")
        parser.add_argument("--admin", default="admin", help="the first login")
        parser.add_argument("--hosts", default="", help="DJANGO_ALLOWED_HOSTS")

    def handle(self, *args, code, cluster_url, pool_url, storage_url, env_dir, **o):
        if not CODE.match(code):
            raise CommandError(
                f"the school code {code!r} must be 2-41 of a-z, 0-9, _ "
                "and start with a letter"
            )
        database = f"school_{code}"
        env_dir = Path(env_dir)
        env_file = env_dir / f"{code}.env"
        password_file = env_dir / f"{code}-admin-password"
        if env_file.exists() or password_file.exists():
            raise CommandError(f"{env_file} already exists: {code} is provisioned")
        school_url = _school_storage_url(storage_url, code)
        environment = {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": o["hosts"] or f"{code}.school.example",
            "DATABASE_URL": _database_url(pool_url or cluster_url, database),
            "PORTAL_STORAGE_URL": school_url,
            "PORTAL_ENCRYPTION_KEYS": base64.urlsafe_b64encode(
                secrets.token_bytes(32)
            ).decode(),
            "PORTAL_AUDIT_KEY": secrets.token_urlsafe(50),
            "PORTAL_BLIND_INDEX_KEY": secrets.token_urlsafe(50),
        }
        if pool_url:
            environment["DATABASE_BEHIND_PGBOUNCER"] = "1"
        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
            for variable in (name, f"{name}_FILE"):
                if os.environ.get(variable):
                    environment[variable] = os.environ[variable]

        cluster = _connect(cluster_url)
        try:
            if _database_exists(cluster, database):
                raise CommandError(
                    f"the database {database} already exists on the cluster: it is "
                    "another school's (or this one's); nothing was changed"
                )
            prefix = _prefix_store(school_url, environment)
            if _holds_anything(prefix):
                raise CommandError(
                    f"{school_url} already holds files: it is another school's "
                    "prefix; nothing was changed"
                )
            created = []
            try:
                _claim(prefix, code, database)
                created.append("prefix")
                with cluster.cursor() as cursor:
                    cursor.execute(f'CREATE DATABASE "{database}"')
                created.append("database")
                env_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
                _write_private(env_file, _env_text(environment))
                created.append("env")
                password = secrets.token_urlsafe(12)
                _run(["migrate", "--no-input"], environment)
                _run(
                    ["shell", "-c", _ADMIN.format(username=o["admin"])],
                    environment,
                    stdin=password,
                )
                _write_private(password_file, password + "\n")
            except BaseException:
                _undo(created, prefix, cluster, database, env_file, password_file)
                raise
        finally:
            cluster.close()
        self.stdout.write(
            self.style.SUCCESS(
                f"School {code} provisioned: database {database}, files in "
                f"{school_url}, environment {env_file}, administrator "
                f"{o['admin']} (password in {password_file}: hand it over, then "
                "delete the file)."
            )
        )


# The administrator, created in the school's own process (its settings);
# the password comes on standard input, never on a command line.
_ADMIN = """
import sys
from django.contrib.auth.models import Group
from accounts.models import User
from accounts.roles import Role, sync_role_groups
sync_role_groups()
user = User.objects.create_user(username={username!r}, password=sys.stdin.read())
user.is_staff = True
user.save(update_fields=["is_staff"])
user.groups.add(Group.objects.get(name=Role.ADMINISTRATOR.value))
"""


def _school_storage_url(district_url: str, code: str) -> str:
    parts = urlsplit(district_url)
    if parts.scheme not in ("s3", "file"):
        raise CommandError("--storage-url must be s3://BUCKET/PREFIX or file:///folder")
    path = parts.path.rstrip("/") + "/" + code
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def _database_url(server_url: str, database: str) -> str:
    parts = urlsplit(server_url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise CommandError("the cluster URL must be postgres://USER@HOST:PORT/…")
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", "", ""))


def _connect(cluster_url: str):
    import psycopg2

    parts = urlsplit(cluster_url)
    try:
        connection = psycopg2.connect(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=parts.username or "postgres",
            password=parts.password or None,
            dbname=(parts.path or "/postgres").lstrip("/") or "postgres",
            connect_timeout=10,
        )
    except psycopg2.Error as error:
        raise CommandError(f"the cluster can't be reached: {error}".strip()) from None
    connection.autocommit = True
    return connection


def _database_exists(cluster, database: str) -> bool:
    with cluster.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
        return cursor.fetchone() is not None


def _prefix_store(school_url: str, environment: dict):
    """A storage at the school's prefix root, where MARKER goes."""
    saved = {name: os.environ.get(name) for name in environment}
    os.environ.update(environment)
    try:
        configured = stores.configure(school_url, var_dir=settings.VAR_DIR)
    except env.ConfigError as error:
        raise CommandError(str(error)) from None
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    entry = configured["storages"][stores.STATE]
    options = dict(entry["OPTIONS"])
    if "location" in options:
        options["location"] = options["location"].rsplit("/", 1)[0]
        from school_portal.s3store import PortalS3Storage

        return PortalS3Storage(**options)
    from django.core.files.storage import FileSystemStorage

    return FileSystemStorage(location=urlsplit(school_url).path)


def _holds_anything(store) -> bool:
    try:
        if isinstance(store, stores.FileSystemStorage):
            folder = Path(store.location)
            return folder.exists() and any(folder.iterdir())
        return any(
            True for _ in store.bucket.objects.filter(Prefix=store.location + "/")
        )
    except Exception as error:
        raise CommandError(f"the store can't be read: {error}") from None


def _claim(store, code: str, database: str) -> None:
    marker = {"school": code, "database": database, "at": timezone.now().isoformat()}
    store.save(MARKER, ContentFile(json.dumps(marker).encode()))


def _env_text(environment: dict) -> str:
    return "".join(f"{name}={value}\n" for name, value in sorted(environment.items()))


def _write_private(path: Path, text: str) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)


def _run(arguments: list[str], environment: dict, stdin: str = "") -> None:
    """manage.py in the school's own environment (its own settings)."""
    clean = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "PORTAL_", "DATABASE_", "AWS_"))
    }
    result = subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *arguments],
        env={**clean, **environment},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode:
        problem = (result.stderr or result.stdout).strip().splitlines()[-1:]
        raise CommandError(f"manage.py {arguments[0]} failed: {' '.join(problem)}")


def _undo(created, prefix, cluster, database, env_file, password_file) -> None:
    """Nothing half-made stays: a school is provisioned whole or not at all."""
    if "database" in created:
        with cluster.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    if "prefix" in created:
        for name in _all_names(prefix):
            prefix.delete(name)
    for path in (env_file, password_file):
        path.unlink(missing_ok=True)


def _all_names(store) -> list[str]:
    if isinstance(store, stores.FileSystemStorage):
        folder = Path(store.location)
        return [
            path.relative_to(folder).as_posix()
            for path in folder.rglob("*")
            if path.is_file()
        ]
    start = len(store.location) + 1
    return [
        item.key[start:]
        for item in store.bucket.objects.filter(Prefix=store.location + "/")
    ]
