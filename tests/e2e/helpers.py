"""Small helpers the browser journeys share."""

import time

from django.utils import translation
from django_otp.oath import TOTP

from accounts.security import services as security_services


def ky(text: str) -> str:
    """What a Kyrgyz-speaking person sees for this msgid."""
    with translation.override("ky"):
        return translation.gettext(text)


def totp_code(device, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset
    return f"{totp.token():06d}"


def enrolled(user):
    """Roles that require a second factor: this person has enrolled already."""
    device = security_services.start_enrolment(actor=user)
    security_services.confirm_enrolment(
        actor=user, device=device, code=totp_code(device)
    )
    device.refresh_from_db()
    return device


def open_menu(page):
    """On a phone the menu (and with it Log out) is folded under one button."""
    summary = page.locator("details.menu-box > summary")
    if summary.is_visible() and page.locator("details.menu-box[open]").count() == 0:
        summary.click()
