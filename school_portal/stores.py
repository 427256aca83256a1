"""Where the portal keeps its files: Django storages named after what they hold.

``PORTAL_STORAGE_URL`` chooses the place for all of them at once:

- ``file:///var/lib/portal`` (the default: PORTAL_VAR_DIR): folders under it,
  today's ``var/`` layout, each folder movable by its own PORTAL_*_DIR;
- ``s3://BUCKET/PREFIX?endpoint_url=https://…&region=…``: an S3-compatible
  object store (django-storages, boto3), one key prefix per kind of file
  under PREFIX, with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or their
  ``_FILE`` forms).

The stores hold only what the portal has already encrypted or signed. Every
call that can meet a store that does not answer goes through this module, so
that a store out of reach is one error, ``Unreachable``, and a file the store
lacks is another, ``NotFound``: never a damaged file, never a denied read.
"""

import contextlib
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage, Storage, storages

from school_portal import env

ATTACHMENTS = "attachments"
BACKUPS = "backups"
AUDIT_ARCHIVE = "audit_archive"
# Small files the portal's commands keep between runs (rotate_keys' resume file).
STATE = "state"
# Folder (file store) or key prefix (object store) of each, and the setting
# that moves a file store's folder on its own.
FOLDERS = {
    ATTACHMENTS: ("attachments", "PORTAL_ATTACHMENT_DIR"),
    BACKUPS: ("backups", "PORTAL_BACKUP_DIR"),
    AUDIT_ARCHIVE: ("audit-archive", "PORTAL_AUDIT_ARCHIVE_DIR"),
    STATE: ("state", "PORTAL_STATE_DIR"),
}
# A file store keeps its state files where they always were: in the root.
FILE_FOLDERS = {**{name: folder for name, (folder, _s) in FOLDERS.items()}, STATE: ""}


class NotFound(Exception):
    """The store answered: it has no file of that name."""


class Unreachable(Exception):
    """The store did not answer, or refused to (full, read-only, gone, no
    credentials): nothing can be said about the file."""


# --- configuration -----------------------------------------------------------


def configure(url: str, *, var_dir: Path) -> dict:
    """The STORAGES entries and the PORTAL_*_DIR folders for PORTAL_STORAGE_URL.

    Returns {"storages": {...}, "folders": {setting: Path}}: a file store's
    folders are settings of their own (tests and restores move them); an
    object store has none.
    """
    url = url.strip() or var_dir.absolute().as_uri()
    parts = urlsplit(url)
    if parts.scheme == "file":
        if parts.netloc not in ("", "localhost") or not parts.path.startswith("/"):
            raise env.ConfigError(
                "PORTAL_STORAGE_URL", "must be file:///an/absolute/folder"
            )
        root = Path(parts.path)
        folders = {
            setting: Path(env.text(setting, default=str(root / FILE_FOLDERS[name])))
            for name, (_folder, setting) in FOLDERS.items()
        }
        entries = {
            name: {
                "BACKEND": "school_portal.stores.PortalFileStorage",
                "OPTIONS": {"setting": setting},
            }
            for name, (_folder, setting) in FOLDERS.items()
        }
        if root == var_dir.absolute() and not env.text("PORTAL_STATE_DIR"):
            # The state files stay where they always were: wherever VAR_DIR is.
            entries[STATE]["OPTIONS"]["setting"] = "VAR_DIR"
        return {"storages": entries, "folders": folders}
    if parts.scheme == "s3":
        return {"storages": _s3_entries(parts), "folders": {}}
    raise env.ConfigError(
        "PORTAL_STORAGE_URL", f"must start with file:// or s3://, not {url!r}"
    )


def _s3_entries(parts) -> dict:
    bucket = parts.netloc
    if not bucket:
        raise env.ConfigError(
            "PORTAL_STORAGE_URL", "must name the bucket: s3://BUCKET/PREFIX"
        )
    prefix = parts.path.strip("/")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    unknown = set(query) - {"endpoint_url", "region", "addressing_style"}
    if unknown:
        raise env.ConfigError(
            "PORTAL_STORAGE_URL", f"has unknown options: {', '.join(sorted(unknown))}"
        )
    access_key = env.raw("AWS_ACCESS_KEY_ID")
    secret_key = env.raw("AWS_SECRET_ACCESS_KEY")
    if not access_key or not secret_key:
        raise env.ConfigError(
            "AWS_ACCESS_KEY_ID",
            "and AWS_SECRET_ACCESS_KEY (or their _FILE forms) are required "
            "with an s3:// PORTAL_STORAGE_URL",
        )
    entries = {}
    for name, (folder, _setting) in FOLDERS.items():
        entries[name] = {
            "BACKEND": "school_portal.s3store.PortalS3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "location": f"{prefix}/{folder}" if prefix else folder,
                "endpoint_url": query.get("endpoint_url") or None,
                "region_name": query.get("region") or None,
                "addressing_style": query.get("addressing_style") or None,
                "access_key": access_key,
                "secret_key": secret_key,
                # Files are named at random and never rewritten in place.
                "file_overwrite": False,
                "default_acl": None,
                "querystring_auth": True,
                # The portal encrypts; the store's own encryption is extra.
                "object_parameters": {},
            },
        }
    return entries


class PortalFileStorage(FileSystemStorage):
    """A folder on this machine, read from its setting on every call (so a
    moved folder is followed), written durably: a file is created only if
    absent, private, and on the disk (fsync'd, its folder too) once saved."""

    def __init__(self, *, setting: str, **options):
        self._setting = setting
        options.setdefault("file_permissions_mode", 0o600)
        options.setdefault("directory_permissions_mode", 0o700)
        super().__init__(**options)

    @property
    def base_location(self):
        return os.fspath(getattr(settings, self._setting))

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def folder(self) -> Path:
        return Path(self.location)

    def _save(self, name, content):
        # One exclusive create and an fsync of that same file: never over
        # another file, never a name whose bytes a power cut can take away.
        path = self.path(name)
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                for chunk in content.chunks():
                    handle.write(chunk)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(path)
            raise
        return str(name).replace("\\", "/")


# --- using a store -----------------------------------------------------------


def get(name: str) -> Storage:
    return storages[name]


def is_local(store: Storage) -> bool:
    return isinstance(store, FileSystemStorage)


def folder(name: str) -> Path | None:
    """The folder of a file store; None for an object store."""
    store = get(name)
    return Path(store.location) if is_local(store) else None


def describe(name: str) -> str:
    """Where the store is, for a person reading a red line: a folder, or
    s3://bucket/prefix."""
    store = get(name)
    if is_local(store):
        return store.location
    return f"s3://{store.bucket_name}/{store.location}"


def in_store(store_name: str, text: str) -> str | None:
    """The name in an object store of what describe() + "/NAME" wrote; None
    for a path on this machine."""
    store = get(store_name)
    if is_local(store):
        return None
    prefix = describe(store_name) + "/"
    return text[len(prefix) :] if text.startswith(prefix) else None


@contextlib.contextmanager
def fetched(store_name: str, text: str):
    """A path on this machine for a file named by path, or by its place in an
    object store (downloaded to a private temporary file, removed after)."""
    name = in_store(store_name, text)
    if name is None and not Path(text).exists() and not is_local(get(store_name)):
        name = text if "/" not in text else None
    if name is None:
        yield Path(text)
        return
    with tempfile.TemporaryDirectory(prefix="portal-fetched-") as work:
        path = Path(work) / name.rsplit("/", 1)[-1]
        source = open_file(store_name, name)
        with source, path.open("xb") as target, answering(name):
            for block in iter(lambda: source.read(1024 * 1024), b""):
                target.write(block)
        yield path


def _errors():
    """What a store raises when it can't do what was asked."""
    kinds = [OSError]
    with contextlib.suppress(ImportError):
        from botocore.exceptions import BotoCoreError, ClientError

        kinds += [BotoCoreError, ClientError]
    return tuple(kinds)


def _is_not_found(error: BaseException) -> bool:
    if isinstance(error, FileNotFoundError):
        return True
    response = getattr(error, "response", None)
    if isinstance(response, dict):
        code = str(response.get("Error", {}).get("Code", ""))
        return code in ("404", "NoSuchKey", "NotFound")
    return False


def problem(error: BaseException) -> str:
    """One line for a store's error: strerror for a disk, the code for S3."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    response = getattr(error, "response", None)
    if isinstance(response, dict):
        failed = response.get("Error", {})
        return f"{failed.get('Code', '')} {failed.get('Message', '')}".strip()
    return str(error) or type(error).__name__


@contextlib.contextmanager
def answering(name: str = ""):
    """Turn a store's own errors into NotFound or Unreachable."""
    try:
        yield
    except (NotFound, Unreachable, FileExistsError):
        raise
    except _errors() as error:
        if _is_not_found(error):
            raise NotFound(name) from error
        raise Unreachable(problem(error)) from error


def read(store_name: str, name: str) -> bytes:
    with answering(name), get(store_name).open(name, "rb") as handle:
        return handle.read()


def open_file(store_name: str, name: str):
    """An open binary file to read; NotFound or Unreachable."""
    with answering(name):
        return get(store_name).open(name, "rb")


def write_new(store_name: str, name: str, content) -> None:
    """Save bytes or an open file under exactly this name, which must be free:
    FileExistsError when a file has it. Unreachable when the store fails."""
    store = get(store_name)
    if isinstance(content, bytes | bytearray):
        content = ContentFile(bytes(content))
    elif not isinstance(content, File):
        content = File(content)
    with answering(name):
        if store.exists(name):
            raise FileExistsError(name)
        saved = store.save(name, content)
    if saved != name:
        # A file appeared under the name between the check and the save.
        with contextlib.suppress(*_errors()):
            store.delete(saved)
        raise FileExistsError(name)


def overwrite(store_name: str, name: str, path: Path) -> None:
    """Put a new version of an object-store file over the old one in one PUT
    (an object store replaces an object whole; a file store never needs it)."""
    store = get(store_name)
    if is_local(store):
        raise ValueError("overwrite is for an object store")
    with answering(name), path.open("rb") as content:
        store._save(name, File(content))


def put(store_name: str, name: str, data: bytes) -> None:
    """Write a small file, replacing the one of that name at once: a file
    store through a new file moved over it, an object store in one PUT."""
    store = get(store_name)
    with answering(name):
        if not is_local(store):
            store._save(name, ContentFile(data))
            return
        path = Path(store.path(name))
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.", dir=path.parent
        )
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise


def delete(store_name: str, name: str) -> None:
    """Remove a file; one that is already gone is fine."""
    with answering(name):
        get(store_name).delete(name)


def exists(store_name: str, name: str) -> bool:
    with answering(name):
        return get(store_name).exists(name)


def size(store_name: str, name: str) -> int:
    with answering(name):
        return get(store_name).size(name)


def listing(store_name: str) -> dict[str, float]:
    """Every file in the store: its name (with folders, "/"-separated) and
    modification time (seconds since the epoch)."""
    store = get(store_name)
    found = {}
    with answering():
        if is_local(store):
            root = Path(store.location)
            if not root.is_dir():
                return found
            for folder, _dirs, files in os.walk(root):
                for file_name in files:
                    path = Path(folder) / file_name
                    with contextlib.suppress(FileNotFoundError):
                        found[path.relative_to(root).as_posix()] = path.stat().st_mtime
            return found
        prefix = store.location.rstrip("/") + "/" if store.location else ""
        for item in store.bucket.objects.filter(Prefix=prefix):
            modified = item.last_modified
            if modified.tzinfo is None:
                modified = modified.replace(tzinfo=UTC)
            found[item.key[len(prefix) :]] = modified.timestamp()
    return found


def probe(store_name: str) -> None:
    """Write, read back and remove a small file; Unreachable says why not."""
    name = f".probe/{os.getpid()}-{os.urandom(4).hex()}"
    with answering(name):
        store = get(store_name)
        saved = store.save(name, ContentFile(b"probe"))
        try:
            with store.open(saved, "rb") as handle:
                if handle.read() != b"probe":
                    raise Unreachable("the probe file read back differs")
        finally:
            store.delete(saved)


@dataclass(frozen=True)
class Source:
    """A file to read: a name in one of the stores, or a path on this machine
    (an export written elsewhere, an archive named on the command line)."""

    name: str
    store: str = ""
    path: Path | None = None

    @property
    def basename(self) -> str:
        return self.name.rsplit("/", 1)[-1]

    def open(self):
        """An open binary file; NotFound or Unreachable."""
        if self.path is not None:
            with answering(self.name):
                return self.path.open("rb")
        return open_file(self.store, self.name)

    def size(self) -> int:
        if self.path is not None:
            with answering(self.name):
                return self.path.stat().st_size
        return size(self.store, self.name)

    def exists(self) -> bool:
        if self.path is not None:
            return self.path.is_file()
        return exists(self.store, self.name)

    def __str__(self) -> str:
        if self.path is not None:
            return str(self.path)
        return f"{describe(self.store)}/{self.name}"
