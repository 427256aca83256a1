from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    LOGIN = "login", _("Signed in")
    LOGOUT = "logout", _("Signed out")
    LOGIN_FAILED = "login_failed", _("Failed sign-in")
    LOCKED_OUT = "locked_out", _("Locked out")
    UNLOCK = "unlock", _("Unlocked")
    VIEW = "view", _("Viewed")
    DOWNLOAD = "download", _("Downloaded")
    EXPORT = "export", _("Exported")
    PRINT = "print", _("Printed")
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    GRANT = "grant", _("Permission granted")
    REVOKE = "revoke", _("Permission revoked")
    ROLE_ADD = "role_add", _("Role given")
    ROLE_REMOVE = "role_remove", _("Role taken away")
    APPOINT = "appoint", _("Appointed")
    APPOINTMENT_END = "appointment_end", _("Appointment ended")
    ONBOARDING = "onboarding", _("Onboarding step")
    LINK = "link", _("Parent linked")
    UNLINK = "unlink", _("Parent unlinked")
    DEACTIVATE = "deactivate", _("Deactivated")
    ISSUE = "issue", _("Issued")
    RETURN = "return", _("Returned")
    COPY = "copy", _("Copied")
    DESTROY = "destroy", _("Destroyed")
    HAND_OVER = "hand_over", _("Handed over")
    BREACH_REPORT = "breach_report", _("Breach reported")
    SESSION_END = "session_end", _("Session ended")
    PASSWORD_RESET = "password_reset", _("Password reset")
    PASSWORD_CHANGE = "password_change", _("Password changed")
    SECOND_FACTOR = "second_factor", _("Second factor")
    DENIED = "denied", _("Access denied")


class AuditOutcome(models.TextChoices):
    ALLOWED = "allowed", _("allowed")
    DENIED = "denied", _("denied")


class AuditEvent(models.Model):
    """One entry of the tamper-evident trail. Appended by audit.services.record only.

    entry_hash = HMAC-SHA256(PORTAL_AUDIT_KEY, prev_hash || canonical JSON of the
    event), so a changed, removed or reordered row breaks the chain.
    """

    seq = models.BigIntegerField(_("number"), unique=True)
    at = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("person"), max_length=150, blank=True)
    actor_roles = models.JSONField(_("roles"), default=list, blank=True)
    action = models.CharField(_("action"), max_length=32, choices=AuditAction.choices)
    outcome = models.CharField(
        _("outcome"),
        max_length=8,
        choices=AuditOutcome.choices,
        default=AuditOutcome.ALLOWED,
    )
    target_type = models.CharField(_("object type"), max_length=100, blank=True)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_label = models.CharField(_("object"), max_length=200, blank=True)
    client_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("device"), max_length=300, blank=True)
    request_id = models.CharField(_("request"), max_length=32, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["actor", "at"]),
            models.Index(fields=["target_type", "target_id", "at"]),
            models.Index(fields=["action", "at"]),
            models.Index(fields=["at"]),
        ]
        default_permissions = ("view",)
        permissions = [("view_audit_report", _("Can see the audit reports"))]

    def __str__(self):
        return f"#{self.seq} {self.actor_label} {self.action} {self.target_label}"
