"""Reads about surveys: who may answer, what is open, and the results."""

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import pgettext

from accounts import access
from accounts.models import User
from accounts.selectors import roles_of
from surveys.models import (
    Answer,
    Participation,
    Question,
    QuestionKind,
    Recommendation,
    RecommendationStatus,
    Response,
    Survey,
    SurveyStatus,
)

MANAGE = "surveys.change_survey"
RESULTS = "surveys.view_survey_results"
# The permission named in the 404 that someone outside the audience gets.
ANSWER = "surveys.answer_survey"


def in_audience(*, user: User, survey: Survey) -> bool:
    """Holds one of the survey's roles and, if it names grades or classes, is in one."""
    if not user.is_authenticated or not user.is_active:
        return False
    if not {role.value for role in roles_of(user=user)} & set(survey.audience_roles):
        return False
    return _class_matches(survey, user.school_class)


def _class_matches(survey: Survey, school_class: str) -> bool:
    classes = survey.class_list
    if survey.min_grade is None and survey.max_grade is None and not classes:
        return True
    if classes:
        return school_class.strip().upper() in classes
    grade = _grade(school_class)
    if grade is None:
        return False
    low = survey.min_grade if survey.min_grade is not None else grade
    high = survey.max_grade if survey.max_grade is not None else grade
    return low <= grade <= high


def _grade(school_class: str) -> int | None:
    digits = "".join(ch for ch in school_class if ch.isdigit())
    return int(digits) if digits else None


def audience_size(*, survey: Survey, as_of: datetime | None = None) -> int:
    """How many people the survey is meant for, counted now: the active holders
    of its roles in its grades or classes (only those who had joined by
    ``as_of``, when given) and everyone who answered it, since they were in the
    audience when they did, even if they have left since. One query.
    """
    in_roles = User.groups.through.objects.filter(
        user_id=OuterRef("pk"), group__name__in=survey.audience_roles
    )
    answered = Participation.objects.filter(survey=survey, person_id=OuterRef("pk"))
    eligible = Q(is_active=True, in_roles=True)
    if as_of is not None:
        eligible &= Q(date_joined__lte=as_of)
    rows = (
        User.objects.annotate(in_roles=Exists(in_roles), answered=Exists(answered))
        .filter(eligible | Q(answered=True))
        .values_list("school_class", "answered")
    )
    return sum(
        1
        for school_class, took_part in rows.order_by()
        if took_part or _class_matches(survey, school_class)
    )


def audience_of(*, survey: Survey) -> tuple[int | None, bool]:
    """The audience a survey's response rate is taken against, and whether it is
    today's count (True) or the one kept with the survey when it closed (False).

    A closed survey keeps its number: people who join the school later are not
    its audience. Any other survey is counted now, leaving out whoever joined
    after its closing time (a survey left open past it is over all the same).
    """
    if survey.status == SurveyStatus.CLOSED:
        return survey.audience_size, False
    as_of = min(timezone.now(), survey.closes_at)
    return audience_size(survey=survey, as_of=as_of), True


def has_answered(*, user: User, survey: Survey) -> bool:
    return Participation.objects.filter(survey=survey, person=user).exists()


def open_surveys_for(*, user: User) -> list[Survey]:
    """Open surveys the person may answer and has not answered yet."""
    now = timezone.now()
    candidates = Survey.objects.filter(
        status=SurveyStatus.OPEN, opens_at__lte=now, closes_at__gt=now
    ).exclude(participations__person=user)
    return [survey for survey in candidates if in_audience(user=user, survey=survey)]


def managed_surveys(*, user: User) -> QuerySet[Survey]:
    """Every survey, for the people who manage surveys or read their results."""
    if not (access.can(user, MANAGE) or access.can(user, RESULTS)):
        return Survey.objects.none()
    return Survey.objects.all()


def get_answerable(*, user: User, pk: int) -> Survey:
    """A published survey the person belongs to the audience of; else 404."""
    survey = Survey.objects.exclude(status=SurveyStatus.DRAFT).filter(pk=pk).first()
    if survey is None or not in_audience(user=user, survey=survey):
        raise access.NotVisible(ANSWER, survey)
    return survey


def get_survey(*, user: User, pk: int, permission: str) -> Survey:
    """The survey for its managers (or results readers); 404 for everyone else."""
    return access.get_visible(user, permission, Survey.objects.all(), pk=pk)


def questions_of(*, survey: Survey) -> list[Question]:
    return list(survey.questions.prefetch_related("options"))


def open_recommendations() -> QuerySet[Recommendation]:
    """Action items still open, the earliest due first: the principal's list."""
    return Recommendation.objects.filter(
        status=RecommendationStatus.OPEN
    ).select_related("responsible", "survey")


def recommendations_of(*, survey: Survey) -> QuerySet[Recommendation]:
    return survey.recommendations.select_related("responsible")


def responsible_candidates() -> QuerySet[User]:
    """People who can own an action item: staff members, by name."""
    return User.objects.filter(is_active=True, groups__name="staff").order_by(
        "last_name", "first_name"
    )


@dataclass
class Bar:
    value: int
    label: str
    count: int
    percent: float
    # What the chart and the table write: a scale's value with its label.
    shown: str = ""

    def __post_init__(self):
        self.shown = self.shown or self.label


@dataclass
class QuestionResult:
    question: Question
    count: int = 0
    mean: float | None = None
    median: float | None = None
    mode: int | None = None
    bars: list[Bar] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)


@dataclass
class Group:
    name: str
    respondents: int
    means: list[float | None]


@dataclass
class Results:
    survey: Survey
    responses: int
    # None when a closed survey's audience was never recorded.
    audience: int | None
    # True: counted today; False: the number kept with the (closed) survey.
    audience_live: bool
    questions: list[QuestionResult]
    groups: list[Group]
    hidden_groups: int
    min_group: int

    @property
    def beyond_audience(self) -> bool:
        """More responses than people counted: answers taken on paper, say."""
        return self.audience is not None and self.responses > self.audience

    @property
    def rate(self) -> float | None:
        """The share of the audience that answered, never above 100 %, and
        100 % only when everyone did (99.96 % is shown as 99.9 %)."""
        if self.audience is None or not (self.audience or self.responses):
            return None
        if self.responses >= self.audience:
            return 100.0
        return min(round(100 * self.responses / self.audience, 1), 99.9)


def results(*, survey: Survey) -> Results:
    """Counts, means, medians, distributions and the response rate: five
    queries at most (four for a closed survey, whose audience is kept), any size.
    """
    questions = questions_of(survey=survey)
    # Responses are told apart by their ids as text: turning thousands of ids
    # into UUID objects cost more than the rest of the page.
    response_id = Cast("response_id", output_field=CharField())
    groups_of = dict(
        Response.objects.filter(survey=survey)
        .annotate(rid=Cast("id", output_field=CharField()))
        .values_list("rid", "grade" if survey.anonymous else "school_class")
    )
    answers = (
        Answer.objects.filter(response__survey=survey)
        .annotate(rid=response_id)
        .values_list("rid", "question_id", "value", "text")
    )
    by_question: dict[int, list] = defaultdict(list)
    for response_id, question_id, value, text in answers.order_by():
        by_question[question_id].append((response_id, value, text))

    question_results = [
        _question_result(question, by_question[question.pk]) for question in questions
    ]
    groups, hidden = _groups(questions, by_question, groups_of)
    audience, live = audience_of(survey=survey)
    return Results(
        survey=survey,
        responses=len(groups_of),
        audience=audience,
        audience_live=live,
        questions=question_results,
        groups=groups,
        hidden_groups=hidden,
        min_group=settings.PORTAL_SURVEY_MIN_GROUP,
    )


def scale_labels(question: Question, choices: list) -> list[tuple[int, str]]:
    """Every value of a scale named, not only its labelled ends: "1 — never",
    "2 on the scale 1–5"."""
    named = {option.value for option in question.options.all()}
    return [
        (
            value,
            pgettext("scale value", "%(value)s — %(label)s")
            % {"value": value, "label": label}
            if value in named
            else pgettext("scale value", "%(value)s on the scale %(low)s–%(high)s")
            % {"value": value, "low": question.min_value, "high": question.max_value},
        )
        for value, label in choices
    ]


def _question_result(question: Question, rows: list) -> QuestionResult:
    result = QuestionResult(question=question)
    if question.kind == QuestionKind.TEXT:
        result.texts = sorted(text for _r, _v, text in rows if text)
        result.count = len(result.texts)
        return result
    values = [value for _r, value, _t in rows if value is not None]
    result.count = len({response for response, _v, _t in rows})
    counts = Counter(values)
    if question.is_numeric and values:
        result.mean = round(statistics.fmean(values), 2)
        result.median = statistics.median(values)
        result.mode = max(sorted(counts), key=lambda value: counts[value])
    choices = question.choices()
    if question.kind == QuestionKind.NUMBER:
        choices = [(value, str(value)) for value in sorted(counts)]
    elif question.kind == QuestionKind.SINGLE and values:
        result.mode = max(sorted(counts), key=lambda value: counts[value])
    shown = dict(choices)
    if question.kind == QuestionKind.SCALE:
        shown = dict(scale_labels(question, choices))
    for value, label in choices:
        percent = 100 * counts[value] / result.count if result.count else 0
        result.bars.append(
            Bar(value, label, counts[value], round(percent, 1), shown[value])
        )
    return result


def _groups(questions, by_question, groups_of) -> tuple[list[Group], int]:
    """Mean per numeric question per grade (or class), for big enough groups only."""
    minimum = settings.PORTAL_SURVEY_MIN_GROUP
    sizes = Counter(group for group in groups_of.values() if group not in (None, ""))
    shown = sorted(group for group, size in sizes.items() if size >= minimum)
    numeric = [q for q in questions if q.is_numeric]
    # One pass over the answers: values[question][group] = [value, ...].
    values = {q.pk: defaultdict(list) for q in numeric}
    for question in numeric:
        for response, value, _t in by_question[question.pk]:
            if value is not None:
                values[question.pk][groups_of.get(response)].append(value)
    groups = []
    for group in shown:
        means = [
            round(statistics.fmean(values[q.pk][group]), 2)
            if values[q.pk][group]
            else None
            for q in numeric
        ]
        groups.append(Group(str(group), sizes[group], means))
    return groups, len(sizes) - len(shown)


@dataclass
class ComparedQuestion:
    text: str
    first: float | None
    second: float | None

    @property
    def change(self) -> float | None:
        if self.first is None or self.second is None:
            return None
        return round(self.second - self.first, 2)


@dataclass
class Comparison:
    first: Results
    second: Results
    rows: list[ComparedQuestion]


def compare(*, first: Survey, second: Survey) -> Comparison:
    """Means of the questions in the same place of two runs, side by side, and
    each run's response rate against its own audience."""
    first_results, second_results = results(survey=first), results(survey=second)
    earlier = {r.question.order: r for r in first_results.questions}
    later = {r.question.order: r for r in second_results.questions}
    rows = []
    for order in sorted(set(earlier) | set(later)):
        a, b = earlier.get(order), later.get(order)
        text = (b or a).question.text
        rows.append(
            ComparedQuestion(
                f"{order}. {text}", a.mean if a else None, b.mean if b else None
            )
        )
    return Comparison(first_results, second_results, rows)


# The copy history of one survey, in SQL: up its "copied from" links to the
# first run, then down every copy from there. UNION (not UNION ALL) stops at a
# survey already seen. The same text runs on SQLite and PostgreSQL.
FAMILY_SQL = """
WITH RECURSIVE
    up(id, parent) AS (
        SELECT id, copied_from_id FROM {table} WHERE id = %s
        UNION
        SELECT s.id, s.copied_from_id FROM {table} s JOIN up ON s.id = up.parent
    ),
    family(id) AS (
        SELECT id FROM up WHERE parent IS NULL
        UNION
        SELECT s.id FROM {table} s JOIN family ON s.copied_from_id = family.id
    )
SELECT id FROM family
"""


def runs_of(*, survey: Survey) -> QuerySet[Survey]:
    """The other runs of the same survey: its original and copies, and theirs.
    One query however long the history (a subquery of the one that lists them)."""
    # The table name is the model's own; the one value is a bound parameter.
    sql = FAMILY_SQL.format(table=Survey._meta.db_table)
    family = RawSQL(sql, [survey.pk])  # noqa: S611
    return Survey.objects.filter(pk__in=family).exclude(pk=survey.pk)
