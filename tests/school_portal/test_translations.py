"""Every project string ships in Kyrgyz and Russian, compiled as committed."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = ["ky", "ru"]


def catalog(language: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))


def translated(po: polib.POFile | polib.MOFile) -> dict:
    return {
        (entry.msgctxt, entry.msgid): (entry.msgstr, dict(entry.msgstr_plural))
        for entry in po
        if entry.msgid
        and "fuzzy" not in entry.flags
        and (
            entry.msgstr or (entry.msgstr_plural and all(entry.msgstr_plural.values()))
        )
    }


@pytest.mark.parametrize("language", REQUIRED)
def test_every_msgid_is_translated(language):
    missing = [
        entry.msgid
        for entry in catalog(language)
        if not entry.obsolete and (not entry.translated() or "fuzzy" in entry.flags)
    ]

    assert missing == []


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_the_committed_mo_matches_its_po(language):
    mo = polib.mofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.mo"))

    assert translated(mo) == translated(catalog(language))


def test_every_string_in_the_code_is_in_the_catalogs(tmp_path):
    if not shutil.which("xgettext"):
        pytest.skip(
            "GNU gettext (xgettext) is not installed: catalog completeness not checked"
        )
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", "var", ".git", "node_modules", "__pycache__"
        ),
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--no-location",
            "-l",
            "ky",
            "--ignore=tests",
            "--ignore=.venv",
            "--ignore=var",
        ],
        cwd=copy,
        env={"DJANGO_DEBUG": "1", "PATH": "/usr/bin:/bin:/usr/local/bin"},
        check=True,
        capture_output=True,
    )
    extracted = polib.pofile(str(copy / "locale" / "ky" / "LC_MESSAGES" / "django.po"))

    in_code = {(e.msgctxt, e.msgid) for e in extracted if not e.obsolete}
    in_catalog = {(e.msgctxt, e.msgid) for e in catalog("ky") if not e.obsolete}
    assert in_code - in_catalog == set(), "run `make messages` and translate"
