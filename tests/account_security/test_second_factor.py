"""TOTP second factor with hashed backup codes."""

import time

import pytest
from django.test import Client
from django_otp.oath import TOTP

from accounts.models import Authenticator, BackupCode
from accounts.security import services
from audit.models import AuditAction, AuditEvent
from tests.account_security.browser import submit
from tests.factories import PASSWORD

SETUP = "/account/second-factor/setup/"

pytestmark = pytest.mark.django_db


def code_for(device, offset=0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset
    return f"{totp.token():06d}"


def enrol(user) -> tuple[Authenticator, list[str]]:
    device = services.start_enrolment(actor=user)
    codes = services.confirm_enrolment(actor=user, device=device, code=code_for(device))
    device.refresh_from_db()
    return device, codes


def scan_page(client):
    """The setup page after the password: the QR code of a new secret."""
    return submit(client, client.get(SETUP), {"password": PASSWORD}, having="password")


def test_enrolment_page_draws_the_qr_code_here(client, teacher):
    client.force_login(teacher)

    response = scan_page(client)

    assert response.status_code == 200
    assert "<svg" in response.content.decode()
    assert "http" not in response.context["qr"].replace("http://www.w3.org", "")


def test_enrolment_confirms_with_a_code_and_gives_hashed_backup_codes(client, teacher):
    client.force_login(teacher)
    page = scan_page(client)
    device = Authenticator.objects.get(user=teacher)

    response = submit(client, page, {"code": code_for(device)}, having="code")

    codes = response.context["codes"]
    assert len(codes) == 10
    stored = set(BackupCode.objects.values_list("code_hash", flat=True))
    assert not stored & set(codes)
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(
        action=AuditAction.SECOND_FACTOR, details__event="enrolled"
    ).exists()


def test_someone_elses_device_cannot_be_confirmed(client, teacher, student):
    device = services.start_enrolment(actor=student)
    client.force_login(teacher)
    scan_page(client)

    response = client.post(
        SETUP, {"step": "confirm", "device": device.pk, "code": code_for(device)}
    )

    assert response.status_code == 200
    device.refresh_from_db()
    assert not device.confirmed
    assert not Authenticator.objects.filter(user=teacher, confirmed=True).exists()


def test_confirming_without_proving_first_is_404(client, teacher):
    client.force_login(teacher)

    response = client.post(SETUP, {"step": "confirm", "code": "123456"})

    assert response.status_code == 404
    assert not Authenticator.objects.exists()


def test_sign_in_asks_for_the_code(teacher):
    device, _codes = enrol(teacher)
    browser = Client()

    response = browser.post("/login/", {"username": "teacher", "password": PASSWORD})

    assert response["Location"] == "/account/sign-in/code/"
    assert browser.get("/").status_code == 302
    response = browser.post(
        "/account/sign-in/code/", {"code": code_for(device, offset=30)}
    )
    assert response["Location"] == "/"
    assert browser.get("/").status_code == 200


def test_a_code_is_accepted_once(teacher):
    device, _codes = enrol(teacher)
    code = code_for(device, offset=30)

    assert services.verify_second_factor(person=teacher, code=code)

    assert not services.verify_second_factor(person=teacher, code=code)
    denied = AuditEvent.objects.filter(
        action=AuditAction.SECOND_FACTOR, outcome="denied"
    )
    assert denied.count() == 1


def test_a_backup_code_is_accepted_once(teacher):
    _device, codes = enrol(teacher)

    assert services.verify_second_factor(person=teacher, code=codes[0])
    assert not services.verify_second_factor(person=teacher, code=codes[0])
    assert services.verify_second_factor(person=teacher, code=codes[1])


def test_wrong_codes_send_back_to_the_password(teacher):
    enrol(teacher)
    browser = Client()
    browser.post("/login/", {"username": "teacher", "password": PASSWORD})

    for _ in range(5):
        response = browser.post("/account/sign-in/code/", {"code": "000000"})

    assert response["Location"] == "/login/"
    assert browser.get("/account/sign-in/code/")["Location"] == "/login/"


def test_a_required_second_factor_must_be_set_up_first(director):
    browser = Client()
    browser.post("/login/", {"username": "director", "password": PASSWORD})

    assert browser.get("/")["Location"] == SETUP
    page = scan_page(browser)
    device = Authenticator.objects.get(user=director)
    submit(browser, page, {"code": code_for(device)}, having="code")
    assert browser.get("/").status_code == 200


def test_a_required_second_factor_cannot_be_removed(client, director):
    device, _codes = enrol(director)
    client.force_login(director)

    response = client.post(
        "/account/second-factor/remove/",
        {"password": PASSWORD, "code": code_for(device, offset=30)},
    )

    assert response.status_code == 403
    assert Authenticator.objects.filter(user=director).exists()


def test_an_optional_second_factor_can_be_removed(client, teacher):
    device, _codes = enrol(teacher)
    client.force_login(teacher)
    page = client.get("/account/second-factor/")

    submit(
        client,
        page,
        {"password": PASSWORD, "code": code_for(device, offset=30)},
        having="password",
    )

    assert not Authenticator.objects.filter(user=teacher).exists()
    assert not BackupCode.objects.filter(user=teacher).exists()
