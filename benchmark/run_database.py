"""One database's benchmark, in its own process: seed, probe, load, writes.

Run by `python -m benchmark` with the environment of a production server
(DJANGO_DEBUG off, DATABASE_URL of the benchmark database); writes its results
as JSON to the file named by --out.
"""

import argparse
import gzip
import json
import secrets
import statistics
import string
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import django


@dataclass(frozen=True)
class Scenario:
    """A page and the person asking for it (None: not signed in)."""

    name: str
    actor: str | None
    paths: list[str]
    method: str = "GET"
    body: dict = field(default_factory=dict)
    # Extra settings for the server, e.g. the request log turned off.
    server_env: dict = field(default_factory=dict)


def scenarios(targets: dict) -> list[Scenario]:
    records = targets["records_officer"]
    first, last = targets["audit_month"]
    report = urlencode(
        {"person": targets["audit_person"], "date_from": first, "date_to": last}
    )
    attachment = targets["official_use_attachment_id"]
    return [
        Scenario("baseline: health, no database", None, ["/health/"]),
        # The floor of every signed-in page: session, person, request log.
        Scenario("signed-in baseline", records, ["/health/signed-in/"]),
        Scenario("login page", None, ["/login/"]),
        Scenario("journal, first page", records, ["/documents/"]),
        Scenario(
            "journal, page 1,000",
            records,
            [f"/documents/?page={min(1000, targets['journal_last_page'])}"],
        ),
        Scenario(
            "journal, filtered", records, [f"/documents/?{targets['filter_query']}"]
        ),
        Scenario(
            "journal, text search",
            records,
            [f"/documents/?{urlencode({'text': targets['search_text']})}"],
        ),
        Scenario(
            "document page",
            records,
            [f"/documents/{pk}/" for pk in targets["document_ids"]],
        ),
        Scenario(
            "official-use file, stamped copy",
            records,
            [f"/documents/files/{attachment}/copy/"],
            method="POST",
            body={"purpose": "benchmark"},
        ),
        Scenario(
            "audit report, one person, one month",
            targets["principal"],
            [f"/audit/?{report}"],
        ),
        Scenario("student's cabinet", targets["student"], ["/me/"]),
        Scenario(
            "survey results",
            targets["principal"],
            [f"/surveys/{targets['survey_id']}/results/"],
        ),
        Scenario(
            "journal, first page, no request log",
            records,
            ["/documents/"],
            server_env={"PORTAL_REQUEST_LOG": "0"},
        ),
    ]


MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def csrf_secret() -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(32))


def sign_in(usernames: set[str], clients: int) -> dict[str, list[str]]:
    """`clients` sessions per person, as Cookie header values."""
    from django.conf import settings
    from django.test import Client

    from accounts.models import User

    cookies = {}
    for username in sorted(usernames):
        user = User.objects.get(username=username)
        cookies[username] = []
        # One CSRF secret per person, so one form body fits all their clients.
        csrf = csrf_secret()
        for _ in range(clients):
            client = Client()
            client.force_login(user, backend=MODEL_BACKEND)
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
            cookies[username].append(
                f"{settings.SESSION_COOKIE_NAME}={session}; "
                f"{settings.CSRF_COOKIE_NAME}={csrf}"
            )
    return cookies


def probe(scenario: Scenario, cookie: str | None, *, repeat: int = 5) -> dict:
    """Requests in this process, one at a time: status, SQL queries, gzip size,
    and the median time of `repeat` more (the server's own time, no queueing)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1", HTTP_COOKIE=cookie or "")

    def ask():
        path = scenario.paths[0]
        if scenario.method == "POST":
            return client.post(path, scenario.body, secure=True)
        return client.get(path, secure=True)

    with CaptureQueriesContext(connection) as queries:
        response = ask()
    # Counted now: the next request's start empties Django's query log.
    query_count = len(queries)
    content = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        ask()
        times.append((time.perf_counter() - started) * 1000)
    return {
        "status": response.status_code,
        "queries": query_count,
        "bytes": len(content),
        "gzip_bytes": len(gzip.compress(content, compresslevel=6)),
        "content_type": response.get("Content-Type", ""),
        "one_client_ms": statistics.median(times),
    }


def form_body(body: dict, cookie: str) -> str:
    """The POST body with the CSRF token matching the client's cookie."""
    csrf = cookie.rsplit("=", 1)[1]
    return urlencode({**body, "csrfmiddlewaretoken": csrf})


def run_load(scenario, cookies, base, seconds, work_dir) -> dict:
    from benchmark import load

    per_client = cookies.get(scenario.actor, []) if scenario.actor else []
    body = form_body(scenario.body, per_client[0]) if scenario.method == "POST" else ""
    headers = {"Origin": base.replace("http://", "https://")}
    slug = "".join(ch if ch.isalnum() else "-" for ch in scenario.name)
    what = load.Load(scenario.paths, per_client, scenario.method, body, headers)
    script = work_dir / f"{slug}.lua"
    # A short warm-up fills the workers' caches (templates, translations).
    load.drive(base=base, load=what, seconds=1, script=script)
    return load.drive(base=base, load=what, seconds=seconds, script=script)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--password", required=True)
    parser.add_argument("--only", default="", help="run only scenarios containing this")
    args = parser.parse_args(argv)

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from benchmark import load, seed, writes

    vendor = connection.vendor
    work_dir = args.out.parent / vendor
    result = {"database": vendor, "scenarios": [], "writes": {}}

    print(f"[{vendor}] seeding", flush=True)
    result["seed"] = seed.ensure(
        password=args.password, scale=args.scale, reseed=args.reseed, out=sys.stdout
    )
    call_command("collectstatic", interactive=False, verbosity=0)
    targets = seed.targets()
    from accounts.models import User

    # The report's filter takes a username.
    targets["audit_person"] = User.objects.get(pk=targets["audit_person_id"]).username
    result["targets"] = targets
    chosen = [s for s in scenarios(targets) if args.only.lower() in s.name.lower()]
    cookies = sign_in({s.actor for s in chosen if s.actor}, load.CLIENTS)

    for scenario in chosen:
        cookie = cookies[scenario.actor][0] if scenario.actor else None
        row = {"name": scenario.name, "scenario": asdict(scenario)}
        row["probe"] = probe(scenario, cookie)
        result["scenarios"].append(row)

    groups = {}
    for row, scenario in zip(result["scenarios"], chosen, strict=True):
        key = tuple(sorted(scenario.server_env.items()))
        groups.setdefault(key, []).append((row, scenario))
    for key, rows in groups.items():
        with load.gunicorn(env=dict(key), log=work_dir / "gunicorn.log") as base:
            for row, scenario in rows:
                print(f"[{vendor}] {scenario.name}", flush=True)
                row["load"] = run_load(scenario, cookies, base, args.seconds, work_dir)

    if not args.only:
        print(f"[{vendor}] audit append", flush=True)
        result["writes"]["audit_append"] = writes.audit_append_cost(n=1000)
        if vendor == "postgresql":
            print(f"[{vendor}] registration, {load.CLIENTS} writers", flush=True)
            started = time.monotonic()
            result["writes"]["registration"] = writes.registration_throughput(
                writers=load.CLIENTS, seconds=args.seconds
            )
            result["writes"]["registration"]["wall_seconds"] = (
                time.monotonic() - started
            )
    args.out.write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
