"""The targets of the issues, and the table that puts the results beside them.

The benchmark reports; it never fails a build. A missed target is marked
"MISSED" in the table and in the JSON, nothing more.
"""

PAGE_LIMIT_KB = 60
FAST_PAGES = {
    "journal, first page",
    "journal, page 1,000",
    "journal, filtered",
    "document page",
}
AUDIT_REPORT = "audit report, one person, one month"
WITH_LOG = "journal, first page"
WITHOUT_LOG = "journal, first page, no request log"


def page_verdicts(row: dict, baseline_rps: float) -> list[tuple[str, bool]]:
    """(target, met) pairs for one scenario row."""
    probe, load = row["probe"], row.get("load")
    verdicts = []
    if probe["status"] >= 400:
        verdicts.append((f"answers (got {probe['status']})", False))
    if "text/html" in probe["content_type"]:
        verdicts.append(
            (f"≤ {PAGE_LIMIT_KB} KB gz", probe["gzip_bytes"] <= PAGE_LIMIT_KB * 1024)
        )
    if load is None:
        return verdicts
    if load["errors"] or load["bad_status"]:
        verdicts.append(("no errors", False))
    if row["name"] in FAST_PAGES:
        verdicts.append(("p50 < 50 ms", load["p50_ms"] < 50))
        verdicts.append(
            ("≥ ⅓ baseline req/s", load["requests_per_second"] >= baseline_rps / 3)
        )
    if row["name"] == AUDIT_REPORT:
        verdicts.append(("p50 < 200 ms", load["p50_ms"] < 200))
    return verdicts


def write_rows(result: dict) -> list[dict]:
    """The measurements that are not pages, with their targets."""
    rows = []
    append = result["writes"].get("audit_append")
    if append:
        for mode, label in (
            ("own_transaction", "audit append, own transaction"),
            ("in_caller_transaction", "audit append, in the caller's transaction"),
        ):
            p50 = append[mode]["p50"]
            rows.append(
                {
                    "name": label,
                    "value": f"p50 {p50:.2f} ms, p95 {append[mode]['p95']:.2f} ms",
                    "verdicts": [("p50 < 1 ms", p50 < 1)],
                }
            )
    registration = result["writes"].get("registration")
    if registration:
        rows.append(
            {
                "name": f"registration, {registration['writers']} writers",
                "value": (
                    f"{registration['per_second']:.0f}/s, "
                    f"{registration['duplicates']} duplicates, "
                    f"{registration['gaps']} gaps, {registration['errors']} errors"
                ),
                "verdicts": [
                    ("≥ 200/s", registration["per_second"] >= 200),
                    (
                        "no duplicate, no gap",
                        not registration["duplicates"] and not registration["gaps"],
                    ),
                ],
            }
        )
    loads = {row["name"]: row.get("load") for row in result["scenarios"]}
    if loads.get(WITH_LOG) and loads.get(WITHOUT_LOG):
        with_log = loads[WITH_LOG]["requests_per_second"]
        without = loads[WITHOUT_LOG]["requests_per_second"]
        overhead = (without - with_log) / without if without else 0.0
        rows.append(
            {
                "name": "request-log overhead",
                "value": f"{overhead:.1%} of req/s",
                "verdicts": [("< 5%", overhead < 0.05)],
            }
        )
    return rows


def annotate(result: dict) -> dict:
    """Add the baseline ratio and the verdicts to one database's result."""
    baseline = next(
        (r["load"] for r in result["scenarios"] if r["name"].startswith("baseline")),
        None,
    )
    baseline_rps = baseline["requests_per_second"] if baseline else 0.0
    for row in result["scenarios"]:
        load = row.get("load")
        ratio = None
        if load and baseline_rps:
            ratio = load["requests_per_second"] / baseline_rps
        row["ratio_to_baseline"] = ratio
        row["verdicts"] = page_verdicts(row, baseline_rps)
    result["write_rows"] = write_rows(result)
    return result


def _verdict_text(verdicts) -> str:
    return "; ".join(f"{name}: {'met' if ok else 'MISSED'}" for name, ok in verdicts)


def table(result: dict) -> str:
    head = (
        f"{'scenario':<38} {'req/s':>7} {'p50':>7} {'p95':>7} {'p99':>7} "
        f"{'1 cl.':>6} {'SQL':>4} {'KB gz':>6} {'×base':>6}  targets"
    )
    lines = [head, "-" * len(head)]
    for row in result["scenarios"]:
        load, probe = row.get("load") or {}, row["probe"]
        ratio = row.get("ratio_to_baseline")
        lines.append(
            f"{row['name']:<38} "
            f"{load.get('requests_per_second', 0):>7.1f} "
            f"{load.get('p50_ms', 0):>7.1f} {load.get('p95_ms', 0):>7.1f} "
            f"{load.get('p99_ms', 0):>7.1f} "
            f"{probe.get('one_client_ms', 0):>6.1f} "
            f"{probe['queries']:>4} {probe['gzip_bytes'] / 1024:>6.1f} "
            f"{(f'{ratio:.2f}' if ratio is not None else ''):>6}  "
            f"{_verdict_text(row['verdicts'])}"
        )
    lines.append("")
    for row in result["write_rows"]:
        lines.append(
            f"{row['name']:<42} {row['value']:<44} {_verdict_text(row['verdicts'])}"
        )
    return "\n".join(lines)
