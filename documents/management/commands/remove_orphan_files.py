from django.core.management.base import BaseCommand

from documents import services, storage


class Command(BaseCommand):
    help = (
        "Remove encrypted files that no attachment names: left by registrations "
        f"that never committed, older than {storage.ORPHAN_GRACE_SECONDS // 60} "
        "minutes. They can never be read: their keys were never kept."
    )

    def handle(self, *args, **options):
        removed = services.remove_orphan_files(actor=None)
        self.stdout.write(self.style.SUCCESS(f"Removed {len(removed)} orphan files."))
