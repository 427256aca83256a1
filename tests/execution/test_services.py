"""Resolutions, executors and reports through the services: each step works,
is refused with a clear reason, and a refusal saves nothing and writes no
change into the trail."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from guardian.shortcuts import assign_perm

from accounts import access
from accounts.models import Holiday
from audit.models import AuditAction, AuditEvent
from documents import services as documents
from documents.models import Attachment
from execution import services
from execution.models import (
    ExecutionReport,
    Resolution,
    ResolutionChange,
    ResolutionExecutor,
)
from tests.documents.conftest import make_pdf
from tests.trail import changed, the_event

pytestmark = pytest.mark.django_db


def _give(director, document, responsible, **fields):
    values = {
        "text": "Жооп даярдалсын",
        "deadline": timezone.localdate() + timedelta(days=7),
    }
    return services.give_resolution(
        actor=director,
        document=document,
        responsible=responsible,
        **{**values, **fields},
    )


def _nothing_saved():
    assert not Resolution.objects.exists()
    assert not ResolutionExecutor.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.RESOLUTION_GIVE).exists()


def test_the_principal_gives_a_resolution_to_a_teacher_and_a_co_executor(
    director, teacher, records_officer, letter
):
    resolution = _give(
        director, letter, teacher, co_executors=[records_officer], on_control=True
    )

    assert resolution.author == director
    assert resolution.responsible == teacher
    assert resolution.co_executors == [records_officer]
    event = the_event(AuditAction.RESOLUTION_GIVE)
    assert event.actor == director
    assert event.target_id == str(resolution.pk)
    assert event.details["responsible"] == teacher.pk
    assert event.details["co_executors"] == [records_officer.pk]
    assert event.details["on_control"] is True


def test_an_assignee_sees_the_document_through_the_access_policy(
    director, teacher, letter
):
    assert not access.can(teacher, "documents.view_document", letter)

    _give(director, letter, teacher)

    teacher = type(teacher).objects.get(pk=teacher.pk)
    assert access.can(teacher, "documents.view_document", letter)
    assert letter in access.visible(
        teacher, "documents.view_document", type(letter).objects.all()
    )


def test_within_working_days_skips_weekends_and_holidays(director, teacher, letter):
    friday = date(2030, 3, 1)
    assert friday.weekday() == 4
    Holiday.objects.create(date=date(2030, 3, 8), name="8-март")

    # Monday 4th .. Thursday 7th, Friday 8th is a holiday, then Monday 11th.
    assert services.working_days_after(friday, 5) == date(2030, 3, 11)
    resolution = _give(director, letter, teacher, deadline=None, working_days=3)
    assert resolution.deadline == services.working_days_after(timezone.localdate(), 3)


def test_a_deadline_before_the_registration_date_is_refused(
    director, teacher, register, records_officer
):
    letter = register(
        records_officer, registered_on=timezone.localdate() - timedelta(days=3)
    )

    with pytest.raises(ValidationError) as refused:
        _give(
            director,
            letter,
            teacher,
            deadline=timezone.localdate() - timedelta(days=4),
        )

    assert "before the registration date" in str(refused.value.message_dict["deadline"])
    _nothing_saved()


def test_an_uncleared_executor_is_refused_for_an_official_use_document(
    director, teacher, official, clear
):
    clear(director)
    document = official()

    with pytest.raises(ValidationError) as refused:
        _give(director, document, teacher)

    assert "has not completed onboarding" in str(
        refused.value.message_dict["responsible"]
    )
    _nothing_saved()
    clear(teacher)
    assert _give(director, document, teacher).responsible == teacher


def test_an_official_use_document_assigned_keeps_its_clearance_rule(
    director, teacher, official, clear
):
    clear(director)
    clear(teacher)
    document = official()
    resolution = _give(director, document, teacher)
    assert access.can(teacher, "documents.view_document", document)

    # Clearance lapses (the briefing is repeated): the assignment gives nothing.
    teacher.onboarding.delete()
    teacher = type(teacher).objects.get(pk=teacher.pk)
    assert not access.can(teacher, "documents.view_document", document)
    assert not access.can(teacher, "execution.view_resolution", resolution)


def test_a_resolution_on_an_annulled_document_is_refused(
    director, teacher, letter, records_officer
):
    documents.annul_document(actor=records_officer, document=letter, reason="Қата")

    with pytest.raises(ValidationError) as refused:
        _give(director, letter, teacher)

    assert "annulled or destroyed" in " ".join(refused.value.messages)
    _nothing_saved()


def test_only_a_role_that_gives_resolutions_gives_one(records_officer, teacher, letter):
    with pytest.raises(access.Forbidden):
        _give(records_officer, letter, teacher)

    _nothing_saved()
    assert AuditEvent.objects.filter(action=AuditAction.DENIED).exists()


def test_an_outsider_is_not_an_executor(director, outsider, letter):
    with pytest.raises(ValidationError) as refused:
        _give(director, letter, outsider)

    assert "not an active employee" in str(refused.value.message_dict["responsible"])
    _nothing_saved()


def test_its_author_changes_a_resolution_and_the_old_one_is_kept(
    director, teacher, records_officer, letter
):
    resolution = _give(director, letter, teacher)
    old_deadline = resolution.deadline
    new_deadline = old_deadline + timedelta(days=3)

    services.change_resolution(
        actor=director,
        resolution=resolution,
        text="Жооп даярдалсын",
        deadline=new_deadline,
        on_control=False,
        responsible=records_officer,
        co_executors=[teacher],
    )

    resolution.refresh_from_db()
    assert resolution.deadline == new_deadline
    assert resolution.responsible == records_officer
    assert resolution.co_executors == [teacher]
    change = ResolutionChange.objects.get()
    assert change.old == {
        "deadline": old_deadline.isoformat(),
        "responsible": teacher.pk,
        "co_executors": [],
    }
    old, new = changed(the_event(AuditAction.RESOLUTION_CHANGE))
    assert old["deadline"] == old_deadline.isoformat()
    assert new == {
        "deadline": new_deadline.isoformat(),
        "responsible": records_officer.pk,
        "co_executors": [teacher.pk],
    }


def test_a_resolution_sent_back_unchanged_changes_nothing(director, teacher, letter):
    resolution = _give(director, letter, teacher)

    services.change_resolution(
        actor=director,
        resolution=resolution,
        text=resolution.text,
        deadline=resolution.deadline,
        on_control=resolution.on_control,
        responsible=teacher,
    )

    assert not ResolutionChange.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.RESOLUTION_CHANGE).exists()


def test_nobody_but_its_author_changes_a_resolution(
    director, teacher, letter, records_officer
):
    from accounts.roles import Role
    from tests.factories import UserFactory

    deputy = UserFactory(username="deputy", roles=[Role.DEPUTY_PRINCIPAL, Role.STAFF])
    resolution = _give(director, letter, teacher)

    for intruder in (deputy, records_officer, teacher):
        with pytest.raises(access.Forbidden):
            services.change_resolution(
                actor=intruder,
                resolution=resolution,
                text="Башка",
                deadline=resolution.deadline,
                on_control=True,
                responsible=intruder,
            )

    resolution.refresh_from_db()
    assert resolution.text == "Жооп даярдалсын"
    assert not ResolutionChange.objects.exists()


def test_the_responsible_executors_report_with_the_reply_executes_it(
    director, teacher, letter, register, outgoing, records_officer
):
    resolution = _give(director, letter, teacher, on_control=True)
    # The school lets its teachers register their replies.
    assign_perm("documents.register_in_journal", teacher, outgoing)
    reply = register(teacher, journal=outgoing, summary="Жооп кат")
    upload = documents.Upload(
        name="report.pdf", content_type="application/pdf", data=make_pdf(1)
    )

    report = services.report_execution(
        actor=teacher,
        resolution=resolution,
        note="Жооп жөнөтүлдү",
        reply=reply,
        upload=upload,
    )

    resolution.refresh_from_db()
    assert resolution.is_executed and not resolution.executed_late
    assert report.reply == reply and reply.answers.get() == report
    assert report.attachment.document == letter
    event = the_event(AuditAction.EXECUTION_REPORT)
    assert event.actor == teacher
    assert event.details["reply"] == reply.pk
    assert event.details["late"] is False
    # On control: executed, and the records officer takes it off control.
    assert resolution.state == "executed"
    services.take_off_control(actor=records_officer, resolution=resolution)
    resolution.refresh_from_db()
    assert resolution.state == "done"
    assert resolution.taken_off_by == records_officer
    assert the_event(AuditAction.CONTROL_OFF).actor == records_officer


def test_a_co_executor_reports_to_the_responsible_one(
    director, teacher, records_officer, letter
):
    resolution = _give(director, letter, teacher, co_executors=[records_officer])

    services.report_execution(
        actor=records_officer, resolution=resolution, note="Маалымат берилди"
    )

    resolution.refresh_from_db()
    assert not resolution.is_executed
    assert ExecutionReport.objects.get().by_responsible is False


def test_a_report_by_someone_not_assigned_is_refused(
    director, teacher, records_officer, letter
):
    resolution = _give(director, letter, teacher)

    with pytest.raises(ValidationError) as refused:
        services.report_execution(
            actor=records_officer, resolution=resolution, note="Мен аткардым"
        )

    assert "Only an executor" in " ".join(refused.value.messages)
    assert not ExecutionReport.objects.exists()
    resolution.refresh_from_db()
    assert not resolution.is_executed


def test_a_report_whose_file_is_refused_saves_nothing(director, teacher, letter):
    resolution = _give(director, letter, teacher)
    upload = documents.Upload(name="x.exe", content_type="x", data=b"MZ\x90\x00")

    with pytest.raises(ValidationError):
        services.report_execution(
            actor=teacher, resolution=resolution, note="Аткарылды", upload=upload
        )

    assert not ExecutionReport.objects.exists()
    assert not Attachment.objects.exists()
    resolution.refresh_from_db()
    assert not resolution.is_executed


def test_someone_elses_outgoing_document_is_not_a_reply(
    director, teacher, letter, register, outgoing, records_officer
):
    resolution = _give(director, letter, teacher)
    not_hers = register(records_officer, journal=outgoing, summary="Башка кат")

    with pytest.raises(ValidationError) as refused:
        services.report_execution(
            actor=teacher, resolution=resolution, note="Жооп", reply=not_hers
        )

    assert "reply" in refused.value.message_dict
    assert not ExecutionReport.objects.exists()


def test_a_report_after_the_deadline_is_executed_late(
    director, teacher, register, records_officer
):
    from unittest import mock

    letter = register(
        records_officer, registered_on=timezone.localdate() - timedelta(days=10)
    )
    resolution = _give(
        director, letter, teacher, deadline=timezone.localdate() - timedelta(days=2)
    )
    assert resolution.is_overdue

    services.report_execution(actor=teacher, resolution=resolution, note="Кечикти")

    resolution.refresh_from_db()
    assert resolution.executed_late
    assert the_event(AuditAction.EXECUTION_REPORT).details["late"] is True
    with mock.patch("django.utils.timezone.now", return_value=timezone.now()):
        assert resolution.state == "done"


def test_taking_off_control_before_execution_is_refused(
    director, teacher, letter, records_officer
):
    resolution = _give(director, letter, teacher, on_control=True)

    with pytest.raises(ValidationError):
        services.take_off_control(actor=records_officer, resolution=resolution)

    resolution.refresh_from_db()
    assert resolution.taken_off_at is None
    assert not AuditEvent.objects.filter(action=AuditAction.CONTROL_OFF).exists()


def test_the_teacher_does_not_take_anything_off_control(director, teacher, letter):
    resolution = _give(director, letter, teacher, on_control=True)
    services.report_execution(actor=teacher, resolution=resolution, note="Аткарылды")

    with pytest.raises(access.Forbidden):
        services.take_off_control(actor=teacher, resolution=resolution)

    resolution.refresh_from_db()
    assert resolution.taken_off_at is None


def test_a_resolution_on_a_destroyed_document_is_refused(director, teacher, letter):
    from documents.models import Document, DocumentStatus

    Document.objects.filter(pk=letter.pk).update(status=DocumentStatus.DESTROYED)
    letter.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        _give(director, letter, teacher)

    assert "annulled or destroyed" in " ".join(refused.value.messages)
    _nothing_saved()


def test_several_resolutions_make_a_chain_on_one_document(
    director, teacher, records_officer, letter
):
    first = _give(director, letter, teacher)
    second = _give(director, letter, records_officer, text="Кошумча маалымат")

    from execution import selectors

    assert [r.pk for r in selectors.resolutions_of(document=letter)] == [
        first.pk,
        second.pk,
    ]
