"""Home-page signals: each appears when its condition holds and disappears when
it is resolved; other features plug their own in through office.signals."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from office import health, services
from office.models import CarrierIssue, PeriodicControl, ProtectedResource
from office.signals import APPROVAL, DANGER, Signal, register, signals_for, unregister
from tests.office.conftest import clear, days


@pytest.fixture(autouse=True)
def kyrgyz_first(settings):
    """These tests read the Kyrgyz texts, as the school sees them."""
    settings.LANGUAGE_CODE = "ky"


@pytest.fixture
def quiet(everyone, appointed, monkeypatch):
    """A school where nothing needs anyone: all cleared, officers appointed,
    backups and verification fresh."""
    for person in everyone.values():
        clear(person)
    fresh = health.Run(at=timezone.now(), ok=True)
    monkeypatch.setattr(health, "latest_runs", lambda source: (fresh, fresh))
    return everyone


def ky(text: str) -> str:
    with translation.override("ky"):
        return translation.gettext(text)


NOTHING_WAITS = ky("Nothing waits for your approval.")


def shown(client, person) -> set[str]:
    client.force_login(person)
    html = client.get(reverse("home")).content.decode()
    client.logout()
    return {key for key in KEYS if f'data-signal="{key}"' in html}


KEYS = [
    "office.onboarding_incomplete",
    "office.rebriefing_due",
    "office.no_security_officer",
    "office.no_records_officer",
    "office.controls_overdue",
    "office.reviews_due",
    "office.carriers_return_overdue",
    "office.carriers_check_due",
    "office.resources_awaiting_approval",
    "office.health",
]


def test_a_quiet_school_shows_no_signals(client, quiet):
    for who in ["security_officer", "director", "administrator", "teacher"]:
        assert shown(client, quiet[who]) == set(), who
    client.force_login(quiet["director"])
    html = client.get(reverse("home")).content.decode()
    assert NOTHING_WAITS in html


def test_incomplete_onboarding_appears_and_goes(client, quiet):
    officer, teacher = quiet["security_officer"], quiet["teacher"]
    teacher.onboarding.delete()

    assert shown(client, officer) == {"office.onboarding_incomplete"}
    assert shown(client, teacher) == set()

    clear(teacher)
    assert shown(client, officer) == set()


def test_a_due_rebriefing_appears_and_goes(client, quiet, settings):
    clear(quiet["teacher"], briefed_days_ago=settings.PORTAL_REBRIEFING_DAYS + 1)

    assert shown(client, quiet["security_officer"]) == {"office.rebriefing_due"}
    assert shown(client, quiet["director"]) == {"office.rebriefing_due"}

    clear(quiet["teacher"])
    assert shown(client, quiet["security_officer"]) == set()


def test_a_missing_appointment_appears_and_goes(client, quiet):
    from accounts.models import AppointedRole, Appointment

    current = Appointment.objects.get(role=AppointedRole.RECORDS_OFFICER)
    current.ends_on = days(0)
    current.save()

    assert shown(client, quiet["director"]) == {"office.no_records_officer"}
    assert shown(client, quiet["records_officer"]) == set()

    current.ends_on = None
    current.save()
    assert shown(client, quiet["director"]) == set()


def test_an_overdue_control_appears_and_goes_when_done(client, quiet):
    officer = quiet["security_officer"]
    control = PeriodicControl.objects.get(key="wifi_password")
    PeriodicControl.objects.filter(pk=control.pk).update(next_due_on=days(-1))

    assert shown(client, officer) == {"office.controls_overdue"}
    assert shown(client, quiet["director"]) == {"office.controls_overdue"}
    assert shown(client, quiet["teacher"]) == set()

    services.control_done(actor=officer, control=control, done_on=days(0), note="ok")
    assert shown(client, officer) == set()


def test_a_due_review_appears_and_goes(client, quiet, resource):
    services.resource_approve(actor=quiet["director"], resource=resource)
    ProtectedResource.objects.filter(pk=resource.pk).update(next_review_on=days(0))

    assert shown(client, quiet["security_officer"]) == {"office.reviews_due"}

    ProtectedResource.objects.filter(pk=resource.pk).update(next_review_on=days(365))
    assert shown(client, quiet["security_officer"]) == set()


def test_overdue_carriers_appear_and_go(client, quiet, carrier):
    officer = quiet["security_officer"]
    CarrierIssue.objects.create(
        carrier=carrier,
        holder=quiet["teacher"],
        issued_on=days(-10),
        due_back_on=days(-1),
        issued_by=officer,
    )
    carrier.next_check_on = days(0)
    carrier.save()

    assert shown(client, officer) == {
        "office.carriers_return_overdue",
        "office.carriers_check_due",
    }

    services.carrier_return(actor=officer, carrier=carrier, returned_on=days(0))
    services.carrier_check(
        actor=officer, carrier=carrier, checked_on=days(0), note="ok"
    )
    assert shown(client, officer) == set()


def test_the_principal_sees_an_approval_waiting_until_approved(client, quiet, resource):
    director = quiet["director"]
    client.force_login(director)
    html = client.get(reverse("home")).content.decode()

    assert 'data-signal="office.resources_awaiting_approval"' in html
    assert NOTHING_WAITS not in html
    assert shown(client, quiet["security_officer"]) == set()

    services.resource_approve(actor=director, resource=resource)
    client.force_login(director)
    assert NOTHING_WAITS in client.get(reverse("home")).content.decode()


def test_missing_backups_make_health_red_for_the_keepers_only(
    client, quiet, monkeypatch
):
    fresh = health.Run(at=timezone.now(), ok=True)
    old = health.Run(at=timezone.now() - timedelta(days=3), ok=True)
    monkeypatch.setattr(
        health,
        "latest_runs",
        lambda source: (old, old) if source is health.BACKUPS else (fresh, fresh),
    )

    assert shown(client, quiet["administrator"]) == {"office.health"}
    assert shown(client, quiet["security_officer"]) == {"office.health"}
    assert shown(client, quiet["director"]) == set()


def test_another_feature_plugs_in_an_approval(client, quiet):
    def hand_over_acts(user):
        if not user.has_perm("office.approve_resource"):
            return []
        return [
            Signal("documents.hand_over", "Hand-over acts", 2, "/x/", DANGER, APPROVAL)
        ]

    register(hand_over_acts)
    register(hand_over_acts)
    try:
        assert [s.key for s in signals_for(quiet["director"])] == [
            "documents.hand_over"
        ]
        assert signals_for(quiet["teacher"]) == []
    finally:
        unregister(hand_over_acts)
