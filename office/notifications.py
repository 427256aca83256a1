"""The daily e-mail of signals: each person who receives it gets their own list.

Only titles, counts and links go out: no names, no document titles, no
personal data, so a message read on a shared phone gives nothing away. A
person gets at most one message a day (DailyDigest), so a timer that fires
twice does no harm.

Whoever reads the audit reports (the principal, the security officer) also gets
the code of the trail's newest signed head every day: a copy of the head kept
outside the database, which ``audit_verify --head CODE`` checks the trail
against, so a tail cut together with its signed heads still shows.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import access
from audit import signing
from audit.models import SignedHead
from office import selectors
from office.models import DailyDigest
from office.signals import signals_for


def message_for(signals, *, base_url: str, head_code: str = "") -> tuple[str, str]:
    count = sum(signal.count for signal in signals)
    if signals:
        subject = ngettext(
            "School Portal: %(count)d thing needs you today",
            "School Portal: %(count)d things need you today",
            count,
        ) % {"count": count}
        lines = [_("Good morning. Today the portal has for you:"), ""]
    else:
        subject = _("School Portal: today's audit head code")
        lines = [_("Good morning. Nothing needs you in the portal today."), ""]
    for signal in signals:
        lines.append(f"- {signal.title}: {signal.count}")
        lines.append(f"  {base_url.rstrip('/')}{signal.url}")
    if head_code:
        lines += [
            "",
            _("Audit head code: %(code)s") % {"code": head_code},
            _(
                "Keep this message (or write the code down): with it, "
                "“manage.py audit_verify --head CODE” shows if the audit trail "
                "was cut afterwards."
            ),
        ]
    if signals:
        lines += ["", _("Sign in to the portal to see the details.")]
    return subject, "\n".join(lines)


def latest_head_code() -> str:
    head = SignedHead.objects.first()
    return signing.head_code(head.seq, head.entry_hash) if head else ""


def send_daily_signals(*, base_url: str, today=None) -> int:
    """Send today's message to each person with signals; return how many were sent."""
    today = today or timezone.localdate()
    sent = 0
    head_code = latest_head_code()
    with translation.override(settings.LANGUAGE_CODE):
        for person in selectors.people_with_signals():
            if DailyDigest.objects.filter(recipient=person, sent_on=today).exists():
                continue
            signals = signals_for(person)
            code = head_code if access.can(person, "audit.view_audit_report") else ""
            if not signals and not code:
                continue
            subject, body = message_for(signals, base_url=base_url, head_code=code)
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
