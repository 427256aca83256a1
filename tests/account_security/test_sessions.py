"""Sessions: listed, ended one by one or all, timeouts, replayed cookies refused."""

import time

import pytest
from django.contrib.sessions.models import Session

from accounts.models import UserSession
from accounts.security import receivers
from audit.models import AuditAction, AuditEvent
from tests.account_security.conftest import cookie_of, replay

pytestmark = pytest.mark.django_db

PHONE = "Mozilla/5.0 (Linux; Android 14) Chrome/126 Mobile"


def test_each_sign_in_is_listed_with_device_and_address(sign_in_as, student):
    laptop = sign_in_as(student)
    sign_in_as(student, address="10.0.0.9", agent=PHONE)

    sessions = laptop.get("/account/").context["sessions"]

    assert sorted((s.device, s.address) for s in sessions) == [
        ("Chrome · Android", "10.0.0.9"),
        ("Firefox · Linux", "10.0.0.1"),
    ]


def test_a_device_not_seen_before_is_flagged(sign_in_as, student):
    sign_in_as(student)
    sign_in_as(student)
    sign_in_as(student, address="10.0.0.9", agent=PHONE)

    flags = dict(UserSession.objects.values_list("device", "new_device"))

    assert flags == {"Firefox · Linux": False, "Chrome · Android": True}


def test_ending_another_session_refuses_its_cookie(sign_in_as, student):
    laptop = sign_in_as(student)
    phone = sign_in_as(student, agent=PHONE)
    phone_session = UserSession.objects.get(session_key=cookie_of(phone))

    response = laptop.post(f"/account/sessions/{phone_session.pk}/end/")

    assert response.status_code == 302
    assert phone.get("/").status_code == 302
    assert laptop.get("/").status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.SESSION_END)
    assert (event.actor, event.details["reason"]) == (student, "by_person")


def test_another_persons_session_id_is_404_and_changes_nothing(
    sign_in_as, student, parent
):
    theirs = sign_in_as(parent)
    mine = sign_in_as(student)
    their_session = UserSession.objects.get(user=parent)

    response = mine.post(f"/account/sessions/{their_session.pk}/end/")

    assert response.status_code == 404
    assert theirs.get("/").status_code == 200
    assert UserSession.objects.filter(pk=their_session.pk).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.SESSION_END).exists()


def test_end_all_other_sessions_keeps_this_one(sign_in_as, student):
    laptop = sign_in_as(student)
    phones = [sign_in_as(student, agent=PHONE) for _ in range(2)]

    laptop.post("/account/sessions/end-others/")

    assert [phone.get("/").status_code for phone in phones] == [302, 302]
    assert laptop.get("/").status_code == 200
    assert UserSession.objects.filter(user=student).count() == 1


def test_cookie_replayed_after_logout_is_refused(sign_in_as, student):
    browser = sign_in_as(student)
    cookie = cookie_of(browser)

    browser.post("/logout/")

    assert replay(cookie).get("/").status_code == 302
    assert not UserSession.objects.filter(session_key=cookie).exists()


def test_password_change_ends_other_sessions(sign_in_as, student, password):
    laptop = sign_in_as(student)
    phone = sign_in_as(student, agent=PHONE)
    stolen = cookie_of(phone)

    response = laptop.post(
        "/account/password/",
        {
            "old_password": password,
            "new_password1": "a-new-long-passphrase-42",
            "new_password2": "a-new-long-passphrase-42",
        },
    )

    assert response.status_code == 302
    assert laptop.get("/").status_code == 200
    assert replay(stolen).get("/").status_code == 302
    assert not Session.objects.filter(session_key=stolen).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.PASSWORD_CHANGE, actor=student
    ).exists()


def test_wrong_old_password_changes_nothing(sign_in_as, student):
    laptop = sign_in_as(student)
    phone = sign_in_as(student, agent=PHONE)

    response = laptop.post(
        "/account/password/",
        {
            "old_password": "wrong-wrong-wrong",
            "new_password1": "a-new-long-passphrase-42",
            "new_password2": "a-new-long-passphrase-42",
        },
    )

    assert response.status_code == 200
    assert phone.get("/").status_code == 200
    assert not AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGE).exists()


def _age_session(client, *, started=0, seen=0):
    session = client.session
    session[receivers.STARTED] -= started
    session[receivers.SEEN] -= seen
    session.save()


def test_staff_session_ends_after_30_idle_minutes(sign_in_as, teacher):
    browser = sign_in_as(teacher)
    _age_session(browser, seen=31 * 60)

    response = browser.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert browser.get("/").status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.SESSION_END)
    assert event.details["reason"] == "idle_timeout"


def test_student_session_survives_30_idle_minutes(sign_in_as, student):
    browser = sign_in_as(student)
    _age_session(browser, seen=31 * 60)

    assert browser.get("/").status_code == 200


def test_student_session_ends_after_24_hours(sign_in_as, student):
    browser = sign_in_as(student)
    _age_session(browser, started=24 * 3600 + 60)

    assert browser.get("/").status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.SESSION_END)
    assert event.details["reason"] == "absolute_timeout"


def test_last_seen_is_written_at_most_once_a_minute(
    sign_in_as, student, django_assert_max_num_queries
):
    browser = sign_in_as(student)
    row = UserSession.objects.get()
    browser.get("/")
    assert UserSession.objects.get().last_seen == row.last_seen

    _age_session(browser, seen=61)
    browser.get("/")

    assert UserSession.objects.get().last_seen > row.last_seen
    assert browser.session[receivers.SEEN] >= int(time.time()) - 5


def test_sessions_page_query_budget(sign_in_as, student, django_assert_max_num_queries):
    browser = sign_in_as(student)
    for _ in range(5):
        sign_in_as(student, agent=PHONE)
    browser.get("/account/")

    with django_assert_max_num_queries(12):
        response = browser.get("/account/")

    assert len(response.context["sessions"]) == 6
