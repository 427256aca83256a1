"""The periodic controls every school starts with (3).

They are stored with a key and shown with a translated title, so each person
reads them in their own language. post_migrate creates any that are missing
(also after a test database is flushed); a school switches one off rather than
deleting it.
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# key, title, every (days)
DEFAULT_CONTROLS = [
    ("wifi_password", _("Change the Wi-Fi password"), 90),
    ("backups", _("Check that the backups restore"), 7),
    ("antivirus", _("Update the antivirus on the computer class"), 7),
    ("access_review", _("Review who has access to each protected resource"), 90),
    ("rebriefing", _("Re-brief staff whose briefing is due"), 30),
]
DEFAULT_TITLES = {key: title for key, title, _days in DEFAULT_CONTROLS}


def ensure_default_controls(sender=None, using="default", **kwargs) -> None:
    from office.models import PeriodicControl

    today = timezone.localdate()
    for key, _title, days in DEFAULT_CONTROLS:
        PeriodicControl.objects.using(using).get_or_create(
            key=key,
            defaults={
                "frequency_days": days,
                "next_due_on": today + timedelta(days=days),
            },
        )
