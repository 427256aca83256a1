"""The principal narrows the audit report to one teacher's week and exports it."""

import csv
import io
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from audit.models import AuditAction, AuditEvent
from audit.services import record
from tests.e2e.helpers import enrolled, ky
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def days_ago(days: int, hour: int) -> datetime:
    day = timezone.localdate() - timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, 15)))


def test_principal_filters_one_teachers_week_and_exports_it(
    live_server, phone, sign_in
):
    director = UserFactory(
        username="director", first_name="Айгүл", roles=[Role.PRINCIPAL, Role.STAFF]
    )
    device = enrolled(director)
    teacher = UserFactory(
        username="bermet", first_name="Бермет", last_name="Осмонова", roles=[Role.STAFF]
    )
    colleague = UserFactory(username="timur", first_name="Тимур", roles=[Role.STAFF])
    for days in (1, 2, 3):
        record(actor=teacher, action=AuditAction.LOGIN, at=days_ago(days, 8))
        record(actor=colleague, action=AuditAction.LOGIN, at=days_ago(days, 8))
    record(
        actor=teacher,
        action=AuditAction.VIEW,
        target_label="=cmd|' /C calc'!A0",
        at=days_ago(2, 10),
    )
    record(actor=teacher, action=AuditAction.LOGIN, at=days_ago(12, 8))
    page = phone

    sign_in(page, "director", PASSWORD, device=device)
    page.get_by_role("link", name=ky("Audit report")).first.click()
    expect(page.locator("h1")).to_have_text(ky("Audit report"))
    page.fill("input[name=person]", "bermet")
    page.fill(
        "input[name=date_from]", (timezone.localdate() - timedelta(6)).isoformat()
    )
    page.fill("input[name=date_to]", timezone.localdate().isoformat())
    page.get_by_role("button", name=ky("Show")).click()

    rows = page.locator("table.events").first.locator("tbody tr")
    expect(rows).to_have_count(4)
    for n in range(4):
        expect(rows.nth(n)).to_contain_text("bermet")
    expect(page.locator("svg.chart rect")).to_have_count(7)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    with page.expect_download() as download_info:
        page.get_by_role("link", name=ky("Export CSV")).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8-sig") as file:
        exported = list(csv.reader(io.StringIO(file.read())))
    assert len(exported) == 1 + 4
    assert {row[2] for row in exported[1:]} == {"bermet"}
    assert "'=cmd|' /C calc'!A0" in [row[8] for row in exported[1:]]
    export = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert export.details["person"] == teacher.pk
    assert export.details["format"] == "csv"
