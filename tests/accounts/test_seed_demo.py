import io

from django.contrib.auth import authenticate
from django.core.management import call_command

from accounts import selectors
from accounts.models import User
from accounts.roles import Role

DEMO_PASSWORD = "demo-password-for-tests"


def test_seed_demo_creates_one_account_per_role_and_can_run_twice(db):
    call_command("seed_demo", password=DEMO_PASSWORD, stdout=io.StringIO())
    call_command("seed_demo", password=DEMO_PASSWORD, stdout=io.StringIO())

    usernames = set(User.objects.values_list("username", flat=True))
    assert usernames == {
        "admin",
        "director",
        "security",
        "records",
        "teacher",
        "support",
        "student1",
        "student2",
        "parent1",
    }
    expected = {
        "admin": Role.ADMINISTRATOR,
        "director": Role.PRINCIPAL,
        "security": Role.SECURITY_OFFICER,
        "records": Role.RECORDS_OFFICER,
        "teacher": Role.STAFF,
        "support": Role.SUPPORT,
        "student1": Role.STUDENT,
        "parent1": Role.PARENT,
    }
    for username, role in expected.items():
        user = authenticate(username=username, password=DEMO_PASSWORD)
        assert user is not None, username
        assert role in selectors.roles_of(user=user)
