"""Browser tests: Debian's Chromium, driven by Playwright, against a live server.

Playwright cannot download its own browser here, so it launches the system one.
Without /usr/bin/chromium the tests are skipped with one line under `make test`,
and fail under CI (CI=true), where they must run.
"""

import os
from pathlib import Path

import pytest

from tests.e2e.helpers import totp_code

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-gpu",
]

# Playwright's sync API runs an event loop in the test thread; the database
# calls the tests make around it are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(
            f"CI needs Chromium at {CHROMIUM} for the browser tests"
        )
    skip = pytest.mark.skip(reason=f"browser tests skipped: no Chromium at {CHROMIUM}")
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def kyrgyz_first(settings):
    """The journeys see the portal as the school does: in Kyrgyz first."""
    settings.LANGUAGE_CODE = "ky"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture
def phone(browser):
    """A 360-px-wide phone screen."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    yield context.new_page()
    context.close()


@pytest.fixture
def sign_in(live_server):
    """Sign in; with the person's TOTP device, answer the second-factor step."""

    def sign_in(page, username: str, password: str, device=None):
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("form:not(.languages) button[type=submit]")
        if device is not None:
            # The next time step: the code used at enrolment counts only once.
            page.fill("input[name=code]", totp_code(device, offset=30))
            page.click("form:not(.languages) button[type=submit]")

    return sign_in
