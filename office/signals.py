"""Home-page signals: "what needs me today?", gathered from every feature.

A signal is a count of things that need a person, with a link to where they
are dealt with. Each feature contributes a *provider*: a function that takes
the signed-in person and returns a list of ``Signal`` — empty when nothing
needs them, or when they may not see it. A provider decides that itself,
through ``accounts.access`` (never by role name), and returns a signal only
when its count is above zero, so a resolved condition disappears by itself.

How a feature registers its own, e.g. the document registry's overdue
official-use custody, in ``documents/apps.py``::

    def ready(self):
        from office.signals import DANGER, Signal, register

        @register
        def overdue_custody(user):
            if not access.can(user, "documents.view_custody"):
                return []
            count = selectors.overdue_official_use().count()
            if not count:
                return []
            title = _("Overdue official-use custody")
            url = reverse("documents:overdue")
            return [Signal("documents.overdue_custody", title, count, url, DANGER)]

Something that waits for the principal's decision (a destruction act, a
hand-over act) is a signal of kind ``APPROVAL``; the principal's panel lists
those under "Waiting for your approval".

The same signals go out by e-mail once a day (``send_daily_signals``), so a
title and a count must never hold personal data: "3 carriers overdue", not
whose.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise

DANGER = "danger"
WARNING = "warning"
INFO = "info"
SEVERITY_ORDER = {DANGER: 0, WARNING: 1, INFO: 2}

ATTENTION = "attention"
APPROVAL = "approval"


@dataclass(frozen=True)
class Signal:
    key: str
    title: str | Promise  # gettext_lazy: rendered in the reader's language
    count: int
    url: str
    severity: str = WARNING
    kind: str = ATTENTION


Provider = Callable[[object], list[Signal]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Add a provider; registering the same function twice adds it once."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def unregister(provider: Provider) -> None:
    if provider in _providers:
        _providers.remove(provider)


def signals_for(user) -> list[Signal]:
    """Every signal for this person, most severe first; cached for the request."""
    if not user.is_authenticated:
        return []
    if not hasattr(user, "_office_signals"):
        found = [signal for provider in _providers for signal in provider(user)]
        user._office_signals = sorted(
            found, key=lambda signal: SEVERITY_ORDER.get(signal.severity, 9)
        )
    return user._office_signals
