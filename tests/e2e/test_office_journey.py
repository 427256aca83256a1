"""The security officer registers a USB drive, issues it to a teacher, sees the
overdue control and marks it done with a note; the principal sees an approval
waiting."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from accounts.roles import Role
from office.defaults import ensure_default_controls
from office.models import CarrierIssue, PeriodicControl, ProtectedResource
from tests.e2e.helpers import enrolled, ky, open_menu
from tests.factories import PASSWORD, UserFactory
from tests.office.conftest import clear

pytestmark = pytest.mark.django_db(transaction=True)


def sign_out(page):
    open_menu(page)
    page.get_by_role("button", name=ky("Log out")).click()


def test_carrier_issue_control_done_and_approval(live_server, phone, sign_in):
    officer = UserFactory(
        username="nurlan",
        first_name="Нурлан",
        roles=[Role.SECURITY_OFFICER, Role.STAFF],
    )
    teacher = UserFactory(
        username="teacher",
        first_name="Бермет",
        last_name="Осмонова",
        roles=[Role.STAFF],
    )
    director = UserFactory(username="director", roles=[Role.PRINCIPAL, Role.STAFF])
    clear(teacher)
    ensure_default_controls()
    today = timezone.localdate()
    PeriodicControl.objects.filter(key="wifi_password").update(
        next_due_on=today - timedelta(days=2)
    )
    ProtectedResource.objects.create(
        name="Электрондук журнал",
        kind="information_system",
        responsible=officer,
        location="Сервер",
        holds_personal_data=True,
        protection_measures="Сырсөз",
        access_holders="Мугалимдер",
        next_review_on=today + timedelta(days=200),
    )
    page = phone

    sign_in(page, "nurlan", PASSWORD, device=enrolled(officer))
    overdue = page.locator('[data-signal="office.controls_overdue"]')
    expect(overdue).to_contain_text(ky("Periodic controls overdue"))

    page.goto(f"{live_server.url}/office/carriers/new/")
    page.fill("input[name=inventory_number]", "USB-100")
    page.select_option("select[name=kind]", "usb_drive")
    page.select_option("select[name=category]", "official_use")
    page.get_by_role("button", name=ky("Register"), exact=True).click()
    expect(page.locator(".message.success")).to_have_text(
        ky("The carrier is registered.")
    )

    page.select_option("select[name=holder]", str(teacher.pk))
    page.fill("input[name=due_back_on]", (today + timedelta(days=7)).isoformat())
    page.get_by_role("button", name=ky("Issue the carrier")).click()
    expect(page.locator(".message.success")).to_have_text(ky("The carrier is issued."))
    expect(page.locator("dd.holder")).to_contain_text("Осмонова Бермет")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.goto(live_server.url)
    page.locator('[data-signal="office.controls_overdue"] a').click()
    with translation.override("ky"):
        title = str(PeriodicControl.objects.get(key="wifi_password"))
    page.get_by_role("link", name=title).click()
    page.fill("textarea[name=note]", "Сырсөз алмаштырылды, мугалимдерге айтылды")
    page.get_by_role("button", name=ky("Mark done")).click()
    expect(page.locator(".message.success")).to_have_text(
        ky("Done: the next date is set.")
    )
    page.goto(live_server.url)
    expect(page.locator('[data-signal="office.controls_overdue"]')).to_have_count(0)
    sign_out(page)

    sign_in(page, "director", PASSWORD, device=enrolled(director))
    waiting = page.locator('[data-signal="office.resources_awaiting_approval"]')
    expect(waiting).to_contain_text(ky("Protected resources to approve"))
    expect(waiting).to_contain_text("1")

    assert CarrierIssue.objects.get().holder == teacher
