"""`python -m benchmark.district`: a district's schools on one node set, measured.

N schools are provisioned with provision_school exactly as a district does
(a database each on the cluster, reached through pgbouncer in transaction mode;
a prefix each in the store; new keys each) and each gets a journal to read (the
demo school and the bench seeder at a small scale, then one document naming the
school). Node A is one gunicorn per school, started with that school's
environment file; wrk asks every school's journal at once while pgbouncer's
admin console and pg_stat_activity are read for connections, then each worker's
memory is read from /proc. Node B, a second gunicorn per school, joins and the
same load is spread over both. A markdown table is printed and the figures
written to var/bench/district.json; every server is stopped and the databases
dropped afterwards, on failure and Ctrl-C too (--keep keeps the databases).

PostgreSQL only: DATABASE_URL names the cluster (postgres://postgres@…/postgres),
and Debian's pgbouncer, psql and wrk must be installed. docs/performance.md,
"A district", has the table and how to read it.
"""

import argparse
import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from benchmark import load

BASE_DIR = Path(__file__).resolve().parent.parent
PREFIX = "dbench"
JOURNAL = "/documents/"
# 500 documents, 5,000 audit events: a journal of many pages, seeded in seconds.
SCALE = 0.005
CLIENTS_PER_SCHOOL = 2
WARM_UP_SECONDS = 2
NODE_GIB = 24
# What a school's process sees of the machine it runs on: nothing of ours.
OWN = ("DJANGO_", "PORTAL_", "DATABASE_", "AWS_")


@dataclass
class Server:
    node: str
    port: int
    process: subprocess.Popen
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class School:
    code: str
    env: dict
    marker: str
    seed: dict = field(default_factory=dict)
    servers: list[Server] = field(default_factory=list)

    @property
    def database(self) -> str:
        return urlsplit(self.env["DATABASE_URL"]).path.lstrip("/")


class Refused(Exception):
    """Something the measurement needs is missing: said, not traced."""


# The cluster and pgbouncer ------------------------------------------------------


def cluster_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise Refused(
            "the district is measured on PostgreSQL only: set DATABASE_URL="
            "postgres://postgres@127.0.0.1:5432/postgres (a user who may create "
            "databases)"
        )
    return urlunsplit(urlsplit(url)._replace(path="/postgres", query=""))


def missing_tools() -> list[str]:
    return [tool for tool in ("pgbouncer", "psql", "wrk") if not shutil.which(tool)]


def connect(url: str):
    import psycopg2

    connection = psycopg2.connect(url.replace("postgres://", "postgresql://", 1))
    connection.autocommit = True
    return connection


def own_databases(cluster, prefix: str) -> list[str]:
    """school_<prefix>NN: this benchmark's schools, and no one else's."""
    pattern = re.compile(rf"^school_{re.escape(prefix)}\d+$")
    with cluster.cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database")
        return sorted(name for (name,) in cursor.fetchall() if pattern.match(name))


def drop(cluster, names) -> None:
    with cluster.cursor() as cursor:
        for name in names:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_pgbouncer(folder: Path) -> int:
    started = subprocess.run(
        ["bash", str(BASE_DIR / ".ci" / "pgbouncer"), "start", str(folder)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    if started.returncode:
        raise Refused(f"pgbouncer did not start: {started.stderr.strip()}")
    return int(started.stdout.split()[-1])


def stop_pgbouncer(folder: Path) -> None:
    subprocess.run(
        ["bash", str(BASE_DIR / ".ci" / "pgbouncer"), "stop", str(folder)],
        check=False,
        timeout=30,
    )


class Sampler(threading.Thread):
    """Every half second while the load runs: pgbouncer's pools (server and
    client connections per school database) and the cluster's own count of
    backends per database (pg_stat_activity); keeps the highest of each."""

    def __init__(self, *, pool_port: int, cluster: str, databases: list[str]):
        super().__init__(daemon=True)
        self.pool_port, self.cluster, self.databases = pool_port, cluster, databases
        self.stop = threading.Event()
        self.most = {
            name: {"server": 0, "client": 0, "backends": 0} for name in databases
        }
        self.most_servers_at_once = 0
        self.samples = 0
        self.problem = ""

    def run(self) -> None:
        try:
            admin = connect(f"postgres://postgres@127.0.0.1:{self.pool_port}/pgbouncer")
            cluster = connect(self.cluster)
        except Exception as error:  # said in the result
            self.problem = str(error)
            return
        try:
            while not self.stop.is_set():
                self._sample(admin, cluster)
                self.stop.wait(0.5)
        finally:
            admin.close()
            cluster.close()

    def _sample(self, admin, cluster) -> None:
        with admin.cursor() as cursor:
            cursor.execute("SHOW POOLS")
            columns = [column.name for column in cursor.description]
            pools = [dict(zip(columns, row, strict=True)) for row in cursor]
        with cluster.cursor() as cursor:
            cursor.execute(
                "SELECT datname, count(*) FROM pg_stat_activity "
                "WHERE datname = ANY(%s) GROUP BY datname",
                [self.databases],
            )
            backends = dict(cursor.fetchall())
        at_once = 0
        for pool in pools:
            most = self.most.get(pool["database"])
            if most is None:
                continue
            servers = sum(
                int(value or 0)
                for name, value in pool.items()
                if name.startswith("sv_")
                and name not in ("sv_active_cancel", "sv_being_canceled")
            )
            clients = int(pool["cl_active"]) + int(pool["cl_waiting"])
            most["server"] = max(most["server"], servers)
            most["client"] = max(most["client"], clients)
            at_once += servers
        for name, count in backends.items():
            self.most[name]["backends"] = max(self.most[name]["backends"], count)
        self.most_servers_at_once = max(self.most_servers_at_once, at_once)
        self.samples += 1


# Schools: provisioned, seeded, served ---------------------------------------


def clean_environment() -> dict:
    return {k: v for k, v in os.environ.items() if not k.startswith(OWN)}


def read_env_file(path: Path) -> dict:
    return dict(
        line.split("=", 1) for line in path.read_text("utf-8").splitlines() if line
    )


def run_child(command: list[str], *, env: dict, what: str, input: str | None = None):
    """A step in a process of its own (its own settings and keys); its output
    is shown only when it fails."""
    done = subprocess.run(
        command,
        env=env,
        input=input,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    if done.returncode:
        raise RuntimeError(f"{what} failed:\n{done.stderr or done.stdout}")


def provision(code: str, *, cluster: str, pool: str, work: Path) -> dict:
    """provision_school, as the district's administrator runs it; the school's
    environment file, read back."""
    # A folder each: two at once would race to write the same development key.
    admin_env = clean_environment() | {
        "DJANGO_DEBUG": "1",
        "PORTAL_VAR_DIR": str(work / "admin" / code),
    }
    run_child(
        [
            sys.executable,
            str(BASE_DIR / "manage.py"),
            "provision_school",
            code,
            f"--cluster-url={cluster}",
            f"--pool-url={pool}",
            f"--storage-url=file://{work / 'store'}",
            f"--env-dir={work / 'schools'}",
            "--hosts=127.0.0.1",
        ],
        env=admin_env,
        what=f"provision_school {code}",
    )
    return read_env_file(work / "schools" / f"{code}.env")


def node_environment(school: School, node_var: Path) -> dict:
    """The school's environment file, as its node's systemd unit would load it,
    with what the node itself sets (its proxy, its static files)."""
    return (
        clean_environment()
        | school.env
        | {
            "DJANGO_SETTINGS_MODULE": "school_portal.settings",
            "DJANGO_BEHIND_TLS_PROXY": "1",
            "PORTAL_TRUSTED_PROXIES": "127.0.0.1",
            "PORTAL_VAR_DIR": str(node_var),
        }
    )


def seed(school: School, *, node_var: Path, password: str, scale: float, clients):
    """The journal to read and the records officer's sessions, made in the
    school's own process (its settings, its keys)."""
    out = node_var / f"{school.code}-seed.json"
    run_child(
        [
            sys.executable,
            "-m",
            "benchmark.district",
            f"--seed-school={out}",
            f"--scale={scale:g}",
            f"--clients={clients}",
            f"--marker={school.marker}",
        ],
        env=node_environment(school, node_var),
        what=f"seeding {school.code}",
        input=password,
    )
    school.seed = json.loads(out.read_text("utf-8"))
    out.unlink()


def collect_static(school: School, node_var: Path) -> None:
    subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), "collectstatic", "--no-input"],
        env=node_environment(school, node_var),
        cwd=BASE_DIR,
        capture_output=True,
        check=True,
        timeout=600,
    )


def start_server(school: School, *, node: str, workers: int, node_var: Path, logs):
    """One gunicorn of the school on this node, with the repository's
    gunicorn.conf.py; the node's reverse proxy would route the school's Host
    to this port."""
    port = load.free_port()
    log = logs / f"{node}-{school.code}.log"
    env = node_environment(school, node_var) | {
        "PORTAL_GUNICORN_WORKERS": str(workers),
        "PORTAL_GUNICORN_BIND": f"127.0.0.1:{port}",
    }
    with log.open("ab") as output:
        process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                f"--config={BASE_DIR / 'gunicorn.conf.py'}",
            ],
            env=env,
            cwd=BASE_DIR,
            stdout=output,
            stderr=output,
            # Ctrl-C reaches this process alone; it stops the servers in order.
            start_new_session=True,
        )
    server = Server(node=node, port=port, process=process, log=log)
    school.servers.append(server)
    return server


def stop_servers(schools: list[School]) -> None:
    servers = [server for school in schools for server in school.servers]
    for server in servers:
        if server.process.poll() is None:
            server.process.terminate()
    for server in servers:
        try:
            server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


def wait_until_up(servers: list[Server], workers: int) -> None:
    for server in servers:
        load._wait_until_up(server.base, server.process, server.log)
    # A worker answers before its siblings have booted; memory wants them all.
    deadline = time.monotonic() + 60
    while any(len(worker_pids(s.process.pid)) < workers for s in servers):
        if time.monotonic() > deadline:
            raise RuntimeError("gunicorn workers did not all start within a minute")
        time.sleep(0.2)


def check_journal(school: School, server: Server, others: list[str]) -> dict:
    """The records officer's journal on this server: 200, this school's
    document on it, no other school's."""
    request = urllib.request.Request(
        server.base + JOURNAL,
        headers={"Cookie": school.seed["cookies"][0], "X-Forwarded-Proto": "https"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            status, page = answer.status, answer.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        status, page = error.code, ""
    return {
        "node": server.node,
        "status": status,
        "own_document": school.marker in page,
        "other_schools_documents": sum(marker in page for marker in others),
    }


# Memory -----------------------------------------------------------------------


def worker_pids(arbiter: int) -> list[int]:
    path = Path(f"/proc/{arbiter}/task/{arbiter}/children")
    with contextlib.suppress(OSError):
        return [int(pid) for pid in path.read_text().split()]
    return []


def memory_kib(pid: int) -> dict:
    """Resident and proportional set size of one process, in KiB."""
    found = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("Rss", "Pss"):
            found[name.lower() + "_kib"] = int(rest.split()[0])
    return found


def node_memory(schools: list[School], node: str) -> dict:
    arbiters, workers, per_school = [], [], []
    for school in schools:
        server = next(s for s in school.servers if s.node == node)
        arbiter = memory_kib(server.process.pid)
        own = [memory_kib(pid) for pid in worker_pids(server.process.pid)]
        arbiters.append(arbiter)
        workers += own
        per_school.append(arbiter["pss_kib"] + sum(w["pss_kib"] for w in own))

    def median(rows, key):
        return statistics.median(row[key] for row in rows) / 1024

    school_mib = statistics.median(per_school) / 1024
    return {
        "worker_rss_mib": median(workers, "rss_kib"),
        "worker_pss_mib": median(workers, "pss_kib"),
        "worker_rss_max_mib": max(w["rss_kib"] for w in workers) / 1024,
        "arbiter_rss_mib": median(arbiters, "rss_kib"),
        "arbiter_pss_mib": median(arbiters, "pss_kib"),
        "school_pss_mib": school_mib,
        "node_pss_mib": sum(per_school) / 1024,
        "workers_measured": len(workers),
        "schools_per_node_by_memory": int(NODE_GIB * 1024 // school_mib),
    }


# Load ---------------------------------------------------------------------------


def drive_all(schools, *, nodes, seconds, clients, work, sampler=None) -> dict:
    """Every school's journal at once: one wrk per school and node, the
    school's `clients` connections shared out among its nodes."""
    targets = []
    for school in schools:
        servers = [s for s in school.servers if s.node in nodes]
        for index, server in enumerate(servers):
            share = clients // len(servers) + (index < clients % len(servers))
            if share:
                cookies = school.seed["cookies"][index :: len(servers)]
                targets.append((school, server, share, cookies))

    def one(target):
        school, server, share, cookies = target
        return load.drive(
            base=server.base,
            load=load.Load([JOURNAL], cookies),
            seconds=seconds,
            script=work / f"{server.node}-{school.code}.lua",
            clients=share,
        )

    if sampler:
        sampler.start()
    pool = ThreadPoolExecutor(max_workers=len(targets))
    try:
        results = list(pool.map(one, targets))
    finally:
        # Interrupted, the servers are stopped now; wrk ends on its own clock.
        pool.shutdown(wait=False, cancel_futures=True)
        if sampler:
            sampler.stop.set()
            sampler.join(timeout=10)
    per_school = {}
    for (school, _server, _share, _cookies), result in zip(
        targets, results, strict=True
    ):
        per_school.setdefault(school.code, []).append(result)
    rates = [sum(r["requests_per_second"] for r in rs) for rs in per_school.values()]
    return {
        "nodes": list(nodes),
        "wrk_processes": len(targets),
        "wrk_connections": sum(share for _s, _v, share, _c in targets),
        "requests": sum(r["requests"] for r in results),
        "requests_per_second": sum(rates),
        "school_rps_min": min(rates),
        "school_rps_max": max(rates),
        "p50_ms_median_school": statistics.median(r["p50_ms"] for r in results),
        "p95_ms_worst_school": max(r["p95_ms"] for r in results),
        "errors": sum(r["errors"] for r in results),
        "bad_status": sum(r["bad_status"] for r in results),
        "per_school": {
            code: {
                "requests_per_second": sum(r["requests_per_second"] for r in rs),
                "p50_ms": max(r["p50_ms"] for r in rs),
                "p95_ms": max(r["p95_ms"] for r in rs),
            }
            for code, rs in per_school.items()
        },
    }


def connections(sampler: Sampler) -> dict:
    most = sampler.most.values()
    return {
        "samples": sampler.samples,
        "problem": sampler.problem,
        "per_database": sampler.most,
        "server_per_school_max": max((m["server"] for m in most), default=0),
        "client_per_school_max": max((m["client"] for m in most), default=0),
        "backends_per_school_max": max((m["backends"] for m in most), default=0),
        "servers_at_once_max": sampler.most_servers_at_once,
    }


# The run -----------------------------------------------------------------------


def measure(args, work: Path, pgbouncer_dir: Path) -> dict:
    cluster = cluster_url()
    result = {
        "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "schools": args.schools,
        "workers": args.workers,
        "seconds": args.seconds,
        "clients_per_school": args.clients,
        "scale": args.scale,
        "cores": os.cpu_count(),
        "load_average_before": os.getloadavg(),
    }
    server = connect(cluster)
    schools: list[School] = []
    try:
        leftovers = own_databases(server, args.prefix)
        if leftovers:
            print(f"dropping an earlier run's schools: {', '.join(leftovers)}")
            drop(server, leftovers)

        pool_port = start_pgbouncer(pgbouncer_dir)
        pool = f"postgres://postgres@127.0.0.1:{pool_port}"
        print(f"pgbouncer (transaction pooling) on port {pool_port}", flush=True)

        node_var = work / "node"
        logs = work / "logs"
        logs.mkdir(parents=True)
        node_var.mkdir()
        password = "-".join(secrets.token_hex(3) for _ in range(3))
        codes = [f"{args.prefix}{n:02d}" for n in range(1, args.schools + 1)]
        timings = {"provision": [], "seed": []}

        def make(code: str) -> School:
            started = time.monotonic()
            env = provision(code, cluster=cluster, pool=pool, work=work)
            school = School(code=code, env=env, marker=f"District bench: {code}")
            schools.append(school)
            timings["provision"].append(time.monotonic() - started)
            started = time.monotonic()
            seed(
                school,
                node_var=node_var,
                password=password,
                scale=args.scale,
                clients=args.clients,
            )
            timings["seed"].append(time.monotonic() - started)
            print(f"  {code}: provisioned and seeded", flush=True)
            return school

        print(f"provisioning {args.schools} schools, {args.jobs} at a time", flush=True)
        with ThreadPoolExecutor(max_workers=args.jobs) as jobs:
            made = list(jobs.map(make, codes))
        schools.sort(key=lambda school: school.code)
        result["provision_seconds_median"] = statistics.median(timings["provision"])
        result["seed_seconds_median"] = statistics.median(timings["seed"])
        result["databases"] = [school.database for school in made]
        result["documents_per_school"] = min(s.seed["documents"] for s in made)
        collect_static(schools[0], node_var)

        markers = {school.code: school.marker for school in schools}
        databases = [school.database for school in schools]
        checks = {}
        for node in ("A", "B"):
            print(f"node {node}: {args.schools} gunicorns", flush=True)
            started = [
                start_server(
                    school,
                    node=node,
                    workers=args.workers,
                    node_var=node_var,
                    logs=logs,
                )
                for school in schools
            ]
            wait_until_up(started, args.workers)
            for school in schools:
                others = [m for c, m in markers.items() if c != school.code]
                checks.setdefault(school.code, []).append(
                    check_journal(school, school.servers[-1], others)
                )
            nodes = ["A"] if node == "A" else ["A", "B"]
            drive_all(
                schools,
                nodes=nodes,
                seconds=WARM_UP_SECONDS,
                clients=args.clients,
                work=logs,
            )
            sampler = Sampler(pool_port=pool_port, cluster=cluster, databases=databases)
            print(f"  {len(nodes)} node(s): {args.seconds:g} s of load", flush=True)
            phase = drive_all(
                schools,
                nodes=nodes,
                seconds=args.seconds,
                clients=args.clients,
                work=logs,
                sampler=sampler,
            )
            phase["connections"] = connections(sampler)
            phase["load_average_after"] = os.getloadavg()
            if node == "A":
                result["memory"] = node_memory(schools, "A")
            result[f"{len(nodes)}_node{'s' if len(nodes) > 1 else ''}"] = phase
        result["journal_checks"] = checks
        result["servers"] = [
            {"school": school.code, "node": one.node, "pid": one.process.pid}
            for school in schools
            for one in school.servers
        ]
    finally:
        stop_servers(schools)
        stop_pgbouncer(pgbouncer_dir)
        if args.keep:
            print(f"kept: the databases, and the schools' files in {work}")
        else:
            # pgbouncer lets go of its server connections as it stops.
            time.sleep(1)
            drop(server, own_databases(server, args.prefix))
        result["left_after"] = own_databases(server, args.prefix)
        server.close()
    return result


def table(result: dict) -> str:
    one, two = result["1_node"], result["2_nodes"]
    memory = result["memory"]
    n, workers = result["schools"], result["workers"]

    def row(label, a, b=""):
        return f"| {label} | {a} | {b} |"

    lines = [
        "| | node A alone | nodes A + B |",
        "| --- | --- | --- |",
        row(
            "gunicorns (workers each)",
            f"{n} ({workers})",
            f"{2 * n} ({workers})",
        ),
        row(
            "wrk connections, all schools",
            one["wrk_connections"],
            two["wrk_connections"],
        ),
        row(
            "journal req/s, all schools",
            f"**{one['requests_per_second']:.0f}**",
            f"**{two['requests_per_second']:.0f}**",
        ),
        row(
            "req/s per school, min–max",
            f"{one['school_rps_min']:.1f}–{one['school_rps_max']:.1f}",
            f"{two['school_rps_min']:.1f}–{two['school_rps_max']:.1f}",
        ),
        row(
            "p50 (median school) / p95 (worst school), ms",
            f"{one['p50_ms_median_school']:.0f} / {one['p95_ms_worst_school']:.0f}",
            f"{two['p50_ms_median_school']:.0f} / {two['p95_ms_worst_school']:.0f}",
        ),
        row(
            "errors / non-2xx",
            f"{one['errors']} / {one['bad_status']}",
            f"{two['errors']} / {two['bad_status']}",
        ),
    ]
    for label, key in (
        ("pgbouncer server connections per school, max", "server_per_school_max"),
        ("pgbouncer client connections per school, max", "client_per_school_max"),
        ("PostgreSQL backends per school, max", "backends_per_school_max"),
        ("pgbouncer server connections, all schools at once", "servers_at_once_max"),
    ):
        lines.append(row(label, one["connections"][key], two["connections"][key]))
    lines += [
        "",
        f"| memory, node A after its load ({memory['workers_measured']} workers) "
        "| RSS | PSS |",
        "| --- | --- | --- |",
        f"| one worker (median) | {memory['worker_rss_mib']:.0f} MiB "
        f"| {memory['worker_pss_mib']:.0f} MiB |",
        f"| one arbiter (median) | {memory['arbiter_rss_mib']:.0f} MiB "
        f"| {memory['arbiter_pss_mib']:.0f} MiB |",
        f"| one school (arbiter + {workers} worker{'s' if workers > 1 else ''}) | "
        f"| {memory['school_pss_mib']:.0f} MiB |",
        f"| all {n} schools of the node | | {memory['node_pss_mib']:.0f} MiB |",
        f"| schools per {NODE_GIB} GiB node, by memory alone | "
        f"| {memory['schools_per_node_by_memory']} |",
    ]
    return "\n".join(lines)


def default_out() -> Path:
    var = Path(os.environ.get("PORTAL_VAR_DIR") or BASE_DIR / "var")
    return var / "bench" / "district.json"


def seed_this_school(args) -> int:
    """In the school's own process: the demo school, the bench seeder's volume
    at a small scale, one document naming the school, the records officer's
    sessions. The database is the one provision_school made: not empty (its
    administrator), so the bench seeder's steps run without its emptiness check."""
    import io

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from accounts.models import User
    from benchmark import seed as bench_seed
    from benchmark.run_database import sign_in
    from documents import services
    from documents.models import Document, DocumentClass, Journal

    password = sys.stdin.read().strip()
    call_command("seed_demo", password=password, stdout=io.StringIO())
    seeder = bench_seed.Seeder(scale=args.scale, password=password, out=io.StringIO())
    for _name, step in seeder.steps():
        with transaction.atomic():
            step()
    records = User.objects.get(username="records")
    services.register_document(
        actor=records,
        journal=Journal.objects.get(name="", kind="incoming"),
        document_class=DocumentClass.objects.get(code="letter"),
        summary=args.marker,
        correspondent="District office",
    )
    bench_seed._analyze()
    cookies = sign_in({"records"}, args.clients)["records"]
    args.seed_school.write_text(
        json.dumps({"documents": Document.objects.count(), "cookies": cookies}),
        encoding="utf-8",
    )
    return 0


def _stop_on_sigterm(_signum, _frame):
    raise KeyboardInterrupt


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmark.district",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--schools", type=int, default=20)
    parser.add_argument("--workers", type=int, default=1, help="per gunicorn")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument(
        "--clients",
        type=int,
        default=CLIENTS_PER_SCHOOL,
        help="wrk connections per school, shared out among its nodes",
    )
    parser.add_argument("--scale", type=float, default=SCALE, help="bench seed scale")
    parser.add_argument("--jobs", type=int, default=2, help="schools made at once")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument(
        "--prefix", default=PREFIX, help="school codes: PREFIX01, PREFIX02, …"
    )
    parser.add_argument("--seed-school", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--marker", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.seed_school:
        return seed_this_school(args)

    missing = missing_tools()
    if missing:
        sys.exit(
            f"the district benchmark needs {', '.join(missing)}: "
            "apt-get install -y pgbouncer postgresql-client wrk"
        )
    if args.schools < 1 or args.clients < 2:
        sys.exit("at least one school and two connections per school (one per node)")
    before = signal.signal(signal.SIGTERM, _stop_on_sigterm)
    work = Path(tempfile.mkdtemp(prefix="portal-district-"))
    # Its own folder: .ci/pgbouncer hands it to the postgres user when run as root.
    pgbouncer_dir = Path(tempfile.mkdtemp(prefix="portal-district-pgbouncer-"))
    try:
        result = measure(args, work, pgbouncer_dir)
    except Refused as refusal:
        sys.exit(f"python -m benchmark.district: {refusal}")
    finally:
        signal.signal(signal.SIGTERM, before)
        shutil.rmtree(pgbouncer_dir, ignore_errors=True)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    out = args.out or default_out()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    print(
        f"\n{result['schools']} schools, {result['documents_per_school']} documents "
        f"each, {args.seconds:g} s of load, {args.clients} wrk connections per "
        f"school, {result['cores']} cores shared by both nodes, wrk and PostgreSQL\n"
    )
    print(table(result))
    print(f"\nWritten: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
