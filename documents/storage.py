"""Attachment files: checked, encrypted at rest, stored outside the web root.

Envelope encryption: every file gets its own random AES-256-GCM data key; the
data key is encrypted ("wrapped") with the master key (a MultiFernet of
settings.PORTAL_ENCRYPTION_KEYS: the first encrypts, all decrypt) and kept in
the database row. Emptying the wrapped key crypto-shreds that one file.

A stored file is MAGIC + 12-byte nonce + AES-GCM ciphertext; the stored name
is authenticated with the ciphertext, so files can't be swapped on disk. The
SHA-256 of the plaintext is checked on every read.
"""

import hashlib
import io
import os
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.utils.translation import gettext_lazy as _

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
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
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


def _path(stored_name: str) -> Path:
    return Path(settings.PORTAL_ATTACHMENT_DIR) / stored_name[:2] / stored_name


@dataclass(frozen=True)
class Stored:
    stored_name: str
    wrapped_key: str
    sha256: str
    size: int


def store(data: bytes) -> Stored:
    """Encrypt and write the bytes under a random name; nothing else is stored."""
    stored_name = secrets.token_hex(16)
    data_key = AESGCM.generate_key(bit_length=256)
    nonce = os.urandom(NONCE_BYTES)
    ciphertext = AESGCM(data_key).encrypt(nonce, data, stored_name.encode())
    path = _path(stored_name)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(MAGIC + nonce + ciphertext)
    return Stored(
        stored_name=stored_name,
        wrapped_key=_master().encrypt(data_key).decode(),
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
    )


def remove(stored_name: str) -> None:
    _path(stored_name).unlink(missing_ok=True)


def read(*, stored_name: str, wrapped_key: str, sha256: str) -> bytes:
    """The plaintext, after checking the authentication tag and the SHA-256."""
    if not wrapped_key:
        raise Shredded(stored_name)
    try:
        data_key = _master().decrypt(wrapped_key.encode())
        raw = _path(stored_name).read_bytes()
    except (InvalidToken, OSError) as error:
        raise Damaged(stored_name) from error
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
