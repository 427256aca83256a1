"""Surveys: questionnaires, who took part, what was answered, what follows from it.

Anonymity is a property of the tables, not of the screens. In an anonymous
survey ``Participation`` says who took part and ``Response``/``Answer`` say
what was answered, and nothing joins them: responses and answers have random
UUID keys (no sequence), no timestamp and no link to a person, and are always
read in UUID order, which says nothing about when they were written.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _


def _localized(obj, field: str) -> str:
    """The field in the active language, falling back to Kyrgyz."""
    language = (translation.get_language() or "ky").split("-")[0]
    return getattr(obj, f"{field}_{language}", "") or getattr(obj, f"{field}_ky")


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Survey(models.Model):
    title_ky = models.CharField(_("title (Kyrgyz)"), max_length=200)
    title_ru = models.CharField(_("title (Russian)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    purpose_ky = models.TextField(_("purpose (Kyrgyz)"), blank=True)
    purpose_ru = models.TextField(_("purpose (Russian)"), blank=True)
    purpose_en = models.TextField(_("purpose (English)"), blank=True)
    # Audience: people holding one of these roles and, when a grade range or
    # classes are given, whose class matches them.
    audience_roles = models.JSONField(_("roles"), default=list)
    min_grade = models.PositiveSmallIntegerField(_("from grade"), null=True, blank=True)
    max_grade = models.PositiveSmallIntegerField(_("to grade"), null=True, blank=True)
    classes = models.CharField(
        _("classes"),
        max_length=200,
        blank=True,
        help_text=_("Only these classes, separated by commas, e.g. 7A, 7B."),
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    anonymous = models.BooleanField(_("anonymous"), default=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SurveyStatus.choices,
        default=SurveyStatus.DRAFT,
    )
    conclusions = models.TextField(_("conclusions"), blank=True)
    # The audience as it was when the survey ran: counted when it is published
    # and counted again, for good, when it is closed, so that people who join
    # the school later do not change an old survey's response rate. Empty for
    # a draft. A count with no time was estimated afterwards (migration 0002).
    audience_size = models.PositiveIntegerField(
        _("audience"), null=True, blank=True, editable=False
    )
    audience_counted_at = models.DateTimeField(
        _("audience counted"), null=True, blank=True, editable=False
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("earlier run"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-opens_at", "-pk"]
        permissions = [("view_survey_results", _("Can see the results of surveys"))]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        return _localized(self, "title")

    @property
    def purpose(self) -> str:
        return _localized(self, "purpose")

    @property
    def class_list(self) -> list[str]:
        return [c.strip().upper() for c in self.classes.split(",") if c.strip()]

    @property
    def is_open_now(self) -> bool:
        now = timezone.now()
        return (
            self.status == SurveyStatus.OPEN and self.opens_at <= now < self.closes_at
        )

    @property
    def is_draft(self) -> bool:
        return self.status == SurveyStatus.DRAFT


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("Scale")
    YES_NO = "yes_no", _("Yes or no")
    SINGLE = "single", _("One choice")
    MULTIPLE = "multiple", _("Several choices")
    NUMBER = "number", _("Number")
    TEXT = "text", _("Free text")


# Kinds whose answers are numbers: they get a mean, a median and a chart.
NUMERIC_KINDS = (QuestionKind.SCALE, QuestionKind.YES_NO, QuestionKind.NUMBER)


class Question(models.Model):
    survey = models.ForeignKey(
        Survey,
        verbose_name=_("survey"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    text_ky = models.TextField(_("question (Kyrgyz)"))
    text_ru = models.TextField(_("question (Russian)"), blank=True)
    text_en = models.TextField(_("question (English)"), blank=True)
    required = models.BooleanField(_("required"), default=True)
    # The range of a scale; the optional bounds of a number.
    min_value = models.IntegerField(_("lowest value"), null=True, blank=True)
    max_value = models.IntegerField(_("highest value"), null=True, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "order"], name="one_question_per_place"
            )
        ]

    def __str__(self):
        return f"{self.order}. {self.text}"

    @property
    def text(self) -> str:
        return _localized(self, "text")

    @property
    def is_numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS

    def choices(self) -> list[tuple[int, str]]:
        """(value, label) of every allowed answer of a closed question."""
        labels = {option.value: option.label for option in self.options.all()}
        if self.kind == QuestionKind.SCALE:
            return [
                (value, labels.get(value) or str(value))
                for value in range(self.min_value, self.max_value + 1)
            ]
        if self.kind == QuestionKind.YES_NO:
            return [(1, str(_("Yes"))), (0, str(_("No")))]
        if self.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            return sorted(labels.items())
        return []


class Option(models.Model):
    """A label of one scale value, or one choice of a choice question."""

    question = models.ForeignKey(
        Question,
        verbose_name=_("question"),
        on_delete=models.CASCADE,
        related_name="options",
    )
    value = models.IntegerField(_("value"))
    label_ky = models.CharField(_("label (Kyrgyz)"), max_length=200)
    label_ru = models.CharField(_("label (Russian)"), max_length=200, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["question", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "value"], name="one_option_per_value"
            )
        ]

    def __str__(self):
        return f"{self.value}: {self.label}"

    @property
    def label(self) -> str:
        return _localized(self, "label")


class Participation(models.Model):
    """Who took part. One per person and survey, by constraint (not by a check)."""

    survey = models.ForeignKey(
        Survey,
        verbose_name=_("survey"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="survey_participations",
    )
    # Only in a named survey; always empty in an anonymous one.
    response = models.OneToOneField(
        "Response",
        verbose_name=_("response"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="named_participation",
    )
    at = models.DateTimeField(_("answered"), default=timezone.now)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "person"], name="one_response_per_person"
            )
        ]

    def __str__(self):
        return f"{self.person} — {self.survey}"


class Response(models.Model):
    """What one respondent answered. No person, no time, no sequence."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(
        Survey,
        verbose_name=_("survey"),
        on_delete=models.CASCADE,
        related_name="responses",
    )
    # The respondent's grade for the breakdown; the class only in named surveys
    # (see services._respondent_groups for why).
    grade = models.PositiveSmallIntegerField(_("grade"), null=True, blank=True)
    school_class = models.CharField(_("class"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        # Random order: the UUID says nothing about when a response was written.
        ordering = ["id"]

    def __str__(self):
        return str(self.id)


class Answer(models.Model):
    """One answer; a multiple-choice question has one row per chosen option."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(
        Response,
        verbose_name=_("response"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    question = models.ForeignKey(
        Question,
        verbose_name=_("question"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    value = models.IntegerField(_("value"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["id"]

    def __str__(self):
        return self.text or str(self.value)


class RecommendationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class Recommendation(models.Model):
    """An action item that follows from a survey's results."""

    survey = models.ForeignKey(
        Survey,
        verbose_name=_("survey"),
        on_delete=models.CASCADE,
        related_name="recommendations",
    )
    text = models.TextField(_("recommendation"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible"),
        on_delete=models.PROTECT,
        related_name="survey_recommendations",
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.OPEN,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.text[:80]

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == RecommendationStatus.OPEN
            and self.due_on < timezone.localdate()
        )
