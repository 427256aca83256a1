"""Replacing or turning off the second factor needs the password and a current
code in the same request: a signed-in session (a stolen cookie, an unlocked
staff-room computer) is not enough. The person's other sessions end and they
are told on their home page and by e-mail."""

import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django_otp.oath import TOTP

from accounts import access
from accounts.models import Authenticator, BackupCode, NoticeKind, SecurityNotice
from accounts.security import services
from audit.models import AuditAction, AuditEvent
from tests.account_security.browser import submit
from tests.account_security.conftest import cookie_of, replay
from tests.account_security.factories import with_second_factor
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SETUP = "/account/second-factor/setup/"
STATUS = "/account/second-factor/"
PHONE = "Mozilla/5.0 (Linux; Android 14) Chrome/126 Mobile"


def totp_code(device, offset: int = 0) -> str:
    """What the person's phone shows, ``offset`` seconds from now (no drift:
    the phone knows nothing of the portal's)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, 0)
    totp.time = time.time() + offset
    return f"{totp.token():06d}"


def enrolled_a_while_ago(person):
    """Enrolled one time step back: the tests then have two fresh codes (the
    next two steps) for signing in and for proving it is them."""
    device = services.start_enrolment(actor=person)
    codes = services.confirm_enrolment(
        actor=person, device=device, code=totp_code(device, offset=-30)
    )
    device.refresh_from_db()
    return device, codes


def signed_in(person, device, *, code="", agent="Mozilla/5.0 (X11; Linux) Firefox/128"):
    browser = Client(REMOTE_ADDR="10.0.0.1", HTTP_USER_AGENT=agent)
    browser.post("/login/", {"username": person.username, "password": PASSWORD})
    response = browser.post(
        "/account/sign-in/code/", {"code": code or totp_code(device)}
    )
    assert response["Location"] == "/", response
    return browser


def factor_of(person) -> list[tuple]:
    """Everything that makes up the person's second factor, to compare."""
    return [
        *Authenticator.objects.filter(user=person)
        .order_by("pk")
        .values_list("pk", "confirmed", "key"),
        *BackupCode.objects.filter(user=person)
        .order_by("pk")
        .values_list("code_hash", "used_at"),
    ]


def denied(**details) -> list[AuditEvent]:
    events = AuditEvent.objects.filter(
        action=AuditAction.SECOND_FACTOR, outcome="denied"
    ).order_by("seq")
    return [
        event
        for event in events
        if all(event.details.get(key) == value for key, value in details.items())
    ]


def test_the_setup_page_creates_nothing_and_shows_no_secret(security_officer):
    device, _codes = enrolled_a_while_ago(security_officer)
    laptop = signed_in(security_officer, device)
    before = factor_of(security_officer)
    events = AuditEvent.objects.count()

    page = laptop.get(SETUP)

    assert page.status_code == 200
    assert factor_of(security_officer) == before
    assert AuditEvent.objects.count() == events
    html = page.content.decode()
    assert "<svg" not in html and "otpauth" not in html
    assert {"password", "code"} <= set(page.context["form"].fields)


def test_a_first_enrolment_asks_for_the_password_only(teacher):
    browser = Client()
    browser.force_login(teacher)
    page = browser.get(SETUP)
    assert set(page.context["form"].fields) == {"password"}

    refused = submit(browser, page, {"password": "a guess"}, having="password")

    assert refused.status_code == 200
    assert "The password or the code is wrong." in refused.content.decode()
    assert not Authenticator.objects.exists()
    (event,) = denied(event="identity_refused")
    assert (event.actor, event.details["purpose"], event.details["reason"]) == (
        teacher,
        "enrol",
        "password_wrong",
    )


def test_a_stolen_session_cannot_replace_the_second_factor(security_officer):
    device, _codes = enrolled_a_while_ago(security_officer)
    laptop = signed_in(security_officer, device)
    thief = replay(cookie_of(laptop))
    before = factor_of(security_officer)

    page = thief.get(SETUP)
    guessed = submit(
        thief, page, {"password": "a guess", "code": "000000"}, having="password"
    )
    # Even with the password (read over a shoulder), not without the app.
    overheard = submit(
        thief, guessed, {"password": PASSWORD, "code": "000000"}, having="password"
    )
    blank = submit(
        thief, overheard, {"password": PASSWORD, "code": ""}, having="password"
    )

    for response in (guessed, overheard, blank):
        assert response.status_code == 200
        assert "<svg" not in response.content.decode()
    assert blank.context["form"].errors["code"]
    assert factor_of(security_officer) == before
    assert [event.details["reason"] for event in denied(purpose="replace")] == [
        "password_wrong",
        "code_wrong",
    ]
    assert laptop.get("/").status_code == 200


def test_services_refuse_a_replacement_without_a_code(security_officer, teacher):
    enrolled_a_while_ago(security_officer)
    before = factor_of(security_officer)
    password_only = services.prove_identity(
        actor=teacher, password=PASSWORD, purpose=services.ProofPurpose.ENROL
    )

    with pytest.raises(access.Forbidden):
        services.start_enrolment(actor=security_officer)
    with pytest.raises(access.Forbidden):
        services.start_enrolment(actor=security_officer, proof=password_only)
    with pytest.raises(access.Forbidden):
        services.remove_second_factor(actor=security_officer, proof=None)

    assert factor_of(security_officer) == before


def test_replacing_ends_every_other_session_and_tells_the_person(
    security_officer, django_capture_on_commit_callbacks, mailoutbox
):
    security_officer.email = "security@school.kg"
    security_officer.save()
    old_device, old_codes = enrolled_a_while_ago(security_officer)
    laptop = signed_in(security_officer, old_device)
    phone = signed_in(security_officer, old_device, code=old_codes[9], agent=PHONE)
    copied = cookie_of(laptop)
    last_seq = AuditEvent.objects.order_by("seq").last().seq

    scan = submit(
        laptop,
        laptop.get(SETUP),
        {"password": PASSWORD, "code": totp_code(old_device, offset=30)},
        having="password",
    )
    assert "<svg" in scan.content.decode(), scan.context["form"].errors
    pending = Authenticator.objects.get(user=security_officer, confirmed=False)
    assert Authenticator.objects.filter(pk=old_device.pk, confirmed=True).exists()
    with django_capture_on_commit_callbacks(execute=True):
        done = submit(laptop, scan, {"code": totp_code(pending)}, having="code")

    new_codes = done.context["codes"]
    assert len(new_codes) == 10
    assert list(Authenticator.objects.filter(user=security_officer)) == [pending]
    assert not services.verify_second_factor(person=security_officer, code=old_codes[0])
    assert services.verify_second_factor(person=security_officer, code=new_codes[0])
    # The phone's session ended; the laptop's cookie was renewed, so a copy of
    # the old one opens nothing; the laptop itself goes on.
    assert phone.get("/")["Location"].startswith("/login/")
    assert replay(copied).get("/")["Location"].startswith("/login/")
    assert not Session.objects.filter(session_key=copied).exists()
    assert laptop.get("/").status_code == 200
    started, replaced = AuditEvent.objects.filter(
        seq__gt=last_seq,
        action=AuditAction.SECOND_FACTOR,
        details__event__in=["enrolment_started", "replaced"],
    ).order_by("seq")
    assert started.details == {
        "event": "enrolment_started",
        "replacing": True,
        "proved_with": "password+totp",
    }
    assert (replaced.actor, replaced.target_id) == (
        security_officer,
        str(security_officer.pk),
    )
    ended = AuditEvent.objects.get(
        action=AuditAction.SESSION_END, details__reason="second_factor_change"
    )
    assert ended.details["sessions"] == 1
    notice = SecurityNotice.objects.get(person=security_officer)
    assert (notice.kind, notice.device) == (
        NoticeKind.SECOND_FACTOR_REPLACED,
        "Firefox · Linux",
    )
    (mail,) = mailoutbox
    assert mail.to == ["security@school.kg"]
    assert "replaced" in mail.subject
    secret = scan.context["secret"]
    for code in [secret, pending.key, *new_codes, *old_codes]:
        assert code not in mail.body
    assert "http" not in mail.body


def test_an_unused_backup_code_proves_it_too_and_is_used_up(security_officer):
    _device, codes = enrolled_a_while_ago(security_officer)
    browser = Client()
    browser.force_login(security_officer)

    scan = submit(
        browser,
        browser.get(SETUP),
        {"password": PASSWORD, "code": codes[3]},
        having="password",
    )

    assert "<svg" in scan.content.decode()
    assert (
        BackupCode.objects.get(user=security_officer, used_at__isnull=False).code_hash
        == BackupCode.objects.filter(user=security_officer).order_by("pk")[3].code_hash
    )
    again = submit(
        browser,
        browser.get(SETUP),
        {"password": PASSWORD, "code": codes[3]},
        having="password",
    )
    assert "<svg" not in again.content.decode()


def test_without_an_address_there_is_no_mail_but_the_home_page_tells(
    teacher, django_capture_on_commit_callbacks, mailoutbox
):
    device, _codes = enrolled_a_while_ago(teacher)
    browser = signed_in(teacher, device)
    scan = submit(
        browser,
        browser.get(SETUP),
        {"password": PASSWORD, "code": totp_code(device, offset=30)},
        having="password",
    )
    pending = Authenticator.objects.get(user=teacher, confirmed=False)

    with django_capture_on_commit_callbacks(execute=True):
        submit(browser, scan, {"code": totp_code(pending)}, having="code")

    assert mailoutbox == []
    home = browser.get("/")
    assert "Your second factor was replaced" in home.content.decode()


def test_the_notice_stays_until_the_person_has_read_it(teacher, student):
    notice = SecurityNotice.objects.create(
        person=teacher, kind=NoticeKind.SECOND_FACTOR_REMOVED, device="Chrome · Android"
    )
    others = SecurityNotice.objects.create(
        person=student, kind=NoticeKind.SECOND_FACTOR_REMOVED
    )
    browser = Client()
    browser.force_login(teacher)
    home = browser.get("/")
    assert "Your second factor was turned off" in home.content.decode()
    assert "Chrome · Android" in home.content.decode()

    read = submit(browser, home, {}, action=f"/account/notices/{notice.pk}/read/")

    assert read["Location"] == "/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert "Your second factor was turned off" not in browser.get("/").content.decode()
    event = AuditEvent.objects.get(
        action=AuditAction.NOTICE_READ, target_id=str(notice.pk)
    )
    assert event.actor == teacher
    assert event.details == {
        "old": {"read_at": None},
        "new": {"read_at": notice.read_at.isoformat()},
    }
    assert browser.post(f"/account/notices/{others.pk}/read/").status_code == 404
    others.refresh_from_db()
    assert others.read_at is None


def test_the_new_secret_must_be_confirmed_in_time(teacher):
    device, _codes = enrolled_a_while_ago(teacher)
    browser = signed_in(teacher, device)
    scan = submit(
        browser,
        browser.get(SETUP),
        {"password": PASSWORD, "code": totp_code(device, offset=30)},
        having="password",
    )
    pending = Authenticator.objects.get(user=teacher, confirmed=False)
    Authenticator.objects.filter(pk=pending.pk).update(
        created_at=pending.created_at - timedelta(minutes=11)
    )

    late = submit(browser, scan, {"code": totp_code(pending)}, having="code")

    assert late["Location"] == SETUP
    assert Authenticator.objects.get(user=teacher, confirmed=True).pk == device.pk


def test_a_wrong_confirmation_code_does_not_show_the_secret_again(teacher):
    device, _codes = enrolled_a_while_ago(teacher)
    browser = signed_in(teacher, device)
    before = factor_of(teacher)
    scan = submit(
        browser,
        browser.get(SETUP),
        {"password": PASSWORD, "code": totp_code(device, offset=30)},
        having="password",
    )
    secret = scan.context["secret"]

    wrong = submit(browser, scan, {"code": "000000"}, having="code")

    assert wrong.status_code == 200
    assert secret not in wrong.content.decode()
    assert "<svg" not in wrong.content.decode()
    assert [row for row in factor_of(teacher) if row[1] is not False] == before
    assert denied(event="enrolment_code_wrong")


def test_five_wrong_proofs_end_the_session(security_officer):
    device, _codes = enrolled_a_while_ago(security_officer)
    laptop = signed_in(security_officer, device)
    page = laptop.get(SETUP)

    for _attempt in range(5):
        page = submit(
            laptop, page, {"password": "a guess", "code": "000000"}, having="password"
        )

    assert page["Location"] == "/login/"
    assert laptop.get("/")["Location"].startswith("/login/")
    assert AuditEvent.objects.filter(
        action=AuditAction.SESSION_END, details__reason="proof_failures"
    ).exists()
    assert len(denied(event="identity_refused")) == 5


def test_turning_off_needs_the_password_and_a_code(
    teacher, django_capture_on_commit_callbacks, mailoutbox
):
    teacher.email = "teacher@school.kg"
    teacher.save()
    device, codes = enrolled_a_while_ago(teacher)
    browser = signed_in(teacher, device)
    phone = signed_in(teacher, device, code=codes[0], agent=PHONE)
    before = factor_of(teacher)
    page = browser.get(STATUS)

    refused = submit(
        browser, page, {"password": PASSWORD, "code": "000000"}, having="password"
    )

    assert refused.status_code == 200
    assert factor_of(teacher) == before
    assert denied(purpose="remove", reason="code_wrong")
    # The wrong code throttles the app's codes for a moment: a backup code then.
    with django_capture_on_commit_callbacks(execute=True):
        done = submit(
            browser,
            refused,
            {"password": PASSWORD, "code": codes[1]},
            having="password",
        )
    assert done.status_code == 302, done.context["form"].errors
    assert done["Location"] == STATUS
    assert factor_of(teacher) == []
    assert phone.get("/")["Location"].startswith("/login/")
    assert browser.get("/").status_code == 200
    assert SecurityNotice.objects.get(person=teacher).kind == (
        NoticeKind.SECOND_FACTOR_REMOVED
    )
    (mail,) = mailoutbox
    assert "turned off" in mail.subject
    assert AuditEvent.objects.filter(
        action=AuditAction.SECOND_FACTOR,
        details__event="removed",
        details__proved_with="password+backup_code",
    ).exists()


def test_the_sign_in_helper_enrolment_still_works(records_officer):
    """tests/e2e/helpers.enrolled and the README scripts enrol with no proof:
    a first enrolment has nothing to take over."""
    device, codes = with_second_factor(records_officer)

    assert device.confirmed and len(codes) == 10
