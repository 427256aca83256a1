"""One scenario's cost in process, against a seeded benchmark database.

    python -m benchmark.profile sqlite "audit report"            # CPU, wall, SQL
    python -m benchmark.profile postgresql journal --cprofile    # and where it goes
    python -m benchmark.profile sqlite "audit report" --scale 0.01
    python -m benchmark.profile sqlite "audit report" --sql --whole-sql  # untruncated

Reads the database `make bench` seeded (it never seeds: run the benchmark
first) with the server's production settings, signs in the scenario's person
and requests the page --repeat times, one at a time. Prints the median CPU and
wall time, the SQL queries, and with --cprofile the functions that cost most.
CPU time is the steadier figure on a shared machine: SQLite's own work counts
in it (it runs in this process), PostgreSQL's does not.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time


def configure(database: str, scale: float) -> None:
    from benchmark import __main__ as bench

    keys = json.loads(bench.SECRETS.read_text(encoding="utf-8"))
    if database == "sqlite":
        url = f"sqlite:///{bench.BENCH_DIR / (bench.tag('bench', scale) + '.sqlite3')}"
    else:
        url = bench.postgres_bench_url(os.environ["DATABASE_URL"], scale)
    env = bench.server_env(keys, database, url, scale)
    for name in [n for n in os.environ if n.startswith(("DJANGO_", "PORTAL_"))]:
        del os.environ[name]
    os.environ.update(env)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmark.profile")
    parser.add_argument("database", choices=["sqlite", "postgresql"])
    parser.add_argument("only", nargs="?", default="", help="scenarios naming this")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--cprofile", action="store_true")
    parser.add_argument("--sql", action="store_true", help="list the queries")
    parser.add_argument("--whole-sql", action="store_true", help="--sql, whole")
    args = parser.parse_args(argv)
    if args.database == "postgresql" and not os.environ.get("DATABASE_URL"):
        sys.exit("--database postgresql needs DATABASE_URL=postgres://…")
    configure(args.database, args.scale)

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from benchmark import run_database, seed

    targets = seed.targets()
    targets["audit_person"] = User.objects.get(pk=targets["audit_person_id"]).username
    chosen = [
        s
        for s in run_database.scenarios(targets)
        if args.only.lower() in s.name.lower() and s.method == "GET"
    ]
    cookies = run_database.sign_in({s.actor for s in chosen if s.actor}, 1)
    for scenario in chosen:
        cookie = cookies[scenario.actor][0] if scenario.actor else ""
        client = Client(HTTP_HOST="127.0.0.1", HTTP_COOKIE=cookie)
        paths = scenario.paths
        client.get(paths[0], secure=True)  # templates compiled, caches filled
        with CaptureQueriesContext(connection) as queries:
            response = client.get(paths[0], secure=True)
        captured = list(queries.captured_queries)
        profile = cProfile.Profile() if args.cprofile else None
        cpu, wall = [], []
        for n in range(args.repeat):
            started_cpu, started = time.process_time(), time.perf_counter()
            if profile:
                profile.enable()
            client.get(paths[n % len(paths)], secure=True)
            if profile:
                profile.disable()
            cpu.append((time.process_time() - started_cpu) * 1000)
            wall.append((time.perf_counter() - started) * 1000)
        print(
            f"{scenario.name:<40} {response.status_code} "
            f"cpu {statistics.median(cpu):6.1f} ms  "
            f"wall {statistics.median(wall):6.1f} ms"
            f"  {len(captured):>3} queries  {len(response.content) / 1024:.0f} KB",
            flush=True,
        )
        if args.sql:
            for query in captured:
                sql = query["sql"] if args.whole_sql else query["sql"][:160]
                print(f"    {query['time']} {sql}")
        if profile:
            out = io.StringIO()
            stats = pstats.Stats(profile, stream=out)
            stats.sort_stats("cumulative").print_stats(30)
            stats.sort_stats("tottime").print_stats(20)
            print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
