"""The records officer finds her daily work from the menu, on a phone and at a
desk (issue 20): the menu folds under one button without script, the header
stays small, the journal prints without filtering first."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from documents import services
from documents.models import DocumentClass, Journal
from tests.documents.conftest import ensure_registry_basics
from tests.e2e.helpers import ky

pytestmark = pytest.mark.django_db(transaction=True)


def signed_in(browser, live_server, person, width):
    client = Client()
    client.force_login(person)
    context = browser.new_context(viewport={"width": width, "height": 800})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": cookie,
                "url": live_server.url,
            }
        ]
    )
    return context, context.new_page()


def test_on_a_phone_the_menu_unfolds_and_leads_to_custody(
    live_server, browser, records_officer
):
    context, page = signed_in(browser, live_server, records_officer, 360)
    page.goto(f"{live_server.url}/")
    custody = page.locator("nav.menu").get_by_role(
        "link", name=ky("Custody and overdue")
    )

    assert page.locator("header.top").bounding_box()["height"] <= 120
    expect(custody).to_be_hidden()
    page.get_by_text(ky("Menu"), exact=True).click()
    expect(custody).to_be_visible()
    custody.click()

    expect(page).to_have_url(f"{live_server.url}{reverse('documents:custody')}")
    context.close()


def test_at_a_desk_the_menu_is_open_and_the_journal_prints_unfiltered(
    live_server, browser, records_officer
):
    ensure_registry_basics()
    journal = Journal.objects.get(kind="incoming", name="")
    document = services.register_document(
        actor=records_officer,
        journal=journal,
        document_class=DocumentClass.objects.get(code="letter"),
        summary="Окуу жылынын башталышы жөнүндө",
        correspondent="Райондук билим берүү бөлүмү",
    )
    context, page = signed_in(browser, live_server, records_officer, 1280)
    page.goto(f"{live_server.url}{reverse('documents:journal')}")

    expect(page.get_by_text(ky("Menu"), exact=True)).to_be_hidden()
    expect(
        page.locator("nav.menu").get_by_role("link", name=ky("Copy log"))
    ).to_be_visible()
    expect(page.get_by_role("link", name=document.coded_number)).to_be_visible()
    page.get_by_role("link", name=ky("Print the journal")).click()
    page.select_option("select[name=journal]", str(journal.pk))
    page.get_by_role("button", name=ky("Print"), exact=True).click()

    year = timezone.localdate().year
    printed = reverse("documents:journal_print", args=[journal.pk, year])
    expect(page).to_have_url(f"{live_server.url}{printed}")
    expect(page.get_by_text(document.number, exact=True).first).to_be_visible()
    context.close()
