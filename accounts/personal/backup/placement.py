"""Putting restored files in place: staged inside their target folders, moved
in without ever overwriting a file, undone completely on failure; and the
room each disk must have first."""

import errno
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from school_portal import stores

from .base import DISK_MARGIN, STAGING_PREFIX, BackupError, describe


@dataclass
class Placement:
    """Files staged inside their target folders, then moved into place; undone
    completely when something fails."""

    created: list[Path] = field(default_factory=list)
    staging: list[Path] = field(default_factory=list)
    placed: list[Path] = field(default_factory=list)

    def folder(self, folder: Path) -> Path:
        """Make sure folder exists and can be written; remember what was made."""
        missing = []
        probe = folder
        while not probe.exists() and probe != probe.parent:
            missing.append(probe)
            probe = probe.parent
        try:
            for path in reversed(missing):
                path.mkdir(mode=0o700)
                self.created.append(path)
            if not folder.is_dir():
                raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(folder))
            if not os.access(folder, os.W_OK | os.X_OK):
                raise PermissionError(errno.EACCES, "not writable", str(folder))
        except OSError as error:
            raise BackupError(f"cannot write to {folder}: {describe(error)}") from None
        return folder

    def stage_in(self, folder: Path) -> Path:
        """A hidden staging folder inside folder: same disk, so moves are instant."""
        self.folder(folder)
        try:
            staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=folder))
        except OSError as error:
            raise BackupError(f"cannot write to {folder}: {describe(error)}") from None
        self.staging.append(staging)
        return staging

    def place(self, staged: Path, target: Path) -> bool:
        """Move a staged file to target, never over an existing file.
        False when target appeared meanwhile (it is left alone)."""
        try:
            self.folder(target.parent)
            _place(staged, target)
        except FileExistsError:
            return False
        except OSError as error:
            raise BackupError(
                f"cannot move a file into {target.parent}: {describe(error)}"
            ) from None
        self.placed.append(target)
        return True

    def undo(self) -> list[str]:
        """Remove every placed file and every folder made; the problems met."""
        problems = []
        for path in reversed(self.placed):
            try:
                path.unlink(missing_ok=True)
            except OSError as error:
                problems.append(describe(error))
        self.placed.clear()
        self.clean()
        for path in reversed(self.created):
            try:
                path.rmdir()
            except FileNotFoundError:
                pass
            except OSError as error:
                problems.append(describe(error))
        self.created.clear()
        return problems

    def clean(self) -> None:
        for staging in self.staging:
            shutil.rmtree(staging, ignore_errors=True)
        self.staging.clear()


def _place(staged: Path, target: Path) -> None:
    """One file into place. A hard link fails when target exists, so nothing is
    ever overwritten; where links are not supported, check, then rename."""
    try:
        os.link(staged, target)
    except FileExistsError:
        raise
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EMLINK, errno.EXDEV):
            raise
        if target.exists():
            raise FileExistsError(errno.EEXIST, "exists", str(target)) from None
        staged.rename(target)
        return
    staged.unlink()


def check_room(needs: dict[Path, int]) -> None:
    """Each disk must hold what is written to it (folders on one disk summed)."""
    by_disk: dict[int, tuple[Path, int]] = {}
    for folder, size in needs.items():
        existing = _existing_ancestor(folder)
        try:
            device = existing.stat().st_dev
        except OSError as error:
            raise BackupError(f"cannot look at {existing}: {describe(error)}") from None
        where, total = by_disk.get(device, (existing, 0))
        by_disk[device] = (where, total + size)
    for where, size in by_disk.values():
        free = shutil.disk_usage(where).free
        if size + DISK_MARGIN > free:
            raise BackupError(
                f"not enough room on the disk of {where}: {size // 2**20 + 1} MB "
                f"to write, {free // 2**20} MB free"
            )


def _existing_ancestor(path: Path) -> Path:
    path = path.absolute()
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


class Target:
    """Where restored files of one kind go, by their name in the store.

    A file store: staged inside its folder and moved into place by Placement
    (instant, never over a file). An object store: staged in a private
    temporary folder, uploaded only under a name no file has, deleted again
    when the restore is undone.
    """

    def __init__(self, store_name: str, placement: Placement):
        self.store_name = store_name
        self.placement = placement
        store = stores.get(store_name)
        self.folder = Path(store.location) if stores.is_local(store) else None
        self.uploaded: list[str] = []
        self._staging: Path | None = None

    def __str__(self) -> str:
        return str(self.folder) if self.folder else stores.describe(self.store_name)

    def stage(self) -> Path:
        if self.folder is not None:
            return self.placement.stage_in(self.folder)
        self._staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX))
        self.placement.staging.append(self._staging)
        return self._staging

    def staging_room(self) -> Path:
        """The folder whose disk holds the staged files."""
        return self.folder or Path(tempfile.gettempdir())

    def place(self, staged: Path, name: str) -> bool:
        """False when a file of that name appeared meanwhile (left alone)."""
        if self.folder is not None:
            return self.placement.place(staged, self.folder / name)
        try:
            with staged.open("rb") as content:
                stores.write_new(self.store_name, name, content)
        except FileExistsError:
            return False
        except stores.Unreachable as error:
            raise BackupError(f"cannot write {name} to {self}: {error}") from None
        self.uploaded.append(name)
        staged.unlink()
        return True

    def undo(self) -> list[str]:
        """Remove what was uploaded (a file store's files go with Placement)."""
        problems = []
        for name in reversed(self.uploaded):
            try:
                stores.delete(self.store_name, name)
            except stores.Unreachable as error:
                problems.append(f"{name}: {error}")
        self.uploaded.clear()
        return problems
