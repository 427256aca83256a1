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
