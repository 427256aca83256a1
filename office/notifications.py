"""The daily e-mail of signals: each person who receives it gets their own list.

Only titles, counts and links go out: no names, no document titles, no
personal data, so a message read on a shared phone gives nothing away. A
person gets at most one message a day (DailyDigest), so a timer that fires
twice does no harm.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from office import selectors
from office.models import DailyDigest
from office.signals import signals_for


def message_for(signals, *, base_url: str) -> tuple[str, str]:
    subject = _("School Portal: %(count)d things need you today") % {
        "count": sum(signal.count for signal in signals)
    }
    lines = [_("Good morning. Today the portal has for you:"), ""]
    for signal in signals:
        lines.append(f"- {signal.title}: {signal.count}")
        lines.append(f"  {base_url.rstrip('/')}{signal.url}")
    lines += ["", _("Sign in to the portal to see the details.")]
    return subject, "\n".join(lines)


def send_daily_signals(*, base_url: str, today=None) -> int:
    """Send today's message to each person with signals; return how many were sent."""
    today = today or timezone.localdate()
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for person in selectors.people_with_signals():
            if DailyDigest.objects.filter(recipient=person, sent_on=today).exists():
                continue
            signals = signals_for(person)
            if not signals:
                continue
            subject, body = message_for(signals, base_url=base_url)
            try:
                with transaction.atomic():
                    DailyDigest.objects.create(
                        recipient=person, sent_on=today, signal_count=len(signals)
                    )
                    send_mail(subject, body, None, [person.email])
            except IntegrityError:
                continue  # another run sent it a moment ago
            sent += 1
    return sent
