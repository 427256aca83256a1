"""5.2.3: "my account may be compromised"."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Incident, IncidentStatus, UserSession
from audit.models import AuditAction, AuditEvent
from audit.services import MASK

pytestmark = pytest.mark.django_db


def test_report_ends_every_session_and_opens_an_incident(sign_in_as, student):
    laptop = sign_in_as(student)
    phone = sign_in_as(student, address="10.0.0.9")

    response = laptop.post("/account/compromised/")

    assert response.status_code == 200
    incident = Incident.objects.get()
    assert (incident.reporter, incident.status) == (student, IncidentStatus.OPEN)
    assert incident.due_at > incident.opened_at
    assert laptop.get("/").status_code == 302
    assert phone.get("/").status_code == 302
    assert not UserSession.objects.filter(user=student).exists()
    student.refresh_from_db()
    assert student.must_change_password
    event = AuditEvent.objects.get(action=AuditAction.BREACH_REPORT)
    assert (event.actor, event.target_id) == (student, str(incident.pk))
    # The account's change goes with the report, not as a "Changed" of its own.
    (account,) = event.details["field_log"]
    assert (account["target_id"], account["new"]) == (
        str(student.pk),
        {"must_change_password": MASK},
    )
    assert not AuditEvent.objects.filter(action=AuditAction.UPDATE).exists()


def test_get_only_asks_for_confirmation(sign_in_as, student):
    browser = sign_in_as(student)

    assert browser.get("/account/compromised/").status_code == 200
    assert not Incident.objects.exists()
    assert browser.get("/").status_code == 200


def test_after_the_report_the_password_must_change_first(sign_in_as, student, password):
    sign_in_as(student).post("/account/compromised/")

    browser = sign_in_as(student)

    assert browser.get("/")["Location"] == "/account/password/"
    browser.post(
        "/account/password/",
        {
            "old_password": password,
            "new_password1": "a-new-long-passphrase-42",
            "new_password2": "a-new-long-passphrase-42",
        },
    )
    assert browser.get("/").status_code == 200


def test_the_reporter_sees_the_status(sign_in_as, student, client, support):
    sign_in_as(student).post("/account/compromised/")
    incident = Incident.objects.get()
    # Here the new password has been chosen already.
    type(student).objects.filter(pk=student.pk).update(must_change_password=False)
    client.force_login(student)

    page = client.get("/account/")
    detail = client.get(f"/account/incidents/{incident.pk}/")

    assert list(page.context["incidents"]) == [incident]
    assert detail.status_code == 200
    assert not detail.context["may_handle"]


def test_support_closes_with_a_note(client, student, support):
    incident = Incident.objects.create(reporter=student, due_at=timezone.now())
    client.force_login(support)

    assert list(client.get("/account/incidents/").context["incidents"]) == [incident]
    response = client.post(
        f"/account/incidents/{incident.pk}/close/", {"note": "Password reset."}
    )

    assert response.status_code == 302
    incident.refresh_from_db()
    assert (incident.status, incident.note, incident.closed_by) == (
        IncidentStatus.CLOSED,
        "Password reset.",
        support,
    )
    event = AuditEvent.objects.get(action=AuditAction.INCIDENT_CLOSE, actor=support)
    assert event.target_id == str(incident.pk)
    assert event.details == {"old": {"status": "open"}, "new": {"status": "closed"}}


def test_a_student_may_not_see_the_list_or_others_incidents(client, student, parent):
    theirs = Incident.objects.create(reporter=parent, due_at=timezone.now())
    client.force_login(student)

    assert client.get("/account/incidents/").status_code == 403
    assert client.get(f"/account/incidents/{theirs.pk}/").status_code == 404
    assert client.get("/account/incidents/999999/").status_code == 404


def test_the_reporter_may_not_close_it(client, student):
    incident = Incident.objects.create(reporter=student, due_at=timezone.now())
    client.force_login(student)

    response = client.post(
        f"/account/incidents/{incident.pk}/close/", {"note": "Nothing"}
    )

    # The reporter sees their incident (access.IncidentPolicy) but may not close it.
    assert response.status_code == 403
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.OPEN


def test_security_officer_may_see_but_not_close(client, student, security_officer):
    incident = Incident.objects.create(reporter=student, due_at=timezone.now())
    client.force_login(security_officer)

    response = client.post(
        f"/account/incidents/{incident.pk}/close/", {"note": "Nothing"}
    )

    assert response.status_code == 403
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.OPEN


def test_overdue_incidents_show_on_the_security_officers_home(
    client, student, security_officer
):
    Incident.objects.create(
        reporter=student, due_at=timezone.now() - timedelta(hours=1)
    )
    Incident.objects.create(reporter=student, due_at=timezone.now() + timedelta(days=1))
    client.force_login(security_officer)

    page = client.get("/").content.decode()

    assert len(re.findall(r'href="/account/incidents/\d+/"', page)) == 1


def test_second_report_without_a_session_is_refused():
    assert Client().post("/account/compromised/").status_code == 302
    assert not Incident.objects.exists()
