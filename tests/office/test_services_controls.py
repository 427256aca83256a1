"""Periodic controls (3): the defaults, marking one done, adding one."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts.access import Forbidden
from audit.models import AuditAction
from office import services
from office.defaults import DEFAULT_CONTROLS
from office.models import PeriodicControl
from tests.office.conftest import days
from tests.trail import service_events


def test_every_school_starts_with_the_default_controls(db):
    keys = set(PeriodicControl.objects.values_list("key", flat=True))

    assert keys == {key for key, _title, _days in DEFAULT_CONTROLS}
    assert not PeriodicControl.objects.filter(next_due_on__lt=days(0)).exists()


def test_a_default_control_reads_in_the_persons_language(db):
    control = PeriodicControl.objects.get(key="wifi_password")

    with translation.override("en"):
        assert str(control) == "Change the Wi-Fi password"


def test_marking_done_records_evidence_and_moves_the_due_date(security_officer):
    control = PeriodicControl.objects.get(key="wifi_password")
    PeriodicControl.objects.filter(pk=control.pk).update(next_due_on=days(-3))

    services.control_done(
        actor=security_officer, control=control, done_on=days(-1), note="Жаңы сырсөз"
    )

    control.refresh_from_db()
    assert control.next_due_on == days(89)
    assert control.completions.get().note == "Жаңы сырсөз"
    event = service_events().get(action=AuditAction.CONTROL_DONE)
    assert (event.actor, event.target_id) == (security_officer, str(control.pk))
    assert event.details == {
        "done_on": days(-1).isoformat(),
        "next_due_on": days(89).isoformat(),
    }


@pytest.mark.parametrize(
    ("done", "note"), [(0, " "), (1, "ok")], ids=["no-evidence", "future"]
)
def test_marking_done_needs_evidence_and_a_real_date(security_officer, done, note):
    control = PeriodicControl.objects.get(key="backups")
    due = control.next_due_on

    with pytest.raises(ValidationError):
        services.control_done(
            actor=security_officer, control=control, done_on=days(done), note=note
        )

    control.refresh_from_db()
    assert control.next_due_on == due
    assert not control.completions.exists()
    assert not service_events().exists()


def test_done_cant_go_back_before_the_last_time(security_officer):
    control = PeriodicControl.objects.get(key="backups")
    services.control_done(
        actor=security_officer, control=control, done_on=days(0), note="ok"
    )

    with pytest.raises(ValidationError):
        services.control_done(
            actor=security_officer, control=control, done_on=days(-2), note="ok"
        )

    assert control.completions.count() == 1


def test_the_principal_may_see_but_not_mark_done(director):
    control = PeriodicControl.objects.get(key="backups")

    with pytest.raises(Forbidden):
        services.control_done(
            actor=director, control=control, done_on=days(0), note="ok"
        )

    assert not control.completions.exists()


def test_a_school_adds_its_own_control(security_officer, teacher):
    control = services.control_create(
        actor=security_officer,
        title="Сервер бөлмөсүнүн ачкычтарын текшерүү",
        frequency_days=30,
        next_due_on=days(30),
        responsible=teacher,
    )

    assert str(control) == "Сервер бөлмөсүнүн ачкычтарын текшерүү"
    event = service_events().get(action=AuditAction.CONTROL_ADD)
    assert event.details["responsible"] == teacher.pk
    with pytest.raises(ValidationError):
        services.control_create(
            actor=security_officer, title="x", frequency_days=30, next_due_on=days(-1)
        )


def test_changing_a_default_keeps_its_title(security_officer, teacher):
    control = PeriodicControl.objects.get(key="antivirus")

    services.control_update(
        actor=security_officer,
        control=control,
        title="hacked",
        frequency_days=14,
        responsible=teacher,
        next_due_on=control.next_due_on,
    )

    control.refresh_from_db()
    assert (control.title, control.frequency_days, control.responsible) == (
        "",
        14,
        teacher,
    )
    event = service_events().get(action=AuditAction.CONTROL_CHANGE)
    assert event.details == {
        "old": {"frequency_days": 7, "responsible": None},
        "new": {"frequency_days": 14, "responsible": teacher.pk},
    }
