"""Every change to surveys: one function, one transaction, one audit event."""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import User
from audit.models import AuditAction
from audit.services import record
from surveys import selectors
from surveys.models import (
    Answer,
    Option,
    Participation,
    Question,
    QuestionKind,
    Recommendation,
    RecommendationStatus,
    Response,
    Survey,
    SurveyStatus,
)

ADD = "surveys.add_survey"
CHANGE = "surveys.change_survey"
RESULTS = "surveys.view_survey_results"

SURVEY_FIELDS = (
    "title_ky",
    "title_ru",
    "title_en",
    "purpose_ky",
    "purpose_ru",
    "purpose_en",
    "audience_roles",
    "min_grade",
    "max_grade",
    "classes",
    "opens_at",
    "closes_at",
    "anonymous",
)
QUESTION_FIELDS = (
    "kind",
    "text_ky",
    "text_ru",
    "text_en",
    "required",
    "min_value",
    "max_value",
)
# A scale longer than this is not a scale a child answers on a phone.
MAX_SCALE_STEPS = 11
STATUS_ACTIONS = {
    SurveyStatus.OPEN: AuditAction.SURVEY_PUBLISH,
    SurveyStatus.CLOSED: AuditAction.SURVEY_CLOSE,
}


class SurveyRefused(ValueError):
    """A refusal the person can read: closed, answered already, bad answer.

    ``errors`` maps a question's pk to what is wrong with its answer.
    """

    def __init__(self, message: str, errors: dict[int, str] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


@access.protected
def create_survey(*, actor: User, fields: dict) -> Survey:
    access.require(actor, ADD)
    survey = Survey(created_by=actor, status=SurveyStatus.DRAFT)
    _set_survey_fields(survey, fields)
    survey.save()
    record(
        actor=actor,
        action=AuditAction.SURVEY_DRAFT,
        target=survey,
        details={"title": survey.title_ky},
    )
    return survey


@access.protected
def update_survey(*, actor: User, survey: Survey, fields: dict) -> Survey:
    access.require(actor, CHANGE, survey)
    # The old values come from the row: a ModelForm has already written the new
    # ones into ``survey`` while validating.
    stored = Survey.objects.select_for_update().get(pk=survey.pk)
    _require_draft(stored)
    old = {name: _jsonable(getattr(stored, name)) for name in SURVEY_FIELDS}
    _set_survey_fields(stored, fields)
    new = {name: _jsonable(getattr(stored, name)) for name in SURVEY_FIELDS}
    changed = [name for name in old if old[name] != new[name]]
    for name in SURVEY_FIELDS:
        setattr(survey, name, getattr(stored, name))
    if not changed:
        # The form sent back as it was shown: nothing to save or to record.
        return survey
    stored.save(update_fields=changed)
    record(
        actor=actor,
        action=AuditAction.SURVEY_EDIT,
        target=survey,
        details={
            "old": {name: old[name] for name in changed},
            "new": {name: new[name] for name in changed},
        },
    )
    return survey


def _set_survey_fields(survey: Survey, fields: dict) -> None:
    for name in SURVEY_FIELDS:
        if name in fields:
            setattr(survey, name, fields[name])
    if not survey.title_ky.strip():
        raise SurveyRefused(_("Give the survey a title in Kyrgyz."))
    if not survey.audience_roles:
        raise SurveyRefused(_("Choose who answers the survey."))
    if survey.closes_at <= survey.opens_at:
        raise SurveyRefused(_("The survey must close after it opens."))
    low, high = survey.min_grade, survey.max_grade
    if low is not None and high is not None and low > high:
        raise SurveyRefused(_("The lowest grade is above the highest."))


def _jsonable(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def _require_draft(survey: Survey) -> None:
    if not survey.is_draft:
        raise SurveyRefused(_("Only a draft survey can be changed."))


@access.protected
def add_question(
    *,
    actor: User,
    survey: Survey,
    fields: dict,
    options: list[tuple[str, str, str]] = (),
) -> Question:
    """Adds a question at the end. ``options``: (ky, ru, en) labels, in order:
    the labels of the scale's values from the lowest, or the choices.
    """
    access.require(actor, CHANGE, survey)
    _require_draft(Survey.objects.select_for_update().get(pk=survey.pk))
    question = Question(survey=survey)
    for name in QUESTION_FIELDS:
        if name in fields:
            setattr(question, name, fields[name])
    _check_question(question, options)
    last = survey.questions.aggregate(last=Max("order"))["last"] or 0
    question.order = last + 1
    question.save()
    first = question.min_value if question.kind == QuestionKind.SCALE else 1
    Option.objects.bulk_create(
        Option(
            question=question, value=first + i, label_ky=ky, label_ru=ru, label_en=en
        )
        for i, (ky, ru, en) in enumerate(options)
    )
    record(
        actor=actor,
        action=AuditAction.QUESTION_ADD,
        target=survey,
        details={"question": question.order, "kind": question.kind},
    )
    return question


def _check_question(question: Question, options) -> None:
    if not question.text_ky.strip():
        raise SurveyRefused(_("Write the question in Kyrgyz."))
    if question.kind not in QuestionKind.values:
        raise SurveyRefused(_("Choose the kind of question."))
    low, high = question.min_value, question.max_value
    if question.kind == QuestionKind.SCALE:
        if low is None or high is None or low >= high:
            raise SurveyRefused(_("A scale needs a lowest value below its highest."))
        if high - low + 1 > MAX_SCALE_STEPS:
            raise SurveyRefused(_("A scale has at most 11 values."))
        if len(options) > high - low + 1:
            raise SurveyRefused(_("More labels than values on the scale."))
    elif question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        if len(options) < 2:
            raise SurveyRefused(_("A choice question needs at least two choices."))
    elif (
        question.kind == QuestionKind.NUMBER and None not in (low, high) and low > high
    ):
        raise SurveyRefused(_("The lowest value is above the highest."))
    if question.kind not in (QuestionKind.SCALE, QuestionKind.NUMBER):
        question.min_value = question.max_value = None
    if options and question.kind not in (
        QuestionKind.SCALE,
        QuestionKind.SINGLE,
        QuestionKind.MULTIPLE,
    ):
        raise SurveyRefused(_("Only scales and choice questions have labels."))


@access.protected
def delete_question(*, actor: User, question: Question) -> None:
    survey = question.survey
    access.require(actor, CHANGE, survey)
    _require_draft(survey)
    order = question.order
    question.delete()
    for later in survey.questions.filter(order__gt=order).order_by("order"):
        later.order -= 1
        later.save(update_fields=["order"])
    record(
        actor=actor,
        action=AuditAction.QUESTION_REMOVE,
        target=survey,
        details={"question": order},
    )


@access.protected
def publish_survey(*, actor: User, survey: Survey) -> Survey:
    """Opens the survey and records its audience as it is now."""
    access.require(actor, CHANGE, survey)
    locked = Survey.objects.select_for_update().get(pk=survey.pk)
    _require_draft(locked)
    if not locked.questions.exists():
        raise SurveyRefused(_("Add at least one question before publishing."))
    if locked.closes_at <= timezone.now():
        raise SurveyRefused(_("The closing time has already passed."))
    return _set_status(actor, survey, locked, SurveyStatus.OPEN)


@access.protected
def close_survey(*, actor: User, survey: Survey) -> Survey:
    """Closes the survey and fixes its audience for good: the response rate of a
    closed survey no longer moves when people join or leave the school.
    """
    access.require(actor, CHANGE, survey)
    locked = Survey.objects.select_for_update().get(pk=survey.pk)
    if locked.status != SurveyStatus.OPEN:
        raise SurveyRefused(_("Only an open survey can be closed."))
    return _set_status(actor, survey, locked, SurveyStatus.CLOSED)


def _set_status(
    actor: User, survey: Survey, locked: Survey, status: SurveyStatus
) -> Survey:
    """``locked`` is the row taken for update; ``survey`` is the caller's copy,
    brought up to date too."""
    now = timezone.now()
    # Closed late, it still counts the audience of its closing time.
    size = selectors.audience_size(survey=locked, as_of=min(now, locked.closes_at))
    old = (locked.status, locked.audience_size)
    locked.status = status
    locked.audience_size = size
    locked.audience_counted_at = now
    locked.save(update_fields=["status", "audience_size", "audience_counted_at"])
    for name in ("status", "audience_size", "audience_counted_at"):
        setattr(survey, name, getattr(locked, name))
    record(
        actor=actor,
        action=STATUS_ACTIONS[status],
        target=survey,
        details={
            "old": {"status": old[0], "audience_size": old[1]},
            "new": {"status": status.value, "audience_size": size},
        },
    )
    return survey


@access.protected
def submit_response(*, actor: User, survey: Survey, answers: dict) -> Response:
    """Store one person's answers, once. ``answers`` maps a question's pk to an
    int (scale, yes/no, one choice, number), a list of ints (several choices),
    a str (free text) or None (not answered).

    The unique constraint on Participation(survey, person), written in this
    same transaction, is what keeps it to one response under concurrent
    submits: the check before it only gives the usual case a clear message.
    """
    if not selectors.in_audience(user=actor, survey=survey):
        raise access.NotVisible(selectors.ANSWER, survey)
    if not survey.is_open_now:
        raise SurveyRefused(_("This survey is not open for answers."))
    if selectors.has_answered(user=actor, survey=survey):
        raise SurveyRefused(_("You have already answered this survey."))
    rows = _answer_rows(selectors.questions_of(survey=survey), answers)
    try:
        with transaction.atomic():
            participation = Participation.objects.create(survey=survey, person=actor)
    except IntegrityError:
        raise SurveyRefused(_("You have already answered this survey.")) from None
    grade, school_class = _respondent_groups(survey, actor)
    response = Response.objects.create(
        survey=survey, grade=grade, school_class=school_class
    )
    Answer.objects.bulk_create(
        Answer(response=response, question=question, value=value, text=text)
        for question, value, text in rows
    )
    details = {"anonymous": survey.anonymous}
    if not survey.anonymous:
        participation.response = response
        participation.save(update_fields=["response"])
        details["response"] = str(response.pk)
    # In an anonymous survey the trail says only that this person took part:
    # not the response's id, not one answer.
    record(
        actor=actor, action=AuditAction.SURVEY_ANSWER, target=survey, details=details
    )
    return response


def _respondent_groups(survey: Survey, person: User) -> tuple[int | None, str]:
    """What a response keeps of its respondent, for the breakdown of results.

    Anonymous survey: the grade only, never the class. Participation names who
    took part, and a class is small: if only two pupils of 9B took part, a
    response marked 9B is one of theirs, and with one it is theirs outright.
    A grade gathers several classes, so its groups are far larger, and the
    results page still hides every group below PORTAL_SURVEY_MIN_GROUP. The
    risk that remains (a grade where very few took part, read straight from
    the database) is why the breakdown stops at grades.
    Named survey: the answers are linked to the person anyway, so the class too.
    """
    if survey.anonymous:
        return person.grade, ""
    return person.grade, person.school_class


def _answer_rows(questions: list[Question], answers: dict) -> list[tuple]:
    """(question, value, text) per answer row; every wrong answer refuses all."""
    rows, errors = [], {}
    for question in questions:
        given = answers.get(question.pk)
        if given in (None, "", []):
            if question.required:
                errors[question.pk] = _("This question needs an answer.")
            continue
        try:
            rows.extend(_rows_for(question, given))
        except (TypeError, ValueError):
            errors[question.pk] = _("This answer is not one of the allowed values.")
    if errors:
        raise SurveyRefused(_("Some answers need your attention."), errors)
    return rows


def _rows_for(question: Question, given) -> list[tuple]:
    if question.kind == QuestionKind.TEXT:
        text = str(given).strip()[:2000]
        return [(question, None, text)] if text else []
    if question.kind == QuestionKind.NUMBER:
        value = int(given)
        low, high = question.min_value, question.max_value
        if (low is not None and value < low) or (high is not None and value > high):
            raise ValueError(value)
        return [(question, value, "")]
    allowed = {value for value, _label in question.choices()}
    if question.kind == QuestionKind.MULTIPLE:
        values = sorted({int(v) for v in given})
    else:
        values = [int(given)]
    if not values or not set(values) <= allowed:
        raise ValueError(values)
    return [(question, value, "") for value in values]


@access.protected
def write_conclusions(*, actor: User, survey: Survey, text: str) -> Survey:
    access.require(actor, CHANGE, survey)
    old = survey.conclusions
    if text.strip() == old:
        return survey
    survey.conclusions = text.strip()
    survey.save(update_fields=["conclusions"])
    record(
        actor=actor,
        action=AuditAction.CONCLUSIONS,
        target=survey,
        details={
            "old": {"conclusions": old},
            "new": {"conclusions": survey.conclusions},
        },
    )
    return survey


@access.protected
def add_recommendation(
    *, actor: User, survey: Survey, text: str, responsible: User, due_on: date
) -> Recommendation:
    access.require(actor, CHANGE, survey)
    if not text.strip():
        raise SurveyRefused(_("Write the recommendation."))
    recommendation = Recommendation.objects.create(
        survey=survey,
        text=text.strip(),
        responsible=responsible,
        due_on=due_on,
        created_by=actor,
    )
    record(
        actor=actor,
        action=AuditAction.RECOMMENDATION_ADD,
        target=recommendation,
        details={
            "survey": survey.pk,
            "responsible": responsible.pk,
            "due_on": due_on.isoformat(),
        },
    )
    return recommendation


@access.protected
def set_recommendation_status(
    *, actor: User, recommendation: Recommendation, status: RecommendationStatus
) -> Recommendation:
    access.require(actor, CHANGE, recommendation.survey)
    old = recommendation.status
    recommendation.status = status
    recommendation.save(update_fields=["status"])
    record(
        actor=actor,
        action=AuditAction.RECOMMENDATION_DONE
        if status == RecommendationStatus.DONE
        else AuditAction.RECOMMENDATION_REOPEN,
        target=recommendation,
        details={
            "old": {"status": old},
            "new": {"status": RecommendationStatus(status).value},
        },
    )
    return recommendation


@access.protected
def copy_survey(*, actor: User, survey: Survey) -> Survey:
    """A new draft with the same texts, audience and questions, to run again."""
    access.require(actor, ADD)
    access.require(actor, CHANGE, survey)
    now = timezone.now()
    copy = Survey(
        created_by=actor,
        status=SurveyStatus.DRAFT,
        copied_from=survey,
        opens_at=now,
        closes_at=now + (survey.closes_at - survey.opens_at),
    )
    for name in SURVEY_FIELDS:
        if name not in ("opens_at", "closes_at"):
            setattr(copy, name, getattr(survey, name))
    copy.save()
    for question in selectors.questions_of(survey=survey):
        options = list(question.options.all())
        question.pk = None
        question.survey = copy
        question.save()
        Option.objects.bulk_create(
            Option(
                question=question,
                value=option.value,
                label_ky=option.label_ky,
                label_ru=option.label_ru,
                label_en=option.label_en,
            )
            for option in options
        )
    record(
        actor=actor,
        action=AuditAction.SURVEY_COPY,
        target=copy,
        details={"copied_from": survey.pk},
    )
    return copy


@access.protected
def record_results_read(
    *, actor: User, survey: Survey, action: AuditAction, details: dict | None = None
) -> None:
    """Results shown, printed or exported: a read that leaves a trace."""
    access.require_visible(actor, RESULTS, survey)
    record(actor=actor, action=action, target=survey, details=details or {})
