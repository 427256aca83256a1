"""The records officer corrects only the summary of a fully filled-in document,
in Kyrgyz, in Chromium: every other field stays as it was, and the corrections
table lists the summary alone. The browser, not a test client, decides what
the form sends back: its date inputs keep only ISO values."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import PLEDGE_VERSION, Onboarding
from accounts.roles import Role
from documents import services
from documents.models import (
    Case,
    Correction,
    Document,
    DocumentClass,
    Grif,
    Journal,
    StoragePlace,
)
from tests.documents.conftest import ensure_registry_basics
from tests.e2e.helpers import enrolled, ky
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

KEPT = [
    "journal_id",
    "number",
    "registered_on",
    "document_class_id",
    "correspondent",
    "their_number",
    "their_date",
    "sheets",
    "copies",
    "executor_id",
    "due_on",
    "case_id",
    "grif",
    "storage_place_id",
    "status",
]


def _cleared(person):
    now = timezone.now()
    Onboarding.objects.create(
        person=person,
        pledge_version=PLEDGE_VERSION,
        pledge_accepted_at=now,
        familiarized_at=now,
        briefed_at=now,
    )
    return type(person).objects.get(pk=person.pk)


def test_correcting_only_the_summary_keeps_every_other_field(
    live_server, page, sign_in
):
    ensure_registry_basics()
    records = _cleared(
        UserFactory(username="records", roles=[Role.RECORDS_OFFICER, Role.STAFF])
    )
    teacher = UserFactory(username="teacher", roles=[Role.STAFF])
    today = timezone.localdate()
    document = services.register_document(
        actor=records,
        journal=Journal.objects.get(kind="incoming", name=""),
        document_class=DocumentClass.objects.get(code="order"),
        summary="Олимпиадага катышуучулар жөнүндө\nэкинчи сап",
        correspondent="Райондук билим берүү бөлүмү",
        their_number="01-12/345",
        their_date=today - timedelta(days=4),
        sheets=3,
        copies=2,
        executor=teacher,
        due_on=today + timedelta(days=20),
        case=Case.objects.create(index="02-05", title="Буйруктар"),
        grif=Grif.OFFICIAL_USE,
        storage_place=StoragePlace.objects.create(room="12", cabinet="3"),
    )
    before = Document.objects.filter(pk=document.pk).values(*KEPT).get()

    sign_in(page, "records", PASSWORD, device=enrolled(records))
    page.goto(f"{live_server.url}/documents/{document.pk}/")
    page.get_by_role("link", name=ky("Correct"), exact=True).click()
    # The browser holds the dates: an input it could not read would be empty.
    expect(page.locator("input[name=their_date]")).to_have_value(
        before["their_date"].isoformat()
    )
    expect(page.locator("input[name=due_on]")).to_have_value(
        before["due_on"].isoformat()
    )
    page.fill("textarea[name=summary]", "Олимпиаданын жыйынтыгы жөнүндө")
    page.fill("input[name=reason]", "Мазмуну туура эмес жазылган")
    page.get_by_role("button", name=ky("Save the correction")).click()

    expect(page.locator("h1")).to_contain_text(document.number)
    after = Document.objects.get(pk=document.pk)
    assert after.summary == "Олимпиаданын жыйынтыгы жөнүндө"
    assert Document.objects.filter(pk=document.pk).values(*KEPT).get() == before
    assert list(Correction.objects.values_list("field", flat=True)) == ["summary"]
    corrections = page.locator(
        "section", has=page.get_by_role("heading", name=ky("Corrections"))
    )
    rows = corrections.locator("tbody tr")
    expect(rows).to_have_count(1)
    # The field as the form names it, not its code.
    expect(rows.first.locator("td").nth(1)).to_have_text(ky("Summary"))
    expect(rows.first.locator("td").nth(3)).to_have_text(
        "Олимпиаданын жыйынтыгы жөнүндө"
    )
