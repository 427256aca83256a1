"""Acts for the URL matrix and the act tests: documents old enough to destroy."""

from datetime import date

from django.utils import timezone

from documents import acts, services
from documents.models import Case, DocumentClass, Journal, JournalKind
from tests.documents.conftest import ensure_registry_basics, make_pdf


def old_document(officer, *, years_ago: int = 3, retention: int = 1, pdf=True):
    """A document registered years_ago, in a case kept `retention` years."""
    ensure_registry_basics()
    case, _created = Case.objects.get_or_create(
        index=f"01-{retention:02d}",
        defaults={"title": "Letters", "retention_years": retention},
    )
    year = timezone.localdate().year - years_ago
    uploads = []
    if pdf:
        uploads = [
            services.Upload(
                name="old.pdf", content_type="application/pdf", data=make_pdf(1)
            )
        ]
    return services.register_document(
        actor=officer,
        journal=Journal.objects.get(kind=JournalKind.INCOMING, name=""),
        document_class=DocumentClass.objects.get(code="letter"),
        summary="Old letter",
        correspondent='=HYPERLINK("x")',
        case=case,
        registered_on=date(year, 3, 1),
        uploads=uploads,
    )


def matrix_act(people: dict):
    officer = people["records_officer"]
    return acts.draft_destruction_act(
        actor=officer,
        documents=[old_document(officer)],
        members=[officer, people["teacher"], people["support"]],
    )


def act_args(people: dict) -> dict:
    return {"pk": matrix_act(people).pk}


def journal_year_args(people: dict) -> dict:
    ensure_registry_basics()
    journal = Journal.objects.get(kind=JournalKind.INCOMING, name="")
    return {"journal": journal.pk, "year": timezone.localdate().year}


def hand_over_args(people: dict) -> dict:
    from accounts.models import AppointedRole, Appointment
    from accounts.services import appoint

    if not Appointment.objects.filter(role=AppointedRole.RECORDS_OFFICER).exists():
        appoint(
            actor=people["administrator"],
            person=people["records_officer"],
            role=AppointedRole.RECORDS_OFFICER,
            starts_on=date(2026, 9, 1),
            order_number="1-к",
            order_date=date(2026, 9, 1),
        )
    act = acts.draft_hand_over_act(
        actor=people["administrator"],
        incoming=people["teacher"],
        order_number="2-к",
        order_date=date(2026, 9, 2),
        starts_on=date(2026, 9, 3),
    )
    return {"pk": act.pk}
