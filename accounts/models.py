from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

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
