"""Demo personal data for seed_demo: invented dates, PINs, addresses and phones."""

from datetime import date, timedelta

from django.utils import timezone

from accounts.models import (
    ClassTeacher,
    PersonalDataRequest,
    PersonRecord,
    RequestKind,
    RequestStatus,
    User,
)
from accounts.personal.services import DUE_DAYS
from audit.models import AuditAction, AuditEvent
from audit.services import record

# username: (gender digit, date of birth, street address, phone)
DEMO_RECORDS = {
    "admin": ("2", date(1985, 3, 14), "Бишкек ш., Киев к., 12", "+996 555 010 101"),
    "director": (
        "1",
        date(1972, 11, 2),
        "Бишкек ш., Тоголок Молдо к., 5",
        "+996 555 010 102",
    ),
    "security": (
        "2",
        date(1988, 6, 21),
        "Бишкек ш., Ахунбаев к., 44",
        "+996 555 010 103",
    ),
    "records": (
        "1",
        date(1979, 1, 30),
        "Бишкек ш., Токтогул к., 80",
        "+996 555 010 104",
    ),
    "teacher": (
        "1",
        date(1990, 9, 9),
        "Бишкек ш., Жибек Жолу пр., 7",
        "+996 555 010 105",
    ),
    "support": ("2", date(1995, 4, 17), "Бишкек ш., Манас пр., 33", "+996 555 010 106"),
    "student1": (
        "2",
        date(2012, 5, 3),
        "Бишкек ш., Ибраимов к., 19",
        "+996 555 010 107",
    ),
    "student2": (
        "1",
        date(2011, 12, 25),
        "Бишкек ш., Боконбаев к., 3",
        "+996 555 010 108",
    ),
    "parent1": (
        "1",
        date(1984, 8, 8),
        "Бишкек ш., Ибраимов к., 19",
        "+996 555 010 109",
    ),
}


def demo_pin(gender: str, born: date, serial: int) -> str:
    return f"{gender}{born:%d%m%Y}{serial:05d}"


def seed() -> None:
    people = {
        user.username: user for user in User.objects.filter(username__in=DEMO_RECORDS)
    }
    for serial, (username, (gender, born, address, phone)) in enumerate(
        DEMO_RECORDS.items(), start=101
    ):
        PersonRecord.objects.update_or_create(
            person=people[username],
            defaults={
                "birth_date": born,
                "pin": demo_pin(gender, born, serial),
                "address": address,
                "phone": phone,
            },
        )
    teacher, student, parent = people["teacher"], people["student1"], people["parent1"]
    ClassTeacher.objects.get_or_create(
        teacher=teacher, school_class=student.school_class
    )
    student_record = PersonRecord.objects.get(person=student)
    viewed = AuditEvent.objects.filter(
        actor=teacher,
        action=AuditAction.VIEW,
        target_type="accounts.personrecord",
        target_id=str(student_record.pk),
    )
    if not viewed.exists():
        record(actor=teacher, action=AuditAction.VIEW, target=student_record)
    if not PersonalDataRequest.objects.filter(
        subject=student, kind=RequestKind.CERTIFICATE, status=RequestStatus.OPEN
    ).exists():
        made = PersonalDataRequest.objects.create(
            kind=RequestKind.CERTIFICATE,
            subject=student,
            requested_by=parent,
            note="Для поликлиники",
            due_on=timezone.localdate()
            + timedelta(days=DUE_DAYS[RequestKind.CERTIFICATE]),
        )
        record(
            actor=parent,
            action=AuditAction.REQUEST_MAKE,
            target=made,
            details={"kind": made.kind, "subject": student.pk, "field": ""},
        )
