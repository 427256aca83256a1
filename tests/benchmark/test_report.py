"""The benchmark's table puts each result beside its target and never fails."""

from benchmark import report


def a_row(name, *, rps, p50, status=200, gzip_kb=10, content_type="text/html"):
    return {
        "name": name,
        "probe": {
            "status": status,
            "queries": 7,
            "gzip_bytes": gzip_kb * 1024,
            "content_type": content_type,
        },
        "load": {
            "requests_per_second": rps,
            "p50_ms": p50,
            "p95_ms": p50 * 2,
            "p99_ms": p50 * 3,
            "errors": 0,
            "bad_status": 0,
        },
    }


def a_result(*rows, writes=None):
    baseline = a_row("baseline: health, no database", rps=900, p50=4)
    signed_in = a_row("signed-in baseline", rps=300, p50=10)
    if any(row["name"] == signed_in["name"] for row in rows):
        return {"scenarios": [baseline, *rows], "writes": writes or {}}
    return {"scenarios": [baseline, signed_in, *rows], "writes": writes or {}}


def verdicts_of(result, name):
    row = next(r for r in report.annotate(result)["scenarios"] if r["name"] == name)
    return dict(row["verdicts"])


def test_a_fast_journal_meets_both_of_its_targets():
    result = a_result(a_row("journal, first page", rps=100, p50=20))

    assert verdicts_of(result, "journal, first page") == {
        "≤ 60 KB gz": True,
        "p50 < 50 ms": True,
        "≥ ⅓ signed-in req/s": True,
    }


def test_a_slow_journal_is_marked_missed_on_what_it_missed():
    result = a_result(a_row("journal, filtered", rps=90, p50=80))

    verdicts = verdicts_of(result, "journal, filtered")

    assert verdicts["p50 < 50 ms"] is False
    assert verdicts["≥ ⅓ signed-in req/s"] is False


def test_a_heavy_page_misses_the_weight_limit_but_a_file_has_none():
    result = a_result(
        a_row("student's cabinet", rps=300, p50=10, gzip_kb=61),
        a_row("official-use file", rps=50, p50=90, gzip_kb=500, content_type="a/pdf"),
    )

    assert verdicts_of(result, "student's cabinet") == {"≤ 60 KB gz": False}
    assert verdicts_of(result, "official-use file") == {}


def test_a_page_that_did_not_answer_is_missed():
    result = a_result(a_row("survey results", rps=300, p50=10, status=404))

    assert verdicts_of(result, "survey results")["answers (got 404)"] is False


def test_request_log_overhead_is_the_share_of_requests_lost():
    result = a_result(
        a_row("journal, first page", rps=90, p50=20),
        a_row("journal, first page, no request log", rps=100, p50=20),
    )

    rows = {r["name"]: r for r in report.annotate(result)["write_rows"]}

    assert rows["request-log overhead"]["value"] == "10.0% of req/s"
    assert rows["request-log overhead"]["verdicts"] == [("< 5%", False)]


def test_registration_with_a_gap_is_missed_however_fast():
    registration = {
        "writers": 8,
        "per_second": 500,
        "duplicates": 0,
        "gaps": 1,
        "errors": 0,
    }
    result = a_result(writes={"registration": registration})

    rows = {r["name"]: r for r in report.annotate(result)["write_rows"]}

    assert dict(rows["registration, 8 writers"]["verdicts"]) == {
        "≥ 200/s": True,
        "no duplicate, no gap": False,
    }


def test_the_table_shows_every_scenario_and_the_ratio_to_the_baseline():
    result = report.annotate(a_result(a_row("journal, first page", rps=300, p50=20)))

    text = report.table(result)

    assert "journal, first page" in text
    assert "0.33" in text
    assert "p50 < 50 ms: met" in text
