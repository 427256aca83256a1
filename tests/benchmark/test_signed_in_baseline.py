"""The benchmark's signed-in baseline: a signed-in "ok" behind every middleware."""

from django.urls import reverse

from audit.models import RequestLogEntry
from benchmark import report, run_database
from tests.benchmark.test_report import a_result, a_row


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client):
    response = client.get(reverse("health_signed_in"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_signed_in_person_gets_ok_through_the_session_and_the_request_log(
    client, records_officer
):
    client.force_login(records_officer)

    response = client.get(reverse("health_signed_in"))

    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]
    # The same request log as any signed-in page: the floor includes it.
    assert RequestLogEntry.objects.filter(
        user=records_officer, path=reverse("health_signed_in")
    ).exists()


def test_the_signed_in_baseline_is_a_scenario_beside_the_health_check():
    targets = {
        "records_officer": "records",
        "principal": "director",
        "student": "student1",
        "audit_person": "teacher",
        "audit_month": ("2026-01-01", "2026-01-31"),
        "official_use_attachment_id": 1,
        "journal_last_page": 2000,
        "filter_query": "journal=1&year=2025",
        "search_text": "word",
        "document_ids": [1, 2],
        "survey_id": 1,
    }

    chosen = {s.name: s for s in run_database.scenarios(targets)}

    assert chosen["signed-in baseline"].paths == ["/health/signed-in/"]
    assert chosen["signed-in baseline"].actor == "records"
    assert chosen["baseline: health, no database"].actor is None


def test_each_scenario_gets_its_ratio_to_the_signed_in_baseline():
    result = a_result(
        a_row("signed-in baseline", rps=300, p50=10),
        a_row("journal, first page", rps=100, p50=40),
    )

    rows = {r["name"]: r for r in report.annotate(result)["scenarios"]}

    assert rows["journal, first page"]["ratio_to_signed_in"] == 100 / 300
    assert rows["journal, first page"]["ratio_to_baseline"] == 100 / 900
    assert rows["signed-in baseline"]["ratio_to_signed_in"] == 1.0
    assert dict(rows["journal, first page"]["verdicts"])["≥ ⅓ signed-in req/s"]


def test_a_fast_page_under_a_third_of_the_signed_in_baseline_is_missed():
    result = a_result(
        a_row("signed-in baseline", rps=300, p50=10),
        a_row("journal, text search", rps=99, p50=40),
        a_row("document page", rps=120, p50=55),
    )

    rows = {
        r["name"]: dict(r["verdicts"]) for r in report.annotate(result)["scenarios"]
    }

    assert rows["journal, text search"]["≥ ⅓ signed-in req/s"] is False
    assert rows["journal, text search"]["p50 < 50 ms"] is True
    assert rows["document page"] == {
        "≤ 60 KB gz": True,
        "p50 < 50 ms": False,
        "≥ ⅓ signed-in req/s": True,
    }


def an_audit_report(ms):
    row = a_row(report.AUDIT_REPORT, rps=50, p50=100)
    row["probe"]["one_client_ms"] = ms
    return row


def test_the_audit_report_is_judged_alone_and_against_its_cost_at_10000_events():
    small = a_result(an_audit_report(30))
    flat = a_result(an_audit_report(40))
    grown = a_result(an_audit_report(46))

    def verdicts(result, small):
        annotated = report.annotate(result, small=small)
        return dict(annotated["scenarios"][-1]["verdicts"])

    assert verdicts(flat, small) == {
        "≤ 60 KB gz": True,
        "alone < 50 ms": True,
        "≤ 1.5× at 10,000 events (30 ms)": True,
    }
    assert verdicts(grown, small)["≤ 1.5× at 10,000 events (30 ms)"] is False
    # Without a small run there is nothing to compare with, and no verdict.
    assert verdicts(a_result(an_audit_report(60)), None) == {
        "≤ 60 KB gz": True,
        "alone < 50 ms": False,
    }


def test_the_table_shows_both_ratios():
    result = report.annotate(
        a_result(
            a_row("signed-in baseline", rps=300, p50=10),
            a_row("journal, first page", rps=150, p50=20),
        )
    )

    text = report.table(result)

    assert "×sign" in text
    assert "0.17   0.50" in text
