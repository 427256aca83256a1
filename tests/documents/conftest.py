"""Shared pieces for the registry tests: cleared people, journals, files."""

import io

import pytest
from django.utils import timezone
from pypdf import PdfWriter

from accounts.models import PLEDGE_VERSION, Onboarding
from documents import services
from documents.models import (
    BUILTIN_CLASSES,
    DocumentClass,
    Grif,
    Journal,
    JournalKind,
    StoragePlace,
)


@pytest.fixture
def attachment_dir(settings):
    return settings.PORTAL_ATTACHMENT_DIR


@pytest.fixture
def clear():
    """Complete a person's onboarding (regulation 2.5)."""

    def clear(person):
        now = timezone.now()
        Onboarding.objects.update_or_create(
            person=person,
            defaults={
                "pledge_version": PLEDGE_VERSION,
                "pledge_accepted_at": now,
                "familiarized_at": now,
                "briefed_at": now,
            },
        )
        person.__dict__.pop("_portal_cleared", None)
        return person

    return clear


def ensure_registry_basics() -> None:
    """The journals and classes of the data migration; a transactional test
    flushes them, so the tests that run after one put them back."""
    for position, kind in enumerate(
        [JournalKind.INCOMING, JournalKind.OUTGOING, JournalKind.ORDERS], start=1
    ):
        Journal.objects.get_or_create(
            kind=kind, name="", defaults={"position": position}
        )
    for position, code in enumerate(BUILTIN_CLASSES, start=1):
        DocumentClass.objects.get_or_create(code=code, defaults={"position": position})


@pytest.fixture
def incoming(db):
    ensure_registry_basics()
    return Journal.objects.get(kind=JournalKind.INCOMING, name="")


@pytest.fixture
def letter_class(db):
    ensure_registry_basics()
    return DocumentClass.objects.get(code="letter")


@pytest.fixture
def cabinet(db):
    return StoragePlace.objects.create(room="12", cabinet="1")


def make_pdf(pages: int = 2) -> bytes:
    """Blank A4 pages as an upload: written by pypdf, not by the portal's own
    writer (school_portal.pdf), as files that come in are made elsewhere."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def pdf_upload():
    return services.Upload(
        name="letter.pdf", content_type="application/pdf", data=make_pdf()
    )


@pytest.fixture
def register(incoming, letter_class):
    """Register a document as the given person, with sensible defaults."""

    def register(actor, **fields):
        defaults = {
            "journal": incoming,
            "document_class": letter_class,
            "summary": "Окуу жылынын башталышы жөнүндө",
            "correspondent": "Райондук билим берүү бөлүмү",
        }
        return services.register_document(actor=actor, **{**defaults, **fields})

    return register


@pytest.fixture
def official(register, records_officer, clear, cabinet):
    clear(records_officer)
    return lambda **fields: register(
        records_officer, grif=Grif.OFFICIAL_USE, storage_place=cabinet, **fields
    )
