"""Encrypted model fields: personal data at rest (regulation 1.4, 2.1; law No. 58).

The column holds a Fernet token made with the first of PORTAL_ENCRYPTION_KEYS;
every key decrypts, so keys can be rotated (``manage.py rotate_keys``). A value
that no configured key opens raises ``DecryptionError``: ciphertext is never
handed back as if it were the value.

Encrypted columns can't be searched. For an exact match (the PIN) a model keeps
a blind index next to it: HMAC-SHA256 of the value under PORTAL_BLIND_INDEX_KEY.
"""

import hashlib
import hmac
from datetime import date
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class DecryptionError(Exception):
    """No configured key opens this value: wrong keys, or the value was altered."""


@lru_cache(maxsize=8)
def _ciphers(keys: tuple[str, ...]) -> tuple[MultiFernet, Fernet]:
    fernets = [Fernet(key) for key in keys]
    return MultiFernet(fernets), fernets[0]


def _multi() -> MultiFernet:
    return _ciphers(tuple(settings.PORTAL_ENCRYPTION_KEYS))[0]


def _first() -> Fernet:
    return _ciphers(tuple(settings.PORTAL_ENCRYPTION_KEYS))[1]


def encrypt(text: str) -> str:
    return _multi().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _multi().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError):
        raise DecryptionError(
            "an encrypted value can't be opened with PORTAL_ENCRYPTION_KEYS: "
            "a key is missing or wrong, or the value was altered"
        ) from None


def opens(token: str) -> bool:
    """Whether one of the configured keys opens this token (text or bytes inside)."""
    try:
        _multi().decrypt(token.encode("ascii"))
    except (InvalidToken, UnicodeError):
        return False
    return True


def made_with_first_key(token: str) -> bool:
    """Whether rotation can leave this token alone."""
    try:
        _first().decrypt(token.encode("ascii"))
    except InvalidToken:
        return False
    return True


def reencrypt(token: str) -> str:
    """The same value under the first key; DecryptionError if no key opens it."""
    try:
        return _multi().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken:
        raise DecryptionError(
            "an encrypted value can't be opened with PORTAL_ENCRYPTION_KEYS"
        ) from None


def blind_index(value: str) -> str:
    """HMAC-SHA256 of the value: equal values give equal indexes, nothing else."""
    key = settings.PORTAL_BLIND_INDEX_KEY.encode("utf-8")
    return hmac.new(key, value.strip().encode("utf-8"), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token. Empty text is stored as empty text."""

    description = _("Encrypted text")

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def to_python(self, value):
        if value is None or isinstance(value, str):
            return value
        return str(value)

    def get_prep_value(self, value):
        if value is None or value == "":
            return value
        return encrypt(str(value))


class EncryptedDateField(EncryptedTextField):
    """A date, stored encrypted as its ISO text."""

    description = _("Encrypted date")

    def from_db_value(self, value, expression, connection):
        text = super().from_db_value(value, expression, connection)
        return date.fromisoformat(text) if text else None

    def to_python(self, value):
        if value is None or value == "" or isinstance(value, date):
            return value or None
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise ValidationError(_("Enter a valid date."), code="invalid") from None

    def get_prep_value(self, value):
        value = self.to_python(value)
        if value is None:
            return None
        return encrypt(value.isoformat())

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return value.isoformat() if value else ""

    def formfield(self, **kwargs):
        # Not TextField's: a date is typed into a date input, not a textarea.
        return models.Field.formfield(self, **{"form_class": forms.DateField, **kwargs})


class FernetTokenField(models.TextField):
    """A Fernet token under PORTAL_ENCRYPTION_KEYS that the code opens itself,
    e.g. an attachment's wrapped data key. Stored and handed back as it is; the
    class marks the column for ``rotate_keys`` and the key check."""

    description = _("Encrypted key")


def fernet_fields(model) -> list[models.TextField]:
    """Every column of the model that holds a token under PORTAL_ENCRYPTION_KEYS."""
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedTextField | FernetTokenField)
    ]
