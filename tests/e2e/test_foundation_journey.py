"""Open the site, switch to Russian and back, sign in as the teacher, sign out."""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from accounts.roles import Role
from tests.e2e.helpers import open_menu
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def words(language: str, text: str) -> str:
    with translation.override(language):
        translated = translation.gettext(text)
    assert translated != text or language == "en", f"{text!r} lacks {language}"
    return translated


def test_teacher_signs_in_in_kyrgyz_after_trying_russian(live_server, phone):
    UserFactory(username="teacher", first_name="Бермет", roles=[Role.STAFF])
    page = phone

    page.goto(f"{live_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "ky")
    expect(page.locator("h1")).to_have_text(words("ky", "Sign in"))

    page.click("button[value=ru]")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("h1")).to_have_text(words("ru", "Sign in"))

    page.click("button[value=ky]")
    expect(page.locator("html")).to_have_attribute("lang", "ky")

    page.fill("input[name=username]", "teacher")
    page.fill("input[name=password]", PASSWORD)
    page.click("form:not(.languages) button[type=submit]")

    expect(page.locator(".me-name")).to_contain_text("Бермет")
    expect(page.locator(".panel h2")).to_have_text(words("ky", "Staff member"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    open_menu(page)  # a phone: Log out is in the folded menu
    page.get_by_role("button", name=words("ky", "Log out")).click()
    expect(page.locator("h1")).to_have_text(words("ky", "Sign in"))
