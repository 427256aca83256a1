"""django-axes: 5 failures lock a username from an address for 15 minutes."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone

from accounts.security.network import client_address
from audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

WRONG = "not-the-password-at-all"


def attempt(username, password, address="10.0.0.1"):
    return Client(REMOTE_ADDR=address).post(
        "/login/", {"username": username, "password": password}
    )


def fail(username, times, address="10.0.0.1"):
    for _ in range(times):
        attempt(username, WRONG, address)


def test_five_wrong_passwords_lock_even_the_right_one_out(student, password):
    fail("student1", 5 - 1)

    assert attempt("student1", WRONG).status_code == 429
    response = attempt("student1", password)

    assert response.status_code == 429
    assert "_auth_user_id" not in response.client.session


def test_lockout_page_says_when_to_try_again(student):
    fail("student1", 4)

    response = attempt("student1", WRONG)

    last = AccessAttempt.objects.get(username="student1").attempt_time
    until = timezone.localtime(last + timedelta(minutes=15))
    assert until.strftime("%H:%M") in response.content.decode()


def test_same_user_from_another_address_still_gets_in(student, password):
    fail("student1", 5)

    assert attempt("student1", password, address="10.0.0.2").status_code == 302


def test_another_user_from_the_same_address_still_gets_in(student, teacher, password):
    fail("student1", 5)

    assert attempt("teacher", password).status_code == 302


def test_success_resets_the_count(student, password):
    fail("student1", 4)
    assert attempt("student1", password).status_code == 302

    fail("student1", 4)

    assert attempt("student1", password).status_code == 302


def test_failure_during_lockout_does_not_extend_it(student, password):
    fail("student1", 5)
    locked_at = timezone.now() - timedelta(minutes=10)
    AccessAttempt.objects.update(attempt_time=locked_at)

    assert attempt("student1", WRONG).status_code == 429

    row = AccessAttempt.objects.get()
    assert row.attempt_time == locked_at
    assert row.failures_since_start == 5
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert attempt("student1", password).status_code == 302


def test_usernames_are_counted_normalized(student, password):
    fail("  STUDENT1 ", 2)
    fail("Student1", 3)

    assert attempt("student1", password).status_code == 429
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"student1"}


def test_normalized_username_signs_in(student, password):
    assert attempt(" Student1 ", password).status_code == 302


def test_unknown_and_existing_usernames_look_the_same(student):
    known = attempt("student1", WRONG)
    unknown = attempt("nobody-here", WRONG)
    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].errors == unknown.context["form"].errors

    fail("student1", 4)
    fail("nobody-here", 4)

    assert attempt("student1", WRONG).status_code == 429
    assert attempt("nobody-here", WRONG).status_code == 429


def test_lockout_is_recorded_once(student):
    fail("student1", 5)
    attempt("student1", WRONG)

    events = AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT)
    assert [(e.target_label, e.details["address"]) for e in events] == [
        ("student1", "10.0.0.1")
    ]
    assert events.get().target_id == str(student.pk)


def test_support_sees_and_unlocks_a_lockout(client, support, student, password):
    fail("student1", 5)
    client.force_login(support)

    page = client.get("/account/lockouts/")
    assert page.status_code == 200
    assert [lockout.username for lockout in page.context["lockouts"]] == ["student1"]

    response = client.post(
        "/account/lockouts/unlock/", {"username": "student1", "address": "10.0.0.1"}
    )

    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert attempt("student1", password).status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.UNLOCK)
    assert (event.actor, event.target_id) == (support, str(student.pk))


def test_a_student_may_not_unlock(client, student, teacher):
    fail("teacher", 5)
    client.force_login(student)

    assert client.get("/account/lockouts/").status_code == 403
    response = client.post(
        "/account/lockouts/unlock/", {"username": "teacher", "address": "10.0.0.1"}
    )

    assert response.status_code == 403
    assert AccessAttempt.objects.count() == 1
    assert not AuditEvent.objects.filter(action=AuditAction.UNLOCK).exists()


@override_settings(PORTAL_TRUSTED_PROXIES=["10.9.9.9"])
def test_proxy_header_counts_only_from_the_trusted_proxy():
    factory = RequestFactory()
    via_proxy = factory.get(
        "/", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8"
    )
    forged = factory.get("/", REMOTE_ADDR="10.0.0.7", HTTP_X_FORWARDED_FOR="5.6.7.8")

    assert client_address(via_proxy) == "5.6.7.8"
    assert client_address(forged) == "10.0.0.7"


def test_proxy_header_is_ignored_without_a_trusted_proxy():
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="5.6.7.8"
    )

    assert client_address(request) == "10.9.9.9"
