"""The registry's "what needs me today?" signals (see office.signals)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import access
from documents import acts, selectors
from documents.models import ActStatus, DestructionAct, HandOverAct
from office.signals import APPROVAL, DANGER, WARNING, Signal


def overdue_custody(user) -> list[Signal]:
    """Documents not returned by their due time (4.2.3)."""
    if not access.can(user, "documents.view_custody"):
        return []
    count = selectors.open_custody(user=user, overdue_only=True).count()
    if not count:
        return []
    title = _("Documents not returned in time")
    return [
        Signal(
            "documents.overdue_custody",
            title,
            count,
            reverse("documents:custody"),
            DANGER,
        )
    ]


def acts_waiting_for_the_principal(user) -> list[Signal]:
    """Destruction acts every member confirmed, hand-over acts still needing the
    principal's confirmation: both wait for the principal's decision."""
    signals = []
    if access.can(user, "documents.approve_destructionact"):
        ready = (
            DestructionAct.objects.filter(status=ActStatus.DRAFT)
            .exclude(members__confirmed_at__isnull=True)
            .count()
        )
        if ready:
            title = _("Destruction acts waiting for approval")
            url = reverse("documents:destruction_acts")
            signals.append(
                Signal(
                    "documents.destruction_acts", title, ready, url, WARNING, APPROVAL
                )
            )
    if access.can(user, "documents.confirm_handoveract"):
        # A confirmation by a principal who has since left the post lapsed:
        # the act waits for this principal as if it was never confirmed.
        incomplete = HandOverAct.objects.filter(completed_at__isnull=True).exclude(
            principal=user
        )
        waiting = [
            act
            for act in incomplete.select_related("principal")
            if not acts.principal_confirmation_holds(act)
        ]
        for act in waiting[:5]:
            title = _("Hand-over act waiting for your confirmation")
            url = reverse("documents:hand_over", args=[act.pk])
            signals.append(
                Signal(
                    f"documents.hand_over_{act.pk}", title, 1, url, WARNING, APPROVAL
                )
            )
    return signals
