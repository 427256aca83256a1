"""The benchmark's school: the scaled counts, a sound trail, numbers without
gaps, reuse on the next run, and targets that point at real things."""

import io
import math
from collections import defaultdict
from datetime import date
from urllib.parse import parse_qs

import pytest
from django.db import connection
from django.utils import timezone

from accounts.fields import blind_index
from accounts.models import PersonRecord, User
from audit import reports
from audit.models import AuditEvent
from audit.services import verify_trail
from benchmark import seed
from documents import stamp, storage
from documents.models import Attachment, Case, Copy, Document, Grif, YearCounter
from documents.selectors import PAGE_SIZE
from documents.services import format_number
from surveys import selectors as survey_selectors
from surveys.models import Survey
from tests.factories import PASSWORD

# Big enough for a few bulk people of every kind; small enough for seconds.
SCALE = 0.01


@pytest.fixture
def seeded(db):
    out = io.StringIO()
    result = seed.ensure(password=PASSWORD, scale=SCALE, out=out)
    result["out"] = out.getvalue()
    return result


def test_the_seed_has_the_scaled_counts_and_an_intact_trail(seeded):
    counts = seeded["counts"]

    assert seeded["reused"] is False
    for name in ("people", "documents", "copies", "audit_events"):
        assert counts[name] == seed.scaled(name, SCALE), name
    assert AuditEvent.objects.count() == counts["audit_events"]
    assert counts["surveys"] == 1 + seed.scaled("surveys", SCALE)
    assert counts["person_records"] == counts["people"]
    assert "audit events" in seeded["out"]
    assert set(seeded["seconds"]) >= {"migrate", "demo school", "audit events"}
    run = verify_trail()
    assert run.ok, (run.first_broken_seq, run.problem)
    assert run.events_checked == counts["audit_events"]
    # Bulk people: one password, personal data encrypted at rest.
    student = User.objects.get(username="student0001")
    record = PersonRecord.objects.get(person=student)
    assert student.check_password(PASSWORD)
    assert record.pin_index == blind_index(record.pin)
    assert record.birth_date.year == timezone.localdate().year - student.grade - 6
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT phone FROM accounts_personrecord WHERE id = %s", [record.pk]
        )
        assert cursor.fetchone()[0].startswith("gAAAA"), "a Fernet token"


def test_numbers_and_copy_numbers_run_without_gaps(seeded):
    seqs = defaultdict(list)
    for document in Document.objects.select_related("journal", "case"):
        seqs[(document.journal_id, document.year)].append(document.seq)
        expected = format_number(
            document.journal, seq=document.seq, case=document.case, year=document.year
        )
        assert document.number == expected
        assert document.summary_folded == document.summary.casefold()
    counters = {(c.journal_id, c.year): c.last for c in YearCounter.objects.all()}
    copies = defaultdict(list)
    for first, last, document in Copy.objects.values_list(
        "first_number", "last_number", "document"
    ):
        copies[document].append((first, last))

    for key, numbers in seqs.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), key
        assert counters[key] == len(numbers), key
    official = Document.objects.filter(grif=Grif.OFFICIAL_USE)
    assert 0.06 < official.count() / Document.objects.count() < 0.14
    assert not official.filter(storage_place__isnull=True).exists()
    assert copies
    assert not Copy.objects.exclude(document__grif=Grif.OFFICIAL_USE).exists()
    for document, numbers in copies.items():
        next_first = 1
        for first, last in sorted(numbers):
            assert first == next_first, document
            assert last >= first
            next_first = last + 1


def test_a_second_run_reuses_the_seed_and_the_targets_are_real(seeded):
    again = seed.ensure(password=PASSWORD, scale=SCALE, out=io.StringIO())
    found = seed.targets()

    assert again["reused"] is True
    assert again["counts"] == seeded["counts"]
    assert AuditEvent.objects.count() == seeded["counts"]["audit_events"]
    ids = found["document_ids"]
    documents = Document.objects.filter(pk__in=ids)
    assert documents.count() == len(ids) > 10
    assert documents.filter(grif=Grif.OFFICIAL_USE).exists()
    assert documents.filter(grif=Grif.OPEN).exists()
    assert documents.values("year").distinct().count() > 5

    attachment = Attachment.objects.get(pk=found["official_use_attachment_id"])
    assert attachment.document.grif == Grif.OFFICIAL_USE
    data = storage.read(
        stored_name=attachment.stored_name,
        wrapped_key=attachment.wrapped_key,
        sha256=attachment.sha256,
    )
    assert stamp.stamp_pdf(data, ["COPY No. 1"]).startswith(b"%PDF-")

    survey = Survey.objects.get(pk=found["survey_id"])
    assert survey_selectors.results(survey=survey).responses > 0

    query = parse_qs(found["filter_query"])
    filtered = Document.objects.filter(
        journal=query["journal"][0], year=query["year"][0]
    )
    assert filtered.exists()
    matching = Document.objects.filter(summary_folded__contains=found["search_text"])
    assert 0 < matching.count() < 0.05 * Document.objects.count()
    assert found["journal_last_page"] == math.ceil(Document.objects.count() / PAGE_SIZE)

    person = User.objects.get(pk=found["audit_person_id"])
    first, last = found["audit_month"]
    period = reports.Period(date.fromisoformat(first), date.fromisoformat(last))
    month = reports.events(filters={"person": person}, period=period)
    assert month.count() >= seed.scaled("dense_month_events", SCALE)
    assert User.objects.filter(username=found["student"], groups__name="student")


def test_a_database_that_is_not_a_benchmark_seed_is_left_alone(teacher):
    with pytest.raises(seed.SeedRefused):
        seed.ensure(password=PASSWORD, scale=SCALE, out=io.StringIO())

    assert list(User.objects.values_list("username", flat=True)) == ["teacher"]
    assert not Document.objects.exists()
    assert not AuditEvent.objects.filter(target_label=seed.MARKER_LABEL).exists()


def test_insert_keeps_text_nulls_and_encryption_exactly(db, teacher):
    title = 'a tab\there, a new\nline, a back\\slash, "quotes" and \\N'
    seed.insert(Case, [Case(index="99-01", title=title, retention_years=None)])
    seed.insert(PersonRecord, [PersonRecord(person=teacher, phone="+996 555 1\t2")])

    case = Case.objects.get(index="99-01")
    assert (case.title, case.retention_years) == (title, None)
    assert PersonRecord.objects.get(person=teacher).phone == "+996 555 1\t2"
