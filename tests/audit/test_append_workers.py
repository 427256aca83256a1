"""Appends from several processes, each keeping its SQLite connection between
requests (CONN_MAX_AGE), still make one unbroken chain: every write transaction
begins IMMEDIATE and takes the database's one write lock, kept or new."""

import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).with_name("append_workers.py")
ROOT = SCRIPT.parents[2]


def test_kept_connections_append_one_chain_without_gaps_or_forks(tmp_path):
    workers, appends = 4, 60
    own = ("DJANGO_", "PORTAL_", "DATABASE_URL")
    env = {k: v for k, v in os.environ.items() if not k.startswith(own)}
    env |= {
        "DJANGO_SETTINGS_MODULE": "school_portal.settings",
        "DJANGO_DEBUG": "1",
        "PORTAL_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
    }

    finished = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.audit.append_workers",
            str(workers),
            str(appends),
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )

    assert finished.returncode == 0, finished.stderr
    summary = json.loads(finished.stdout.strip().splitlines()[-1])
    assert summary["conn_max_age"] > 0
    assert summary["exit_codes"] == [0] * workers
    # Each worker kept one connection for all its requests.
    assert summary["connections_per_worker"] == [1] * workers
    assert summary["appended"] == workers * appends
    assert summary["seqs_are_1_to_n"]
    assert summary["chain_ok"]
