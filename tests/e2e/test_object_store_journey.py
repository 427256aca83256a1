"""PORTAL_STORAGE_URL=s3://… in a browser: the records officer registers an
official-use letter with a PDF, opens its page and takes a stamped, numbered
copy; the file lives in the bucket only, never under PORTAL_VAR_DIR."""

import io

import pytest
from django.db import connection
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.roles import Role
from documents import storage
from documents.models import Copy, Document, Grif, StoragePlace
from tests.documents.conftest import ensure_registry_basics, make_pdf
from tests.e2e.helpers import enrolled
from tests.e2e.test_documents_journey import _cleared
from tests.factories import PASSWORD, UserFactory
from tests.s3 import objects

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_file_registered_opened_and_copied_lives_in_the_bucket_only(
    s3_store, s3_server, live_server, phone, sign_in, tmp_path, settings
):
    if connection.vendor != "sqlite":
        pytest.skip("the store is the same on both databases: one run is enough")
    settings.LANGUAGE_CODE = "en"  # the stamp's words, read back below
    ensure_registry_basics()
    place = StoragePlace.objects.create(room="12", cabinet="1")
    records = _cleared(
        UserFactory(username="records", roles=[Role.RECORDS_OFFICER, Role.STAFF])
    )
    page = phone
    upload = tmp_path / "upload" / "order.pdf"
    upload.parent.mkdir()
    upload.write_bytes(make_pdf(1))

    sign_in(page, "records", PASSWORD, device=enrolled(records))
    page.goto(f"{live_server.url}/documents/register/")
    page.fill("textarea[name=summary]", "Кызматтык тизме")
    page.fill("input[name=correspondent]", "Райондук билим берүү бөлүмү")
    page.select_option("select[name=grif]", Grif.OFFICIAL_USE)
    page.select_option("select[name=storage_place]", str(place.pk))
    page.set_input_files("input[name=files]", str(upload))
    page.click("form[enctype] button[type=submit]")
    expect(page.locator(".field.invalid")).to_have_count(0)

    document = Document.objects.get()
    attachment = document.attachments.get()
    expect(page.locator("h1")).to_contain_text(f"№ {document.number}")
    page.click("a:has-text('order.pdf')")
    page.fill("input[name=purpose]", "Council")
    with page.expect_download() as download:
        page.click("main form button[type=submit]")
    stamped = download.value.path().read_bytes()

    text = PdfReader(io.BytesIO(stamped)).pages[0].extract_text()
    assert "COPY No. 1" in text
    assert Copy.objects.get().purpose == "Council"
    assert list(objects(s3_server, s3_store)) == [
        f"attachments/{storage.name_in_store(attachment.stored_name)}"
    ]
    upload.unlink()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
