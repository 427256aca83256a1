"""The signals this app provides (see office.signals for how to add one)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import access
from accounts import selectors as accounts_selectors
from accounts.models import AppointedRole
from office import health, selectors
from office.signals import APPROVAL, DANGER, WARNING, Signal


def onboarding(user) -> list[Signal]:
    """Staff not cleared yet, and staff whose yearly re-briefing is due (2.5)."""
    if not access.can(user, "accounts.view_onboarding"):
        return []
    rows = [ob for _person, ob in accounts_selectors.onboarding_register()]
    rebrief = sum(1 for ob in rows if ob.briefed_at and ob.briefing_due)
    incomplete = sum(
        1
        for ob in rows
        if not ob.is_complete and not (ob.briefed_at and ob.briefing_due)
    )
    url = reverse("onboarding_register")
    signals = []
    if incomplete:
        signals.append(
            Signal(
                "office.onboarding_incomplete",
                _("Onboarding incomplete"),
                incomplete,
                url,
                WARNING,
            )
        )
    if rebrief:
        signals.append(
            Signal(
                "office.rebriefing_due", _("Due for re-briefing"), rebrief, url, WARNING
            )
        )
    return signals


def appointments_missing(user) -> list[Signal]:
    """A school without a security or a records officer breaks 2.3 and 4.3."""
    if not access.can(user, "accounts.view_appointment"):
        return []
    current = accounts_selectors.current_appointments()
    titles = {
        AppointedRole.SECURITY_OFFICER: _("No security officer appointed"),
        AppointedRole.RECORDS_OFFICER: _("No records officer appointed"),
    }
    # A deputy principal is appointed only when the principal wants one.
    return [
        Signal(f"office.no_{role}", title, 1, reverse("appointments"), DANGER)
        for role, title in titles.items()
        if current.get(role) is None
    ]


def controls_overdue(user) -> list[Signal]:
    if not access.can(user, "office.view_office"):
        return []
    count = selectors.controls_overdue().count()
    if not count:
        return []
    return [
        Signal(
            "office.controls_overdue",
            _("Periodic controls overdue"),
            count,
            reverse("office:controls"),
            DANGER,
        )
    ]


def reviews_due(user) -> list[Signal]:
    if not access.can(user, "office.view_office"):
        return []
    count = selectors.resources_review_due().count()
    if not count:
        return []
    return [
        Signal(
            "office.reviews_due",
            _("Protected resources due for review"),
            count,
            reverse("office:resources"),
            WARNING,
        )
    ]


def carriers_overdue(user) -> list[Signal]:
    if not access.can(user, "office.view_office"):
        return []
    url = reverse("office:carriers")
    signals = []
    returns = selectors.carriers_overdue_for_return().count()
    if returns:
        signals.append(
            Signal(
                "office.carriers_return_overdue",
                _("Carriers overdue for return"),
                returns,
                url,
                DANGER,
            )
        )
    checks = selectors.carriers_overdue_for_check().count()
    if checks:
        signals.append(
            Signal(
                "office.carriers_check_due",
                _("Carriers due for a check"),
                checks,
                url,
                WARNING,
            )
        )
    return signals


def resources_awaiting_approval(user) -> list[Signal]:
    if not access.can(user, "office.approve_resource"):
        return []
    count = selectors.resources_awaiting_approval().count()
    if not count:
        return []
    return [
        Signal(
            "office.resources_awaiting_approval",
            _("Protected resources to approve"),
            count,
            reverse("office:resources"),
            WARNING,
            APPROVAL,
        )
    ]


def system_health(user) -> list[Signal]:
    """Only the cheap checks (backups, audit verification) on every home page."""
    if not access.can(user, "office.view_system_health"):
        return []
    red = [check for check in health.quick_checks() if check.status == health.RED]
    if not red:
        return []
    return [
        Signal(
            "office.health",
            _("System health needs attention"),
            len(red),
            reverse("office:health"),
            DANGER,
        )
    ]


PROVIDERS = [
    appointments_missing,
    onboarding,
    controls_overdue,
    reviews_due,
    carriers_overdue,
    resources_awaiting_approval,
    system_health,
]


def register_all(register) -> None:
    for provider in PROVIDERS:
        register(provider)
