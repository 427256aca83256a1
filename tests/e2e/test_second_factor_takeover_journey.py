"""Someone holding the security officer's session (a copied cookie) tries to
replace her second factor and is refused; she replaces it herself, with her
password and a code, and the other session ends."""

import base64
import time

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from accounts.models import Authenticator, BackupCode, SecurityNotice
from accounts.roles import Role
from accounts.security import services
from audit.models import AuditAction, AuditEvent
from tests.e2e.helpers import ky
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def phone_code(key: bytes, offset: int = 0) -> str:
    """What an authenticator app holding this key shows, ``offset`` s from now."""
    totp = TOTP(key, 30, 0, 6, 0)
    totp.time = time.time() + offset
    return f"{totp.token():06d}"


def next_phone_code(device, wait: float = 40) -> str:
    """The phone's next code, once the portal would take it: a code of a time
    step it already took is refused, so this waits for a new step if needed."""
    deadline = time.time() + wait
    while True:
        device.refresh_from_db()
        code = phone_code(device.bin_key, 30)
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        if totp.verify(int(code), device.tolerance, device.last_t + 1):
            return code
        if time.time() > deadline:
            raise AssertionError("no code the portal would take")
        time.sleep(0.5)


def factor_of(person) -> list:
    return [
        *Authenticator.objects.filter(user=person).values_list("pk", "confirmed"),
        *BackupCode.objects.filter(user=person).values_list("code_hash", "used_at"),
    ]


def test_a_copied_session_cannot_take_over_the_second_factor(
    live_server, browser, sign_in, mailoutbox
):
    officer = UserFactory(
        username="security",
        first_name="Жазгүл",
        email="jazgul@school.kg",
        roles=[Role.SECURITY_OFFICER, Role.STAFF],
    )
    # Enrolled one time step ago: her phone's next codes are fresh.
    device = services.start_enrolment(actor=officer)
    services.confirm_enrolment(
        actor=officer, device=device, code=phone_code(device.bin_key, -30)
    )
    device.refresh_from_db()
    desk_context = browser.new_context()
    desk = desk_context.new_page()
    sign_in(desk, "security", PASSWORD, device=device)
    expect(desk.locator(".me-name")).to_be_visible()

    # Someone at the unlocked staff-room computer copies the session cookie.
    thief_context = browser.new_context()
    thief_context.add_cookies(desk_context.cookies())
    thief = thief_context.new_page()
    before = factor_of(officer)
    thief.goto(f"{live_server.url}/account/second-factor/setup/")
    expect(thief.locator("h1")).to_have_text(ky("Replace the second factor"))
    expect(thief.locator(".qr")).to_have_count(0)
    thief.fill("input[name=password]", "jazgul2024")
    thief.fill("input[name=code]", "000000")
    thief.locator("main button[type=submit]").click()
    expect(thief.locator(".errors")).to_have_text(
        ky("The password or the code is wrong.")
    )
    expect(thief.locator(".qr")).to_have_count(0)
    assert factor_of(officer) == before
    assert AuditEvent.objects.filter(
        action=AuditAction.SECOND_FACTOR,
        outcome="denied",
        details__event="identity_refused",
    ).exists()

    # The officer herself: her password and the code her phone shows now.
    desk.goto(f"{live_server.url}/account/second-factor/")
    desk.get_by_role(
        "link", name=ky("Set up a new phone (new backup codes too)")
    ).click()
    desk.fill("input[name=password]", PASSWORD)
    desk.fill("input[name=code]", next_phone_code(device))
    desk.locator("main button[type=submit]").click()
    expect(desk.locator(".qr svg")).to_be_visible()
    secret = desk.locator("code.wrap").inner_text().strip()
    new_key = base64.b32decode(secret)
    desk.fill("input[name=code]", phone_code(new_key))
    desk.locator("main button[type=submit]").click()
    expect(desk.locator(".backup-codes li")).to_have_count(10)

    assert Authenticator.objects.get(user=officer).bin_key == new_key
    thief.goto(f"{live_server.url}/")
    expect(thief.locator("h1")).to_have_text(ky("Sign in"))
    desk.goto(f"{live_server.url}/")
    expect(desk.locator(".notice h2")).to_have_text(
        ky("Your second factor was replaced")
    )
    desk.get_by_role("button", name=ky("I have read it")).click()
    expect(desk.locator(".notice")).to_have_count(0)
    assert SecurityNotice.objects.get(person=officer).read_at is not None
    (mail,) = mailoutbox
    assert mail.to == ["jazgul@school.kg"] and secret not in mail.body
    desk_context.close()
    thief_context.close()
