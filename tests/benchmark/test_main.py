"""Which databases `make bench` measures (benchmark/__main__.py)."""

import pytest

from benchmark import __main__ as bench


def test_postgresql_alone_runs_without_reseed(monkeypatch):
    prepared = []
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal")
    monkeypatch.setattr(
        bench, "prepare_postgres", lambda url, reseed: prepared.append((url, reseed))
    )

    chosen = bench.databases("postgresql", reseed=False)

    assert [name for name, _url in chosen] == ["postgresql"]
    assert prepared == [(chosen[0][1], False)]


def test_postgresql_without_a_server_to_measure_says_so(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "")

    with pytest.raises(SystemExit, match="needs DATABASE_URL"):
        bench.databases("postgresql", reseed=False)


def test_a_small_scale_has_databases_of_its_own(monkeypatch, tmp_path):
    prepared = []
    monkeypatch.setattr(bench, "BENCH_DIR", tmp_path)
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal")
    monkeypatch.setattr(
        bench, "prepare_postgres", lambda url, reseed: prepared.append(url)
    )
    (tmp_path / "bench.sqlite3").write_text("the full seed")

    full = dict(bench.databases("", reseed=False))
    small = dict(bench.databases("", reseed=True, scale=0.01))

    assert full["sqlite"].endswith("/bench.sqlite3")
    assert small["sqlite"].endswith("/bench-0.01.sqlite3")
    assert full["postgresql"].endswith("/portal_bench")
    assert small["postgresql"].endswith("/portal_bench_0_01")
    # Reseeding the small one leaves the full seed alone.
    assert (tmp_path / "bench.sqlite3").read_text() == "the full seed"
    assert bench.tag("sqlite", 0.01) == "sqlite-0.01"


def test_a_full_run_is_compared_with_the_last_small_run(monkeypatch, tmp_path):
    monkeypatch.setattr(bench, "BENCH_DIR", tmp_path)
    assert bench.small_result("sqlite", 1.0) is None
    (tmp_path / "sqlite-0.01.json").write_text('{"scale": 0.01, "scenarios": []}')

    assert bench.small_result("sqlite", 1.0) == {"scale": 0.01, "scenarios": []}
    assert bench.small_result("sqlite", 0.01) is None
