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
    APPROVE = "approve", _("Approved")
    CHECK = "check", _("Checked")
    CONTROL_DONE = "control_done", _("Control done")
    SURVEY_ANSWER = "survey_answer", _("Survey answered")
    SIGN_HEAD = "sign_head", _("Trail head signed")
    ARCHIVE = "archive", _("Trail archived")


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


class SignedHead(models.Model):
    """The chain's head (seq, entry_hash) signed with Ed25519, so a cut tail shows."""

    seq = models.BigIntegerField(_("number"))
    entry_hash = models.CharField(_("hash"), max_length=64)
    signed_at = models.DateTimeField(_("signed"), default=timezone.now)
    signature = models.CharField(_("signature"), max_length=128)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("signed head")
        verbose_name_plural = _("signed heads")
        ordering = ["-seq", "-pk"]
        default_permissions = ()

    def __str__(self):
        return f"#{self.seq} {self.entry_hash[:12]}"


class VerificationRun(models.Model):
    """One run of audit_verify: did the chain hold, and where did it break."""

    at = models.DateTimeField(_("time"), default=timezone.now)
    ok = models.BooleanField(_("intact"))
    first_broken_seq = models.BigIntegerField(_("first broken number"), null=True)
    events_checked = models.BigIntegerField(_("events checked"), default=0)
    problem = models.CharField(_("problem"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("verification run")
        verbose_name_plural = _("verification runs")
        ordering = ["-at", "-pk"]
        default_permissions = ()

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {'ok' if self.ok else self.first_broken_seq}"


class AuditArchive(models.Model):
    """A retention run: events up to last_seq went to a signed file, then were removed.

    last_hash anchors the chain: the first remaining event's prev_hash must equal it.
    """

    at = models.DateTimeField(_("time"), default=timezone.now)
    before = models.DateTimeField(_("events before"))
    first_seq = models.BigIntegerField(_("first number"))
    last_seq = models.BigIntegerField(_("last number"))
    last_hash = models.CharField(max_length=64)
    events = models.BigIntegerField(_("events"))
    path = models.CharField(_("file"), max_length=300)
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit archive")
        verbose_name_plural = _("audit archives")
        ordering = ["-last_seq"]
        default_permissions = ()

    def __str__(self):
        return f"#{self.first_seq}–{self.last_seq} {self.path}"


class RequestLogEntry(models.Model):
    """One authenticated request. Unchained and separate: one INSERT per request."""

    at = models.DateTimeField(_("time"))
    # No constraint and no cascade: the insert stays one plain statement.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    method = models.CharField(_("method"), max_length=8)
    path = models.CharField(_("path"), max_length=300)
    status = models.PositiveSmallIntegerField(_("status"))
    duration_ms = models.PositiveIntegerField(_("duration, ms"))
    request_id = models.CharField(_("request"), max_length=32)

    class Meta:
        verbose_name = _("request log entry")
        verbose_name_plural = _("request log")
        default_permissions = ()

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.method} {self.path} {self.status}"
