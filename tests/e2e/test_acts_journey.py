"""The records officer drafts a destruction act, three staff confirm it, the
principal approves it and prints it; the destroyed document keeps its journal
line with the act's number."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from documents.models import ActStatus, DestructionAct, DocumentStatus
from tests.documents.act_factories import old_document
from tests.e2e.helpers import enrolled
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_destruction_act_from_draft_to_paper(live_server, phone, browser, sign_in):
    records = UserFactory(username="records", roles=[Role.RECORDS_OFFICER, Role.STAFF])
    director = UserFactory(username="director", roles=[Role.PRINCIPAL, Role.STAFF])
    staff = [UserFactory(username=f"teacher{n}", roles=[Role.STAFF]) for n in (1, 2, 3)]
    document = old_document(records)
    page = phone

    sign_in(page, "records", PASSWORD, device=enrolled(records))
    page.goto(f"{live_server.url}/documents/acts/destruction/new/")
    page.check(f"input[name=documents][value='{document.pk}']")
    for person in staff:
        page.check(f"input[name=members][value='{person.pk}']")
    page.click("main form button[type=submit]")
    act = DestructionAct.objects.get()
    expect(page.locator("h1")).to_contain_text(act.number)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    for person in staff:
        context = browser.new_context(viewport={"width": 360, "height": 740})
        member_page = context.new_page()
        sign_in(member_page, person.username, PASSWORD)
        member_page.goto(f"{live_server.url}/documents/acts/destruction/{act.pk}/")
        member_page.fill("input[name=password]", PASSWORD)
        member_page.click("form[action$='/confirm/'] button[type=submit]")
        expect(member_page.locator("form[action$='/confirm/']")).to_have_count(0)
        context.close()
    assert not act.members.filter(confirmed_at__isnull=True).exists()

    context = browser.new_context(viewport={"width": 360, "height": 740})
    principal = context.new_page()
    sign_in(principal, "director", PASSWORD, device=enrolled(director))
    principal.goto(f"{live_server.url}/documents/acts/destruction/{act.pk}/")
    principal.fill("input[name=password]", PASSWORD)
    principal.click("form[action$='/approve/'] button[type=submit]")
    act.refresh_from_db()
    document.refresh_from_db()
    assert act.status == ActStatus.DONE
    assert document.status == DocumentStatus.DESTROYED
    principal.goto(f"{live_server.url}/documents/acts/destruction/{act.pk}/print/")
    expect(principal.locator("main")).to_contain_text(act.number)
    expect(principal.locator("main")).to_contain_text(document.number)
    context.close()

    page.goto(f"{live_server.url}/documents/")
    expect(page.locator("table.journal")).to_contain_text(act.number)


def test_a_new_records_officer_takes_over_by_the_act(
    live_server, phone, browser, sign_in
):
    from datetime import date

    from accounts import selectors
    from accounts.models import AppointedRole, Appointment
    from accounts.services import appoint
    from documents.models import HandOverAct

    admin = UserFactory(username="admin", roles=[Role.ADMINISTRATOR])
    records = UserFactory(username="records", roles=[Role.STAFF])
    director = UserFactory(username="director", roles=[Role.PRINCIPAL, Role.STAFF])
    newcomer = UserFactory(username="newrecords", roles=[Role.STAFF])
    appoint(
        actor=admin,
        person=records,
        role=AppointedRole.RECORDS_OFFICER,
        starts_on=date(2026, 9, 1),
        order_number="13-к",
        order_date=date(2026, 9, 1),
    )
    records = type(records).objects.get(pk=records.pk)  # the new group's permissions
    old_document(records)

    sign_in(phone, "admin", PASSWORD, device=enrolled(admin))
    phone.goto(f"{live_server.url}/documents/acts/hand-over/")
    phone.select_option("select[name=incoming]", value=str(newcomer.pk))
    phone.fill("input[name=order_number]", "40-к")
    phone.fill("input[name=order_date]", "2026-11-20")
    phone.fill("input[name=starts_on]", "2026-11-21")
    phone.click("main form button[type=submit]")
    act = HandOverAct.objects.get()
    expect(phone.locator("main table").first).to_contain_text("Old letter")

    for person, device in (
        (records, enrolled(records)),
        (newcomer, None),
        (director, enrolled(director)),
    ):
        context = browser.new_context(viewport={"width": 360, "height": 740})
        page = context.new_page()
        sign_in(page, person.username, PASSWORD, device=device)
        page.goto(f"{live_server.url}/documents/acts/hand-over/{act.pk}/")
        page.fill("input[name=password]", PASSWORD)
        page.click("form[action$='/confirm/'] button[type=submit]")
        expect(page.locator("form[action$='/confirm/']")).to_have_count(0)
        context.close()

    act.refresh_from_db()
    assert act.is_complete
    current = Appointment.objects.get(
        role=AppointedRole.RECORDS_OFFICER, ends_on__isnull=True
    )
    assert current.person == newcomer and current.order_number == "40-к"
    fresh = type(newcomer).objects.get(pk=newcomer.pk)
    assert Role.RECORDS_OFFICER in selectors.roles_of(user=fresh)
    phone.goto(f"{live_server.url}/documents/acts/hand-over/{act.pk}/print/")
    expect(phone.locator("main")).to_contain_text(str(newcomer))
