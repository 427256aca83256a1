"""parent1 sees student1's data masked, reveals the PIN, finds that view under
"who viewed", requests a certificate; records issues it; parent1 downloads it."""

from datetime import date

import pytest
from django.utils import translation
from playwright.sync_api import expect

from accounts.models import ParentLink, PersonRecord
from accounts.roles import Role
from tests.documents.conftest import ensure_registry_basics
from tests.e2e.helpers import enrolled, open_menu
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PIN = "20305201200107"


def ky(text: str) -> str:
    with translation.override("ky"):
        return translation.gettext(text)


def sign_out(page):
    open_menu(page)
    page.get_by_role("button", name=ky("Log out")).click()


def test_personal_data_journey(live_server, phone, sign_in):
    admin = UserFactory(username="admin", roles=[Role.ADMINISTRATOR])
    student = UserFactory(
        username="student1",
        first_name="Адилет",
        last_name="Бекболотов",
        school_class="7А",
        roles=[Role.STUDENT],
    )
    parent = UserFactory(username="parent1", first_name="Чолпон", roles=[Role.PARENT])
    records = UserFactory(username="records", roles=[Role.RECORDS_OFFICER, Role.STAFF])
    ParentLink.objects.create(parent=parent, child=student, linked_by=admin)
    PersonRecord.objects.create(
        person=student, birth_date=date(2012, 5, 3), pin=PIN, address="Бишкек"
    )
    # The certificate is registered in the outgoing journal (a flushed database).
    ensure_registry_basics()
    page = phone
    child = f"#person-{student.pk}"

    sign_in(page, "parent1", PASSWORD)
    page.goto(f"{live_server.url}/me/")
    page.locator(child).get_by_role("link", name=ky("Personal data")).click()
    expect(page.locator("#field-pin .masked")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(PIN)
    page.locator("#field-pin").get_by_role("button").click()
    expect(page.locator("#field-pin .revealed")).to_have_text(PIN)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.goto(f"{live_server.url}/me/")
    viewings = page.locator(f"{child} table.viewings")
    expect(viewings).to_contain_text(ky("Parent"))
    with translation.override("ky"):
        revealed = translation.gettext("revealed: %(field)s") % {
            "field": translation.gettext("personal identification number")
        }
    expect(viewings).to_contain_text(revealed)

    page.locator(child).get_by_role("link", name=ky("Make a request")).click()
    page.select_option("select[name=kind]", "certificate")
    page.get_by_role("button", name=ky("Send the request")).click()
    expect(page.locator(".message.success")).to_have_text(
        ky("Your request is registered.")
    )
    sign_out(page)

    sign_in(page, "records", PASSWORD, device=enrolled(records))
    page.goto(f"{live_server.url}/me/requests/")
    page.get_by_role("link", name=ky("A certificate of study")).click()
    page.get_by_role("button", name=ky("Issue the certificate")).click()
    expect(page.locator(".message.success")).to_have_text(
        ky("The request is answered.")
    )
    sign_out(page)

    sign_in(page, "parent1", PASSWORD)
    page.goto(f"{live_server.url}/me/")
    page.locator(child).get_by_role("link", name=ky("A certificate of study")).click()
    with page.expect_download() as download:
        page.get_by_role("link", name=ky("Download the certificate (PDF)")).click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
