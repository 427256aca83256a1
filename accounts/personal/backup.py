"""Encrypted backups (regulation 5.1: protection from loss).

An archive is a gzipped tar (manifest.json, the database, the attachments),
encrypted in 1 MiB chunks with AES-256-GCM under a key derived (HKDF-SHA256)
from the first of PORTAL_ENCRYPTION_KEYS. Each chunk's nonce and additional
data carry its number and whether it is the last, so an altered, reordered or
cut archive fails authentication. ``restore`` authenticates everything before
it touches the database or the files.

File layout: MAGIC, key id (8 bytes), salt (16), nonce prefix (8); then per
chunk its length (4 bytes, big-endian) and its ciphertext with the GCM tag.
"""

import base64
import hashlib
import hmac
import io
import json
import os
import shutil
import sqlite3
import struct
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils import timezone

MAGIC = b"SCHOOL-PORTAL-BACKUP-1\n"
CHUNK = 1024 * 1024
HEADER_LENGTH = len(MAGIC) + 8 + 16 + 8


class BackupError(Exception):
    """The archive can't be used; nothing was changed."""


def attachment_dir() -> Path:
    return Path(
        getattr(settings, "PORTAL_ATTACHMENT_DIR", settings.VAR_DIR / "attachments")
    )


def _raw_key(fernet_key: str) -> bytes:
    return base64.urlsafe_b64decode(fernet_key.encode("ascii"))


def _key_id(raw: bytes) -> bytes:
    return hmac.new(raw, b"school-portal backup key id", hashlib.sha256).digest()[:8]


def _derive(raw: bytes, salt: bytes) -> AESGCM:
    key = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=salt,
        info=b"school-portal backup v1",
    ).derive(raw)
    return AESGCM(key)


def _aad(header: bytes, number: int, last: bool) -> bytes:
    return header + struct.pack(">I?", number, last)


def encrypt_file(source: Path, target) -> None:
    """Encrypt the file at source into the open binary file target."""
    raw = _raw_key(settings.PORTAL_ENCRYPTION_KEYS[0])
    salt, prefix = os.urandom(16), os.urandom(8)
    header = MAGIC + _key_id(raw) + salt + prefix
    cipher = _derive(raw, salt)
    target.write(header)
    with source.open("rb") as plain:
        chunk = plain.read(CHUNK)
        number = 0
        while True:
            following = plain.read(CHUNK)
            last = not following
            nonce = prefix + struct.pack(">I", number)
            sealed = cipher.encrypt(nonce, chunk, _aad(header, number, last))
            target.write(struct.pack(">I", len(sealed)) + sealed)
            if last:
                return
            chunk, number = following, number + 1


def decrypt_file(source: Path, target) -> None:
    """Authenticate and decrypt source into target; BackupError on any doubt."""
    with source.open("rb") as sealed_file:
        header = sealed_file.read(HEADER_LENGTH)
        if len(header) != HEADER_LENGTH or not header.startswith(MAGIC):
            raise BackupError("this is not a School Portal backup archive")
        key_id = header[len(MAGIC) : len(MAGIC) + 8]
        salt = header[len(MAGIC) + 8 : len(MAGIC) + 24]
        prefix = header[len(MAGIC) + 24 :]
        raws = [_raw_key(key) for key in settings.PORTAL_ENCRYPTION_KEYS]
        raw = next(
            (raw for raw in raws if hmac.compare_digest(_key_id(raw), key_id)), None
        )
        if raw is None:
            raise BackupError(
                "the archive was made with another key: none of "
                "PORTAL_ENCRYPTION_KEYS opens it"
            )
        cipher = _derive(raw, salt)
        number = 0
        while True:
            length_bytes = sealed_file.read(4)
            if len(length_bytes) != 4:
                raise BackupError("the archive is cut short or altered")
            (length,) = struct.unpack(">I", length_bytes)
            sealed = sealed_file.read(length)
            if len(sealed) != length:
                raise BackupError("the archive is cut short or altered")
            nonce = prefix + struct.pack(">I", number)
            last = sealed_file.peek(1) == b"" if hasattr(sealed_file, "peek") else None
            try:
                plain = cipher.decrypt(nonce, sealed, _aad(header, number, last))
            except InvalidTag:
                raise BackupError("the archive was altered or is damaged") from None
            target.write(plain)
            if last:
                return
            number += 1


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def row_counts() -> dict[str, int]:
    tables = set(connection.introspection.table_names())
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if table in tables and table not in counts and not model._meta.proxy:
            counts[table] = model._base_manager.using("default").count()
    return dict(sorted(counts.items()))


def _dump_database(folder: Path) -> str:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(folder / "database.sqlite3")
        with copy:
            connection.connection.backup(copy)
        copy.close()
        return "database.sqlite3"
    if connection.vendor == "postgresql":
        _pg(
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--file={folder / 'database.pgdump'}",
        )
        return "database.pgdump"
    raise BackupError(f"backups of {connection.vendor} databases are not supported")


def _pg(program: str, *args: str) -> None:
    params = connection.settings_dict
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
        raise BackupError(f"{program} failed: {result.stderr.strip()}")


@dataclass(frozen=True)
class Written:
    path: Path
    size: int
    sha256: str
    counts: dict[str, int]
    files: int


def write_backup(output: Path) -> Written:
    """Write the encrypted archive to output (through a temporary file beside it)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="portal-backup-") as work:
        folder = Path(work)
        database = _dump_database(folder)
        files = {}
        source = attachment_dir()
        if source.is_dir():
            for path in sorted(source.rglob("*")):
                if path.is_file():
                    files[path.relative_to(source).as_posix()] = _sha256(path)
        manifest = {
            "format": 1,
            "created_at": timezone.now().isoformat(),
            "vendor": connection.vendor,
            "database": database,
            "counts": row_counts(),
            "files": files,
        }
        plain = folder / "archive.tar.gz"
        with tarfile.open(plain, "w:gz") as tar:
            data = json.dumps(manifest, indent=2).encode("utf-8")
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            tar.add(folder / database, arcname=database)
            for name in files:
                tar.add(source / name, arcname=f"attachments/{name}")
        partial = output.with_name(output.name + ".partial")
        with partial.open("wb") as target:
            encrypt_file(plain, target)
        partial.replace(output)
    return Written(
        path=output,
        size=output.stat().st_size,
        sha256=_sha256(output),
        counts=manifest["counts"],
        files=len(files),
    )


def installation_has_data() -> bool:
    tables = set(connection.introspection.table_names())
    from accounts.models import User
    from audit.models import AuditEvent

    return any(
        model._meta.db_table in tables and model._base_manager.exists()
        for model in (User, AuditEvent)
    )


def restore_backup(archive: Path) -> dict:
    """Bring an archive back into an empty installation. Checks everything first."""
    if not archive.is_file():
        raise BackupError(f"{archive} is not a file")
    with tempfile.TemporaryDirectory(prefix="portal-restore-") as work:
        folder = Path(work)
        plain = folder / "archive.tar.gz"
        with plain.open("wb") as target:
            decrypt_file(archive, target)
        unpacked = folder / "unpacked"
        with tarfile.open(plain, "r:gz") as tar:
            tar.extractall(unpacked, filter="data")
        manifest = json.loads((unpacked / "manifest.json").read_text("utf-8"))
        if manifest["vendor"] != connection.vendor:
            raise BackupError(
                f"the archive holds a {manifest['vendor']} database; "
                f"this installation uses {connection.vendor}"
            )
        for name, digest in manifest["files"].items():
            if _sha256(unpacked / "attachments" / name) != digest:
                raise BackupError(f"the attachment {name} does not match its checksum")
        if installation_has_data():
            raise BackupError(
                "the database already has data: restore only into an empty installation"
            )
        target_dir = attachment_dir()
        if target_dir.is_dir() and any(target_dir.iterdir()):
            raise BackupError(f"{target_dir} is not empty")
        _load_database(unpacked / manifest["database"])
        if manifest["files"]:
            shutil.copytree(unpacked / "attachments", target_dir, dirs_exist_ok=True)
    counts = row_counts()
    differ = {
        table: (count, counts.get(table))
        for table, count in manifest["counts"].items()
        if counts.get(table) != count
    }
    if differ:
        raise BackupError(f"row counts differ after the restore: {differ}")
    return manifest


def _load_database(path: Path) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(path)
        source.backup(connection.connection)
        source.close()
    else:
        _pg(
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            str(path),
        )
