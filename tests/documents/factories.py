"""A registered document for the URL matrix: open, executed by the teacher, with
a PDF, in the teacher's custody (not yet signed for)."""

from documents import services
from documents.models import Custody, DocumentClass, Journal, JournalKind
from tests.documents.conftest import ensure_registry_basics, make_pdf


def matrix_document(people: dict):
    ensure_registry_basics()
    officer = people["records_officer"]
    document = services.register_document(
        actor=officer,
        journal=Journal.objects.get(kind=JournalKind.INCOMING, name=""),
        document_class=DocumentClass.objects.get(code="letter"),
        summary="Matrix letter",
        executor=people["teacher"],
        uploads=[
            services.Upload(
                name="letter.pdf", content_type="application/pdf", data=make_pdf(1)
            )
        ],
    )
    services.issue_document(actor=officer, document=document, to=people["teacher"])
    return document


def document_args(people: dict) -> dict:
    return {"pk": matrix_document(people).pk}


def attachment_args(people: dict) -> dict:
    return {"pk": matrix_document(people).attachments.get().pk}


def custody_args(people: dict) -> dict:
    document = matrix_document(people)
    return {"pk": Custody.objects.get(document=document).pk}


def copy_args(people: dict) -> dict:
    document = matrix_document(people)
    copy = services.log_paper_copy(
        actor=people["records_officer"], document=document, purpose="x", count=1
    )
    return {"pk": copy.pk}
