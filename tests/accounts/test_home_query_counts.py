"""Every home page costs a fixed number of queries whatever the school holds:
the same with the demo school alone and with a district's worth of people,
documents, surveys and audit events on top (issue 19)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from benchmark import seed
from tests.factories import PASSWORD

# The demo school's people, one of each home page, and what each page costs
# (session, person, permissions, the panels, the request log), on SQLite and
# on PostgreSQL alike.
HOME_QUERIES = {
    "admin": 18,
    "director": 28,
    "security": 31,
    "records": 17,
    "teacher": 12,
    "support": 12,
    "student1": 9,
    "parent1": 8,
}


def measured(client) -> dict[str, int]:
    counts = {}
    for username in HOME_QUERIES:
        client.force_login(User.objects.get(username=username))
        assert client.get("/").status_code == 200  # the session settles
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/")
        assert response.status_code == 200, username
        counts[username] = len(queries)
    return counts


@pytest.mark.django_db
def test_the_home_pages_of_the_demo_school(client):
    call_command("seed_demo", password=PASSWORD, stdout=io.StringIO())

    assert measured(client) == HOME_QUERIES


@pytest.mark.django_db
def test_the_same_home_pages_with_a_district_on_top(client):
    seed.ensure(password=PASSWORD, scale=0.01, out=io.StringIO())

    assert measured(client) == HOME_QUERIES
