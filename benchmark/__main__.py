"""`make bench`: the portal at district scale, beside Django's own ceiling.

For SQLite, and for PostgreSQL when DATABASE_URL points to one, this builds a
separate benchmark database (reused on the next run), serves the portal with
gunicorn under production settings and drives it with wrk; then prints one
table per database and writes everything as JSON under var/bench/.
"""

import argparse
import base64
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from benchmark import load, report

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = BASE_DIR / "var" / "bench"
SECRETS = BENCH_DIR / "secrets.json"
# The audit report's growth with the trail is judged against a run at this
# scale (10,000 events), kept in a database of its own.
SMALL_SCALE = 0.01


def tag(name: str, scale: float) -> str:
    """A database's name in file names: "sqlite", or "sqlite-0.01" at another
    scale, so that a quick run at a small scale never wipes the full seed."""
    return name if scale == 1 else f"{name}-{scale:g}"


def bench_secrets() -> dict:
    """Production-like keys, made once, so a reused database stays readable."""
    if SECRETS.exists():
        return json.loads(SECRETS.read_text(encoding="utf-8"))
    values = {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "PORTAL_AUDIT_KEY": secrets.token_urlsafe(50),
        "PORTAL_BLIND_INDEX_KEY": secrets.token_urlsafe(50),
        "PORTAL_ENCRYPTION_KEYS": base64.urlsafe_b64encode(
            secrets.token_bytes(32)
        ).decode(),
        "password": "-".join(secrets.token_hex(3) for _ in range(3)),
    }
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    SECRETS.write_text(json.dumps(values, indent=2), encoding="utf-8")
    SECRETS.chmod(0o600)
    return values


def postgres_bench_url(url: str, scale: float = 1.0) -> str:
    """The same server as DATABASE_URL, a database of its own: <name>_bench
    (<name>_bench_0_01 at scale 0.01)."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "portal"
    suffix = "" if scale == 1 else "_" + f"{scale:g}".replace(".", "_")
    return urlunsplit(parts._replace(path=f"/{name}_bench{suffix}"))


def prepare_postgres(url: str, *, reseed: bool) -> None:
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    server.autocommit = True
    with server.cursor() as cursor:
        if reseed:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    server.close()


def databases(only: str, reseed: bool, scale: float = 1.0) -> list[tuple[str, str]]:
    chosen = []
    if only in ("", "sqlite"):
        file_name = f"{tag('bench', scale)}.sqlite3"
        path = BENCH_DIR / file_name
        if reseed:
            for leftover in BENCH_DIR.glob(f"{file_name}*"):
                leftover.unlink()
        chosen.append(("sqlite", f"sqlite:///{path}"))
    url = os.environ.get("DATABASE_URL", "")
    if only in ("", "postgresql") and url.startswith(("postgres://", "postgresql://")):
        bench_url = postgres_bench_url(url, scale)
        prepare_postgres(bench_url, reseed=reseed)
        chosen.append(("postgresql", bench_url))
    if only == "postgresql" and not chosen:
        sys.exit("make bench: --database postgresql needs DATABASE_URL=postgres://…")
    if reseed:
        # The new database stores its files anew; the old ones would pile up.
        for name, _url in chosen:
            shutil.rmtree(
                BENCH_DIR / tag(name, scale) / "attachments", ignore_errors=True
            )
    return chosen


def server_env(keys: dict, name: str, url: str, scale: float = 1.0) -> dict:
    # Nothing of the developer's own settings leaks into the measured server.
    own = ("DJANGO_", "PORTAL_", "DATABASE_URL")
    env = {k: v for k, v in os.environ.items() if not k.startswith(own)}
    env |= {k: v for k, v in keys.items() if k != "password"}
    return env | {
        "DJANGO_SETTINGS_MODULE": "school_portal.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_BEHIND_TLS_PROXY": "1",
        "PORTAL_TRUSTED_PROXIES": "127.0.0.1",
        "PORTAL_ATTACHMENT_DIR": str(BENCH_DIR / tag(name, scale) / "attachments"),
        "DATABASE_URL": url,
    }


def small_result(name: str, scale: float) -> dict | None:
    """The last result of this database at SMALL_SCALE, to compare a full run with."""
    path = BENCH_DIR / f"{tag(name, SMALL_SCALE)}.json"
    if scale != 1 or not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmark", description=__doc__)
    parser.add_argument(
        "--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", 10))
    )
    parser.add_argument(
        "--scale", type=float, default=float(os.environ.get("BENCH_SCALE", 1.0))
    )
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="")
    parser.add_argument("--only", default="", help="only the scenarios naming this")
    args = parser.parse_args(argv)
    if not load.wrk_available():
        sys.exit("make bench needs wrk: apt-get install -y wrk")

    keys = bench_secrets()
    stamp = time.strftime("%Y%m%d-%H%M%S")
    results = {"started": stamp, "seconds": args.seconds, "scale": args.scale}
    results["clients"], results["workers"] = load.CLIENTS, load.WORKERS
    for name, url in databases(args.database, args.reseed, args.scale):
        out = BENCH_DIR / f"{tag(name, args.scale)}.json"
        command = [
            sys.executable,
            "-m",
            "benchmark.run_database",
            f"--out={out}",
            f"--seconds={args.seconds}",
            f"--scale={args.scale}",
            f"--password={keys['password']}",
            f"--only={args.only}",
        ]
        if args.reseed:
            command.append("--reseed")
        subprocess.run(
            command,
            env=server_env(keys, name, url, args.scale),
            cwd=BASE_DIR,
            check=True,
        )
        result = json.loads(out.read_text(encoding="utf-8"))
        result["scale"] = args.scale
        out.write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
        result = report.annotate(result, small=small_result(name, args.scale))
        results[name] = result
        print(
            f"\n{name}: {args.seconds:g} s per scenario, {load.CLIENTS} clients, "
            f"gunicorn {load.WORKERS} workers; latencies in ms; "
            "'1 cl.' is the median time of one request alone, in process\n"
        )
        print(report.table(result))
    path = BENCH_DIR / f"bench-{stamp}.json"
    text = json.dumps(results, indent=2, ensure_ascii=False, default=str)
    path.write_text(text, encoding="utf-8")
    (BENCH_DIR / "latest.json").write_text(text, encoding="utf-8")
    print(f"\nWritten: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
