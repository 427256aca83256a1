from pathlib import Path

from django.core.management.base import BaseCommand

from audit import services, signing


class Command(BaseCommand):
    help = (
        "Sign the audit trail's head with Ed25519 (run daily from a timer) and "
        "print its head code; --output also writes the signed head file."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            metavar="FILE",
            help="also write the signed head as JSON here, for a copy kept "
            "outside the database (audit_verify --head FILE checks it)",
        )

    def handle(self, *args, output=None, **options):
        head = services.sign_head(actor=None)
        self.stdout.write(f"signed head: seq {head.seq} hash {head.entry_hash}")
        self.stdout.write(f"signature: {head.signature}")
        self.stdout.write(f"public key: {signing.public_key_text()}")
        self.stdout.write(
            f"head code: {signing.head_code(head.seq, head.entry_hash)} "
            "(keep it outside the portal; audit_verify --head CODE checks it)"
        )
        if output:
            Path(output).write_text(signing.head_file(head) + "\n", encoding="utf-8")
            self.stdout.write(f"head file: {output}")
