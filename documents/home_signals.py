"""The registry's "what needs me today?" signals (see office.signals)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import access
from documents import selectors
from office.signals import DANGER, Signal


def overdue_custody(user) -> list[Signal]:
    """Documents not returned by their due time (4.2.3)."""
    if not access.can(user, "documents.view_custody"):
        return []
    count = selectors.open_custody(overdue_only=True).count()
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
