"""Custody against signature (4.2.1-4.2.4) and the official-use rules."""

from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts import access
from audit.models import AuditAction, AuditEvent
from documents import services
from documents.models import Custody

BISHKEK_NOON = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def at_noon():
    with mock.patch("django.utils.timezone.now", return_value=BISHKEK_NOON):
        yield BISHKEK_NOON


def test_records_officer_issues_and_the_receiver_signs_with_their_password(
    register, records_officer, teacher, password
):
    document = register(records_officer)

    custody = services.issue_document(
        actor=records_officer, document=document, to=teacher
    )
    assert custody.received_at is None
    issue_event = AuditEvent.objects.filter(action=AuditAction.ISSUE).last()
    assert issue_event.details["to"] == teacher.pk

    services.sign_for_document(actor=teacher, custody=custody, password=password)
    services.hand_back(actor=teacher, custody=custody)
    services.confirm_return(actor=records_officer, custody=custody)

    custody.refresh_from_db()
    assert custody.received_at and custody.handed_back_at and custody.returned_at
    assert custody.return_confirmed_by == records_officer
    steps = AuditEvent.objects.filter(
        target_type="documents.document", target_id=str(document.pk)
    ).order_by("seq")
    assert [(e.action, e.actor) for e in steps if e.action != AuditAction.REGISTER] == [
        (AuditAction.ISSUE, records_officer),
        (AuditAction.SIGN_FOR, teacher),
        (AuditAction.HAND_BACK, teacher),
        (AuditAction.CONFIRM_RETURN, records_officer),
    ]


def test_a_wrong_password_is_refused_and_nothing_changes(
    register, records_officer, teacher
):
    custody = services.issue_document(
        actor=records_officer, document=register(records_officer), to=teacher
    )

    with pytest.raises(ValidationError) as error:
        services.sign_for_document(actor=teacher, custody=custody, password="wrong")

    assert "password" in error.value.error_dict
    custody.refresh_from_db()
    assert custody.received_at is None


def test_someone_else_cannot_sign(
    register, records_officer, teacher, support, password
):
    custody = services.issue_document(
        actor=records_officer, document=register(records_officer), to=teacher
    )

    with pytest.raises(access.NotVisible):
        services.sign_for_document(actor=support, custody=custody, password=password)


def test_only_the_records_officer_issues(register, records_officer, teacher, director):
    document = register(records_officer)

    for person in (teacher, director):
        with pytest.raises(access.Forbidden):
            services.issue_document(actor=person, document=document, to=teacher)
    assert not Custody.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.ISSUE).exists()


def test_a_held_document_cannot_be_issued_to_another(
    register, records_officer, teacher, support
):
    document = register(records_officer)
    services.issue_document(actor=records_officer, document=document, to=teacher)

    with pytest.raises(ValidationError, match="held by"):
        services.issue_document(actor=records_officer, document=document, to=support)
    assert Custody.objects.get().holder == teacher


def test_students_cannot_receive_documents(register, records_officer, student):
    with pytest.raises(ValidationError):
        services.issue_document(
            actor=records_officer, document=register(records_officer), to=student
        )


def test_official_use_is_due_back_by_the_end_of_the_school_day(
    official, records_officer, teacher, clear, at_noon
):
    clear(teacher)

    custody = services.issue_document(
        actor=records_officer, document=official(), to=teacher
    )

    assert timezone.localtime(custody.due_at).strftime("%Y-%m-%d %H:%M") == (
        "2026-11-25 18:00"
    )
    event = AuditEvent.objects.filter(action=AuditAction.ISSUE).last()
    assert event.details["official_use"] is True


def test_official_use_is_not_issued_after_the_school_day(
    official, records_officer, teacher, clear
):
    clear(teacher)
    document = official()
    evening = BISHKEK_NOON.replace(hour=19)

    with (
        mock.patch("django.utils.timezone.now", return_value=evening),
        pytest.raises(ValidationError, match="school day is over"),
    ):
        services.issue_document(actor=records_officer, document=document, to=teacher)
    assert not Custody.objects.exists()


def test_official_use_goes_only_to_cleared_people(
    official, records_officer, teacher, at_noon
):
    with pytest.raises(ValidationError, match="onboarding"):
        services.issue_document(actor=records_officer, document=official(), to=teacher)
    assert not Custody.objects.exists()


def test_a_holder_of_an_overdue_official_use_document_gets_no_other(
    official, register, records_officer, teacher, clear, at_noon
):
    clear(teacher)
    late = services.issue_document(
        actor=records_officer, document=official(), to=teacher
    )
    tomorrow = at_noon + timedelta(days=1)

    with mock.patch("django.utils.timezone.now", return_value=tomorrow):
        assert late.is_overdue
        assert list(services_overdue(records_officer)) == [late]
        with pytest.raises(ValidationError, match="overdue"):
            services.issue_document(
                actor=records_officer, document=register(records_officer), to=teacher
            )
    assert Custody.objects.count() == 1


def services_overdue(user):
    from documents import selectors

    return selectors.open_custody(user=user, overdue_only=True)


def test_return_is_confirmed_only_by_the_records_officer(
    register, records_officer, teacher
):
    custody = services.issue_document(
        actor=records_officer, document=register(records_officer), to=teacher
    )

    with pytest.raises(access.Forbidden):
        services.confirm_return(actor=teacher, custody=custody)
    custody.refresh_from_db()
    assert custody.returned_at is None
