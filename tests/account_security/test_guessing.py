"""Guessing one account from many addresses: django-axes pauses a username from
one address; the guard counts the username's wrong passwords from all of them.

From 10 in a day on, a right password alone waits (a minute, doubled by each
further failure, at most 15 minutes); tries during the wait are refused unchecked
and not counted, so nobody keeps a colleague out by trying on. The password with
a second-factor code never waits. The owner is told; support sees and lifts it.
"""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.test import Client

from accounts.models import NoticeKind, SecurityNotice
from accounts.security import selectors, services
from audit.models import AuditAction, AuditEvent
from tests.account_security.browser import submit
from tests.account_security.factories import with_second_factor
from tests.browser_forms import post_forms
from tests.e2e.helpers import totp_code
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

WRONG = "not-the-password-at-all"
FOUR_ADDRESSES = ["10.1.0.1", "10.2.0.1", "10.3.0.1", "10.4.0.1"]
FIFTH = "10.5.0.1"


def attempt(username, password, address):
    return Client(REMOTE_ADDR=address).post(
        "/login/", {"username": username, "password": password}
    )


def guess_from_four_addresses(username):
    """20 wrong passwords: five from each of four addresses."""
    for address in FOUR_ADDRESSES:
        for _ in range(5):
            attempt(username, WRONG, address)


def time_passes(delta):
    """Every failure the guard counts happened ``delta`` earlier."""
    for row in AccessFailureLog.objects.all():
        AccessFailureLog.objects.filter(pk=row.pk).update(
            attempt_time=row.attempt_time - delta
        )


def signed_in(response) -> bool:
    return "_auth_user_id" in response.client.session


def page_without(response, username: str) -> str:
    """The page as it would be for any username (and any CSRF token)."""
    html = response.content.decode().replace(username, "")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_twenty_wrong_passwords_from_four_addresses_stop_the_right_one_from_a_fifth(
    teacher,
):
    guess_from_four_addresses("teacher")
    failed = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED)
    before = failed.count()

    response = attempt("teacher", PASSWORD, FIFTH)

    assert response.status_code == 429
    assert not signed_in(response)
    assert "from different places" in response.content.decode()
    # Ten were counted; the tries refused during the wait were not.
    assert AccessFailureLog.objects.filter(username="teacher").count() == 10
    assert not AccessAttempt.objects.filter(ip_address=FIFTH).exists()
    event = failed.order_by("seq").last()
    assert failed.count() == before + 1
    assert (event.actor, event.outcome) == (teacher, "denied")


def test_the_owner_with_a_second_factor_gets_in_at_once_with_a_code(director):
    device, _codes = with_second_factor(director)
    guess_from_four_addresses("director")
    browser = Client(REMOTE_ADDR=FIFTH)
    paused = browser.post("/login/", {"username": "director", "password": PASSWORD})

    response = submit(
        browser,
        paused,
        {"password": PASSWORD, "code": totp_code(device, offset=30)},
        having="code",
    )

    assert response.status_code == 302 and response["Location"] == "/"
    assert browser.get("/").status_code == 200
    assert AccessFailureLog.objects.filter(username="director").count() == 10


def test_a_code_gets_through_the_pause_of_one_address_too(director):
    device, _codes = with_second_factor(director)
    browser = Client(REMOTE_ADDR=FOUR_ADDRESSES[0])
    for _ in range(5):
        browser.post("/login/", {"username": "director", "password": WRONG})
    paused = browser.post("/login/", {"username": "director", "password": PASSWORD})
    assert paused.status_code == 429

    response = submit(
        browser,
        paused,
        {"password": PASSWORD, "code": totp_code(device, offset=30)},
        having="code",
    )

    assert response["Location"] == "/"
    assert browser.get("/").status_code == 200


def test_a_wrong_code_signs_nobody_in_says_nothing_more_and_is_not_counted(director):
    with_second_factor(director)
    guess_from_four_addresses("director")
    browser = Client(REMOTE_ADDR=FIFTH)
    paused = browser.post("/login/", {"username": "director", "password": PASSWORD})
    failed_sign_ins = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED)
    before = failed_sign_ins.count()

    right_password = submit(
        browser, paused, {"password": PASSWORD, "code": "123456"}, having="code"
    )
    wrong_password = submit(
        browser, paused, {"password": WRONG, "code": "123456"}, having="code"
    )

    for response in (right_password, wrong_password):
        assert response.status_code == 429
        assert not signed_in(response)
        assert "The password or the code is wrong." in response.content.decode()
    assert page_without(right_password, "") == page_without(wrong_password, "")
    assert AccessFailureLog.objects.filter(username="director").count() == 10
    assert failed_sign_ins.count() == before + 2


def test_the_owner_without_a_second_factor_gets_in_after_the_wait(teacher):
    guess_from_four_addresses("teacher")
    assert attempt("teacher", PASSWORD, FIFTH).status_code == 429

    time_passes(timedelta(minutes=1, seconds=1))

    assert attempt("teacher", PASSWORD, FIFTH).status_code == 302


def test_a_bystander_trying_on_during_the_wait_does_not_extend_it(teacher):
    guess_from_four_addresses("teacher")
    until = selectors.guessing_guard(username="teacher").until

    for address in [*FOUR_ADDRESSES, FIFTH]:
        assert attempt("teacher", WRONG, address).status_code == 429

    assert selectors.guessing_guard(username="teacher").until == until
    time_passes(timedelta(minutes=1, seconds=1))
    assert attempt("teacher", PASSWORD, FIFTH).status_code == 302


def test_each_failure_after_the_wait_doubles_it_up_to_fifteen_minutes(teacher):
    guess_from_four_addresses("teacher")
    time_passes(timedelta(minutes=1, seconds=1))

    assert attempt("teacher", WRONG, FIFTH).status_code == 200
    assert selectors.guessing_guard(username="teacher").wait == timedelta(minutes=2)
    assert attempt("teacher", PASSWORD, FIFTH).status_code == 429
    time_passes(timedelta(minutes=2, seconds=1))
    assert attempt("teacher", PASSWORD, FIFTH).status_code == 302

    many = selectors.Guard(
        username="teacher", failures=400, addresses=40, last_failure=None
    )
    assert many.wait == timedelta(minutes=15)


def test_one_address_guessing_slowly_is_caught_too(teacher):
    for _ in range(2):
        for _ in range(5):
            attempt("teacher", WRONG, FOUR_ADDRESSES[0])
        AccessAttempt.objects.all().delete()  # axes' 15-minute pause is over

    assert attempt("teacher", PASSWORD, FOUR_ADDRESSES[0]).status_code == 429


def test_unknown_and_existing_usernames_pause_alike(teacher):
    guess_from_four_addresses("teacher")
    guess_from_four_addresses("nobody-here")

    known = attempt("teacher", PASSWORD, FIFTH)
    unknown = attempt("nobody-here", PASSWORD, FIFTH)

    assert known.status_code == unknown.status_code == 429
    assert page_without(known, "teacher") == page_without(unknown, "nobody-here")


def test_the_owner_is_told_once_on_the_home_page_and_by_mail(
    teacher, django_capture_on_commit_callbacks, mailoutbox
):
    teacher.email = "teacher@school.kg"
    teacher.save()

    with django_capture_on_commit_callbacks(execute=True):
        guess_from_four_addresses("teacher")
        time_passes(timedelta(minutes=1, seconds=1))
        attempt("teacher", WRONG, FIFTH)

    notice = SecurityNotice.objects.get(person=teacher)
    assert (notice.kind, notice.failures, notice.addresses) == (
        NoticeKind.PASSWORD_GUESSING,
        10,
        2,
    )
    (mail,) = mailoutbox
    assert mail.to == ["teacher@school.kg"]
    for address in FOUR_ADDRESSES:
        assert address not in mail.body
    assert WRONG not in mail.body and "http" not in mail.body
    (event,) = AuditEvent.objects.filter(
        action=AuditAction.LOCKED_OUT, details__scope="all_addresses"
    )
    assert (event.target_id, event.details["failures"]) == (str(teacher.pk), 10)
    time_passes(timedelta(minutes=2, seconds=1))
    browser = Client(REMOTE_ADDR=FIFTH)
    browser.post("/login/", {"username": "teacher", "password": PASSWORD})
    assert (
        "Someone is trying passwords on your account"
        in browser.get("/").content.decode()
    )


def test_support_sees_the_guessed_account_and_lifts_it(client, support, teacher):
    guess_from_four_addresses("teacher")
    client.force_login(support)
    page = client.get("/account/lockouts/")
    (guard,) = page.context["guards"]
    assert (guard.username, guard.failures, guard.addresses) == ("teacher", 10, 2)

    (lift,) = [
        form
        for form in post_forms(page.content.decode())
        if form.action == "/account/lockouts/unlock/" and "address" not in form.named()
    ]

    response = client.post(lift.action, dict(lift.data()))

    assert response.status_code == 302
    assert not AccessFailureLog.objects.filter(username="teacher").exists()
    assert not AccessAttempt.objects.filter(username="teacher").exists()
    assert attempt("teacher", PASSWORD, FIFTH).status_code == 302
    event = AuditEvent.objects.filter(action=AuditAction.UNLOCK).order_by("seq").last()
    assert (event.actor, event.details["address"], event.details["failures"]) == (
        support,
        None,
        10,
    )


def test_a_student_may_not_lift_it(client, student, teacher):
    guess_from_four_addresses("teacher")
    client.force_login(student)

    response = client.post("/account/lockouts/unlock/", {"username": "teacher"})

    assert response.status_code == 403
    assert AccessFailureLog.objects.filter(username="teacher").count() == 10
    assert not AuditEvent.objects.filter(action=AuditAction.UNLOCK).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.DENIED, actor=student, outcome="denied"
    ).exists()


def test_a_password_reset_lifts_it(support, teacher):
    guess_from_four_addresses("teacher")

    temporary = services.reset_with_temporary_password(actor=support, person=teacher)

    assert attempt("teacher", temporary, FIFTH).status_code == 302
