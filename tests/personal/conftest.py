from datetime import date

import pytest

from accounts.models import ClassTeacher, ParentLink, PersonRecord

BORN = date(2012, 5, 3)
PIN = "20305201200107"


@pytest.fixture
def pupil(student):
    """student1 in class 7А (Cyrillic А), with a record."""
    student.school_class = "7А"
    student.save(update_fields=["school_class"])
    PersonRecord.objects.create(
        person=student,
        birth_date=BORN,
        pin=PIN,
        address="Бишкек ш., Ибраимов к., 19",
        phone="+996 555 010 107",
    )
    return student


@pytest.fixture
def family(pupil, parent, administrator):
    ParentLink.objects.create(parent=parent, child=pupil, linked_by=administrator)
    return parent


@pytest.fixture
def class_teacher(teacher, pupil):
    ClassTeacher.objects.create(teacher=teacher, school_class="7А")
    return teacher
