"""The audit report: who may see it, its filters, its sections, export and print."""

import csv
import io
import re
from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Incident, IncidentStatus
from audit.models import AuditAction, AuditEvent, AuditOutcome, SignedHead
from audit.services import record

REPORT = reverse("audit:report")


def at(days_ago: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def weekday_ago(days: int) -> int:
    """At least `days` ago, on a school day."""
    while (timezone.localdate() - timedelta(days=days)).isoweekday() >= 6:
        days += 1
    return days


def report_views(user):
    return AuditEvent.objects.filter(
        actor=user, action=AuditAction.VIEW, target_label="audit report"
    )


@pytest.mark.parametrize("who", ["director", "security_officer"])
def test_the_principal_and_the_security_officer_see_the_report(client, everyone, who):
    client.force_login(everyone[who])

    response = client.get(REPORT)

    assert response.status_code == 200
    assert report_views(everyone[who]).count() == 1


@pytest.mark.parametrize(
    "who", ["teacher", "records_officer", "administrator", "student"]
)
def test_anyone_else_gets_404_and_the_attempt_is_recorded(client, everyone, who):
    client.force_login(everyone[who])

    response = client.get(REPORT)

    assert response.status_code == 404
    denied = AuditEvent.objects.filter(actor=everyone[who], action=AuditAction.DENIED)
    assert denied.count() == 1
    assert denied.get().details["permission"] == "audit.view_audit_report"
    assert not report_views(everyone[who]).exists()


@pytest.mark.parametrize(
    "query",
    [
        {"date_from": "2024-02-31"},
        {"date_from": "yesterday"},
        {"person": "abc"},
        {"person": "999999"},
        {"action": "explode"},
        {"target_id": "1; DROP TABLE"},
        {"target_type": "<script>"},
        {"date_from": "2025-02-01", "date_to": "2025-01-01"},
        {"date_from": "2020-01-01", "date_to": "2025-01-01"},
    ],
)
def test_malformed_filters_are_form_errors_never_500(client, director, query):
    client.force_login(director)

    response = client.get(REPORT, query)

    assert response.status_code == 400
    assert response.context["form"].errors
    assert not report_views(director).exists()


def test_filters_select_person_action_outcome_and_period(
    client, director, teacher, student
):
    record(actor=teacher, action=AuditAction.VIEW, target=student, at=at(3, 10))
    record(actor=teacher, action=AuditAction.VIEW, target=student, at=at(40, 10))
    record(actor=student, action=AuditAction.VIEW, target=student, at=at(3, 10))
    record(
        actor=teacher,
        action=AuditAction.DENIED,
        outcome=AuditOutcome.DENIED,
        at=at(2, 10),
    )
    client.force_login(director)

    response = client.get(REPORT, {"person": teacher.username, "action": "view"})

    events = list(response.context["page"].object_list)
    assert [(e.actor, e.action, e.at) for e in events] == [(teacher, "view", at(3, 10))]
    denied = client.get(REPORT, {"person": teacher.username, "outcome": "denied"})
    assert [e.action for e in denied.context["page"].object_list] == ["denied"]
    by_role = client.get(REPORT, {"role": "student", "action": "view"})
    assert [e.actor for e in by_role.context["page"].object_list] == [student]
    old = client.get(
        REPORT,
        {
            "person": teacher.username,
            "action": "view",
            "date_from": (timezone.localdate() - timedelta(41)).isoformat(),
            "date_to": (timezone.localdate() - timedelta(39)).isoformat(),
        },
    )
    assert [e.at for e in old.context["page"].object_list] == [at(40, 10)]
    target = client.get(
        REPORT, {"target_type": "accounts.user", "target_id": student.pk}
    )
    assert {e.target_id for e in target.context["page"].object_list} == {
        str(student.pk)
    }


def test_the_view_is_recorded_with_its_filters(client, director, teacher):
    record(actor=teacher, action=AuditAction.LOGIN)  # the report may name them
    client.force_login(director)

    client.get(REPORT, {"person": teacher.username, "action": "login"})

    event = report_views(director).get()
    assert event.details["person"] == teacher.pk
    assert event.details["action"] == "login"
    assert event.details["until"] == timezone.localdate().isoformat()


def test_sections_show_readers_after_hours_failures_and_denials(
    client, director, teacher, records_officer
):
    official = {"official_use": True}
    evening = weekday_ago(2)
    record(
        actor=teacher,
        action=AuditAction.VIEW,
        target_label="Order 1",
        details=official,
        at=at(evening, 10),
    )
    record(
        actor=teacher,
        action=AuditAction.VIEW,
        target_label="Order 1",
        details=official,
        at=at(evening, 11),
    )
    record(
        actor=records_officer,
        action=AuditAction.VIEW,
        target_label="Order 2",
        details=official,
        at=at(evening, 21, 40),
    )
    record(
        actor=records_officer,
        action=AuditAction.VIEW,
        target_label="Plain",
        at=at(evening, 22),
    )
    record(
        actor=None,
        action=AuditAction.LOGIN_FAILED,
        outcome=AuditOutcome.DENIED,
        details={"username": "nobody"},
        at=at(1, 9),
    )
    record(
        actor=teacher,
        action=AuditAction.DENIED,
        outcome=AuditOutcome.DENIED,
        at=at(1, 9),
    )
    client.force_login(director)

    context = client.get(REPORT).context

    assert [(r["actor_label"], r["n"]) for r in context["top_readers"]] == [
        ("teacher", 2),
        ("records", 1),
    ]
    assert [e.target_label for e in context["after_hours"]] == ["Order 2"]
    assert [e.details for e in context["failed_logins"]] == [{"username": "nobody"}]
    assert [e.actor for e in context["denied"]] == [teacher]


def test_a_weekend_read_is_after_hours(client, director, teacher):
    days = 1
    while (timezone.localdate() - timedelta(days)).isoweekday() != 6:
        days += 1
    record(
        actor=teacher,
        action=AuditAction.VIEW,
        target_label="Order 3",
        details={"official_use": True},
        at=at(days, 11),
    )
    client.force_login(director)

    context = client.get(REPORT).context

    assert [e.target_label for e in context["after_hours"]] == ["Order 3"]


def test_the_chart_is_inline_svg_with_a_bar_per_day(client, director, teacher):
    record(actor=teacher, action=AuditAction.VIEW, at=at(1, 10))
    record(actor=teacher, action=AuditAction.VIEW, at=at(1, 11))
    client.force_login(director)
    week = {
        "date_from": (timezone.localdate() - timedelta(6)).isoformat(),
        "date_to": timezone.localdate().isoformat(),
    }

    response = client.get(REPORT, {"person": teacher.username, **week})

    chart = str(response.context["chart"])
    assert chart.startswith('<svg class="chart"')
    assert chart.count("<rect") == 7
    yesterday = timezone.localdate() - timedelta(1)
    assert f"<title>{yesterday:%d.%m.%Y}: 2</title>" in chart
    assert "<script" not in response.content.decode()


def test_the_page_holds_50_rows_and_a_bad_page_number_is_no_error(
    client, director, teacher
):
    for n in range(60):
        record(actor=teacher, action=AuditAction.VIEW, details={"n": n})
    client.force_login(director)

    first = client.get(REPORT, {"person": teacher.username})
    second = client.get(REPORT, {"person": teacher.username, "page": "2"})
    silly = client.get(REPORT, {"person": teacher.username, "page": "x"})

    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 10
    assert silly.status_code == 200


def _queries(client, url, query=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, query).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["audit:report", "audit:print"])
def test_the_report_costs_the_same_queries_for_3_or_60_events(
    client, director, teacher, django_assert_max_num_queries, name
):
    url = reverse(name)
    client.force_login(director)
    for n in range(3):
        record(
            actor=teacher,
            action=AuditAction.VIEW,
            details={"official_use": True, "n": n},
        )
    client.get(url)  # warm: the session and the first VIEW event
    few = _queries(client, url)
    for n in range(60):
        record(
            actor=teacher,
            action=AuditAction.LOGIN_FAILED,
            details={"official_use": True, "n": n},
            at=at(1, 22),
        )
    services_sign = reverse("audit:sign_head")
    client.post(services_sign)

    with django_assert_max_num_queries(22):
        many = _queries(client, url)
    assert many == few


def test_csv_export_neutralizes_formulas_and_is_recorded(client, director, teacher):
    record(actor=teacher, action=AuditAction.VIEW, target_label='=HYPERLINK("x")')
    record(actor=teacher, action=AuditAction.VIEW, target_label="+1")
    record(actor=teacher, action=AuditAction.VIEW, target_label="-2")
    record(actor=teacher, action=AuditAction.VIEW, target_label="@SUM(A1)")
    record(actor=teacher, action=AuditAction.VIEW, target_label="\tx")
    record(actor=teacher, action=AuditAction.VIEW, target_label="plain")
    client.force_login(director)

    response = client.get(
        reverse("audit:export_csv"), {"person": teacher.username, "action": "view"}
    )

    assert response["Content-Disposition"].startswith(
        'attachment; filename="audit-report-'
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    labels = [row[8] for row in rows[1:]]
    assert labels == ["plain", "'\tx", "'@SUM(A1)", "'-2", "'+1", '\'=HYPERLINK("x")']
    export = AuditEvent.objects.get(actor=director, action=AuditAction.EXPORT)
    assert (export.target_label, export.details["format"]) == ("audit report", "csv")
    assert export.details["person"] == teacher.pk


def test_xlsx_export_neutralizes_formulas(client, director, teacher):
    record(actor=teacher, action=AuditAction.VIEW, target_label="=1+1")
    client.force_login(director)

    response = client.get(
        reverse("audit:export_xlsx"), {"person": teacher.username, "action": "view"}
    )

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][8] == "'=1+1"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert AuditEvent.objects.filter(
        actor=director, action=AuditAction.EXPORT, details__format="xlsx"
    ).exists()


def test_export_with_bad_filters_is_a_form_error_and_not_recorded(client, director):
    client.force_login(director)

    response = client.get(reverse("audit:export_csv"), {"date_to": "2025-13-45"})

    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_the_print_view_shows_the_signed_head_and_is_recorded(
    client, director, teacher
):
    record(actor=teacher, action=AuditAction.VIEW, target_label="Printed row")
    client.force_login(director)
    client.post(reverse("audit:sign_head"))

    response = client.get(reverse("audit:print"))

    head = SignedHead.objects.get()
    assert "Printed row" in response.content.decode()
    assert head.signature in response.content.decode()
    assert AuditEvent.objects.filter(actor=director, action=AuditAction.PRINT).exists()


def test_signing_the_head_from_the_report(client, security_officer):
    client.force_login(security_officer)

    response = client.post(reverse("audit:sign_head"))

    assert response.status_code == 302
    head = SignedHead.objects.get()
    assert head.signed_by == security_officer
    assert head.seq == AuditEvent.objects.order_by("-seq").first().seq
    assert AuditEvent.objects.get(seq=head.seq).action == AuditAction.SIGN_HEAD


def test_signing_is_404_for_others_and_changes_nothing(client, teacher):
    client.force_login(teacher)

    response = client.post(reverse("audit:sign_head"))

    assert response.status_code == 404
    assert not SignedHead.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.SIGN_HEAD).exists()


def test_the_menu_and_the_home_panel_link_to_the_report(client, director, teacher):
    client.force_login(director)
    assert REPORT in client.get(reverse("home")).content.decode()
    client.force_login(teacher)
    assert REPORT not in client.get(reverse("home")).content.decode()


def test_breach_reports_stand_against_their_deadlines(
    client, director, teacher, student
):
    now = timezone.now()
    Incident.objects.create(
        reporter=teacher, opened_at=now - timedelta(3), due_at=now - timedelta(2)
    )
    Incident.objects.create(
        reporter=student, opened_at=now - timedelta(hours=2), due_at=now + timedelta(1)
    )
    Incident.objects.create(
        reporter=student,
        opened_at=now - timedelta(5),
        due_at=now - timedelta(4),
        status=IncidentStatus.CLOSED,
        closed_at=now - timedelta(3),
    )
    client.force_login(director)

    rows = client.get(REPORT).context["breach_reports"]

    assert [(i.reporter, i.deadline) for i in rows] == [
        (student, "open"),
        (teacher, "overdue"),
        (student, "late"),
    ]


def test_the_person_is_typed_by_username_not_chosen_from_everyone(
    client, director, teacher, student
):
    record(actor=teacher, action=AuditAction.LOGIN)  # the report may name them
    client.force_login(director)

    page = client.get(REPORT).content.decode()
    found = client.get(REPORT, {"person": "teacher"})

    assert 'type="text" name="person"' in page
    # No list of people: the trail's own lines may name them (a new account).
    assert not re.search(r"<option[^>]*>[^<]*student1", page)
    assert found.status_code == 200
    assert found.context["form"].cleaned_data["person"] == teacher
