"""Execution control's "what needs me today?" signals (see office.signals),
which the daily e-mail also sends: counts only, never a document's contents."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import access
from execution import selectors
from office.signals import DANGER, WARNING, Signal


def my_assignments(user) -> list[Signal]:
    """An executor's overdue assignments and those due tomorrow."""
    # Executors are employees: students and parents are not asked.
    if not access.can(user, "accounts.undergo_onboarding"):
        return []
    counts = selectors.counts_for_executor(user=user)
    signals = []
    if counts["overdue"]:
        signals.append(
            Signal(
                "execution.my_overdue",
                _("Your overdue assignments"),
                counts["overdue"],
                reverse("home"),
                DANGER,
            )
        )
    if counts["tomorrow"]:
        signals.append(
            Signal(
                "execution.my_tomorrow",
                _("Your assignments due tomorrow"),
                counts["tomorrow"],
                reverse("home"),
                WARNING,
            )
        )
    return signals


def overdue_on_control(user) -> list[Signal]:
    """For who keeps control (the principal, the records office): how many
    resolutions are overdue."""
    if not access.can(user, "execution.view_resolution"):
        return []
    count = selectors.counts_on_control(user=user)["overdue"]
    if not count:
        return []
    return [
        Signal(
            "execution.overdue",
            _("Overdue resolutions"),
            count,
            reverse("documents:execution") + "?state=overdue",
            DANGER,
        )
    ]
