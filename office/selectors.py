"""Reads of the security office: the registers, the controls and their counts."""

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from office.models import (
    Carrier,
    CarrierIssue,
    PeriodicControl,
    ProtectedResource,
)


def employees() -> QuerySet[User]:
    """Active people who are onboarded: those a resource or carrier can go to."""
    return (
        User.objects.filter(
            is_active=True,
            groups__permissions__codename="undergo_onboarding",
            groups__permissions__content_type__app_label="accounts",
        )
        .distinct()
        .order_by("last_name", "first_name")
    )


def resources() -> QuerySet[ProtectedResource]:
    return ProtectedResource.objects.select_related("responsible", "approved_by")


def resources_review_due() -> QuerySet[ProtectedResource]:
    return ProtectedResource.objects.filter(next_review_on__lte=timezone.localdate())


def resources_awaiting_approval() -> QuerySet[ProtectedResource]:
    return ProtectedResource.objects.filter(approved_at__isnull=True)


def carriers() -> QuerySet[Carrier]:
    """Carriers with their open issue (and its holder) as ``open_issues``."""
    open_issues = CarrierIssue.objects.filter(returned_on__isnull=True).select_related(
        "holder"
    )
    return Carrier.objects.prefetch_related(
        Prefetch("issues", queryset=open_issues, to_attr="open_issues")
    )


def carrier_history(*, carrier: Carrier) -> dict:
    return {
        "issues": carrier.issues.select_related("holder", "issued_by", "returned_to"),
        "checks": carrier.checks.select_related("checked_by"),
    }


def carriers_overdue_for_return() -> QuerySet[CarrierIssue]:
    return CarrierIssue.objects.filter(
        returned_on__isnull=True, due_back_on__lt=timezone.localdate()
    )


def carriers_overdue_for_check() -> QuerySet[Carrier]:
    return Carrier.objects.filter(
        destroyed_on__isnull=True, next_check_on__lte=timezone.localdate()
    )


def controls() -> QuerySet[PeriodicControl]:
    return PeriodicControl.objects.filter(is_active=True).select_related("responsible")


def controls_overdue() -> QuerySet[PeriodicControl]:
    return PeriodicControl.objects.filter(
        is_active=True, next_due_on__lt=timezone.localdate()
    )


def control_history(*, control: PeriodicControl):
    return control.completions.select_related("done_by")


def people_with_signals() -> QuerySet[User]:
    """Who gets the daily e-mail: active, with an address, and a role that asks
    or an assignment not executed yet (execution control reminds executors)."""
    from execution.models import ResolutionExecutor

    executors = ResolutionExecutor.objects.filter(
        resolution__executed_at__isnull=True
    ).values("person")
    return (
        User.objects.filter(
            Q(
                groups__permissions__codename="receive_daily_signals",
                groups__permissions__content_type__app_label="office",
            )
            | Q(pk__in=executors),
            is_active=True,
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
