from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A carrier is checked (is it there, is it intact, what is on it) this often.
CARRIER_CHECK_DAYS = 90


class ResourceKind(models.TextChoices):
    DATABASE = "database", _("Database")
    INFORMATION_SYSTEM = "information_system", _("Information system")
    SHARED_FOLDER = "shared_folder", _("Shared folder")
    PAPER_ARCHIVE = "paper_archive", _("Paper archive")
    WEBSITE = "website", _("Website")
    OTHER = "other", _("Other")


class ProtectedResource(models.Model):
    """One line of the register of protected databases and resources (2.4).

    The school's administration sets the list, so each new or changed line
    waits for the principal's approval.
    """

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=ResourceKind.choices)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    location = models.CharField(_("where it is"), max_length=200)
    holds_personal_data = models.BooleanField(_("personal data"), default=False)
    holds_official_use = models.BooleanField(_("for official use"), default=False)
    holds_open = models.BooleanField(_("open information"), default=False)
    protection_measures = models.TextField(_("protection measures"))
    access_holders = models.TextField(_("who has access"))
    last_review_on = models.DateField(_("last review"), null=True, blank=True)
    next_review_on = models.DateField(_("next review"))
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("protected resource")
        verbose_name_plural = _("protected resources")
        ordering = ["name", "pk"]
        default_permissions = ()
        permissions = [
            ("view_office", _("Can see the security office's registers")),
            ("manage_office", _("Can keep the registers and the periodic controls")),
            ("approve_resource", _("Can approve the register of protected resources")),
            ("view_system_health", _("Can see the system health")),
            ("receive_daily_signals", _("Receives the daily e-mail of signals")),
        ]

    def __str__(self):
        return self.name

    @property
    def data_held(self) -> list[str]:
        flags = [
            (self.holds_personal_data, _("personal data")),
            (self.holds_official_use, _("for official use")),
            (self.holds_open, _("open information")),
        ]
        return [str(label) for held, label in flags if held]

    @property
    def review_due(self) -> bool:
        return self.next_review_on <= timezone.localdate()


class CarrierKind(models.TextChoices):
    USB_DRIVE = "usb_drive", _("USB drive")
    EXTERNAL_DISK = "external_disk", _("External disk")
    OPTICAL_DISC = "optical_disc", _("Optical disc")
    PAPER_FOLDER = "paper_folder", _("Paper folder")


class CarrierCategory(models.TextChoices):
    OFFICIAL_USE = "official_use", _("For official use")
    PERSONAL_DATA = "personal_data", _("Personal data")
    OPEN = "open", _("Open")


class Carrier(models.Model):
    """A carrier of confidential information on the account (3)."""

    inventory_number = models.CharField(
        _("inventory number"), max_length=50, unique=True
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CarrierKind.choices)
    category = models.CharField(
        _("category"), max_length=20, choices=CarrierCategory.choices
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    registered_on = models.DateField(_("registered"), default=timezone.localdate)
    next_check_on = models.DateField(_("next check"))
    destroyed_on = models.DateField(_("destroyed"), null=True, blank=True)
    # Free text until the document registry's destruction act can be linked.
    destruction_act_number = models.CharField(
        _("destruction act number"), max_length=50, blank=True
    )
    destruction_note = models.TextField(_("how it was destroyed"), blank=True)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("carrier")
        verbose_name_plural = _("carriers")
        ordering = ["inventory_number"]
        default_permissions = ()

    def __str__(self):
        return self.inventory_number

    @property
    def is_destroyed(self) -> bool:
        return self.destroyed_on is not None

    @property
    def check_due(self) -> bool:
        return not self.is_destroyed and self.next_check_on <= timezone.localdate()


class CarrierIssue(models.Model):
    """A carrier handed to a person, and its return. One open issue at a time."""

    carrier = models.ForeignKey(
        Carrier,
        verbose_name=_("carrier"),
        on_delete=models.PROTECT,
        related_name="issues",
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_on = models.DateField(_("issued"))
    due_back_on = models.DateField(_("due back"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    returned_on = models.DateField(_("returned"), null=True, blank=True)
    returned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("returned to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("carrier issue")
        verbose_name_plural = _("carrier issues")
        ordering = ["-issued_on", "-pk"]
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["carrier"],
                condition=Q(returned_on__isnull=True),
                name="one_open_issue_per_carrier",
            )
        ]

    def __str__(self):
        return f"{self.carrier} → {self.holder}"

    @property
    def overdue(self) -> bool:
        return self.returned_on is None and self.due_back_on < timezone.localdate()


class CarrierCheck(models.Model):
    carrier = models.ForeignKey(
        Carrier,
        verbose_name=_("carrier"),
        on_delete=models.PROTECT,
        related_name="checks",
    )
    checked_on = models.DateField(_("checked"))
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("result"))

    class Meta:
        verbose_name = _("carrier check")
        verbose_name_plural = _("carrier checks")
        ordering = ["-checked_on", "-pk"]
        default_permissions = ()

    def __str__(self):
        return f"{self.carrier} {self.checked_on}"


class PeriodicControl(models.Model):
    """A recurring security task (3). Defaults carry a key and a translated title."""

    key = models.CharField(max_length=40, blank=True)
    title = models.CharField(_("task"), max_length=200, blank=True)
    frequency_days = models.PositiveIntegerField(
        _("every (days)"), validators=[MinValueValidator(1), MaxValueValidator(3650)]
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    next_due_on = models.DateField(_("next due"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("periodic control")
        verbose_name_plural = _("periodic controls")
        ordering = ["next_due_on", "pk"]
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=~Q(key=""), name="one_control_per_default"
            )
        ]

    def __str__(self):
        return str(self.label)

    @property
    def label(self):
        from office.defaults import DEFAULT_TITLES

        return DEFAULT_TITLES.get(self.key, self.title) if self.key else self.title

    @property
    def overdue(self) -> bool:
        return self.next_due_on < timezone.localdate()

    def due_after(self, done_on):
        return done_on + timedelta(days=self.frequency_days)


class ControlCompletion(models.Model):
    """Evidence that a periodic control was done: who, when, and a note."""

    control = models.ForeignKey(
        PeriodicControl,
        verbose_name=_("periodic control"),
        on_delete=models.PROTECT,
        related_name="completions",
    )
    done_on = models.DateField(_("done"))
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("evidence"))
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("control done")
        verbose_name_plural = _("controls done")
        ordering = ["-done_on", "-pk"]
        default_permissions = ()

    def __str__(self):
        return f"{self.control} {self.done_on}"


class DailyDigest(models.Model):
    """The daily e-mail of signals went to this person on this day (sent once)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sent_on = models.DateField(_("sent"))
    signal_count = models.PositiveIntegerField(_("signals"))

    class Meta:
        verbose_name = _("daily e-mail of signals")
        verbose_name_plural = _("daily e-mails of signals")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "sent_on"], name="one_digest_per_day"
            )
        ]

    def __str__(self):
        return f"{self.recipient} {self.sent_on}"
