"""Reading an archive: authenticate all of it and list what it holds, or take
out the members wanted, each checked against the manifest's checksum."""

import hashlib
import json
import os
import tarfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .base import (
    ATTACHMENTS,
    AUDIT_ARCHIVES,
    CHUNK,
    MANIFEST,
    STAGING_PREFIX,
    BackupError,
    describe,
)
from .sealed import plaintext


@dataclass(frozen=True)
class Listing:
    """What an authenticated archive holds."""

    manifest: dict
    sizes: dict[str, int]  # tar member name -> bytes

    @property
    def files(self) -> dict[str, str]:
        return self.manifest["files"]

    @property
    def audit_archives(self) -> dict[str, str]:
        return self.manifest.get("audit_archives", {})

    def bytes_of(self, names) -> int:
        return sum(self.sizes[name] for name in names)


def inspect_archive(archive: Path) -> Listing:
    """Authenticate every chunk of the archive and list what it holds;
    nothing is written anywhere."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"{archive} is not a file")
    sizes, manifest = {}, None
    with plaintext(archive) as plain:
        try:
            with tarfile.open(fileobj=plain, mode="r|gz") as tar:
                for member in tar:
                    if not member.isfile() or not _safe_name(member.name):
                        raise BackupError(f"unexpected entry {member.name!r}")
                    if member.name in sizes:
                        raise BackupError(f"entry {member.name!r} appears twice")
                    sizes[member.name] = member.size
                    if member.name == MANIFEST:
                        manifest = json.loads(tar.extractfile(member).read())
            plain.drain()
        except (tarfile.TarError, EOFError, zlib.error, ValueError) as error:
            raise BackupError(f"the archive's contents are damaged: {error}") from None
    if not isinstance(manifest, dict):
        raise BackupError("the archive has no manifest")
    listing = Listing(manifest=manifest, sizes=sizes)
    expected = {
        MANIFEST,
        manifest.get("database"),
        *(f"{ATTACHMENTS}/{name}" for name in listing.files),
        *(f"{AUDIT_ARCHIVES}/{name}" for name in listing.audit_archives),
    }
    if expected != set(sizes):
        differ = sorted(str(name) for name in expected ^ set(sizes))
        raise BackupError(f"the archive does not match its manifest: {differ[:5]}")
    return listing


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        bool(path.parts)
        and not path.is_absolute()
        and all(part not in ("", ".", "..") for part in path.parts)
        and not any(part.startswith(STAGING_PREFIX) for part in path.parts)
    )


def extract(archive: Path, wanted: dict[str, tuple[Path, str | None]]) -> None:
    """Decrypt the archive again, writing each wanted member (tar name ->
    (path, sha256 or None)) to its path and checking its checksum."""
    with plaintext(archive) as plain:
        try:
            with tarfile.open(fileobj=plain, mode="r|gz") as tar:
                for member in tar:
                    if member.name not in wanted:
                        continue
                    path, expected = wanted[member.name]
                    _write_member(tar.extractfile(member), path, expected, member)
            plain.drain()
        except (tarfile.TarError, EOFError, zlib.error) as error:
            raise BackupError(f"the archive's contents are damaged: {error}") from None


def _write_member(source, path: Path, expected: str | None, member) -> None:
    digest = hashlib.sha256()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("xb") as target:
            for block in iter(lambda: source.read(CHUNK), b""):
                target.write(block)
                digest.update(block)
            target.flush()
            os.fsync(target.fileno())
    except OSError as error:
        raise BackupError(f"cannot write {path}: {describe(error)}") from None
    if expected is not None and digest.hexdigest() != expected:
        raise BackupError(f"{member.name} does not match its checksum")
