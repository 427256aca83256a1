"""TOTP second factor with hashed backup codes."""

import time

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import BackupCode
from accounts.security import services
from audit.models import AuditAction, AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def code_for(device, offset=0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset
    return f"{totp.token():06d}"


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    device = services.start_enrolment(actor=user)
    codes = services.confirm_enrolment(actor=user, device=device, code=code_for(device))
    device.refresh_from_db()
    return device, codes


def test_enrolment_page_draws_the_qr_code_here(client, teacher):
    client.force_login(teacher)

    response = client.get("/account/second-factor/setup/")

    assert response.status_code == 200
    assert "<svg" in response.content.decode()
    assert "http" not in response.context["qr"].replace("http://www.w3.org", "")


def test_enrolment_confirms_with_a_code_and_gives_hashed_backup_codes(client, teacher):
    client.force_login(teacher)
    client.get("/account/second-factor/setup/")
    device = TOTPDevice.objects.get(user=teacher)

    response = client.post(
        "/account/second-factor/setup/",
        {"device": device.pk, "code": code_for(device)},
    )

    codes = response.context["codes"]
    assert len(codes) == 10
    stored = set(BackupCode.objects.values_list("code_hash", flat=True))
    assert not stored & set(codes)
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(
        action=AuditAction.SECOND_FACTOR, details__event="enrolled"
    ).exists()


def test_someone_elses_device_is_404(client, teacher, student):
    device = services.start_enrolment(actor=student)
    client.force_login(teacher)

    response = client.post(
        "/account/second-factor/setup/",
        {"device": device.pk, "code": code_for(device)},
    )

    assert response.status_code == 404
    device.refresh_from_db()
    assert not device.confirmed


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

    assert browser.get("/")["Location"] == "/account/second-factor/setup/"
    browser.get("/account/second-factor/setup/")
    device = TOTPDevice.objects.get(user=director)
    browser.post(
        "/account/second-factor/setup/",
        {"device": device.pk, "code": code_for(device)},
    )
    assert browser.get("/").status_code == 200


def test_a_required_second_factor_cannot_be_removed(client, director):
    enrol(director)
    client.force_login(director)

    assert client.post("/account/second-factor/remove/").status_code == 403
    assert TOTPDevice.objects.filter(user=director).exists()


def test_an_optional_second_factor_can_be_removed(client, teacher):
    enrol(teacher)
    client.force_login(teacher)

    client.post("/account/second-factor/remove/")

    assert not TOTPDevice.objects.filter(user=teacher).exists()
    assert not BackupCode.objects.filter(user=teacher).exists()
