"""Password resets by technical support or the administrator."""

import re

import pytest
from django.test import Client

from accounts.models import User
from audit.models import AuditAction, AuditEvent
from audit.services import MASK
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW = "a-new-long-passphrase-42"


def reset(client, username, method):
    return client.post(
        "/account/password/reset/", {"username": username, "method": method}
    )


def test_temporary_password_is_shown_once_and_must_be_changed(
    client, support, student, sign_in_as
):
    old_browser = sign_in_as(student)
    client.force_login(support)

    response = reset(client, "student1", "temporary")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    temporary = response.context["temporary_password"]
    student.refresh_from_db()
    assert student.must_change_password
    assert temporary not in student.password
    assert old_browser.get("/").status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.PASSWORD_RESET)
    assert (event.actor, event.target_id) == (support, str(student.pk))
    assert temporary not in str(event.details)
    (account,) = event.details["field_log"]
    assert account["new"] == {"must_change_password": MASK}  # "password" in its name
    assert not AuditEvent.objects.filter(action=AuditAction.UPDATE).exists()
    assert temporary not in client.get("/account/password/reset/").content.decode()

    browser = Client()
    browser.post("/login/", {"username": "student1", "password": temporary})
    assert browser.get("/")["Location"] == "/account/password/"


def test_support_may_not_reset_an_officer(client, support, director):
    client.force_login(support)

    response = reset(client, "director", "temporary")

    assert response.status_code == 403
    director.refresh_from_db()
    assert director.check_password(PASSWORD)
    assert not director.must_change_password
    assert not AuditEvent.objects.filter(action=AuditAction.PASSWORD_RESET).exists()


def test_administrator_may_reset_an_officer(client, administrator, director):
    client.force_login(administrator)

    assert reset(client, "director", "temporary").status_code == 200


def test_a_student_may_not_reset(client, student, parent):
    client.force_login(student)

    assert client.get("/account/password/reset/").status_code == 403
    assert reset(client, "parent1", "temporary").status_code == 403
    parent.refresh_from_db()
    assert parent.check_password(PASSWORD)


def test_unknown_username_is_told(client, support):
    client.force_login(support)

    response = reset(client, "nobody", "temporary")

    assert response.status_code == 200
    assert response.context["form"].errors["username"]


def link_path(response) -> str:
    return re.search(r"/account/password/reset/[^/]+/[^/]+/", response.context["link"])[
        0
    ]


def test_reset_link_works_once(client, support, student):
    client.force_login(support)
    path = link_path(reset(client, "student1", "link"))
    browser = Client()

    assert browser.get(path).status_code == 200
    response = browser.post(path, {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    student.refresh_from_db()
    assert student.check_password(NEW)

    again = Client().post(
        path, {"new_password1": "other-long-pass-77", "new_password2": "x"}
    )

    assert again.status_code == 200
    assert "reset_link_refused" in again.templates[0].name
    student.refresh_from_db()
    assert student.check_password(NEW)


def test_reset_link_after_its_time_is_refused(client, support, student, settings):
    client.force_login(support)
    path = link_path(reset(client, "student1", "link"))
    settings.PASSWORD_RESET_TIMEOUT = -1

    response = Client().get(path)

    assert "reset_link_refused" in response.templates[0].name


def test_forged_reset_link_is_refused(student):
    response = Client().get("/account/password/reset/Mg/abc-def/")

    assert "reset_link_refused" in response.templates[0].name
    assert User.objects.get(pk=student.pk).check_password(PASSWORD)
