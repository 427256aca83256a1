from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AuditAction(models.TextChoices):
    """What happened, named as the school names it: one member per business
    action, each with one shape of details (AuditEvent.details).

    The labels have their own context, "audit action": here a label says what
    happened ("Issued"), where the same English word elsewhere heads a column.
    CREATE, UPDATE and DELETE are django-auditlog's copies of a row change that
    no business event carried (audit/auditlog.py), such as an edit in the back
    office; no service records them.
    """

    # Signing in and sessions
    LOGIN = "login", pgettext_lazy("audit action", "Signed in")
    LOGOUT = "logout", pgettext_lazy("audit action", "Signed out")
    LOGIN_FAILED = "login_failed", pgettext_lazy("audit action", "Failed sign-in")
    LOCKED_OUT = "locked_out", pgettext_lazy("audit action", "Locked out")
    UNLOCK = "unlock", pgettext_lazy("audit action", "Unlocked")
    SESSION_END = "session_end", pgettext_lazy("audit action", "Session ended")
    PASSWORD_RESET = "password_reset", pgettext_lazy("audit action", "Password reset")
    PASSWORD_CHANGE = (
        "password_change",
        pgettext_lazy("audit action", "Password changed"),
    )
    SECOND_FACTOR = "second_factor", pgettext_lazy("audit action", "Second factor")
    BREACH_REPORT = "breach_report", pgettext_lazy("audit action", "Breach reported")
    INCIDENT_CLOSE = (
        "incident_close",
        pgettext_lazy("audit action", "Breach report closed"),
    )
    NOTICE_READ = "notice_read", pgettext_lazy("audit action", "Notice read")
    DENIED = "denied", pgettext_lazy("audit action", "Access denied")
    # Reading
    VIEW = "view", pgettext_lazy("audit action", "Viewed")
    DOWNLOAD = "download", pgettext_lazy("audit action", "Downloaded")
    EXPORT = "export", pgettext_lazy("audit action", "Exported")
    PRINT = "print", pgettext_lazy("audit action", "Printed")
    # People, roles, appointments, onboarding, grants
    ACCOUNT_OPEN = "account_open", pgettext_lazy("audit action", "Account opened")
    DEACTIVATE = "deactivate", pgettext_lazy("audit action", "Deactivated")
    ROLE_ADD = "role_add", pgettext_lazy("audit action", "Role given")
    ROLE_REMOVE = "role_remove", pgettext_lazy("audit action", "Role taken away")
    APPOINT = "appoint", pgettext_lazy("audit action", "Appointed")
    APPOINTMENT_END = (
        "appointment_end",
        pgettext_lazy("audit action", "Appointment ended"),
    )
    ONBOARDING = "onboarding", pgettext_lazy("audit action", "Onboarding step")
    LINK = "link", pgettext_lazy("audit action", "Parent linked")
    UNLINK = "unlink", pgettext_lazy("audit action", "Parent unlinked")
    GRANT = "grant", pgettext_lazy("audit action", "Permission granted")
    REVOKE = "revoke", pgettext_lazy("audit action", "Permission revoked")
    # Personal data (Law No. 58)
    PERSONAL_DATA_CHANGE = (
        "personal_data_change",
        pgettext_lazy("audit action", "Personal data changed"),
    )
    CONSENT_GIVE = "consent_give", pgettext_lazy("audit action", "Consent given")
    CONSENT_WITHDRAW = (
        "consent_withdraw",
        pgettext_lazy("audit action", "Consent withdrawn"),
    )
    REQUEST_MAKE = "request_make", pgettext_lazy("audit action", "Request made")
    REQUEST_ANSWER = "request_answer", pgettext_lazy("audit action", "Request answered")
    REQUEST_REFUSE = "request_refuse", pgettext_lazy("audit action", "Request refused")
    # The document registry
    JOURNAL_OPEN = "journal_open", pgettext_lazy("audit action", "Journal opened")
    LIST_ADD = "list_add", pgettext_lazy("audit action", "Added to a reference list")
    REGISTER = "register", pgettext_lazy("audit action", "Registered")
    CORRECT = "correct", pgettext_lazy("audit action", "Corrected")
    ANNUL = "annul", pgettext_lazy("audit action", "Annulled")
    ATTACH = "attach", pgettext_lazy("audit action", "File attached")
    ISSUE = "issue", pgettext_lazy("audit action", "Issued")
    SIGN_FOR = "sign_for", pgettext_lazy("audit action", "Signed for")
    HAND_BACK = "hand_back", pgettext_lazy("audit action", "Handed back")
    CONFIRM_RETURN = "confirm_return", pgettext_lazy("audit action", "Return confirmed")
    # A carrier's return to the security officer, in one step (a document's
    # takes the two above; events older than them say "return" for both).
    RETURN = "return", pgettext_lazy("audit action", "Returned")
    COPY = "copy", pgettext_lazy("audit action", "Copied")
    COPY_FATE = "copy_fate", pgettext_lazy("audit action", "Copy's fate recorded")
    DESTROY = "destroy", pgettext_lazy("audit action", "Destroyed")
    FILES_SWEEP = "files_sweep", pgettext_lazy("audit action", "Orphan files removed")
    # Acts: destruction and the records office's hand-over
    ACT_DRAFT = "act_draft", pgettext_lazy("audit action", "Act drafted")
    ACT_REFRESH = "act_refresh", pgettext_lazy("audit action", "Act's list rebuilt")
    ACT_SIGN = "act_sign", pgettext_lazy("audit action", "Act signed")
    APPROVE = "approve", pgettext_lazy("audit action", "Approved")
    HAND_OVER = "hand_over", pgettext_lazy("audit action", "Handed over")
    # Execution control: resolutions and their execution
    RESOLUTION_GIVE = (
        "resolution_give",
        pgettext_lazy("audit action", "Resolution given"),
    )
    RESOLUTION_CHANGE = (
        "resolution_change",
        pgettext_lazy("audit action", "Resolution changed"),
    )
    EXECUTION_REPORT = (
        "execution_report",
        pgettext_lazy("audit action", "Execution reported"),
    )
    CONTROL_OFF = "control_off", pgettext_lazy("audit action", "Taken off control")
    # The security office: registers, carriers, controls
    ENTER = "enter", pgettext_lazy("audit action", "Entered in the register")
    ENTRY_CHANGE = (
        "entry_change",
        pgettext_lazy("audit action", "Register entry changed"),
    )
    CHECK = "check", pgettext_lazy("audit action", "Checked")
    CONTROL_ADD = "control_add", pgettext_lazy("audit action", "Control scheduled")
    CONTROL_CHANGE = (
        "control_change",
        pgettext_lazy("audit action", "Control's plan changed"),
    )
    CONTROL_DONE = "control_done", pgettext_lazy("audit action", "Control done")
    # Surveys
    SURVEY_DRAFT = "survey_draft", pgettext_lazy("audit action", "Survey drafted")
    SURVEY_EDIT = "survey_edit", pgettext_lazy("audit action", "Survey edited")
    QUESTION_ADD = "question_add", pgettext_lazy("audit action", "Question added")
    QUESTION_REMOVE = (
        "question_remove",
        pgettext_lazy("audit action", "Question removed"),
    )
    SURVEY_PUBLISH = "survey_publish", pgettext_lazy("audit action", "Survey published")
    SURVEY_CLOSE = "survey_close", pgettext_lazy("audit action", "Survey closed")
    SURVEY_ANSWER = "survey_answer", pgettext_lazy("audit action", "Survey answered")
    CONCLUSIONS = "conclusions", pgettext_lazy("audit action", "Conclusions written")
    RECOMMENDATION_ADD = (
        "recommendation_add",
        pgettext_lazy("audit action", "Recommendation made"),
    )
    RECOMMENDATION_DONE = (
        "recommendation_done",
        pgettext_lazy("audit action", "Recommendation carried out"),
    )
    RECOMMENDATION_REOPEN = (
        "recommendation_reopen",
        pgettext_lazy("audit action", "Recommendation reopened"),
    )
    SURVEY_COPY = "survey_copy", pgettext_lazy("audit action", "Survey copied")
    # Keys, backups and the trail itself
    KEYS_ROTATE = (
        "keys_rotate",
        pgettext_lazy("audit action", "Encryption keys rotated"),
    )
    RESTORE = "restore", pgettext_lazy("audit action", "Restored from a backup")
    FILES_RESTORE = (
        "files_restore",
        pgettext_lazy("audit action", "Missing files restored"),
    )
    SIGN_HEAD = "sign_head", pgettext_lazy("audit action", "Trail head signed")
    ARCHIVE = "archive", pgettext_lazy("audit action", "Trail archived")
    # django-auditlog's copy of a row change no business event carried
    CREATE = "create", pgettext_lazy("audit action", "Created")
    UPDATE = "update", pgettext_lazy("audit action", "Changed")
    DELETE = "delete", pgettext_lazy("audit action", "Deleted")


class AuditOutcome(models.TextChoices):
    ALLOWED = "allowed", _("allowed")
    DENIED = "denied", _("denied")


class AuditEvent(models.Model):
    """One entry of the tamper-evident trail. Appended by audit.services.record only.

    entry_hash = HMAC-SHA256(PORTAL_AUDIT_KEY, prev_hash || canonical JSON of the
    event), so a changed, removed or reordered row breaks the chain.

    ``details`` has one shape for every action:

    - facts of the action as plain keys: ``{"number": "12", "reason": "..."}``;
    - a change of the target as ``"old"`` and ``"new"``, each field -> value,
      only the fields that changed: ``{"old": {"status": "registered"},
      "new": {"status": "annulled"}}``; a value that must not be kept is MASK;
    - ``"field_log"``: the rows django-auditlog logged for the action, each
      ``{"entry": LogEntry id, "target_type", "target_id", "old", "new"}``
      (audit/auditlog.py); a copy of one entry that no business event carried
      has ``"auditlog_entry"`` with its ``"old"`` and ``"new"`` instead.
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

    # The enum's label: get_action_display() rebuilds a dict of the choices,
    # each a lazy translation, on every call (5 ms for a page of 50 events).
    @property
    def action_label(self) -> str:
        try:
            return str(AuditAction(self.action).label)
        except ValueError:  # an action no longer in the vocabulary
            return self.action

    @property
    def outcome_label(self) -> str:
        try:
            return str(AuditOutcome(self.outcome).label)
        except ValueError:
            return self.outcome


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
