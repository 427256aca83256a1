"""Every page: light on a weak link, nothing from another host, safe headers."""

import gzip
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

PAGE_BUDGET = 60 * 1024
PAGES = ["login", "home"]
ASSET = re.compile(r'(?:href|src)="(/static/[^"]+)"')
ANY_URL = re.compile(r'(?:href|src|action)="([^"]*)"')


def weight(html: str) -> int:
    """The page and the CSS/JS it links, gzip-compressed, in bytes."""
    total = len(gzip.compress(html.encode()))
    for asset in set(ASSET.findall(html)):
        path = finders.find(asset.removeprefix("/static/"))
        assert path, asset
        with open(path, "rb") as handle:
            total += len(gzip.compress(handle.read()))
    return total


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    "who",
    [
        "administrator",
        "director",
        "security_officer",
        "records_officer",
        "teacher",
        "support",
        "student",
        "parent",
        "outsider",
        None,
    ],
)
def test_every_page_is_light_and_asks_no_other_host(client, everyone, page, who):
    if who:
        client.force_login(everyone[who])
    response = client.get(reverse(page), follow=True)
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
