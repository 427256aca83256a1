"""Every page: light on a weak link, nothing from another host, safe headers.

The pages are the URLs of tests/url_expectations.py that answer 200, each
fetched as a person who may see it.
"""

import gzip
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.url_expectations import EXPECTATIONS

PAGE_BUDGET = 60 * 1024
ASSET = re.compile(r'(?:href|src)="(/static/[^"]+)"')
ANY_URL = re.compile(r'(?:href|src|action)="([^"]*)"')
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
HTML_PAGES = [
    (name, who)
    for name, expect in sorted(EXPECTATIONS.items())
    for who in (["anonymous"] if expect.anonymous == 200 else [])
    + [who for who in PEOPLE if expect.by.get(who, expect.default) == 200]
    if name != "health"
]


def weight(html: str) -> int:
    """The page and the CSS/JS it links, gzip-compressed, in bytes."""
    total = len(gzip.compress(html.encode()))
    for asset in set(ASSET.findall(html)):
        path = finders.find(asset.removeprefix("/static/"))
        assert path, asset
        with open(path, "rb") as handle:
            total += len(gzip.compress(handle.read()))
    return total


@pytest.mark.parametrize(("name", "who"), HTML_PAGES)
def test_every_page_is_light_and_asks_no_other_host(client, everyone, name, who):
    expect = EXPECTATIONS[name]
    if who != "anonymous":
        client.force_login(everyone[who])
    response = client.get(
        reverse(name, kwargs=expect.args(everyone) if expect.args else None)
    )
    if not response["Content-Type"].startswith("text/html"):
        pytest.skip(f"{name} is not a page")
    html = response.content.decode()

    assert response.status_code == 200
    assert weight(html) <= PAGE_BUDGET
    assert 'name="viewport"' in html
    for url in ANY_URL.findall(html):
        assert not re.match(r"^(https?:)?//", url), url
    assert "<script>" not in html and "style=" not in html


def test_pages_carry_the_security_headers(client):
    response = client.get(reverse("login"))

    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
