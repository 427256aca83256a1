"""Attachment files: checked, encrypted at rest, stored outside the web root.

check_content() judges an upload by its bytes, never by its name: the type
(sniff), then what the content would do to whoever opens it (PDFs:
documents.pdf_safety; office files: school_portal.office_files; images: nothing
hidden in them).

Envelope encryption: every file gets its own random AES-256-GCM data key; the
data key is encrypted ("wrapped") with the master key (a MultiFernet of
settings.PORTAL_ENCRYPTION_KEYS: the first encrypts, all decrypt) and kept in
the database row. Emptying the wrapped key crypto-shreds that one file.

A stored file is MAGIC + 12-byte nonce + AES-GCM ciphertext; the stored name
is authenticated with the ciphertext, so files can't be swapped on disk. The
SHA-256 of the plaintext is checked on every read.

Files and transactions agree: a service that writes files is wrapped in
``removed_unless_committed``, so a file written for a transaction that does not
commit is removed at once; what a killed worker leaves behind is found by
``orphans()`` (``healthcheck`` reports them, ``manage.py remove_orphan_files``
removes them). A file the database lists but the disk lacks is ``Missing``:
the store lost it, nobody altered it.
"""

import contextlib
import contextvars
import functools
import hashlib
import io
import os
import secrets
import time
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from documents import pdf_safety
from school_portal import office_files, stores

MAGIC = b"SPA1"
NONCE_BYTES = 12
ZIP_MARKERS = {
    # inner file that makes a zip an office document: (type, extension)
    "word/document.xml": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    "xl/workbook.xml": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
    "ppt/presentation.xml": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pptx",
    ),
}
OPENDOCUMENT = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
    b"application/vnd.oasis.opendocument.presentation": "odp",
}
OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class FileRefused(ValueError):
    """The upload can't be accepted; the message says why, for the person."""


class Damaged(Exception):
    """A stored file fails its checksum or its authentication: it was changed."""


class Shredded(Exception):
    """The file's key was destroyed: its content can never be read again."""


class Missing(Exception):
    """The database lists the file and the store does not have it."""


class KeyNotConfigured(Exception):
    """No key of PORTAL_ENCRYPTION_KEYS opens the file's wrapped key."""


class Unavailable(Exception):
    """The file store can't be written or read (full, read-only, gone)."""


@dataclass(frozen=True)
class Kind:
    content_type: str
    extension: str


def sniff(head: bytes, data: bytes, *, name: str) -> Kind:
    """The file's type from its content. The name only tells .doc from .xls,
    which share the legacy OLE container."""
    if head.startswith(b"%PDF-"):
        return Kind("application/pdf", "pdf")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Kind("image/png", "png")
    if head.startswith(b"\xff\xd8\xff"):
        return Kind("image/jpeg", "jpg")
    if head.startswith(OLE_HEADER):
        if name.lower().endswith(".xls"):
            return Kind("application/vnd.ms-excel", "xls")
        return Kind("application/msword", "doc")
    if head.startswith(b"PK\x03\x04"):
        kind = _office_zip(data)
        if kind is not None:
            return kind
    raise FileRefused(
        _(
            "This type of file is not accepted. Attach a PDF, a PNG or JPEG "
            "image, or an office document (Word, Excel, OpenDocument)."
        )
    )


def _office_zip(data: bytes) -> Kind | None:
    try:
        # The directory's size is bounded before it is read.
        archive = office_files.open_zip(data)
    except office_files.Refused as error:
        raise FileRefused(str(error)) from None
    if archive is None:
        return None
    try:
        with archive:
            names = set(archive.namelist())
            for marker, (content_type, extension) in ZIP_MARKERS.items():
                if marker in names:
                    return Kind(content_type, extension)
            if "mimetype" in names:
                # Read a few bytes only: a hostile entry may inflate to gigabytes.
                with archive.open("mimetype") as entry:
                    mimetype = entry.read(100).strip()
                if mimetype in OPENDOCUMENT:
                    return Kind(mimetype.decode(), OPENDOCUMENT[mimetype])
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    return None


IMAGE_POLYGLOT = _(
    "This image has something else hidden in it (a web page or an archive). "
    "Save it again in an image program, or scan the page again, and attach "
    "the new file."
)


def check_content(data: bytes, *, name: str) -> Kind:
    """The upload's type by its content (sniff), and the content checked for
    what would hurt whoever opens it; FileRefused says what is wrong."""
    kind = sniff(data[:16], data, name=name)
    try:
        if kind.extension == "pdf":
            pdf_safety.check(data)
        elif kind.extension in ("doc", "xls"):
            office_files.check_legacy(data)
        elif kind.extension in ("png", "jpg"):
            _check_image(data)
        else:
            office_files.check(data)
    except (pdf_safety.Refused, office_files.Refused) as error:
        raise FileRefused(str(error)) from None
    return kind


def _check_image(data: bytes) -> None:
    """An image that is also a web page or an archive (a polyglot) is refused:
    a browser or an unzipper that is handed it runs the other half."""
    if pdf_safety.HTML.search(data) or zipfile.is_zipfile(io.BytesIO(data)):
        raise FileRefused(IMAGE_POLYGLOT)


def clean_name(name: str, *, extension: str) -> str:
    """A safe display name with the extension of the detected type.

    A name that carries a folder (``../../x``, ``C:\\x``) or control characters
    was not made by a browser: it is refused, not repaired.
    """
    name = unicodedata.normalize("NFC", name or "")
    if "/" in name or "\\" in name or ".." in name or name.startswith("."):
        raise FileRefused(
            _("The file name must not contain folders or dots at the start.")
        )
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise FileRefused(_("The file name contains control characters."))
    stem = name.rsplit(".", 1)[0].strip() if "." in name else name.strip()
    stem = stem[:150] or "file"
    return f"{stem}.{extension}"


def _master() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in settings.PORTAL_ENCRYPTION_KEYS])


def root() -> Path | None:
    """The attachment folder of a file store; None for an object store."""
    store = stores.get(stores.ATTACHMENTS)
    return Path(store.location) if stores.is_local(store) else None


def name_in_store(stored_name: str) -> str:
    """Its name in the store: under a folder of its first two characters."""
    return f"{stored_name[:2]}/{stored_name}"


def _path(stored_name: str) -> Path:
    """Where a file store keeps it (a file store only)."""
    return root() / stored_name[:2] / stored_name


@dataclass(frozen=True)
class Stored:
    stored_name: str
    wrapped_key: str
    sha256: str
    size: int


# The files written inside the innermost removed_unless_committed block.
_written: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "attachment_files_written", default=None
)


def removed_unless_committed(service):
    """Decorate a service (outside its @transaction.atomic): when it fails,
    commit included, every file it wrote is removed again."""

    @functools.wraps(service)
    def wrapper(*args, **kwargs):
        written: list[str] = []
        token = _written.set(written)
        try:
            return service(*args, **kwargs)
        except BaseException:
            for stored_name in written:
                remove(stored_name)
            raise
        finally:
            _written.reset(token)

    return wrapper


def store(data: bytes) -> Stored:
    """Encrypt and write the bytes under a random name; nothing else is stored.

    The file is in the store (on a disk: fsync'd) before the caller's
    transaction commits, so a committed row never points to a file that a
    power cut took away.
    """
    stored_name = secrets.token_hex(16)
    data_key = AESGCM.generate_key(bit_length=256)
    nonce = os.urandom(NONCE_BYTES)
    ciphertext = AESGCM(data_key).encrypt(nonce, data, stored_name.encode())
    written = _written.get()
    if written is not None:
        written.append(stored_name)
    try:
        stores.write_new(
            stores.ATTACHMENTS, name_in_store(stored_name), MAGIC + nonce + ciphertext
        )
    except (stores.Unreachable, FileExistsError) as error:
        remove(stored_name)
        raise Unavailable(str(error)) from error
    return Stored(
        stored_name=stored_name,
        wrapped_key=_master().encrypt(data_key).decode(),
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
    )


def remove(stored_name: str) -> None:
    # If it can't be removed now, it is an orphan: orphans() finds it later.
    with contextlib.suppress(stores.Unreachable, stores.NotFound):
        stores.delete(stores.ATTACHMENTS, name_in_store(stored_name))


def exists(stored_name: str) -> bool:
    """Whether the store has the file; Unavailable when it does not answer."""
    try:
        return stores.exists(stores.ATTACHMENTS, name_in_store(stored_name))
    except stores.Unreachable as error:
        raise Unavailable(str(error)) from error


def read(*, stored_name: str, wrapped_key: str, sha256: str) -> bytes:
    """The plaintext, after checking the authentication tag and the SHA-256."""
    if not wrapped_key:
        raise Shredded(stored_name)
    try:
        data_key = _master().decrypt(wrapped_key.encode())
    except InvalidToken as error:
        raise KeyNotConfigured(stored_name) from error
    try:
        raw = stores.read(stores.ATTACHMENTS, name_in_store(stored_name))
    except stores.NotFound as error:
        raise Missing(stored_name) from error
    except stores.Unreachable as error:
        raise Unavailable(str(error)) from error
    if not raw.startswith(MAGIC):
        raise Damaged(stored_name)
    nonce = raw[len(MAGIC) : len(MAGIC) + NONCE_BYTES]
    ciphertext = raw[len(MAGIC) + NONCE_BYTES :]
    try:
        data = AESGCM(data_key).decrypt(nonce, ciphertext, stored_name.encode())
    except InvalidTag as error:
        raise Damaged(stored_name) from error
    if hashlib.sha256(data).hexdigest() != sha256:
        raise Damaged(stored_name)
    return data


# Files and rows: what the store holds that no row names, and the reverse.

# A file younger than this may belong to a transaction still running.
ORPHAN_GRACE_SECONDS = 3600
# Where /health/ready/ writes its probe: not a stored file, never backed up.
PROBE_FOLDER = ".probe"


def stored_names_on_disk() -> dict[str, float]:
    """Every stored file's name and modification time (Unavailable when the
    store does not answer)."""
    try:
        listed = stores.listing(stores.ATTACHMENTS)
    except stores.Unreachable as error:
        raise Unavailable(str(error)) from error
    found = {}
    for name, mtime in listed.items():
        folder, _slash, stored_name = name.partition("/")
        if len(folder) == 2 and stored_name and "/" not in stored_name:
            found[stored_name] = mtime
    return found


def orphans(*, known: set[str]) -> list[str]:
    """Files older than the grace period whose name no row knows (``known``)."""
    cutoff = time.time() - ORPHAN_GRACE_SECONDS
    return sorted(
        name
        for name, mtime in stored_names_on_disk().items()
        if name not in known and mtime < cutoff
    )
