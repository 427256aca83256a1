"""The sealed stream: an archive's plaintext in AES-256-GCM chunks of 1 MiB.

Format 2, written now::

    MAGIC_V2 · archive id (16 bytes) · nonce prefix (8) · token length (2) · token
    then per chunk: its length (4 bytes, big-endian) · ciphertext with GCM tag

The token is the archive's own random data key, wrapped (Fernet) under
PORTAL_ENCRYPTION_KEYS. Each chunk's additional data is MAGIC_V2, the id, the
prefix, the chunk's number and whether it is the last; the token is left out
of it, so after a key rotation ``rewrap_archive`` re-wraps the data key under
the new first key by rewriting the header alone, while an altered, reordered,
cut or swapped chunk still fails to open.

Format 1 (still restored; ``rewrap_archive`` converts it): MAGIC_V1 · key id
(8) · salt (16) · nonce prefix (8), the chunk key derived with HKDF from the
Fernet key itself, the whole header in every chunk's additional data.
"""

import base64
import hashlib
import hmac
import io
import json
import os
import shutil
import struct
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from accounts import fields
from school_portal import stores

from .base import (
    CHUNK,
    MANIFEST,
    BackupError,
    ForeignArchive,
    backup_dir,
    describe,
    sha256_of,
    sync_folder,
)

MAGIC_V1 = b"SCHOOL-PORTAL-BACKUP-1\n"
MAGIC_V2 = b"SCHOOL-PORTAL-BACKUP-2\n"
V1_HEADER_LENGTH = len(MAGIC_V1) + 8 + 16 + 8


@dataclass(frozen=True)
class _Seal:
    """How the chunks of one archive are sealed."""

    version: int
    aead: AESGCM
    aad_base: bytes
    prefix: bytes
    # Format 2 only: the id and the wrapped data key.
    archive_id: bytes = b""
    token: str = ""

    def aad(self, number: int, last: bool) -> bytes:
        return self.aad_base + struct.pack(">I?", number, last)

    def nonce(self, number: int) -> bytes:
        return self.prefix + struct.pack(">I", number)


def new_seal() -> _Seal:
    data_key = AESGCM.generate_key(bit_length=256)
    archive_id, prefix = os.urandom(16), os.urandom(8)
    return _Seal(
        version=2,
        aead=AESGCM(data_key),
        aad_base=MAGIC_V2 + archive_id + prefix,
        prefix=prefix,
        archive_id=archive_id,
        token=fields.encrypt(base64.b64encode(data_key).decode("ascii")),
    )


def _v2_header(seal: _Seal) -> bytes:
    token = seal.token.encode("ascii")
    return seal.aad_base + struct.pack(">H", len(token)) + token


def _unwrap(token: str) -> bytes:
    try:
        return base64.b64decode(fields.decrypt(token), validate=True)
    except (fields.DecryptionError, ValueError):
        raise _another_key() from None


def _another_key() -> ForeignArchive:
    return ForeignArchive(
        "the archive was made with another key: none of PORTAL_ENCRYPTION_KEYS opens it"
    )


def _v1_key_id(raw: bytes) -> bytes:
    return hmac.new(raw, b"school-portal backup key id", hashlib.sha256).digest()[:8]


def v1_cipher(raw: bytes, salt: bytes) -> AESGCM:
    key = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=salt,
        info=b"school-portal backup v1",
    ).derive(raw)
    return AESGCM(key)


def _read_seal(sealed_file) -> _Seal:
    """Read the header of an open archive and find the key that opens it."""
    magic = sealed_file.read(len(MAGIC_V2))
    if magic == MAGIC_V2:
        rest = sealed_file.read(16 + 8 + 2)
        if len(rest) != 26:
            raise BackupError("the archive is cut short or altered")
        archive_id, prefix = rest[:16], rest[16:24]
        (length,) = struct.unpack(">H", rest[24:])
        token = sealed_file.read(length)
        if len(token) != length:
            raise BackupError("the archive is cut short or altered")
        try:
            token = token.decode("ascii")
        except UnicodeDecodeError:
            raise BackupError("the archive's header is altered") from None
        return _Seal(
            version=2,
            aead=AESGCM(_unwrap(token)),
            aad_base=MAGIC_V2 + archive_id + prefix,
            prefix=prefix,
            archive_id=archive_id,
            token=token,
        )
    header = magic + sealed_file.read(V1_HEADER_LENGTH - len(magic))
    if len(header) == V1_HEADER_LENGTH and header.startswith(MAGIC_V1):
        key_id = header[len(MAGIC_V1) : len(MAGIC_V1) + 8]
        salt = header[len(MAGIC_V1) + 8 : len(MAGIC_V1) + 24]
        for key in settings.PORTAL_ENCRYPTION_KEYS:
            raw = base64.urlsafe_b64decode(key.encode("ascii"))
            if hmac.compare_digest(_v1_key_id(raw), key_id):
                return _Seal(
                    version=1,
                    aead=v1_cipher(raw, salt),
                    aad_base=header,
                    prefix=header[len(MAGIC_V1) + 24 :],
                )
        raise _another_key()
    raise ForeignArchive("this is not a School Portal backup archive")


def _open_chunks(sealed_file, seal: _Seal) -> Iterator[tuple[bytes, bool]]:
    """(plaintext, is it the last) for every chunk after the header, each
    authenticated; BackupError on any doubt."""
    size = os.fstat(sealed_file.fileno()).st_size
    number = 0
    while True:
        length_bytes = sealed_file.read(4)
        if len(length_bytes) != 4:
            raise BackupError("the archive is cut short or altered")
        (length,) = struct.unpack(">I", length_bytes)
        sealed = sealed_file.read(length)
        if len(sealed) != length:
            raise BackupError("the archive is cut short or altered")
        last = sealed_file.tell() == size
        try:
            plain = seal.aead.decrypt(
                seal.nonce(number), sealed, seal.aad(number, last)
            )
        except InvalidTag:
            raise BackupError("the archive was altered or is damaged") from None
        yield plain, last
        if last:
            return
        number += 1


class Plaintext(io.RawIOBase):
    """The archive's plaintext as a readable file, authenticated chunk by chunk."""

    def __init__(self, chunks: Iterator[tuple[bytes, bool]]):
        super().__init__()
        self._chunks = chunks
        self._chunk, self._offset = b"", 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while self._offset >= len(self._chunk):
            following = next(self._chunks, None)
            if following is None:
                return 0
            self._chunk, self._offset = following[0], 0
        count = min(len(buffer), len(self._chunk) - self._offset)
        buffer[:count] = self._chunk[self._offset : self._offset + count]
        self._offset += count
        return count

    def drain(self) -> None:
        """Read (and so authenticate) whatever the tar reader left unread."""
        for _chunk in self._chunks:
            pass


@contextmanager
def plaintext(archive: Path) -> Iterator[Plaintext]:
    try:
        sealed_file = archive.open("rb")
    except OSError as error:
        raise BackupError(f"cannot read {archive}: {error.strerror}") from None
    with sealed_file:
        seal = _read_seal(sealed_file)
        yield Plaintext(_open_chunks(sealed_file, seal))


class Sealing:
    """A write-only file: plaintext in, sealed format-2 chunks out."""

    def __init__(self, target, seal: _Seal):
        self._target, self._seal = target, seal
        self._buffer = bytearray()
        self._number = 0
        target.write(_v2_header(seal))

    def write(self, data) -> int:
        self._buffer += data
        # One chunk is always held back: only at the end is it known to be last.
        while len(self._buffer) > CHUNK:
            self._put(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def finish(self) -> None:
        self._put(bytes(self._buffer), last=True)
        self._buffer.clear()

    def _put(self, plain: bytes, *, last: bool) -> None:
        seal, number = self._seal, self._number
        sealed = seal.aead.encrypt(seal.nonce(number), plain, seal.aad(number, last))
        self._target.write(struct.pack(">I", len(sealed)) + sealed)
        self._number += 1


def decrypt_file(source: Path, target) -> None:
    """Authenticate and decrypt source into the open binary file target."""
    with plaintext(Path(source)) as plain:
        shutil.copyfileobj(plain, target, CHUNK)


def keys_to_carry(manifest: dict | None = None) -> list[str]:
    """What the manifest keeps of PORTAL_ENCRYPTION_KEYS: the configured keys,
    then any older ones the archive already carried (its data needs them)."""
    carried = [*settings.PORTAL_ENCRYPTION_KEYS]
    for key in (manifest or {}).get("encryption_keys", []):
        if key not in carried:
            carried.append(key)
    return carried


# --- re-wrapping after a key rotation ----------------------------------------


def rewrap_archive(path: Path) -> bool:
    """Re-wrap the archive's data key under the first of PORTAL_ENCRYPTION_KEYS.

    Format 2: only the header changes. Format 1 is converted to format 2, chunk
    by chunk (each authenticated on the way). The new file replaces the old
    one atomically. False when the archive was already under the first key.
    """
    path = Path(path)
    with path.open("rb") as source:
        seal = _read_seal(source)
        if seal.version == 2:
            if fields.made_with_first_key(seal.token):
                return False
            header = _v2_header(
                _Seal(
                    version=2,
                    aead=seal.aead,
                    aad_base=seal.aad_base,
                    prefix=seal.prefix,
                    token=fields.reencrypt(seal.token),
                )
            )

            def write(target):
                target.write(header)
                shutil.copyfileobj(source, target, CHUNK)

        else:

            def write(target):
                _convert_v1(Plaintext(_open_chunks(source, seal)), target)

        _replace(path, write)
    return True


def _convert_v1(plain: Plaintext, target) -> None:
    """Copy a format-1 archive's content into a format-2 archive, the manifest
    given the keys configured now (mid-rotation: the old ones too)."""
    sealing = Sealing(target, new_seal())
    try:
        with (
            tarfile.open(fileobj=plain, mode="r|gz") as old,
            tarfile.open(fileobj=sealing, mode="w|gz") as new,
        ):
            for member in old:
                content = old.extractfile(member) if member.isfile() else None
                if member.name == MANIFEST:
                    manifest = json.loads(content.read())
                    manifest["encryption_keys"] = keys_to_carry(manifest)
                    data = json.dumps(manifest, indent=2).encode("utf-8")
                    member.size, content = len(data), io.BytesIO(data)
                new.addfile(member, content)
        plain.drain()
    except (tarfile.TarError, EOFError, zlib.error, ValueError) as error:
        raise BackupError(f"the archive's contents are damaged: {error}") from None
    sealing.finish()


def rewrap_archives() -> int:
    """Re-wrap every archive on this server under the first key.

    ``rotate_keys`` calls this, so that every archive here opens with the new
    key alone. "Every archive": the file of each good BackupRun still at its
    path, and each ``*.backup`` file directly in PORTAL_BACKUP_DIR that the
    configured keys open (one that no key opens is not this server's to
    re-wrap), each file once. A run's size and SHA-256 follow its file. Returns
    how many were re-wrapped. An archive of a run that fails is named in the
    BackupError raised after all the others are done.
    """
    from accounts.models import BackupRun

    # Each file once, by where it really is; named as its run names it.
    runs: dict[Path, list] = {}
    named: dict[Path, Path] = {}
    for run in BackupRun.objects.filter(ok=True).exclude(file_name="").order_by("at"):
        path = Path(run.file_name)
        if path.is_file():
            runs.setdefault(path.resolve(), []).append(run)
            named.setdefault(path.resolve(), path)
    folder = backup_dir()
    if folder is not None and folder.is_dir():
        for path in sorted(folder.glob("*.backup")):
            if path.is_file() and not path.name.startswith("."):
                named.setdefault(path.resolve(), path)

    changed, failed = 0, []
    for path, name in named.items():
        try:
            if not rewrap_archive(path):
                continue
        except (BackupError, OSError) as error:
            if path in runs or not isinstance(error, ForeignArchive):
                failed.append(f"{name} ({describe(error)})")
            continue
        changed += 1
        if path in runs:
            size, sha256 = path.stat().st_size, sha256_of(path)
            for run in runs[path]:
                run.size, run.sha256 = size, sha256
                run.save(update_fields=["size", "sha256"])
    if folder is None:
        stored_changed, stored_failed = _rewrap_archives_in_store()
        changed += stored_changed
        failed += stored_failed
    if failed:
        raise BackupError(
            f"{len(failed)} archive(s) could not be re-wrapped: " + "; ".join(failed)
        )
    return changed


def _rewrap_archives_in_store() -> tuple[int, list[str]]:
    """The same for each ``*.backup`` in the object store: fetched, re-wrapped
    here, and put back over itself (one PUT: the old object stays whole
    until the new one is there)."""
    from accounts.models import BackupRun

    changed, failed = 0, []
    try:
        names = sorted(
            name
            for name in stores.listing(stores.BACKUPS)
            if name.endswith(".backup") and "/" not in name
        )
    except stores.Unreachable as error:
        return 0, [f"the backup store ({error})"]
    for name in names:
        text = str(stores.Source(name=name, store=stores.BACKUPS))
        runs = BackupRun.objects.filter(ok=True, file_name=text)
        try:
            with stores.fetched(stores.BACKUPS, text) as local:
                if not rewrap_archive(local):
                    continue
                stores.overwrite(stores.BACKUPS, name, local)
                size, sha256 = local.stat().st_size, sha256_of(local)
        except (BackupError, OSError, stores.NotFound, stores.Unreachable) as error:
            if runs.exists() or not isinstance(error, ForeignArchive):
                failed.append(f"{text} ({describe(error)})")
            continue
        changed += 1
        for run in runs:
            run.size, run.sha256 = size, sha256
            run.save(update_fields=["size", "sha256"])
    return changed, failed


def _replace(path: Path, write) -> None:
    """Write a new version of path beside it and move it over path at once."""
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".new", dir=path.parent
    )
    temporary = Path(temporary)
    try:
        with os.fdopen(descriptor, "wb") as target:
            write(target)
            target.flush()
            os.fsync(target.fileno())
        temporary.chmod(path.stat().st_mode & 0o777)
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    sync_folder(path.parent)
