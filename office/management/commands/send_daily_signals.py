from django.conf import settings
from django.core.management.base import BaseCommand

from office.notifications import send_daily_signals


class Command(BaseCommand):
    help = (
        "E-mail each responsible person today's signals (counts and links only). "
        "Run once a day from a timer; a second run the same day sends nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default=getattr(settings, "PORTAL_BASE_URL", "http://127.0.0.1:8000"),
            help="the portal's address, for the links in the message",
        )

    def handle(self, *args, base_url, **options):
        sent = send_daily_signals(base_url=base_url)
        self.stdout.write(f"Sent {sent} message(s).")
