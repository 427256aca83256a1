"""The benchmark's clients are really signed in, and wrk really drives the pages."""

import pytest

from audit.models import RequestLogEntry
from benchmark import load
from benchmark.run_database import Scenario, probe, sign_in

needs_wrk = pytest.mark.skipif(not load.wrk_available(), reason="wrk is not installed")


def test_each_client_gets_a_session_of_its_own(teacher):
    cookies = sign_in({"teacher"}, clients=3)

    assert len(set(cookies["teacher"])) == 3


def test_the_probe_counts_queries_and_compresses_the_page(teacher):
    cookie = sign_in({"teacher"}, clients=1)["teacher"][0]

    found = probe(Scenario("home", "teacher", ["/"]), cookie)

    assert found["status"] == 200
    assert found["queries"] > 0
    assert 0 < found["gzip_bytes"] < found["bytes"]


def test_the_probe_of_a_signed_out_visitor_sees_the_login_page(db):
    found = probe(Scenario("login", None, ["/login/"]), None)

    assert found["status"] == 200
    assert "text/html" in found["content_type"]


@needs_wrk
@pytest.mark.django_db(transaction=True)
def test_wrk_sends_every_request_as_the_person(live_server, teacher, tmp_path):
    cookies = sign_in({"teacher"}, clients=load.CLIENTS)["teacher"]

    result = load.drive(
        base=live_server.url,
        load=load.Load(["/"], cookies),
        seconds=1,
        script=tmp_path / "home.lua",
    )

    assert result["requests"] > 0
    assert result["errors"] == result["bad_status"] == 0
    signed_in = RequestLogEntry.objects.filter(user=teacher, path="/", status=200)
    assert signed_in.count() >= result["requests"]
