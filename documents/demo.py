"""Demo registry for seed_demo: three journals over two years, a list of cases,
a few documents for official use, one document in the teacher's custody and
copies in the copy log. Invented correspondents only."""

from datetime import date, datetime, time, timedelta
from unittest import mock

from django.utils import timezone

from accounts.models import User
from documents import services
from documents.models import (
    Case,
    Custody,
    Document,
    DocumentClass,
    Grif,
    Journal,
    StoragePlace,
)
from school_portal import pdf as school_pdf

CASES = [
    # index, title, retention years (None: permanent)
    ("01-01", "Буйруктар (негизги иш боюнча)", None),
    ("01-05", "Кирүүчү каттар", 5),
    ("01-06", "Чыгуучу каттар", 5),
    ("02-03", "Кызматтык колдонуу үчүн документтер", 10),
    ("03-02", "Маалымкаттар", 3),
]
PLACES = [("12", "1"), ("12", "2")]
CORRESPONDENTS = [
    "Райондук билим берүү бөлүмү",
    "Шаардык саламаттыкты сактоо борбору",
    "«Ала-Тоо» айыл өкмөтү",
    "№ 5 орто мектеп",
    "Ата-энелер комитети",
]
SUMMARIES = [
    "Окуу жылынын башталышына даярдык жөнүндө",
    "Мугалимдердин квалификациясын жогорулатуу курстары жөнүндө",
    "Мектеп ашканасын текшерүүнүн жыйынтыктары",
    "Олимпиадага катышуучулардын тизмеси",
    "Өрт коопсуздугу боюнча көрсөтмө",
    "Окуучулардын жеке маалыматтарын коргоо боюнча эскертүү",
]


def blank_pdf(*, pages: int = 1) -> bytes:
    """A valid PDF of blank A4 pages, for demo and benchmark attachments."""
    return school_pdf.blank_pages(pages)


def _dates(count: int, start: date, end: date) -> list[date]:
    span = max((end - start).days, 0)
    return [start + timedelta(days=span * i // max(count - 1, 1)) for i in range(count)]


def seed(*, password: str) -> None:
    records = User.objects.get(username="records")
    teacher = User.objects.get(username="teacher")
    cases = {
        index: Case.objects.get_or_create(
            index=index, defaults={"title": title, "retention_years": years}
        )[0]
        for index, title, years in CASES
    }
    places = [
        StoragePlace.objects.get_or_create(room=room, cabinet=cabinet)[0]
        for room, cabinet in PLACES
    ]
    if Document.objects.filter(registered_by=records).exists():
        seed_acts(password=password)
        seed_overdue(password=password)
        return
    journals = {journal.kind: journal for journal in Journal.objects.filter(name="")}
    classes = {c.code: c for c in DocumentClass.objects.all()}
    today = timezone.localdate()
    plan = [
        ("incoming", "letter", "01-05"),
        ("outgoing", "letter", "01-06"),
        ("orders", "order", "01-01"),
        ("incoming", "directive", "01-05"),
        ("outgoing", "certificate", "03-02"),
    ]
    last_year = _dates(32, date(today.year - 1, 1, 9), date(today.year - 1, 12, 27))
    this_year = _dates(28, date(today.year, 1, 1), today)
    documents = []
    for n, registered_on in enumerate(last_year + this_year):
        kind, class_code, case_index = plan[n % len(plan)]
        official = n % 11 == 5
        documents.append(
            services.register_document(
                actor=records,
                journal=journals[kind],
                document_class=classes[class_code],
                summary=SUMMARIES[n % len(SUMMARIES)],
                correspondent=CORRESPONDENTS[n % len(CORRESPONDENTS)],
                their_number=f"{n + 3}-{(n * 7) % 90 + 10}"
                if kind == "incoming"
                else "",
                their_date=registered_on - timedelta(days=2)
                if kind == "incoming"
                else None,
                sheets=1 + n % 4,
                executor=teacher if n % 4 == 0 else None,
                case=cases["02-03"] if official else cases[case_index],
                grif=Grif.OFFICIAL_USE if official else Grif.OPEN,
                storage_place=places[n % 2] if official else None,
                registered_on=registered_on,
                uploads=[
                    services.Upload(
                        name="scan.pdf",
                        content_type="application/pdf",
                        data=blank_pdf(),
                    )
                ]
                if n % 6 == 0
                else [],
            )
        )
    letter = next(d for d in reversed(documents) if not d.is_official_use)
    custody = services.issue_document(
        actor=records,
        document=letter,
        to=teacher,
        due_at=timezone.now() + timedelta(days=3),
    )
    services.sign_for_document(actor=teacher, custody=custody, password=password)
    official = next(d for d in reversed(documents) if d.is_official_use)
    services.log_paper_copy(
        actor=records,
        document=official,
        purpose="Педагогикалык кеңешке",
        count=2,
    )
    seed_acts(password=password)
    seed_overdue(password=password)


def seed_overdue(*, password: str) -> None:
    """One document for official use the teacher took yesterday and has not
    brought back, so the overdue list and its alerts show something. Issued
    and signed for through the services, on yesterday's clock. Idempotent."""
    if Custody.objects.filter(
        returned_at__isnull=True, document__grif=Grif.OFFICIAL_USE
    ).exists():
        return
    records = User.objects.get(username="records")
    teacher = User.objects.get(username="teacher")
    document = (
        Document.objects.filter(grif=Grif.OFFICIAL_USE, status="registered")
        .exclude(custodies__isnull=False)
        .order_by("-registered_on", "-pk")
        .first()
    )
    if document is None:
        return
    yesterday = timezone.localdate() - timedelta(days=1)
    morning = timezone.make_aware(datetime.combine(yesterday, time(10)))
    with mock.patch("django.utils.timezone.now", return_value=morning):
        custody = services.issue_document(actor=records, document=document, to=teacher)
    signed = morning + timedelta(minutes=5)
    with mock.patch("django.utils.timezone.now", return_value=signed):
        services.sign_for_document(actor=teacher, custody=custody, password=password)


def seed_acts(*, password: str) -> None:
    """One destruction act completed last year and one draft, over certificates
    whose three-year retention has ended. Idempotent."""
    from documents import acts
    from documents.models import DestructionAct

    if DestructionAct.objects.exists():
        return
    records = User.objects.get(username="records")
    commission = list(
        User.objects.filter(username__in=["records", "teacher", "security"])
    )
    director = User.objects.get(username="director")
    case = Case.objects.get(index="03-02")
    journal = Journal.objects.get(kind="outgoing", name="")
    certificate = DocumentClass.objects.get(code="certificate")
    today = timezone.localdate()
    old = [
        services.register_document(
            actor=records,
            journal=journal,
            document_class=certificate,
            summary=SUMMARIES[n % len(SUMMARIES)],
            correspondent=CORRESPONDENTS[n % len(CORRESPONDENTS)],
            case=case,
            registered_on=date(today.year - 6, 2 + n, 10),
            uploads=[
                services.Upload(
                    name="scan.pdf", content_type="application/pdf", data=blank_pdf()
                )
            ],
        )
        for n in range(4)
    ]
    done = acts.draft_destruction_act(
        actor=records, documents=old[:2], members=commission
    )
    for person in commission:
        acts.confirm_destruction_act(actor=person, act=done, password=password)
    acts.approve_destruction_act(actor=director, act=done, password=password)
    # Demo only: the completed act belongs to last year.
    earlier = date(today.year - 1, 12, 20)
    DestructionAct.objects.filter(pk=done.pk).update(
        year=earlier.year,
        number=f"{done.seq}/{earlier.year}",
        drafted_at=timezone.make_aware(datetime.combine(earlier, time(10))),
        approved_at=timezone.make_aware(datetime.combine(earlier, time(15))),
    )
    acts.draft_destruction_act(actor=records, documents=old[2:], members=commission)
