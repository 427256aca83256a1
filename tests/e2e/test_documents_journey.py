"""The records officer registers an incoming letter with a PDF and issues it to
the teacher, who signs for it and gives it back; an official-use document not
returned by the end of the school day shows on the overdue list."""

from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from documents import services
from documents.models import Custody, Document, Grif, StoragePlace
from tests.documents.conftest import ensure_registry_basics, make_pdf
from tests.e2e.helpers import enrolled
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _cleared(person):
    from accounts.models import PLEDGE_VERSION, Onboarding

    now = timezone.now()
    Onboarding.objects.create(
        person=person,
        pledge_version=PLEDGE_VERSION,
        pledge_accepted_at=now,
        familiarized_at=now,
        briefed_at=now,
    )
    return type(person).objects.get(pk=person.pk)


def test_a_letter_goes_to_the_teacher_and_back(
    live_server, phone, browser, sign_in, tmp_path
):
    ensure_registry_basics()
    records = UserFactory(username="records", roles=[Role.RECORDS_OFFICER, Role.STAFF])
    teacher = UserFactory(username="teacher", roles=[Role.STAFF])
    device = enrolled(records)
    page = phone

    sign_in(page, "records", PASSWORD, device=device)
    page.goto(f"{live_server.url}/documents/register/")
    page.fill("textarea[name=summary]", "Олимпиадага катышуучулар жөнүндө")
    page.fill("input[name=correspondent]", "Райондук билим берүү бөлүмү")
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(make_pdf(1))
    page.set_input_files("input[name=files]", str(pdf))
    page.click("form[enctype] button[type=submit]")

    document = Document.objects.get()
    expect(page.locator("h1")).to_contain_text(f"№ {document.number}")
    expect(page.get_by_role("link", name="letter.pdf")).to_be_visible()
    page.select_option("select[name=to]", label=str(teacher))
    page.click("form[action$='/issue/'] button[type=submit]")
    assert Custody.objects.get().holder == teacher
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    context = browser.new_context(viewport={"width": 360, "height": 740})
    teacher_page = context.new_page()
    sign_in(teacher_page, "teacher", PASSWORD)
    custody = Custody.objects.get()
    teacher_page.click(f"a[href$='/custody/{custody.pk}/sign/']")
    teacher_page.fill("input[name=password]", "not my password")
    teacher_page.click("main form button[type=submit]")
    expect(teacher_page.locator(".field.invalid .error")).to_be_visible()
    teacher_page.fill("input[name=password]", PASSWORD)
    teacher_page.click("main form button[type=submit]")
    teacher_page.click(f"form[action$='/custody/{custody.pk}/hand-back/'] button")
    custody.refresh_from_db()
    assert custody.received_at and custody.handed_back_at
    context.close()

    page.goto(f"{live_server.url}/documents/{document.pk}/")
    page.click(f"form[action$='/custody/{custody.pk}/return/'] button")
    custody.refresh_from_db()
    assert custody.returned_at is not None
    assert custody.return_confirmed_by.username == "records"


def test_an_official_use_document_kept_past_the_school_day_is_overdue(
    live_server, phone, sign_in
):
    ensure_registry_basics()
    records = _cleared(
        UserFactory(username="records", roles=[Role.RECORDS_OFFICER, Role.STAFF])
    )
    teacher = _cleared(UserFactory(username="teacher", roles=[Role.STAFF]))
    from documents.models import DocumentClass, Journal

    document = services.register_document(
        actor=records,
        journal=Journal.objects.get(kind="incoming", name=""),
        document_class=DocumentClass.objects.get(code="letter"),
        summary="Кызматтык кат",
        grif=Grif.OFFICIAL_USE,
        storage_place=StoragePlace.objects.create(room="12", cabinet="1"),
    )
    yesterday_noon = timezone.make_aware(
        datetime.combine(timezone.localdate() - timedelta(days=1), datetime.min.time())
    ) + timedelta(hours=12)
    with mock.patch("django.utils.timezone.now", return_value=yesterday_noon):
        custody = services.issue_document(actor=records, document=document, to=teacher)
    assert timezone.localtime(custody.due_at).hour == 18

    sign_in(phone, "records", PASSWORD, device=enrolled(records))
    phone.goto(f"{live_server.url}/documents/custody/")

    overdue = phone.locator("section.overdue")
    expect(overdue).to_contain_text(document.number)
    expect(overdue).to_contain_text(str(teacher))
    phone.goto(f"{live_server.url}/")
    expect(phone.locator(".records-office")).to_contain_text(str(teacher))
