from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from audit import services, signing


class Command(BaseCommand):
    help = (
        "Recompute the audit trail's hash chain and check the signed heads. "
        "Exits non-zero naming the first broken event number."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument(
            "--head",
            metavar="FILE-OR-CODE",
            help="a head kept outside the database: a head file (from a backup) "
            "or the head code of the daily e-mail, e.g. 48213-9f2c-4a1b-7d3e-5f60",
        )

    def handle(self, *args, batch_size, head=None, **options):
        kept = self._kept_head(head) if head else None
        run = services.verify_trail(batch_size=batch_size, kept_head=kept)
        if not run.ok:
            raise CommandError(
                f"audit trail broken at seq {run.first_broken_seq} ({run.problem}); "
                f"{run.events_checked} events checked before it"
            )
        held = f", and it holds the kept head {kept.seq}" if kept else ""
        self.stdout.write(
            self.style.SUCCESS(f"audit trail intact: {run.events_checked} events{held}")
        )

    @staticmethod
    def _kept_head(head: str) -> signing.KeptHead:
        path = Path(head)
        try:
            text = path.read_text(encoding="utf-8") if path.is_file() else head
            return signing.read_kept_head(text)
        except (OSError, signing.NotAHead) as error:
            raise CommandError(f"--head: {error}") from None
