import time
from base64 import b32encode
from datetime import timedelta
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP
from django_otp.util import random_hex
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from accounts.fields import EncryptedDateField, EncryptedTextField, blind_index

# Raise this when the text of the non-disclosure pledge changes: everyone
# accepts the new text before they are cleared again.
PLEDGE_VERSION = 1


class User(AbstractUser):
    """A person who signs in: staff, student or parent. Deactivated, never deleted."""

    middle_name = models.CharField(_("patronymic"), max_length=150, blank=True)
    school_class = models.CharField(
        _("class"), max_length=10, blank=True, help_text=_("For a student, e.g. 7A.")
    )
    position = models.CharField(_("position"), max_length=100, blank=True)
    must_change_password = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        permissions = [
            ("manage_people", _("Can create people, give roles and link parents")),
            ("appoint_officer", _("Can appoint the security and records officers")),
            ("grant_object_permission", _("Can grant permissions on one object")),
            ("record_briefing", _("Can record a security briefing")),
            ("undergo_onboarding", _("Is an employee who is onboarded (2.5)")),
            (
                "receive_object_permission",
                _("Can be given permissions on single objects"),
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    def get_full_name(self):
        parts = [self.last_name, self.first_name, self.middle_name]
        return " ".join(part for part in parts if part)

    @property
    def grade(self) -> int | None:
        digits = "".join(ch for ch in self.school_class if ch.isdigit())
        return int(digits) if digits else None


class AppointedRole(models.TextChoices):
    """Roles that only a school order gives, one holder at a time (2.3, 4.3)."""

    SECURITY_OFFICER = "security_officer", _("Security officer")
    RECORDS_OFFICER = "records_officer", _("Records officer")
    # Gives resolutions in the principal's stead (issue 21).
    DEPUTY_PRINCIPAL = "deputy_principal", _("Deputy principal")


class Appointment(models.Model):
    person = models.ForeignKey(
        User,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    role = models.CharField(_("role"), max_length=32, choices=AppointedRole.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    order_number = models.CharField(_("order number"), max_length=50)
    order_date = models.DateField(_("order date"))
    # The order as registered in the orders journal, when it is found there.
    order_document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("order in the journal"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    appointed_by = models.ForeignKey(
        User, verbose_name=_("appointed by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["role", "-starts_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["role"],
                condition=Q(ends_on__isnull=True),
                name="one_holder_per_appointed_role",
            )
        ]

    def __str__(self):
        return f"{self.get_role_display()}: {self.person} ({self.order_number})"

    @property
    def is_current(self) -> bool:
        return self.ends_on is None


class Onboarding(models.Model):
    """Regulation 2.5: pledge, familiarization, briefing. All three clear a person."""

    person = models.OneToOneField(
        User,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="onboarding",
    )
    pledge_version = models.PositiveIntegerField(_("pledge version"), null=True)
    pledge_accepted_at = models.DateTimeField(_("pledge accepted"), null=True)
    familiarized_at = models.DateTimeField(_("familiarized"), null=True)
    briefed_at = models.DateTimeField(_("briefed"), null=True)
    briefed_by = models.ForeignKey(
        User,
        verbose_name=_("briefed by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("onboarding")
        verbose_name_plural = _("onboarding")

    def __str__(self):
        return str(self.person)

    @property
    def pledge_current(self) -> bool:
        return self.pledge_version == PLEDGE_VERSION and bool(self.pledge_accepted_at)

    @property
    def briefing_due(self) -> bool:
        if self.briefed_at is None:
            return True
        interval = timedelta(days=settings.PORTAL_REBRIEFING_DAYS)
        return self.briefed_at + interval < timezone.now()

    @property
    def is_complete(self) -> bool:
        return (
            self.pledge_current and bool(self.familiarized_at) and not self.briefing_due
        )


class ParentLink(models.Model):
    """A parent's account linked to their child's. Each person has their own account."""

    parent = models.ForeignKey(
        User,
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        related_name="child_links",
    )
    child = models.ForeignKey(
        User,
        verbose_name=_("child"),
        on_delete=models.PROTECT,
        related_name="parent_links",
    )
    linked_by = models.ForeignKey(
        User, verbose_name=_("linked by"), on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField(_("linked"), default=timezone.now)

    class Meta:
        verbose_name = _("parent link")
        verbose_name_plural = _("parent links")
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "child"], name="one_link_per_pair"
            )
        ]

    def __str__(self):
        return f"{self.parent} → {self.child}"


class PersonUserObjectPermission(UserObjectPermissionBase):
    """A permission on one person's record, given to one person (django-guardian)."""

    content_object = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")


class PersonGroupObjectPermission(GroupObjectPermissionBase):
    """A permission on one person's record, given to a group (django-guardian)."""

    content_object = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")


# Account security (issue 5): sessions, breach incidents, the working calendar,
# backup codes of the second factor.


class UserSession(models.Model):
    """One signed-in browser of a person, so they can see and end it (5.2.2)."""

    user = models.ForeignKey(
        User,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="portal_sessions",
    )
    # The key itself, not a hash: ending a session deletes Django's session by it.
    session_key = models.CharField(max_length=40, unique=True)
    user_agent = models.CharField(_("device"), max_length=300, blank=True)
    device = models.CharField(_("browser and system"), max_length=100, blank=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    new_device = models.BooleanField(_("new device"), default=False)
    created_at = models.DateTimeField(_("signed in"), default=timezone.now)
    last_seen = models.DateTimeField(_("last seen"), default=timezone.now)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-last_seen", "-pk"]
        # The account-security permissions live here: they belong to no other model.
        permissions = [
            ("unlock_account", _("Can see lockouts and unlock accounts")),
            ("reset_password", _("Can reset another person's password")),
            (
                "reset_privileged_password",
                _("Can reset the password of an account with a second factor"),
            ),
            ("require_second_factor", _("Must sign in with a second factor")),
            ("short_sessions", _("Has the shorter staff session timeouts")),
        ]

    def __str__(self):
        return f"{self.user} · {self.device or '?'} · {self.address or '?'}"


class IncidentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Incident(models.Model):
    """A "my account may be compromised" report (5.2.3), for technical support."""

    reporter = models.ForeignKey(
        User,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        related_name="security_incidents",
    )
    opened_at = models.DateTimeField(_("reported"), default=timezone.now)
    due_at = models.DateTimeField(_("due"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=IncidentStatus.choices,
        default=IncidentStatus.OPEN,
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        User,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("account incident")
        verbose_name_plural = _("account incidents")
        ordering = ["due_at", "pk"]
        permissions = [("handle_incident", _("Can handle account incidents"))]

    def __str__(self):
        return _("Incident %(number)s: %(person)s") % {
            "number": self.pk,
            "person": self.reporter,
        }

    @property
    def is_overdue(self) -> bool:
        return self.status == IncidentStatus.OPEN and self.due_at < timezone.now()


class Holiday(models.Model):
    """A public holiday of the Kyrgyz Republic: not a working day."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")
        ordering = ["date"]

    def __str__(self):
        return f"{date_format(self.date, 'SHORT_DATE_FORMAT')} {self.name}"


class BackupCode(models.Model):
    """A one-time backup code of the second factor, kept only as a keyed hash."""

    user = models.ForeignKey(
        User,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="backup_codes",
    )
    code_hash = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("backup code")
        verbose_name_plural = _("backup codes")

    def __str__(self):
        return f"{self.user} · {self.pk}"


def new_totp_secret() -> str:
    return random_hex(20)


class Authenticator(TimestampMixin, ThrottlingMixin, Device):
    """A person's TOTP authenticator app: django-otp's device, secret encrypted.

    django-otp's own TOTPDevice keeps the secret in plain text; this one keeps
    it (hex) in an encrypted column, rotated with every other encrypted value.
    The code check is django-otp's TOTP with the same rules: a code counts once
    (``last_t``), one step of tolerance, failures throttled.
    """

    key = EncryptedTextField(default=new_totp_secret)
    step = models.PositiveSmallIntegerField(default=30)
    t0 = models.BigIntegerField(default=0)
    digits = models.PositiveSmallIntegerField(default=6)
    tolerance = models.PositiveSmallIntegerField(default=1)
    drift = models.SmallIntegerField(default=0)
    last_t = models.BigIntegerField(default=-1)

    class Meta(Device.Meta):
        verbose_name = _("authenticator")
        verbose_name_plural = _("authenticators")
        default_permissions = ()

    @property
    def bin_key(self) -> bytes:
        return bytes.fromhex(self.key)

    @property
    def config_url(self) -> str:
        """The otpauth:// URL an authenticator app reads from the QR code."""
        label = quote(f"{settings.OTP_TOTP_ISSUER}:{self.user.get_username()}")
        params = urlencode(
            {
                "secret": b32encode(self.bin_key).decode(),
                "algorithm": "SHA1",
                "digits": self.digits,
                "period": self.step,
                "issuer": settings.OTP_TOTP_ISSUER,
            },
            quote_via=quote,
        )
        return f"otpauth://totp/{label}?{params}"

    def get_throttle_factor(self) -> int:
        return 1

    def verify_token(self, token) -> bool:
        allowed, _reason = self.verify_is_allowed()
        if not allowed:
            return False
        try:
            token = int(token)
        except (TypeError, ValueError):
            verified = False
        else:
            totp = TOTP(self.bin_key, self.step, self.t0, self.digits, self.drift)
            totp.time = time.time()
            verified = totp.verify(token, self.tolerance, self.last_t + 1)
        if not verified:
            self.throttle_increment(commit=True)
            return False
        self.last_t = totp.t()
        self.drift = totp.drift
        self.throttle_reset(commit=False)
        self.set_last_used_timestamp(commit=False)
        self.save()
        return True


class KnownDevice(models.Model):
    """A browser family and address a person has signed in from before."""

    user = models.ForeignKey(
        User,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="known_devices",
    )
    device = models.CharField(_("browser and system"), max_length=100)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    first_seen = models.DateTimeField(_("first seen"), default=timezone.now)

    class Meta:
        verbose_name = _("known device")
        verbose_name_plural = _("known devices")

    def __str__(self):
        return f"{self.user} · {self.device} · {self.address or '?'}"


class NoticeKind(models.TextChoices):
    SECOND_FACTOR_REPLACED = "second_factor_replaced", _("Second factor replaced")
    SECOND_FACTOR_REMOVED = "second_factor_removed", _("Second factor turned off")
    PASSWORD_GUESSING = "password_guessing", _("Password guessing")


class SecurityNotice(models.Model):
    """Something that happened to a person's own account, told on their home page.

    It stays there until the person says they have read it. It holds what the
    person needs to recognise the event (when, which browser, how many tries),
    never a secret.
    """

    person = models.ForeignKey(
        User,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="security_notices",
    )
    kind = models.CharField(_("what"), max_length=32, choices=NoticeKind.choices)
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    device = models.CharField(_("browser and system"), max_length=100, blank=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    failures = models.PositiveIntegerField(_("wrong passwords"), default=0)
    addresses = models.PositiveIntegerField(_("addresses"), default=0)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("security notice")
        verbose_name_plural = _("security notices")
        ordering = ["-created_at", "-pk"]
        default_permissions = ()

    def __str__(self):
        return f"{self.person} · {self.get_kind_display()}"


# Personal data (issue 8): person records, class teachers, consent, requests and
# backups. The PIN, date of birth, address and phone are encrypted at rest.


class PersonRecord(models.Model):
    """The personal data the school keeps on one person, staff or student.

    The name comes from the account, the class (students) and position (staff)
    too; photo consent is in ``Consent``.
    """

    person = models.OneToOneField(
        User,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="person_record",
    )
    birth_date = EncryptedDateField(_("date of birth"), null=True, blank=True)
    pin = EncryptedTextField(_("personal identification number"), blank=True)
    # HMAC-SHA256 of the PIN (accounts.fields.blind_index), for exact lookup.
    pin_index = models.CharField(max_length=64, blank=True, editable=False)
    address = EncryptedTextField(_("address"), blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("personal data")
        verbose_name_plural = _("personal data")
        constraints = [
            models.UniqueConstraint(
                fields=["pin_index"],
                condition=~Q(pin_index=""),
                name="one_person_per_pin",
            )
        ]
        permissions = [
            (
                "view_all_personal_data",
                _("Can see everyone's personal data, where the school allows it"),
            ),
            ("handle_personal_request", _("Can answer requests about personal data")),
            (
                "view_overdue_requests",
                _("Can see overdue requests about personal data"),
            ),
            ("give_consent", _("Can give consent for their child")),
            ("issue_certificate", _("Can issue certificates of study")),
        ]

    def __str__(self):
        return str(self.person)

    def save(self, *args, **kwargs):
        self.pin_index = blind_index(self.pin) if self.pin else ""
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "pin" in update_fields:
            kwargs["update_fields"] = {*update_fields, "pin_index"}
        super().save(*args, **kwargs)


class ClassTeacher(models.Model):
    """A teacher in charge of a class: they see its students' personal data."""

    teacher = models.ForeignKey(
        User,
        verbose_name=_("teacher"),
        on_delete=models.PROTECT,
        related_name="class_charges",
    )
    school_class = models.CharField(
        _("class"),
        max_length=10,
        help_text=_("Exactly as in the students' accounts, e.g. 7А."),
    )

    class Meta:
        verbose_name = _("class teacher")
        verbose_name_plural = _("class teachers")
        ordering = ["school_class"]
        constraints = [
            models.UniqueConstraint(
                fields=["teacher", "school_class"], name="one_charge_per_class"
            )
        ]

    def __str__(self):
        return f"{self.school_class}: {self.teacher}"


class ConsentKind(models.TextChoices):
    PHOTO = "photo", _("Photos of the student")
    PUBLICATION = "publication", _("Publication of the student's name and work")


class Consent(models.Model):
    """One decision of a parent. History is kept: a change is a new row."""

    student = models.ForeignKey(
        User,
        verbose_name=_("student"),
        on_delete=models.PROTECT,
        related_name="consents",
    )
    kind = models.CharField(
        _("consent for"), max_length=16, choices=ConsentKind.choices
    )
    granted = models.BooleanField(_("given"))
    given_by = models.ForeignKey(
        User, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.student}: {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A consent is never changed: record a new decision.")
        super().save(*args, **kwargs)


class RequestKind(models.TextChoices):
    COPY = "copy", _("A copy of the personal data")
    CERTIFICATE = "certificate", _("A certificate of study")
    CORRECTION = "correction", _("A correction of the data")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused")


class PersonalDataRequest(models.Model):
    """A request by a person about their own data or their child's, with a deadline."""

    kind = models.CharField(_("request"), max_length=16, choices=RequestKind.choices)
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=RequestStatus.choices,
        default=RequestStatus.OPEN,
    )
    subject = models.ForeignKey(
        User,
        verbose_name=_("about"),
        on_delete=models.PROTECT,
        related_name="personal_requests",
    )
    requested_by = models.ForeignKey(
        User, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("made"), default=timezone.now)
    due_on = models.DateField(_("due"))
    note = models.TextField(_("note"), blank=True)
    # A correction: which field and the proposed value (encrypted like the field).
    field = models.CharField(_("field"), max_length=16, blank=True)
    proposed_value = EncryptedTextField(_("correct value"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        User,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    # A certificate: its own number series until the outgoing journal exists.
    certificate_number = models.CharField(
        _("certificate number"), max_length=20, blank=True
    )
    certificate_details = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("personal data request")
        verbose_name_plural = _("personal data requests")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate_number"],
                condition=~Q(certificate_number=""),
                name="one_request_per_certificate_number",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.subject}"

    @property
    def is_overdue(self) -> bool:
        return self.status == RequestStatus.OPEN and self.due_on < timezone.localdate()


class BackupRun(models.Model):
    """One run of ``manage.py backup``, good or failed; the health page reads them."""

    at = models.DateTimeField(_("time"), default=timezone.now)
    ok = models.BooleanField(_("written"), default=True)
    problem = models.CharField(_("problem"), max_length=500, blank=True)
    file_name = models.CharField(_("file"), max_length=500, blank=True)
    size = models.BigIntegerField(_("size"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("backup")
        verbose_name_plural = _("backups")
        ordering = ["-at"]
        get_latest_by = "at"

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.file_name or self.problem}"


class KeyPurpose(models.TextChoices):
    # Labels are the settings' names: they are what the administrator edits.
    ENCRYPTION = "encryption", "PORTAL_ENCRYPTION_KEYS"
    AUDIT = "audit", "PORTAL_AUDIT_KEY"
    BLIND_INDEX = "blind_index", "PORTAL_BLIND_INDEX_KEY"


class KeyFingerprint(models.Model):
    """A key that stored data was made with, known by its fingerprint, never the key.

    accounts/keys.py compares these with the configured keys, so a wrong or
    missing key is named at start-up instead of failing page by page.
    ``retired_at``: ``rotate_keys`` moved every value off this key.
    """

    purpose = models.CharField(max_length=16, choices=KeyPurpose.choices)
    fingerprint = models.CharField(max_length=16)
    first_used_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("key fingerprint")
        verbose_name_plural = _("key fingerprints")
        ordering = ["purpose", "first_used_at", "pk"]
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["purpose", "fingerprint"], name="one_fingerprint_per_key"
            )
        ]

    def __str__(self):
        return f"{self.purpose} {self.fingerprint}"
