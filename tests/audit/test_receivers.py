"""Sign-in, sign-out and failed sign-in each leave exactly one event."""

from django.urls import reverse

from audit.models import AuditAction, AuditEvent, AuditOutcome
from audit.receivers import attempted_username


def sign_in_events():
    return AuditEvent.objects.filter(
        action__in=[AuditAction.LOGIN, AuditAction.LOGOUT, AuditAction.LOGIN_FAILED]
    )


def test_a_login_leaves_exactly_one_event(client, teacher, password):
    response = client.post(
        reverse("login"),
        {"username": "teacher", "password": password},
        REMOTE_ADDR="192.168.1.14",
        HTTP_USER_AGENT="Firefox",
    )

    assert response.status_code == 302
    event = sign_in_events().get()
    assert (event.actor, event.action, event.outcome) == (
        teacher,
        AuditAction.LOGIN,
        AuditOutcome.ALLOWED,
    )
    assert (event.client_address, event.user_agent) == ("192.168.1.14", "Firefox")
    assert len(event.request_id) == 32


def test_a_logout_leaves_exactly_one_event(client, teacher):
    client.force_login(teacher)
    last = AuditEvent.objects.order_by("-seq").first().seq

    client.post(reverse("logout"))

    event = sign_in_events().get(seq__gt=last)
    assert (event.actor, event.action) == (teacher, AuditAction.LOGOUT)


def test_a_wrong_password_is_a_denied_event_for_that_account(client, teacher):
    client.post(reverse("login"), {"username": "teacher", "password": "wrong-one-123"})

    event = sign_in_events().get()
    assert (event.actor, event.action, event.outcome) == (
        teacher,
        AuditAction.LOGIN_FAILED,
        AuditOutcome.DENIED,
    )
    assert event.details == {"username": "teacher"}
    assert "wrong-one-123" not in str(event.details)


def test_an_unknown_username_has_no_actor_and_is_kept_normalized(client, db):
    client.post(
        reverse("login"), {"username": " ｎｏｂｏｄｙ ", "password": "secret-secret"}
    )

    event = sign_in_events().get()
    assert (event.actor, event.actor_label) == (None, "")
    assert event.details == {"username": "nobody"}
    assert "secret-secret" not in str(event.details)


def test_the_attempted_username_is_cut_short_and_printable():
    typed = {"username": "\tｘ" + "y" * 300 + "\x00"}

    assert attempted_username(typed) == "x" + "y" * 149
