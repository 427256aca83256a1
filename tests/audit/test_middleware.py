"""The request log and the record of refusals made by accounts.access."""

from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from audit.middleware import log_request
from audit.models import AuditAction, AuditEvent, RequestLogEntry


def test_an_authenticated_request_is_one_insert_into_the_request_log(client, teacher):
    client.force_login(teacher)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home") + "?token=abc", REMOTE_ADDR="10.1.1.1")

    entry = RequestLogEntry.objects.get()
    assert (entry.user_id, entry.method, entry.path, entry.status) == (
        teacher.pk,
        "GET",
        "/",
        response.status_code,
    )
    assert entry.duration_ms >= 0
    assert len(entry.request_id) == 32
    inserts = [q["sql"] for q in queries if "audit_requestlogentry" in q["sql"]]
    assert len(inserts) == 1
    assert inserts[0].startswith("INSERT")


def test_the_request_log_costs_exactly_one_query(client, teacher, settings):
    client.force_login(teacher)
    client.get(reverse("home"))
    settings.PORTAL_REQUEST_LOG = False
    with CaptureQueriesContext(connection) as without:
        client.get(reverse("home"))
    settings.PORTAL_REQUEST_LOG = True
    with CaptureQueriesContext(connection) as with_log:
        client.get(reverse("home"))

    assert len(with_log) == len(without) + 1


def test_anonymous_requests_are_not_logged(client, db):
    client.get(reverse("login"))
    client.get(reverse("health"))

    assert not RequestLogEntry.objects.exists()


def test_a_person_nobody_loaded_is_not_loaded_for_the_log(rf, db):
    def load():
        raise AssertionError("the request log loaded the person")

    request = rf.get("/health/")
    request.id = "r" * 32
    request.user = SimpleLazyObject(load)

    log_request(request, HttpResponse("ok"), started=0.0)

    assert not RequestLogEntry.objects.exists()


def test_the_request_log_can_be_switched_off(client, teacher, settings):
    settings.PORTAL_REQUEST_LOG = False
    client.force_login(teacher)

    client.get(reverse("home"))

    assert not RequestLogEntry.objects.exists()


def test_a_denied_view_leaves_exactly_one_denied_event(client, student):
    client.force_login(student)
    before = AuditEvent.objects.count()

    response = client.get(reverse("audit:report"), REMOTE_ADDR="10.2.2.2")

    assert response.status_code == 404
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.actor, event.action, event.outcome) == (
        student,
        AuditAction.DENIED,
        "denied",
    )
    assert event.details["status"] == 404
    assert event.details["path"] == "/audit/"
    assert event.client_address == "10.2.2.2"
