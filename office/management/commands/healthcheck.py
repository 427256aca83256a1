from django.core.management.base import BaseCommand, CommandError

from office import health

MARKS = {health.OK: "ok ", health.WARNING: "!! ", health.RED: "RED"}


class Command(BaseCommand):
    help = (
        "Print the system health (backups, audit verification, keys, deployment "
        "checks, migrations, disk, version). Exits non-zero when something is red."
    )

    def handle(self, *args, **options):
        checks = health.all_checks()
        for check in checks:
            self.stdout.write(f"[{MARKS[check.status]}] {check.title}: {check.detail}")
        red = [str(check.title) for check in checks if check.is_red]
        if red:
            raise CommandError("needs a person: " + "; ".join(red))
        self.stdout.write(self.style.SUCCESS("healthy"))
