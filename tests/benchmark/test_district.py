"""The district measured (benchmark/district.py), at two schools: two databases
provisioned and served through pgbouncer, each journal its own school's, real
memory and connection figures, and nothing left behind."""

import json
import os
import shutil

import psycopg2
import pytest

from benchmark import district

PREFIX = "dbenchtest"


def cluster_or_skip() -> str:
    if not os.environ.get("DATABASE_URL", "").startswith(
        ("postgres://", "postgresql://")
    ):
        pytest.skip("a district is measured on PostgreSQL: DATABASE_URL=postgres://…")
    missing = [tool for tool in ("pgbouncer", "psql", "wrk") if not shutil.which(tool)]
    if missing:
        pytest.skip(f"the district benchmark needs {', '.join(missing)}")
    return district.cluster_url()


def school_databases(url: str) -> list[str]:
    server = psycopg2.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        return district.own_databases(server, PREFIX)
    finally:
        server.close()


def test_two_schools_are_served_by_two_nodes_and_nothing_is_left(tmp_path):
    cluster = cluster_or_skip()
    out = tmp_path / "district.json"

    district.main(["--schools=2", "--seconds=1", f"--prefix={PREFIX}", f"--out={out}"])

    result = json.loads(out.read_text(encoding="utf-8"))
    databases = [f"school_{PREFIX}01", f"school_{PREFIX}02"]
    assert result["databases"] == databases
    assert result["documents_per_school"] >= 300
    for code, checks in result["journal_checks"].items():
        assert [check["node"] for check in checks] == ["A", "B"], code
        for check in checks:
            assert check["status"] == 200, (code, check)
            assert check["own_document"], (code, check)
            assert check["other_schools_documents"] == 0, (code, check)
    for phase, nodes in (("1_node", 1), ("2_nodes", 2)):
        measured = result[phase]
        assert measured["requests"] > 0
        assert measured["errors"] == measured["bad_status"] == 0
        assert set(measured["per_school"]) == {f"{PREFIX}01", f"{PREFIX}02"}
        pools = measured["connections"]
        assert pools["problem"] == ""
        assert set(pools["per_database"]) == set(databases)
        for name, most in pools["per_database"].items():
            # Each database was used through pgbouncer by its own servers.
            assert 0 < most["server"] <= nodes * result["workers"], (phase, name)
            assert most["client"] > 0, (phase, name)
            assert most["backends"] > 0, (phase, name)
    memory = result["memory"]
    assert memory["workers_measured"] == 2 * result["workers"]
    assert 0 < memory["worker_pss_mib"] <= memory["worker_rss_mib"]
    assert 0 < memory["arbiter_pss_mib"] <= memory["arbiter_rss_mib"]
    assert memory["school_pss_mib"] > memory["worker_pss_mib"]
    assert memory["schools_per_node_by_memory"] > 0
    # Stopped and dropped.
    assert result["left_after"] == []
    assert school_databases(cluster) == []
    for server in result["servers"]:
        with pytest.raises(ProcessLookupError):
            os.kill(server["pid"], 0)
