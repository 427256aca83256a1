"""Reads of execution control, each with a fixed number of queries whatever
the number of rows: the list on control, an executor's assignments, the
execution discipline report."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import (
    Case,
    Count,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from accounts import access
from accounts.models import User
from execution.models import (
    ExecutionReport,
    ExecutionState,
    Resolution,
    ResolutionExecutor,
)

LIST_LIMIT = 500


def _executors() -> Prefetch:
    return Prefetch(
        "executors", queryset=ResolutionExecutor.objects.select_related("person")
    )


def _overdue_first(rows: QuerySet, today: date) -> QuerySet:
    return rows.annotate(
        overdue_rank=Case(
            When(executed_at__isnull=True, deadline__lt=today, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("overdue_rank", "deadline", "pk")


def visible_resolutions(*, user: User) -> QuerySet[Resolution]:
    return access.visible(user, "execution.view_resolution", Resolution.objects.all())


def state_q(state: str, today: date) -> Q:
    if state == ExecutionState.OPEN:
        return Q(executed_at__isnull=True, deadline__gte=today)
    if state == ExecutionState.OVERDUE:
        return Q(executed_at__isnull=True, deadline__lt=today)
    if state == ExecutionState.EXECUTED:
        return Q(executed_at__isnull=False, on_control=True, taken_off_at__isnull=True)
    if state == ExecutionState.DONE:
        return Q(executed_at__isnull=False) & (
            Q(on_control=False) | Q(taken_off_at__isnull=False)
        )
    # Everything still needing someone: not executed, or executed on control.
    return Q(executed_at__isnull=True) | Q(on_control=True, taken_off_at__isnull=True)


def execution_rows(*, user: User, filters: dict) -> QuerySet[Resolution]:
    """The list on control: filtered by executor, deadline and state; overdue
    rows first, then by deadline."""
    today = timezone.localdate()
    rows = visible_resolutions(user=user)
    if filters.get("on_control"):
        rows = rows.filter(on_control=True)
    if filters.get("executor"):
        rows = rows.filter(executors__person=filters["executor"])
    if filters.get("deadline_from"):
        rows = rows.filter(deadline__gte=filters["deadline_from"])
    if filters.get("deadline_to"):
        rows = rows.filter(deadline__lte=filters["deadline_to"])
    state = filters.get("state") or ""
    if state != "all":
        rows = rows.filter(state_q(state, today))
    rows = rows.select_related(
        "document", "document__journal", "author", "taken_off_by"
    ).prefetch_related(_executors())
    return _overdue_first(rows.distinct(), today)


def resolution_for(*, user: User, pk: int) -> Resolution:
    return access.get_visible(
        user,
        "execution.view_resolution",
        Resolution.objects.select_related("document", "document__journal", "author"),
        pk=pk,
    )


def resolutions_of(*, document) -> list[Resolution]:
    """A document's chain of resolutions with their executors, reports and
    changes, oldest first."""
    return list(
        Resolution.objects.filter(document=document)
        .select_related("author", "taken_off_by")
        .prefetch_related(
            _executors(),
            Prefetch(
                "reports",
                queryset=ExecutionReport.objects.select_related(
                    "author", "reply", "reply__journal", "attachment"
                ),
            ),
            "changes__changed_by",
        )
        .order_by("given_at", "pk")
    )


def answered_by(*, document) -> list[ExecutionReport]:
    """The reports that give this document as their reply: the other way of
    the link between a reply and the resolution it executes."""
    return list(
        ExecutionReport.objects.filter(reply=document).select_related(
            "resolution__document", "resolution__document__journal"
        )
    )


def assignments_of(*, user: User) -> list[Resolution]:
    """What the person is to execute and has not: overdue first (the earliest
    deadlines), then by deadline."""
    rows = (
        Resolution.objects.filter(executors__person=user, executed_at__isnull=True)
        .select_related("document", "document__journal", "author")
        .prefetch_related(_executors())
        .order_by("deadline", "pk")
        .distinct()
    )
    return list(rows[:50])


def counts_for_executor(*, user: User) -> dict:
    """How many of the person's assignments are overdue and due tomorrow: one
    query."""
    today = timezone.localdate()
    return Resolution.objects.filter(
        executors__person=user, executed_at__isnull=True
    ).aggregate(
        overdue=Count("pk", filter=Q(deadline__lt=today), distinct=True),
        tomorrow=Count(
            "pk", filter=Q(deadline=today + timedelta(days=1)), distinct=True
        ),
    )


def counts_on_control(*, user: User) -> dict:
    """For the principal and the records office: overdue and due today; one
    query, kept for the request (the panel and the signal both ask)."""
    if not hasattr(user, "_execution_counts"):
        today = timezone.localdate()
        user._execution_counts = (
            visible_resolutions(user=user)
            .filter(executed_at__isnull=True)
            .aggregate(
                overdue=Count("pk", filter=Q(deadline__lt=today)),
                today=Count("pk", filter=Q(deadline=today)),
            )
        )
    return user._execution_counts


@dataclass
class DisciplineRow:
    person: User
    assigned: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    open: int = 0


def discipline(*, user: User, start: date, end: date) -> list[DisciplineRow]:
    """Execution discipline for resolutions whose deadline falls in the
    period, per responsible executor: assigned, done on time, done late,
    overdue now (and still in time)."""
    today = timezone.localdate()
    executors = (
        ResolutionExecutor.objects.filter(
            is_responsible=True,
            resolution__in=visible_resolutions(user=user).filter(
                deadline__gte=start, deadline__lte=end
            ),
        )
        .select_related("person", "resolution")
        .order_by("person__last_name", "person__first_name", "person_id")
    )
    rows: dict[int, DisciplineRow] = {}
    for executor in executors:
        row = rows.setdefault(executor.person_id, DisciplineRow(executor.person))
        resolution = executor.resolution
        row.assigned += 1
        if resolution.is_executed:
            if resolution.executed_late:
                row.late += 1
            else:
                row.on_time += 1
        elif resolution.deadline < today:
            row.overdue += 1
        else:
            row.open += 1
    return list(rows.values())
