import io

from django.core.management import call_command

from accounts import access
from accounts.models import (
    PersonalDataRequest,
    PersonRecord,
    RequestKind,
    RequestStatus,
    User,
)
from accounts.personal import selectors
from accounts.personal.pin import validate_pin
from audit.models import AuditAction
from tests.trail import service_events


def test_seed_demo_gives_everyone_a_valid_record_and_runs_twice(db):
    for _ in range(2):
        call_command(
            "seed_demo", password="demo-password-for-tests", stdout=io.StringIO()
        )

    records = PersonRecord.objects.select_related("person")
    assert records.count() == User.objects.count()
    for saved in records:
        validate_pin(saved.pin, birth_date=saved.birth_date)
    student = User.objects.get(username="student1")
    # The audit demo adds other reads; the class teacher's read is seeded once.
    teachers_reads = service_events().filter(
        action=AuditAction.VIEW,
        actor__username="teacher",
        target_type="accounts.personrecord",
        target_id=str(student.person_record.pk),
    )
    assert teachers_reads.count() == 1
    assert selectors.who_viewed(person=student)
    request = PersonalDataRequest.objects.get()
    assert (request.kind, request.status) == (
        RequestKind.CERTIFICATE,
        RequestStatus.OPEN,
    )
    assert request.requested_by.username == "parent1"
    teacher = User.objects.get(username="teacher")
    assert access.can(teacher, "accounts.view_personrecord", student)
