"""Execution control in the browser: the principal writes a resolution on an
incoming letter; the teacher sees it on her phone, registers the reply and
reports execution; the records officer sees the list change; an overdue item
shows on the principal's home."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from guardian.shortcuts import assign_perm
from playwright.sync_api import expect

from accounts.roles import Role
from documents import services as documents
from documents.models import Document, DocumentClass, Journal, JournalKind
from execution import services
from execution.models import Resolution
from tests.documents.conftest import ensure_registry_basics
from tests.e2e.helpers import enrolled, ky
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def state(label: str) -> str:
    with translation.override("ky"):
        return translation.pgettext("execution state", label)


def test_a_resolution_is_given_executed_with_a_reply_and_overdue_ones_show(
    live_server, browser, phone, sign_in
):
    ensure_registry_basics()
    records = UserFactory(username="records", roles=[Role.RECORDS_OFFICER, Role.STAFF])
    director = UserFactory(username="director", roles=[Role.PRINCIPAL, Role.STAFF])
    teacher = UserFactory(
        username="teacher",
        first_name="Бермет",
        last_name="Осмонова",
        roles=[Role.STAFF],
    )
    incoming = Journal.objects.get(kind=JournalKind.INCOMING, name="")
    outgoing = Journal.objects.get(kind=JournalKind.OUTGOING, name="")
    # The school lets its teachers register their own replies.
    assign_perm("documents.register_in_journal", teacher, outgoing)
    letter_class = DocumentClass.objects.get(code="letter")
    letter = documents.register_document(
        actor=records,
        journal=incoming,
        document_class=letter_class,
        summary="Олимпиадага катышуучулардын тизмеси жөнүндө",
        correspondent="Райондук билим берүү бөлүмү",
    )
    old = documents.register_document(
        actor=records,
        journal=incoming,
        document_class=letter_class,
        summary="Өрт коопсуздугу боюнча көрсөтмө",
        registered_on=timezone.localdate() - timedelta(days=10),
    )
    services.give_resolution(
        actor=director,
        document=old,
        text="Текшерүү уюштурулсун",
        responsible=records,
        deadline=timezone.localdate() - timedelta(days=2),
        on_control=True,
    )
    director_device = enrolled(director)
    records_device = enrolled(records)

    # The principal writes the resolution on the incoming letter.
    principal = browser.new_context(viewport={"width": 1024, "height": 800}).new_page()
    sign_in(principal, "director", PASSWORD, device=director_device)
    principal.goto(f"{live_server.url}/documents/{letter.pk}/")
    principal.get_by_role("link", name=ky("Write a resolution")).click()
    principal.fill(
        "textarea[name=text]", "Катышуучулардын тизмеси даярдалып, жооп берилсин"
    )
    principal.select_option("select[name=responsible]", label=str(teacher))
    principal.fill("input[name=working_days]", "3")
    principal.check("input[name=on_control]")
    principal.click("main form button[type=submit]")
    resolution = Resolution.objects.get(document=letter)
    expect(principal.locator("main")).to_contain_text(str(teacher))
    assert resolution.responsible == teacher and resolution.on_control

    # The records officer sees it on the list, in progress.
    office = browser.new_context(viewport={"width": 1024, "height": 800}).new_page()
    sign_in(office, "records", PASSWORD, device=records_device)
    office.goto(f"{live_server.url}/documents/execution/")
    row = office.locator("table.execution tbody tr", has_text="Катышуучулардын")
    expect(row).to_contain_text(state("In progress"))
    expect(office.locator("table.execution tbody tr").first).to_have_class("overdue")

    # The teacher, on her phone: the assignment is on her home page.
    sign_in(phone, "teacher", PASSWORD)
    assignments = phone.locator(".assignments")
    expect(assignments).to_contain_text("Катышуучулардын тизмеси")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.get_by_role("link", name=ky("Report execution")).click()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.get_by_role("link", name=ky("Register the reply")).click()
    phone.fill("textarea[name=summary]", "Катышуучулардын тизмеси жөнүндө жооп")
    phone.fill("input[name=correspondent]", "Райондук билим берүү бөлүмү")
    phone.click("form[enctype] button[type=submit]")
    reply = Document.objects.get(journal=outgoing)
    assert reply.registered_by == teacher
    phone.goto(f"{live_server.url}/documents/resolutions/{resolution.pk}/report/")
    phone.fill("textarea[name=note]", "Тизме даярдалып, жооп жөнөтүлдү")
    phone.select_option("select[name=reply]", label=str(reply))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.click("main form button[type=submit]")
    expect(phone.locator(".assignments")).not_to_contain_text("Катышуучулардын")
    resolution.refresh_from_db()
    assert resolution.is_executed
    assert resolution.reports.get().reply == reply

    # The records officer's list has changed: executed, still on control.
    office.reload()
    row = office.locator("table.execution tbody tr", has_text="Катышуучулардын")
    expect(row).to_contain_text(state("Executed, on control"))
    # Taken off control from the list, it leaves the list of what needs someone.
    row.get_by_role("button", name=ky("Take off control")).click()
    expect(
        office.locator("table.execution tbody tr", has_text="Катышуучулардын")
    ).to_have_count(0)
    resolution.refresh_from_db()
    assert resolution.taken_off_by == records
    # The reply and the letter point at each other.
    office.goto(f"{live_server.url}/documents/{reply.pk}/")
    expect(office.locator(".resolutions")).to_contain_text(str(letter))
    office.goto(f"{live_server.url}/documents/{letter.pk}/")
    expect(office.locator(".resolutions")).to_contain_text(str(reply))

    # The overdue one shows on the principal's home.
    principal.goto(f"{live_server.url}/")
    with translation.override("ky"):
        overdue = translation.gettext("Overdue: %(count)s") % {"count": 1}
    expect(principal.locator(".execution-control")).to_contain_text(overdue)
    expect(principal.locator("main")).to_contain_text(ky("Overdue resolutions"))
