"""student1 reports a compromised account; support resets the password and closes
the incident; student1 signs in with the temporary password and must change it."""

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from accounts.roles import Role
from tests.e2e.helpers import open_menu
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "four-unrelated-words-here"


def en(text: str) -> str:
    with translation.override("en"):
        return translation.gettext(text)


def open_in_english(page, live_server):
    page.goto(f"{live_server.url}/login/")
    page.click("button[value=en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_breach_report_reset_and_forced_change(live_server, browser, phone, sign_in):
    UserFactory(username="student1", first_name="Адилет", roles=[Role.STUDENT])
    UserFactory(username="support", roles=[Role.SUPPORT, Role.STAFF])
    laptop_context = browser.new_context()
    laptop = laptop_context.new_page()
    support_context = browser.new_context()
    desk = support_context.new_page()
    for page, who in ((phone, "student1"), (laptop, "student1"), (desk, "support")):
        open_in_english(page, live_server)
        sign_in(page, who, PASSWORD)
        expect(page.locator(".me-name")).to_be_visible()

    open_menu(phone)
    phone.get_by_role("link", name=en("My account may be compromised")).click()
    phone.get_by_role(
        "button", name=en("Report: my account may be compromised")
    ).click()
    expect(phone.locator("h1")).to_have_text(en("Report received"))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    laptop.goto(f"{live_server.url}/")
    expect(laptop.locator("h1")).to_have_text(en("Sign in"))

    desk.get_by_role("link", name=en("Account incidents")).first.click()
    desk.locator("table.cards a").first.click()
    incident_url = desk.url
    desk.get_by_role("link", name=en("Reset this person's password")).click()
    expect(desk.locator("input[name=username]")).to_have_value("student1")
    desk.get_by_role("button", name=en("Reset")).click()
    temporary = desk.locator(".temporary-password").inner_text().strip()
    assert re.fullmatch(r"[a-z0-9]{4}(-[a-z0-9]{4}){3}", temporary)
    desk.goto(incident_url)
    desk.fill("textarea[name=note]", "Temporary password given in person.")
    desk.get_by_role("button", name=en("Close the incident")).click()
    expect(desk.locator(".messages")).to_contain_text(
        en("The incident has been closed.")
    )

    sign_in(phone, "student1", temporary)
    expect(phone.locator("h1")).to_have_text(en("Change password"))
    phone.goto(f"{live_server.url}/")
    expect(phone.locator("h1")).to_have_text(en("Change password"))
    phone.fill("input[name=old_password]", temporary)
    phone.fill("input[name=new_password1]", NEW_PASSWORD)
    phone.fill("input[name=new_password2]", NEW_PASSWORD)
    phone.locator("main button[type=submit]").click()
    expect(phone.locator(".me-name")).to_contain_text("Адилет")

    phone.goto(f"{live_server.url}/account/")
    expect(phone.locator(".incident-status").first).to_have_text(en("Closed"))
    laptop_context.close()
    support_context.close()
