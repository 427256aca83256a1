"""The personal identification number (ПИН) of the Kyrgyz Republic.

Fourteen digits: the gender digit (1 or 2), the date of birth as DDMMYYYY, then
five more digits.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

PIN_LENGTH = 14


def pin_birth_date(pin: str) -> date:
    """The date of birth a well-formed PIN carries; ValidationError otherwise."""
    if len(pin) != PIN_LENGTH or not pin.isascii() or not pin.isdigit():
        raise ValidationError(_("A PIN is exactly 14 digits."), code="pin_length")
    if pin[0] not in "12":
        raise ValidationError(_("A PIN starts with 1 or 2."), code="pin_gender")
    day, month, year = int(pin[1:3]), int(pin[3:5]), int(pin[5:9])
    try:
        born = date(year, month, day)
    except ValueError:
        raise ValidationError(
            _("Digits 2 to 9 of a PIN must be a real date (DDMMYYYY)."),
            code="pin_date",
        ) from None
    if born > timezone.localdate():
        raise ValidationError(
            _("The date of birth in the PIN is in the future."), code="pin_future"
        )
    return born


def validate_birth_date(born: date) -> None:
    if born > timezone.localdate():
        raise ValidationError(
            _("The date of birth can't be in the future."), code="birth_future"
        )
    if born.year < 1900:
        raise ValidationError(_("Check the year of birth."), code="birth_old")


def validate_pin(pin: str, *, birth_date: date | None) -> None:
    """The PIN is well formed and carries this date of birth."""
    born = pin_birth_date(pin)
    if birth_date is not None and born != birth_date:
        raise ValidationError(
            _("The PIN doesn't match the date of birth."), code="pin_mismatch"
        )
