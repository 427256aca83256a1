from django.core.management.base import BaseCommand

from audit import services, signing


class Command(BaseCommand):
    help = "Sign the audit trail's head with Ed25519 (run daily from a timer)."

    def handle(self, *args, **options):
        head = services.sign_head(actor=None)
        self.stdout.write(f"signed head: seq {head.seq} hash {head.entry_hash}")
        self.stdout.write(f"signature: {head.signature}")
        self.stdout.write(f"public key: {signing.public_key_text()}")
