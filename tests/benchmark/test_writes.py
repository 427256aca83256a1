"""The write benchmarks: what one audit append costs, and concurrent registration
that must leave no duplicate and no gap."""

import pytest
from django.db import connection

from audit import chain
from audit.models import AuditEvent
from benchmark import writes
from documents.models import DocumentClass, Journal, JournalKind

STATS = {"p50", "p95", "p99"}


@pytest.fixture
def incoming(db):
    """A transactional test flushes the data migration's journals: put one back."""
    DocumentClass.objects.get_or_create(code="letter", defaults={"position": 1})
    return Journal.objects.get_or_create(
        kind=JournalKind.INCOMING, name="", defaults={"position": 1}
    )[0]


def test_numbers_one_to_last_once_each_are_sound():
    assert writes.numbering_faults([3, 1, 2], last=3) == writes.Numbering(0, 0, 0)


def test_a_planted_gap_is_found():
    assert writes.numbering_faults([1, 2, 4, 5], last=5).gaps == 1


def test_a_planted_duplicate_is_found():
    faults = writes.numbering_faults([1, 2, 2, 3, 3, 3], last=3)

    assert (faults.duplicates, faults.gaps) == (3, 0)


def test_a_number_past_the_counter_is_found():
    faults = writes.numbering_faults([1, 2, 3, 4], last=3)

    assert (faults.duplicates, faults.gaps, faults.out_of_range) == (0, 0, 1)


def test_percentiles_are_in_order():
    found = writes.percentiles([float(ms) for ms in range(1, 101)])

    assert found == {"p50": 50.5, "p95": 95.0, "p99": 99.0}


def test_audit_append_cost_times_both_ways_and_keeps_the_chain(
    records_officer, incoming
):
    before = AuditEvent.objects.count()

    result = writes.audit_append_cost(n=10)

    assert result["n"] == 10
    for mode in ("own_transaction", "in_caller_transaction"):
        assert set(result[mode]) == STATS
        assert 0 < result[mode]["p50"] <= result[mode]["p95"] <= result[mode]["p99"]
    assert AuditEvent.objects.count() == before + writes.WARM_UP + 2 * 10
    assert chain.verify(AuditEvent.objects.order_by("seq")).ok


def test_without_the_records_officer_the_benchmark_says_what_is_missing(teacher):
    with pytest.raises(RuntimeError, match="'records'"):
        writes.registration_throughput(writers=1, seconds=0.1)


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_leave_no_duplicate_and_no_gap(records_officer, incoming):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("forked writers cannot share an in-memory SQLite database")

    result = writes.registration_throughput(writers=2, seconds=1.0)

    assert result["writers"] == 2
    assert result["registrations"] > 0
    assert result["per_second"] > 0
    assert (result["duplicates"], result["gaps"], result["errors"]) == (0, 0, 0)
    assert result["last_number"] == result["registrations"]
    assert result["chain_ok"] is True
