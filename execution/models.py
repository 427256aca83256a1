"""Execution control (regulation 4.1): the principal's resolutions on
registered documents, their executors, reports of execution and the
records office's control.

A resolution is never rewritten silently: each change by its author keeps a
ResolutionChange with the old and new values. Rows here are changed only by
execution/services.py, which records every step in the audit trail.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ExecutionState(models.TextChoices):
    OPEN = "open", pgettext_lazy("execution state", "In progress")
    OVERDUE = "overdue", pgettext_lazy("execution state", "Overdue")
    EXECUTED = "executed", pgettext_lazy("execution state", "Executed, on control")
    DONE = "done", pgettext_lazy("execution state", "Done")


class Resolution(models.Model):
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="resolutions",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolution by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("resolution"))
    deadline = models.DateField(_("deadline"))
    on_control = models.BooleanField(_("on control"), default=False)
    given_at = models.DateTimeField(_("given"), default=timezone.now)
    changed_at = models.DateTimeField(_("changed"), null=True, blank=True)
    # When the responsible executor reported execution.
    executed_at = models.DateTimeField(_("executed"), null=True, blank=True)
    taken_off_at = models.DateTimeField(_("taken off control"), null=True, blank=True)
    taken_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken off control by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        ordering = ["deadline", "pk"]
        permissions = [
            ("give_resolution", _("Can give resolutions on documents")),
            ("take_off_control", _("Can take executed documents off control")),
        ]
        indexes = [models.Index(fields=["executed_at", "deadline"])]

    def __str__(self):
        return _("Resolution on %(document)s") % {"document": self.document}

    @property
    def is_executed(self) -> bool:
        return self.executed_at is not None

    @property
    def is_closed(self) -> bool:
        """Nothing more to do: executed, and taken off control if it was on it."""
        return self.is_executed and (not self.on_control or self.taken_off_at)

    @property
    def is_overdue(self) -> bool:
        return not self.is_executed and self.deadline < timezone.localdate()

    @property
    def executed_late(self) -> bool:
        return self.is_executed and timezone.localdate(self.executed_at) > self.deadline

    @property
    def state(self) -> str:
        if self.is_closed:
            return ExecutionState.DONE
        if self.is_executed:
            return ExecutionState.EXECUTED
        if self.is_overdue:
            return ExecutionState.OVERDUE
        return ExecutionState.OPEN

    @property
    def state_label(self) -> str:
        return str(ExecutionState(self.state).label)

    @property
    def responsible(self):
        for executor in self.executors.all():
            if executor.is_responsible:
                return executor.person
        return None

    @property
    def co_executors(self) -> list:
        return [e.person for e in self.executors.all() if not e.is_responsible]


class ResolutionExecutor(models.Model):
    resolution = models.ForeignKey(
        Resolution, on_delete=models.CASCADE, related_name="executors"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("executor"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_responsible = models.BooleanField(_("responsible executor"), default=False)

    class Meta:
        ordering = ["-is_responsible", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["resolution", "person"], name="executor_once_per_resolution"
            ),
            models.UniqueConstraint(
                fields=["resolution"],
                condition=Q(is_responsible=True),
                name="one_responsible_executor",
            ),
        ]
        indexes = [models.Index(fields=["person", "resolution"])]

    def __str__(self):
        return f"{self.resolution_id}: {self.person}"


class ResolutionChange(models.Model):
    """A change of a resolution by its author: what it said before and after."""

    resolution = models.ForeignKey(
        Resolution, on_delete=models.PROTECT, related_name="changes"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)
    old = models.JSONField(_("before"), default=dict)
    new = models.JSONField(_("after"), default=dict)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.resolution_id} @ {self.changed_at:%Y-%m-%d %H:%M}"


class ExecutionReport(models.Model):
    """An executor's report: a note, the outgoing reply, a file. A co-executor's
    report goes to the responsible executor; the responsible one's executes
    the resolution."""

    resolution = models.ForeignKey(
        Resolution,
        verbose_name=_("resolution"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    by_responsible = models.BooleanField(default=False, editable=False)
    note = models.TextField(_("what was done"))
    reply = models.ForeignKey(
        "documents.Document",
        verbose_name=_("reply"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="answers",
    )
    attachment = models.ForeignKey(
        "documents.Attachment",
        verbose_name=_("file"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("reported"), default=timezone.now)

    class Meta:
        verbose_name = _("report of execution")
        verbose_name_plural = _("reports of execution")
        ordering = ["reported_at", "pk"]

    def __str__(self):
        return f"{self.resolution_id}: {self.author}"
