import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import demo as accounts_demo
from accounts.personal import demo as personal_demo
from audit import demo as audit_demo
from documents import demo as documents_demo
from execution import demo as execution_demo
from office import demo as office_demo
from surveys import demo as surveys_demo

PASSWORD_FILE = settings.VAR_DIR / "demo-password"


class Command(BaseCommand):
    help = (
        "Create or refresh the demo school: one account per role. Safe to run "
        "again. Without --password, a generated one is kept in var/demo-password."
    )

    def add_arguments(self, parser):
        parser.add_argument("--password", help="password for every demo account")

    def handle(self, *args, password=None, **options):
        password = password or self._remembered_password()
        try:
            validate_password(password)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        with transaction.atomic():
            people = accounts_demo.seed(password=password)
            office_demo.seed(people=people)
            documents_demo.seed(password=password)
            execution_demo.seed()
            audit_demo.seed()
            surveys_demo.seed()
            personal_demo.seed()
        self.stdout.write("Demo accounts (username — roles):")
        for user in people:
            roles = ", ".join(group.name for group in user.groups.all())
            self.stdout.write(f"  {user.username:<10} {roles}")
        self.stdout.write(
            self.style.SUCCESS(f"Password for every demo account: {password}")
        )

    def _remembered_password(self) -> str:
        if PASSWORD_FILE.exists():
            return PASSWORD_FILE.read_text(encoding="utf-8").strip()
        password = "-".join(secrets.token_hex(3) for _ in range(3))
        PASSWORD_FILE.parent.mkdir(exist_ok=True)
        PASSWORD_FILE.write_text(password, encoding="utf-8")
        PASSWORD_FILE.chmod(0o600)
        return password
