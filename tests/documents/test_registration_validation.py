"""Registration and correction refuse what the journal can't keep: text longer
than its field, "their date" in the future, a deadline before the registration,
an official-use PDF that could never be stamped. Each rule through the page (the
form as a browser sends it) and through the service (whoever calls it), and a
refusal changes nothing and writes nothing to the trail."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfWriter

from audit.models import AuditEvent
from documents import services, storage
from documents.models import Attachment, Correction, Document, Grif, YearCounter
from tests.browser_forms import post_forms
from tests.documents.conftest import make_pdf

UNREADABLE_PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer <<>>\n"


def locked_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _form(client, url: str):
    """The page's own form, as the browser would send it."""
    response = client.get(url)
    assert response.status_code == 200
    (form,) = [f for f in post_forms(response.content.decode()) if not f.action]
    return form


def _send(client, url: str, form, changes: dict, files: dict | None = None):
    data = {}
    for name, value in form.data():
        data.setdefault(name, []).append(value)
    data.update({name: [value] for name, value in changes.items()})
    return client.post(url, {**data, **(files or {})})


def _errors(response, field: str) -> list[str]:
    assert response.status_code == 200
    return response.context["form"].errors.get(field, [])


@pytest.fixture
def registering(client, records_officer, incoming):
    client.force_login(records_officer)
    url = reverse("documents:register")
    return lambda changes, files=None: _send(
        client, url, _form(client, url), {"summary": "Кат", **changes}, files
    )


@pytest.fixture
def nothing_changes():
    """Asserts that the block changes no document, number, file or trail."""

    def snapshot():
        return (
            list(Document.objects.values()),
            list(YearCounter.objects.values()),
            list(Correction.objects.values()),
            list(Attachment.objects.values()),
            AuditEvent.objects.count(),
        )

    class Unchanged:
        def __enter__(self):
            self.before = snapshot()

        def __exit__(self, *exc):
            assert snapshot() == self.before

    return Unchanged


# Through the registration page.


@pytest.mark.parametrize(
    ("field", "limit"),
    [("summary", 2000), ("correspondent", 300), ("their_number", 50)],
)
def test_a_text_longer_than_its_field_is_refused_next_to_the_field(
    registering, field, limit
):
    response = registering({field: "ы" * (limit + 1)})

    assert _errors(response, field) == [
        f"Too long: at most {limit} characters (now {limit + 1})."
    ]
    assert not Document.objects.exists()


def test_a_text_as_long_as_its_field_is_registered(registering):
    response = registering({"summary": "ы" * 2000, "correspondent": "ы" * 300})

    assert response.status_code == 302
    assert len(Document.objects.get().summary) == 2000


def test_the_page_tells_the_browser_how_long_each_text_may_be(
    client, records_officer, incoming
):
    client.force_login(records_officer)

    form = _form(client, reverse("documents:register"))

    assert {
        name: form.control(name).attrs.get("maxlength")
        for name in ("summary", "correspondent", "their_number")
    } == {"summary": "2000", "correspondent": "300", "their_number": "50"}


def test_their_date_in_the_future_is_refused(registering):
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = registering({"their_date": tomorrow.isoformat()})

    assert _errors(response, "their_date") == ["Their date can't be in the future."]
    assert not Document.objects.exists()


def test_a_deadline_before_the_registration_is_refused(registering):
    yesterday = timezone.localdate() - timedelta(days=1)

    response = registering({"due_on": yesterday.isoformat()})

    (error,) = _errors(response, "due_on")
    assert error.startswith("The deadline can't be before the registration date")
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    "data", [UNREADABLE_PDF, locked_pdf()], ids=["damaged", "locked"]
)
def test_an_official_use_pdf_that_cannot_be_stamped_is_refused_at_registration(
    client, records_officer, incoming, clear, cabinet, attachment_dir, data
):
    clear(records_officer)
    client.force_login(records_officer)
    url = reverse("documents:register")

    response = _send(
        client,
        url,
        _form(client, url),
        {
            "summary": "Кызматтык кат",
            "grif": Grif.OFFICIAL_USE,
            "storage_place": str(cabinet.pk),
        },
        {"files": [SimpleUploadedFile("scan.pdf", data)]},
    )

    (error,) = _errors(response, "files")
    assert error.startswith("scan.pdf: This PDF can't be read")
    assert not Document.objects.exists()
    assert not any(attachment_dir.glob("**/*.*"))


def test_an_official_use_pdf_that_cannot_be_stamped_is_refused_in_the_add_files_form(
    client, official, records_officer, attachment_dir
):
    document = official()
    client.force_login(records_officer)
    page = client.get(reverse("documents:document", args=[document.pk]))
    (form,) = [
        f for f in post_forms(page.content.decode()) if f.action.endswith("/attach/")
    ]

    response = _send(
        client,
        form.action,
        form,
        {},
        {"files": [SimpleUploadedFile("scan.pdf", UNREADABLE_PDF)]},
    )

    assert response.status_code == 302
    shown = client.get(response.url).content.decode()
    assert "scan.pdf: This PDF can&#x27;t be read" in shown
    assert not Attachment.objects.exists()


def test_a_readable_official_use_pdf_is_registered_and_copied_stamped(
    client, records_officer, incoming, clear, cabinet
):
    clear(records_officer)
    client.force_login(records_officer)
    url = reverse("documents:register")

    response = _send(
        client,
        url,
        _form(client, url),
        {
            "summary": "Кызматтык кат",
            "grif": Grif.OFFICIAL_USE,
            "storage_place": str(cabinet.pk),
        },
        {"files": [SimpleUploadedFile("scan.pdf", make_pdf(1))]},
    )

    assert response.status_code == 302
    attachment = Attachment.objects.get()
    copy, _data = services.copy_attachment(
        actor=records_officer, attachment=attachment, purpose="x", address="127.0.0.1"
    )
    assert copy.stamped


# Through the correction page.


@pytest.fixture
def correcting(client, records_officer, register):
    document = register(
        records_officer,
        their_date=timezone.localdate() - timedelta(days=5),
        due_on=timezone.localdate() + timedelta(days=10),
    )
    client.force_login(records_officer)
    url = reverse("documents:correct", args=[document.pk])

    def correcting(changes):
        return _send(client, url, _form(client, url), {"reason": "Ката", **changes})

    correcting.document = document
    return correcting


@pytest.mark.parametrize(
    ("field", "limit"),
    [("summary", 2000), ("correspondent", 300), ("their_number", 50), ("reason", 500)],
)
def test_a_correction_longer_than_its_field_is_refused_and_changes_nothing(
    correcting, nothing_changes, field, limit
):
    with nothing_changes():
        response = correcting({field: "ы" * (limit + 1)})

    assert _errors(response, field) == [
        f"Too long: at most {limit} characters (now {limit + 1})."
    ]


def test_a_correction_of_their_date_into_the_future_is_refused(
    correcting, nothing_changes
):
    tomorrow = timezone.localdate() + timedelta(days=1)

    with nothing_changes():
        response = correcting({"their_date": tomorrow.isoformat()})

    assert _errors(response, "their_date") == ["Their date can't be in the future."]


def test_a_correction_of_the_deadline_before_the_registration_is_refused(
    correcting, nothing_changes
):
    before = correcting.document.registered_on - timedelta(days=1)

    with nothing_changes():
        response = correcting({"due_on": before.isoformat()})

    (error,) = _errors(response, "due_on")
    assert error.startswith("The deadline can't be before the registration date")


def test_correcting_the_summary_keeps_every_date_and_records_only_the_summary(
    correcting,
):
    document = correcting.document

    response = correcting({"summary": "Жаңы кыскача мазмун"})

    assert response.status_code == 302
    after = Document.objects.get(pk=document.pk)
    assert (after.their_date, after.due_on) == (document.their_date, document.due_on)
    assert list(Correction.objects.values_list("field", "new_value")) == [
        ("summary", "Жаңы кыскача мазмун")
    ]


def test_an_old_deadline_does_not_block_correcting_another_field(
    correcting, records_officer
):
    document = correcting.document
    # Registered before the rule: due before its registration.
    Document.objects.filter(pk=document.pk).update(
        due_on=document.registered_on - timedelta(days=2)
    )

    response = correcting({"summary": "Жаңы кыскача мазмун"})

    assert response.status_code == 302
    assert Correction.objects.get().field == "summary"


# Through the service: a command or an API gets the same refusals.

# One value past each rule, and the field the refusal is keyed by.
REFUSED_VALUES = [
    ({"summary": "ы" * 2001}, "summary"),
    ({"correspondent": "ы" * 301}, "correspondent"),
    ({"their_number": "1" * 51}, "their_number"),
    ({"their_date": timezone.localdate() + timedelta(days=1)}, "their_date"),
    ({"due_on": timezone.localdate() - timedelta(days=1)}, "due_on"),
]


@pytest.mark.parametrize(
    ("fields", "field"),
    REFUSED_VALUES,
    ids=[field for _values, field in REFUSED_VALUES],
)
def test_registration_refuses_in_the_service_and_takes_no_number(
    register, records_officer, nothing_changes, fields, field
):
    register(records_officer)  # the year's counter exists and stays at 1

    with nothing_changes(), pytest.raises(ValidationError) as refused:
        register(records_officer, **fields)

    assert list(refused.value.error_dict) == [field]


def test_the_service_refuses_an_unstampable_pdf_for_an_official_use_document(
    official, nothing_changes, attachment_dir
):
    upload = services.Upload(
        name="scan.pdf", content_type="application/pdf", data=UNREADABLE_PDF
    )

    with nothing_changes(), pytest.raises(ValidationError) as refused:
        official(uploads=[upload])

    assert list(refused.value.error_dict) == ["files"]
    assert not any(attachment_dir.glob("**/*.*"))


@pytest.mark.parametrize(
    ("changes", "field"),
    REFUSED_VALUES,
    ids=[field for _values, field in REFUSED_VALUES],
)
def test_a_correction_refused_by_the_service_changes_nothing(
    register, records_officer, nothing_changes, changes, field
):
    document = register(records_officer)

    with nothing_changes(), pytest.raises(ValidationError) as refused:
        services.correct_document(
            actor=records_officer, document=document, changes=changes, reason="Ката"
        )

    assert list(refused.value.error_dict) == [field]


def test_a_correction_with_an_overlong_reason_is_refused_by_the_service(
    register, records_officer, nothing_changes
):
    document = register(records_officer)

    with nothing_changes(), pytest.raises(ValidationError) as refused:
        services.correct_document(
            actor=records_officer,
            document=document,
            changes={"summary": "Башка"},
            reason="ы" * 501,
        )

    assert list(refused.value.error_dict) == ["reason"]


@pytest.mark.parametrize(
    "data", [UNREADABLE_PDF, locked_pdf()], ids=["damaged", "locked"]
)
def test_an_upload_of_a_pdf_that_cannot_be_stamped_is_refused(data):
    with pytest.raises(storage.FileRefused, match="This PDF can't be read"):
        services.check_upload(SimpleUploadedFile("scan.pdf", data))


def test_an_upload_of_a_readable_pdf_is_accepted_unchanged():
    pdf = make_pdf(2)

    upload = services.check_upload(SimpleUploadedFile("scan.pdf", pdf))

    assert (upload.content_type, upload.data) == ("application/pdf", pdf)
