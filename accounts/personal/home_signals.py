"""Personal-data signals for the home pages (see office.signals)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import access
from accounts.personal import selectors
from office.signals import WARNING, Signal


def overdue_requests(user) -> list[Signal]:
    """Requests about personal data past their deadline."""
    if not access.can(user, "accounts.view_overdue_requests"):
        return []
    count = selectors.overdue_requests().count()
    if not count:
        return []
    title = _("Personal data requests past their deadline")
    return [
        Signal(
            "personal.overdue_requests",
            title,
            count,
            reverse("personal:overdue"),
            WARNING,
        )
    ]
