"""Account-security signals for the home pages (see office.signals)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import access
from accounts.security import selectors
from office.signals import DANGER, Signal


def overdue_incidents(user) -> list[Signal]:
    """Breach reports past their working-day deadline (5.2.3)."""
    if not access.can(user, "accounts.view_incident"):
        return []
    count = selectors.overdue_incidents().count()
    if not count:
        return []
    title = _("Breach reports past their deadline")
    return [
        Signal(
            "security.overdue_incidents",
            title,
            count,
            reverse("security:incidents"),
            DANGER,
        )
    ]
