"""Two stateless nodes: two gunicorn processes (gunicorn.conf.py) sharing one
PostgreSQL database and one S3 store. A document registered with a file on one
opens, is copied and is backed up from the other; a restore on a new node,
with an empty database and an empty prefix, brings everything back."""

import io
import os
import re
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from django.conf import settings as conf
from django.core.management import call_command
from django.db import connection
from django.test import Client
from pypdf import PdfReader

from accounts.models import BackupRun
from accounts.roles import sync_role_groups
from benchmark.load import free_port
from documents.models import Document, Grif, StoragePlace
from school_portal import stores
from tests.browser_forms import post_forms
from tests.documents.conftest import ensure_registry_basics, make_pdf
from tests.e2e.test_documents_journey import _cleared
from tests.s3 import ACCESS_KEY, SECRET_KEY, objects, storage_url, use_s3

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def node_environment(storage: str, var_dir: Path) -> dict:
    """What a node is started with: the shared database and store, the
    installation's keys, nothing of this machine's but a scratch folder."""
    db = connection.settings_dict
    keep = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "PORTAL_", "DATABASE_", "AWS_"))
    }
    return {
        **keep,
        "HOME": str(var_dir),
        "XDG_RUNTIME_DIR": str(var_dir),
        "DJANGO_DEBUG": "1",
        "DJANGO_SECRET_KEY": conf.SECRET_KEY,
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@"
            f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "PORTAL_STORAGE_URL": storage,
        "PORTAL_VAR_DIR": str(var_dir),
        "PORTAL_ENCRYPTION_KEYS": ",".join(conf.PORTAL_ENCRYPTION_KEYS),
        "PORTAL_AUDIT_KEY": conf.PORTAL_AUDIT_KEY,
        "PORTAL_BLIND_INDEX_KEY": conf.PORTAL_BLIND_INDEX_KEY,
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        "PORTAL_GUNICORN_WORKERS": "1",
    }


@contextmanager
def node(environment: dict, log: Path):
    """One gunicorn, with the repository's gunicorn.conf.py, on a free port."""
    port = free_port()
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as output:
        server = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "-c", "gunicorn.conf.py"],
            cwd=ROOT,
            env={**environment, "PORTAL_GUNICORN_BIND": f"127.0.0.1:{port}"},
            stdout=output,
            stderr=output,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            if server.poll() is not None:
                raise AssertionError(f"gunicorn stopped: {log.read_text()[-2000:]}")
            try:
                if requests.get(f"{base}/health/ready/", timeout=10).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.5)
        else:
            raise AssertionError(f"gunicorn did not answer: {log.read_text()[-2000:]}")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=60)


def signed_in(user) -> requests.Session:
    """A browser's session of user, valid on every node (sessions are rows)."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    browser = requests.Session()
    browser.cookies.set(
        conf.SESSION_COOKIE_NAME,
        client.cookies[conf.SESSION_COOKIE_NAME].value,
    )
    return browser


def form_token(browser: requests.Session, url: str) -> str:
    page = browser.get(url, timeout=30)
    assert page.status_code == 200, page.text[:500]
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]


def test_a_file_registered_on_one_node_opens_copies_and_backs_up_on_the_other(
    s3_store, s3_server, records_officer, tmp_path, monkeypatch, settings
):
    if connection.vendor != "postgresql":
        pytest.skip("two nodes share one database server: PostgreSQL")
    ensure_registry_basics()
    place = StoragePlace.objects.create(room="12", cabinet="1")
    officer = _cleared(records_officer)
    storage = storage_url(s3_server, s3_store)
    pdf = make_pdf(1)

    with (
        node(node_environment(storage, tmp_path / "a"), tmp_path / "a.log") as a,
        node(node_environment(storage, tmp_path / "b"), tmp_path / "b.log") as b,
    ):
        browser = signed_in(officer)
        page = browser.get(f"{a}/documents/register/", timeout=30)
        [form] = [f for f in post_forms(page.text) if "enctype" in f.attrs]
        sent = {name: value for name, value in form.data() if name != "files"}
        sent |= {
            "summary": "Кызматтык тизме",
            "correspondent": "Райондук билим берүү бөлүмү",
            "grif": Grif.OFFICIAL_USE,
            "storage_place": str(place.pk),
        }
        registered = browser.post(
            f"{a}/documents/register/",
            data=sent,
            files={"files": ("list.pdf", pdf, "application/pdf")},
            timeout=60,
        )
        assert registered.status_code == 200, registered.text[:1000]
        document = Document.objects.get()
        attachment = document.attachments.get()

        page = browser.get(f"{b}/documents/{document.pk}/", timeout=30)
        assert page.status_code == 200
        assert "list.pdf" in page.text
        copy_url = f"{b}/documents/files/{attachment.pk}/copy/"
        copied = browser.post(
            copy_url,
            data={"csrfmiddlewaretoken": form_token(browser, copy_url), "purpose": "X"},
            timeout=60,
        )
        assert copied.status_code == 200, copied.text[:1000]
        text = PdfReader(io.BytesIO(copied.content)).pages[0].extract_text()
        assert "№ 1 /" in text

        backed_up = subprocess.run(
            [sys.executable, "manage.py", "backup"],
            cwd=ROOT,
            env=node_environment(storage, tmp_path / "b"),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert backed_up.returncode == 0, backed_up.stderr
    run = BackupRun.objects.get(ok=True)
    assert run.file_name.startswith(f"s3://portal-test/{s3_store}/backups/")
    assert not [p for p in tmp_path.rglob("*") if p.is_file() and p.suffix != ".log"]

    # A new node: an empty database, an empty prefix, the archive copied there.
    with stores.fetched(stores.BACKUPS, run.file_name) as fetched:
        archive = tmp_path / "archive.backup"
        archive.write_bytes(fetched.read_bytes())
    call_command("flush", interactive=False, verbosity=0)
    sync_role_groups()
    new_prefix = f"{s3_store}-new"
    new_storage = storage_url(s3_server, new_prefix)
    use_s3(settings, monkeypatch, new_storage)
    call_command("restore", str(archive), stdout=io.StringIO())
    archive.unlink()
    assert any(n.startswith("attachments/") for n in objects(s3_server, new_prefix))

    with node(node_environment(new_storage, tmp_path / "c"), tmp_path / "c.log") as c:
        browser = signed_in(officer)
        page = browser.get(f"{c}/documents/{document.pk}/", timeout=30)
        assert page.status_code == 200
        copy_url = f"{c}/documents/files/{attachment.pk}/copy/"
        copied = browser.post(
            copy_url,
            data={"csrfmiddlewaretoken": form_token(browser, copy_url), "purpose": "Y"},
            timeout=60,
        )
        assert copied.status_code == 200, copied.text[:1000]
        assert "№ 2 /" in PdfReader(io.BytesIO(copied.content)).pages[0].extract_text()
    # No node left a control socket where another would look for its own.
    assert not list(tmp_path.rglob("gunicorn.ctl"))
