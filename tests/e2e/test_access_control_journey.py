"""The administrator appoints a security officer, who briefs a new teacher;
only then is the teacher cleared for material for official use."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from tests.e2e.helpers import enrolled, ky, open_menu
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def sign_out(page):
    open_menu(page)
    page.get_by_role("button", name=ky("Log out")).click()


def test_appointment_onboarding_and_clearance(live_server, phone, sign_in):
    admin = UserFactory(username="admin", roles=[Role.ADMINISTRATOR])
    nurlan = UserFactory(username="nurlan", first_name="Нурлан", roles=[Role.STAFF])
    UserFactory(username="newteacher", first_name="Айпери", roles=[Role.STAFF])
    page = phone

    sign_in(page, "admin", PASSWORD, device=enrolled(admin))
    page.goto(f"{live_server.url}/appointments/")
    page.fill("input[name=person]", "nurlan")
    page.select_option("select[name=role]", "security_officer")
    page.fill("input[name=starts_on]", "2026-11-02")
    page.fill("input[name=order_number]", "41-к")
    page.fill("input[name=order_date]", "2026-11-01")
    page.get_by_role("button", name=ky("Record the appointment")).click()
    expect(page.locator(".message.success")).to_have_text(
        ky("The appointment is recorded.")
    )
    expect(page.locator(".facts")).to_contain_text("Нурлан")
    sign_out(page)

    sign_in(page, "newteacher", PASSWORD)
    page.goto(f"{live_server.url}/onboarding/")
    expect(page.locator(".error").last).to_have_text(
        ky("Not cleared for material for official use until all three steps are done.")
    )
    page.locator("#pledge input[name=agree]").check()
    page.get_by_role("button", name=ky("Accept the pledge")).click()
    page.locator("#familiarization input[name=agree]").check()
    page.get_by_role("button", name=ky("Confirm")).click()
    expect(page.locator("strong.error")).to_be_visible()
    sign_out(page)

    # Appointed, his role now requires a second factor; he has enrolled.
    sign_in(page, "nurlan", PASSWORD, device=enrolled(nurlan))
    page.goto(f"{live_server.url}/onboarding/register/")
    row = page.locator("tr", has_text="Айпери")
    row.get_by_role("button", name=ky("Record the briefing today")).click()
    expect(page.locator(".message.success")).to_have_text(
        ky("The briefing is recorded.")
    )
    sign_out(page)

    sign_in(page, "newteacher", PASSWORD)
    page.goto(f"{live_server.url}/onboarding/")
    expect(page.locator("strong.ok-text")).to_have_text(
        ky("Cleared for material for official use.")
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
