"""What a write costs: one audit append, and registration with concurrent writers.

Plain functions, run after django.setup() against the current default database.
"""

import json
import os
import statistics
import time
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connections, transaction
from django.utils import timezone

from accounts import access
from accounts.models import User
from audit import chain
from audit.context import RequestInfo, current_request
from audit.models import AuditAction, AuditEvent
from audit.services import record
from documents.models import Document, DocumentClass, Journal, YearCounter
from documents.services import register_document

RECORDS_OFFICER = "records"
# Kept out of the timings: the first calls fill caches and warm the connection.
WARM_UP = 20
# Child writers start together, this long after the fork, once each is ready.
START_DELAY = 1.0
# At most this many distinct error messages are kept in the result.
ERROR_SAMPLES = 5


def percentiles(samples_ms: list[float]) -> dict:
    """p50, p95, p99 of the samples, in ms (the nearest rank)."""
    ordered = sorted(samples_ms)

    def rank(p: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, round(p * len(ordered)) - 1))]

    return {
        "p50": statistics.median(ordered),
        "p95": rank(0.95),
        "p99": rank(0.99),
    }


def audit_append_cost(*, n: int = 1000) -> dict:
    """Median/p95/p99 in ms of one audit.services.record() call, two ways:
    'own_transaction' (record inside its own transaction.atomic(), commit
    included) and 'in_caller_transaction' (n records inside one outer
    transaction, the way services call it, timed per call).

    The actor is one user object throughout, so its roles are read once and
    then come from the cache on the object, as within one request.
    """
    actor = records_officer()
    target = Document.objects.order_by("pk").first() or Journal.objects.first()
    token = current_request.set(
        RequestInfo(
            request_id=uuid.uuid4().hex,
            client_address="127.0.0.1",
            user_agent="benchmark/writes",
        )
    )
    try:

        def append(i: int) -> None:
            record(
                actor=actor,
                action=AuditAction.VIEW,
                target=target,
                details={"benchmark": "audit_append", "i": i},
            )

        for i in range(WARM_UP):
            with transaction.atomic():
                append(i)

        own = []
        for i in range(n):
            started = time.perf_counter()
            with transaction.atomic():
                append(i)
            own.append((time.perf_counter() - started) * 1000)

        in_caller = []
        with transaction.atomic():
            for i in range(n):
                started = time.perf_counter()
                append(i)
                in_caller.append((time.perf_counter() - started) * 1000)
    finally:
        current_request.reset(token)
    return {
        "own_transaction": percentiles(own),
        "in_caller_transaction": percentiles(in_caller),
        "n": n,
    }


@dataclass(frozen=True)
class Numbering:
    """What is wrong with a journal-year's numbers, which should be 1..last."""

    duplicates: int  # rows beyond the first that carry an already used number
    gaps: int  # numbers in 1..last that no row carries
    out_of_range: int  # rows whose number is below 1 or above last


def numbering_faults(numbers: Iterable[int], *, last: int) -> Numbering:
    """Check numbers against the counter's last: each of 1..last exactly once."""
    counts = Counter(numbers)
    return Numbering(
        duplicates=sum(count - 1 for count in counts.values() if count > 1),
        gaps=sum(1 for seq in range(1, last + 1) if seq not in counts),
        out_of_range=sum(
            count for seq, count in counts.items() if not 1 <= seq <= last
        ),
    )


def registration_throughput(*, writers: int = 8, seconds: float = 10.0) -> dict:
    """`writers` OS processes, each with its own database connection, register
    documents as the records officer into one journal and the current year for
    `seconds`; then the journal-year's numbers are checked for duplicates and
    gaps, and the audit events appended meanwhile for an unbroken chain.

    An exception in a writer (deadlock, serialization failure, ...) counts as
    an error; the first few distinct messages are returned in error_messages.
    """
    actor = records_officer()
    journal = _open_journal(actor)
    document_class = DocumentClass.objects.order_by("position", "pk").first()
    if document_class is None:
        raise RuntimeError("No document class: seed the database first.")
    year = timezone.localdate().year
    first_new_event = _last_event_seq() + 1

    # Each child must open a connection of its own, never share the parent's.
    connections.close_all()
    start_at = time.monotonic() + START_DELAY
    children = []
    for _ in range(writers):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            _writer(
                write_end,
                actor=actor,
                journal=journal,
                document_class=document_class,
                start_at=start_at,
                stop_at=start_at + seconds,
            )
        os.close(write_end)
        children.append((pid, read_end))

    outcomes = []
    for pid, read_end in children:
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
        os.waitpid(pid, 0)
        outcomes.append(
            json.loads(data)
            if data
            else {"registrations": 0, "errors": 1, "messages": ["writer died"]}
        )

    registrations = sum(o["registrations"] for o in outcomes)
    finished = max([o["finished_at"] for o in outcomes if "finished_at" in o] or [0])
    elapsed = max(finished - start_at, seconds)
    messages = []
    for outcome in outcomes:
        for message in outcome["messages"]:
            if message not in messages and len(messages) < ERROR_SAMPLES:
                messages.append(message)

    counter = YearCounter.objects.filter(journal=journal, year=year)
    last = counter.values_list("last", flat=True).first() or 0
    numbers = Document.objects.filter(journal=journal, year=year).values_list(
        "seq", flat=True
    )
    faults = numbering_faults(numbers, last=last)
    return {
        "writers": writers,
        "seconds": seconds,
        "registrations": registrations,
        "per_second": registrations / elapsed,
        "duplicates": faults.duplicates,
        "gaps": faults.gaps,
        "errors": sum(o["errors"] for o in outcomes),
        "journal": str(journal),
        "year": year,
        "last_number": last,
        "out_of_range": faults.out_of_range,
        "chain_ok": _chain_holds_from(first_new_event),
        "error_messages": messages,
    }


def records_officer() -> User:
    actor = User.objects.filter(username=RECORDS_OFFICER).first()
    if actor is None:
        raise RuntimeError(
            f"No user {RECORDS_OFFICER!r} in this database: seed it first "
            "(manage.py seed_demo, or the benchmark's own seeding)."
        )
    return actor


def _open_journal(actor: User) -> Journal:
    """The first open journal the records officer registers in without a case."""
    for journal in Journal.objects.filter(is_active=True).order_by("position", "pk"):
        if "{case}" not in journal.number_format and access.can(
            actor, "documents.register_in_journal", journal
        ):
            return journal
    raise RuntimeError(
        f"{RECORDS_OFFICER!r} may register in no open journal without a case."
    )


def _writer(
    pipe: int,
    *,
    actor: User,
    journal: Journal,
    document_class: DocumentClass,
    start_at: float,
    stop_at: float,
) -> None:
    """A forked child: register until stop_at, report through the pipe, exit."""
    outcome = {"registrations": 0, "errors": 0, "messages": []}
    try:
        time.sleep(max(0.0, start_at - time.monotonic()))
        while time.monotonic() < stop_at:
            try:
                register_document(
                    actor=actor,
                    journal=journal,
                    document_class=document_class,
                    summary="Benchmark registration",
                    correspondent="Benchmark",
                )
                outcome["registrations"] += 1
            except Exception as error:  # counted and reported, not hidden
                outcome["errors"] += 1
                message = f"{type(error).__name__}: {error}"[:300]
                if len(outcome["messages"]) < ERROR_SAMPLES:
                    outcome["messages"].append(message)
        outcome["finished_at"] = time.monotonic()
    except BaseException as error:
        outcome["errors"] += 1
        outcome["messages"].append(f"writer failed: {type(error).__name__}: {error}")
    finally:
        try:
            connections.close_all()
            with os.fdopen(pipe, "wb") as out:
                out.write(json.dumps(outcome).encode())
        finally:
            # Never return into the parent's code (or the test runner's).
            os._exit(0)


def _last_event_seq() -> int:
    return (
        AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    )


def _chain_holds_from(first_seq: int) -> bool:
    """The events from first_seq on link to the one before them and to each other."""
    before = (
        AuditEvent.objects.filter(seq=first_seq - 1)
        .values_list("entry_hash", flat=True)
        .first()
    )
    if before is None and first_seq > 1:
        return False
    result = chain.verify(
        AuditEvent.objects.filter(seq__gte=first_seq)
        .order_by("seq")
        .iterator(chunk_size=2000),
        start_seq=first_seq,
        start_hash=before or chain.GENESIS,
    )
    return result.ok
