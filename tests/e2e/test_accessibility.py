"""axe-core on every page of the URL matrix, as each role sees it (and no page
wider than 1280 px), and screenshots of each role's home and journal at 360 px
and 1280 px.

axe-playwright-python ships axe.min.js inside the package: nothing is fetched.
The pages are the same on both databases, so CI runs this once, on SQLite
(DATABASE_URL unset). Screenshots go to var/screenshots/ (not in git).
"""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from tests.test_url_matrix import PEOPLE
from tests.url_expectations import EXPECTATIONS

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        bool(os.environ.get("DATABASE_URL")),
        reason="axe runs once in CI, on SQLite: pages do not depend on the database",
    ),
]

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
BLOCKING = {"serious", "critical"}
# Signed-in people only; "outsider" holds no role and sees the same pages as a student.
ROLES = [who for who in PEOPLE if who != "outsider"]


def _session_cookie(person, live_server) -> dict:
    client = Client()
    client.force_login(person)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }


def _matrix_urls(everyone: dict) -> dict[str, str]:
    """Each matrix URL that someone gets a page for, each kind of object made
    once (several URLs share an act, and a second draft would be refused)."""
    made: dict = {}
    urls = {}
    for name, expect in sorted(EXPECTATIONS.items()):
        if 200 not in (expect.default, *expect.by.values()):
            continue
        if expect.args is not None and expect.args not in made:
            made[expect.args] = expect.args(everyone)
        urls[name] = reverse(name, kwargs=made.get(expect.args))
    return urls


def _pages_of(who: str, urls: dict[str, str]) -> list[str]:
    """The matrix URLs this person gets a page (200) for."""
    return [
        url
        for name, url in urls.items()
        if EXPECTATIONS[name].by.get(who, EXPECTATIONS[name].default) == 200
    ]


def _blocking(results) -> list[str]:
    return [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(", ".join(node["target"]) for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING
    ]


def test_no_serious_or_critical_violation_on_any_page_for_any_role(
    live_server, browser, everyone
):
    axe = Axe()
    urls = _matrix_urls(everyone)
    found, checked = {}, 0
    for who in ROLES:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_cookies([_session_cookie(everyone[who], live_server)])
        page = context.new_page()
        for url in _pages_of(who, urls):
            try:
                response = page.goto(live_server.url + url)
            except PlaywrightError as error:
                if "Download is starting" in str(error):
                    continue  # an export or a file: nothing for axe
                raise
            if "html" not in (response.headers.get("content-type") or ""):
                continue
            checked += 1
            problems = _blocking(axe.run(page))
            # Tables fit a 1280-px screen: nothing scrolls sideways.
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 1280:
                problems.append(f"{width} px wide")
            if problems:
                found[f"{who} {url}"] = problems
        context.close()

    assert found == {}
    assert checked > 100  # every role's pages were seen, not a login page


def test_axe_runs_offline_and_finds_a_critical_violation(browser):
    page = browser.new_page()
    page.set_content('<!doctype html><html lang="ky"><body><img src="x.png"></body>')

    problems = _blocking(Axe().run(page))

    assert any(problem.startswith("image-alt (critical)") for problem in problems)
    page.close()


@pytest.mark.parametrize("width", [360, 1280])
def test_screenshots_of_each_roles_home_and_journal(
    live_server, browser, everyone, width
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for who in ROLES:
        context = browser.new_context(viewport={"width": width, "height": 800})
        context.add_cookies([_session_cookie(everyone[who], live_server)])
        page = context.new_page()
        for name, url in (("home", "/"), ("journal", reverse("documents:journal"))):
            page.goto(live_server.url + url)
            page.screenshot(path=SCREENSHOTS / f"{who}-{name}-{width}.png")
            # Nothing wider than the screen.
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            if width == 360:
                header = page.locator("header.top").bounding_box()
                assert header["height"] <= 120, (who, name, header)
        context.close()
