"""An installation of the portal in a folder of its own, driven the way an
administrator drives one: README commands typed in a shell, each in its own
process, with the installation's environment (tests/personal/test_*_readme.py).
"""

import os
import shlex
import subprocess
import sys
from pathlib import Path

from benchmark.load import gunicorn

ROOT = Path(__file__).resolve().parents[1]


class Installation:
    """Its environment, its folders, its database (SQLite in the folder unless
    another database URL is given)."""

    def __init__(self, root: Path, database_url: str | None = None, **environ: str):
        root.mkdir(parents=True, exist_ok=True)
        self.root = root
        self.own = {
            "DJANGO_DEBUG": "1",
            # Its own var/: debug secrets, rotate_keys' position, static files.
            "PORTAL_VAR_DIR": str(root / "var"),
            "DATABASE_URL": database_url or f"sqlite:///{root / 'portal.sqlite3'}",
            "PORTAL_ATTACHMENT_DIR": str(root / "attachments"),
            "PORTAL_AUDIT_ARCHIVE_DIR": str(root / "audit-archive"),
            "PORTAL_BACKUP_DIR": str(root / "backups"),
            **environ,
        }
        self.environ = {**os.environ, **self.own}
        # The browser tests set this for Playwright; a real shell has no such thing.
        self.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)

    def set(self, assignment: str, **replace: str) -> None:
        """A README line such as ``PORTAL_ENCRYPTION_KEYS=NEW,OLD``."""
        name, value = assignment.split("=", 1)
        for word, text in replace.items():
            value = value.replace(word, text)
        self.own[name] = self.environ[name] = value

    def run(
        self, command: str, *, check: bool = True, **replace: str
    ) -> subprocess.CompletedProcess:
        """A command line as the README writes it; `a && b` runs b only when a
        succeeded. `python` is this test's interpreter; each WORD given in
        ``replace`` is put in, quoted as a shell would need it."""
        for word, value in replace.items():
            command = command.replace(word, shlex.quote(value))
        result = None
        for part in command.split(" && "):
            argv = shlex.split(part)
            assert argv[0] == "python", part
            result = subprocess.run(
                [sys.executable, *argv[1:]],
                cwd=ROOT,
                env=self.environ,
                capture_output=True,
                text=True,
                check=False,
                timeout=300,
            )
            if result.returncode != 0:
                break
        if check:
            assert result.returncode == 0, f"{part}\n{result.stdout}\n{result.stderr}"
        return result

    def shell(self, script: str) -> str:
        """What a `manage.py shell -c` script prints."""
        return self.run(
            "python manage.py shell --verbosity 0 -c SCRIPT", SCRIPT=script
        ).stdout

    def serving(self):
        """The portal served by gunicorn, as after "restart the portal"."""
        return gunicorn(env=self.own, log=self.root / "gunicorn.log")
