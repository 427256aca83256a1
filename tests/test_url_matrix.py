"""Every URL of the project, for a signed-out visitor and for each role."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.url_expectations import EXPECTATIONS

PEOPLE = [
    "administrator",
    "director",
    "security_officer",
    "records_officer",
    "teacher",
    "support",
    "student",
    "parent",
    "outsider",
]
# Django's own back office has its own tests and permissions.
SKIPPED_NAMESPACES = {"admin"}


def url_names(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SKIPPED_NAMESPACES:
                continue
            inner = (
                f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            )
            yield from url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_has_an_expectation():
    missing = sorted(set(url_names()) - set(EXPECTATIONS))

    assert missing == [], "add these to tests/url_expectations.py"


@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_each_person_gets_the_expected_status(client, everyone, name):
    expect = EXPECTATIONS[name]
    url = reverse(name, kwargs=expect.args(everyone) if expect.args else None)

    got = {"anonymous": client.get(url).status_code}
    for who in PEOPLE:
        client.force_login(everyone[who])
        got[who] = client.get(url).status_code
        client.logout()

    wanted = {"anonymous": expect.anonymous}
    wanted |= {who: expect.by.get(who, expect.default) for who in PEOPLE}
    assert got == wanted
