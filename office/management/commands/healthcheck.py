import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from office import health

MARKS = {health.OK: "ok ", health.WARNING: "!! ", health.RED: "RED"}


def language_of_the_person(chosen: str | None) -> str:
    """--language, else the shell's (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), else
    the portal's default, among the portal's languages."""
    offered = dict(settings.LANGUAGES)
    candidates = [chosen] if chosen else []
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        candidates += [part.split(".")[0].split("_")[0] for part in value.split(":")]
    found = (code for code in candidates if code in offered)
    return next(found, settings.LANGUAGE_CODE)


class Command(BaseCommand):
    help = (
        "Print the system health (database, backups, audit verification, keys, "
        "files, deployment checks, migrations, disk, version). Exits non-zero "
        "when something is red."
    )
    # It reports what is wrong; Django's own checks must not stop it first.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help="the language of the report (default: the shell's, then ky)",
        )

    def handle(self, *args, language=None, **options):
        with translation.override(language_of_the_person(language)):
            checks = health.all_checks()
            for check in checks:
                line = f"[{MARKS[check.status]}] {check.title}: {check.detail}"
                style = self.style.ERROR if check.is_red else str
                self.stdout.write(style(line))
            red = [str(check.title) for check in checks if check.is_red]
            if red:
                raise CommandError(
                    translation.gettext("needs a person: %(checks)s")
                    % {"checks": "; ".join(red)}
                )
            self.stdout.write(self.style.SUCCESS(translation.gettext("healthy")))
