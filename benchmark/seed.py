"""The benchmark's school: the demo school with a district's ten years on top.

ensure() migrates the default database, runs seed_demo, then bulk-inserts
people, ten years of registered documents, the copy log, surveys and the audit
trail, whose hash chain is computed here batch by batch exactly as
audit.services.record computes it. A marker event closes the trail: it says
which version and scale the database holds, so the next run reuses it.
targets() finds by querying what the load scenarios ask for.

The bulk rows skip the services on purpose: ten years through the services
would take hours. What the scenarios exercise for real (the stored PDF files,
the markers) still goes through them. Every count is COUNTS times the scale.
Imported after django.setup(), like the rest of the benchmark.
"""

import io
import math
import random
import re
import sys
import time
from bisect import bisect_left, bisect_right
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from operator import attrgetter, itemgetter
from typing import NamedTuple

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Count
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone

from accounts import selectors as account_selectors
from accounts.fields import blind_index
from accounts.models import (
    PLEDGE_VERSION,
    ClassTeacher,
    Onboarding,
    ParentLink,
    PersonRecord,
    User,
)
from accounts.roles import Role
from audit import chain
from audit.models import AuditAction, AuditEvent, AuditOutcome
from audit.services import LOCK_THE_CHAIN, record
from documents import demo as documents_demo
from documents import selectors as document_selectors
from documents import services as document_services
from documents.models import (
    Attachment,
    Case,
    Copy,
    CopyFate,
    CopyMedium,
    Document,
    DocumentClass,
    DocumentStatus,
    Grif,
    Journal,
    StoragePlace,
    YearCounter,
)
from surveys.models import (
    Answer,
    Option,
    Participation,
    Question,
    Recommendation,
    RecommendationStatus,
    Response,
    Survey,
    SurveyStatus,
)

SEED_VERSION = 1

# At scale 1.0. People, documents, copies and audit events are totals, the demo
# school included; the surveys come on top of the demo's one.
COUNTS = {
    "people": 2_000,
    "documents": 100_000,
    "copies": 200_000,
    "audit_events": 1_000_000,
    "surveys": 20,
    "responses_per_survey": 500,
    "attachments": 200,
    # One person's events in one month: the audit-report scenario reads them.
    "dense_month_events": 5_000,
    # The filter scenario's journal and year: the one nearest to this many rows.
    "filtered_rows": 3_000,
}
YEARS = 10
STAFF_SHARE, PARENT_SHARE = 0.10, 0.40
OFFICIAL_USE_SHARE = 0.10
JOURNAL_SHARES = {"incoming": 0.45, "outgoing": 0.35, "orders": 0.20}
ANNULLED_SHARE = 0.002
# The search scenario's word, in about 1% of the summaries and nowhere else.
SEARCH_WORD = "турникет"
SEARCH_SHARE = 0.01
# The document-page scenario cycles through about this many documents.
DOCUMENT_SAMPLE = 100
DENSE_PERSON = "teacher"
CABINET_STUDENT = "student1"
CLASSES = [f"{grade}{letter}" for grade in range(1, 12) for letter in "АБ"]
MARKER_LABEL = "benchmark seed"
BATCH = 5_000

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
SECOND = 1_000_000  # microseconds
DAY = 86_400 * SECOND


class SeedRefused(Exception):
    """The database holds data that is not a benchmark seed: it is not touched."""


def scaled(name: str, scale: float) -> int:
    """COUNTS[name] at this scale; never below one."""
    return max(1, round(COUNTS[name] * scale))


# Entry points ---------------------------------------------------------------


def ensure(
    *, password: str, scale: float = 1.0, reseed: bool = False, out=sys.stdout
) -> dict:
    """Migrate, then seed unless this database already holds a finished seed of
    this version and scale (then say so and return quickly).

    Returns {"reused": bool, "seconds": {step: float}, "counts": {...}}.
    """
    steps = Steps(out)
    with steps("migrate"):
        call_command("migrate", interactive=False, verbosity=0)
    marker = _last_marker()
    if not reseed and _finished(marker, scale):
        made = timezone.localtime(marker.at)
        out.write(f"  reusing the seed of {made:%Y-%m-%d %H:%M} (scale {scale:g})\n")
        return {
            "reused": True,
            "seconds": steps.seconds,
            "counts": marker.details["counts"],
        }
    if not _empty():
        if marker is None:
            raise SeedRefused(
                "this database holds data and no benchmark seed: give the "
                "benchmark a database of its own"
            )
        with steps("wipe"):
            _wipe()
            call_command("migrate", interactive=False, verbosity=0)

    with _fast_sqlite():
        _mark(stage="started", scale=scale)
        with steps("demo school"):
            call_command("seed_demo", password=password, stdout=io.StringIO())
        seeder = Seeder(scale=scale, password=password, out=out)
        for name, step in seeder.steps():
            with steps(name), transaction.atomic():
                step()
        with steps("analyze"):
            _analyze()
    counts = current_counts()
    counts["audit_events"] += 1  # the marker, written next
    _mark(
        stage="finished",
        scale=scale,
        audit_person=seeder.pk[DENSE_PERSON],
        audit_month=[day.isoformat() for day in seeder.dense_month],
        counts=counts,
        seconds=steps.seconds,
    )
    return {"reused": False, "seconds": steps.seconds, "counts": counts}


def targets() -> dict:
    """Ids and usernames the scenarios need, found by querying the database."""
    marker = _last_marker()
    if marker is None or marker.details.get("bench_seed") != "finished":
        raise LookupError("this database holds no finished benchmark seed")
    details = marker.details
    records = User.objects.get(username="records")
    journal = document_selectors.journal_rows(user=records, filters={})
    filtered = _journal_year_near(scaled("filtered_rows", details["scale"]))
    attachment = (
        Attachment.objects.filter(
            document__grif=Grif.OFFICIAL_USE,
            content_type="application/pdf",
            shredded_at__isnull=True,
        )
        .order_by("pk")
        .first()
    )
    survey = Survey.objects.annotate(n=Count("responses")).order_by("-n", "-pk").first()
    return {
        "records_officer": "records",
        "principal": "director",
        "security_officer": "security",
        "student": CABINET_STUDENT,
        "audit_person_id": details["audit_person"],
        "audit_month": tuple(details["audit_month"]),
        "document_ids": _document_sample(),
        "official_use_attachment_id": attachment.pk if attachment else None,
        "survey_id": survey.pk if survey else None,
        "filter_query": "journal={}&year={}".format(*filtered),
        "search_text": SEARCH_WORD,
        "journal_last_page": max(
            1, math.ceil(journal.count() / document_selectors.PAGE_SIZE)
        ),
    }


def current_counts() -> dict:
    models = {
        "people": User,
        "person_records": PersonRecord,
        "parent_links": ParentLink,
        "documents": Document,
        "attachments": Attachment,
        "copies": Copy,
        "surveys": Survey,
        "responses": Response,
        "answers": Answer,
        "participations": Participation,
        "audit_events": AuditEvent,
    }
    return {name: model.objects.count() for name, model in models.items()}


def _document_sample() -> list[int]:
    """About DOCUMENT_SAMPLE documents, the same number from each year, a tenth
    of them for official use."""
    years = sorted(set(Document.objects.values_list("year", flat=True).distinct()))
    per_year = max(1, DOCUMENT_SAMPLE // max(len(years), 1))
    official = max(1, round(per_year * OFFICIAL_USE_SHARE))
    ids = []
    for year in years:
        for grif, n in (
            (Grif.OPEN, per_year - official),
            (Grif.OFFICIAL_USE, official),
        ):
            found = Document.objects.filter(year=year, grif=grif).order_by("pk")
            ids += found.values_list("pk", flat=True)[:n]
    return ids


def _journal_year_near(wanted: int) -> tuple[int, int]:
    """The journal and past year whose number of documents is nearest to wanted."""
    this_year = timezone.localdate().year
    groups = (
        Document.objects.filter(year__lt=this_year)
        .values_list("journal", "year")
        .annotate(n=Count("id"))
        .order_by("journal", "year")
    )
    best = min(groups, key=lambda row: (abs(row[2] - wanted), -row[1]), default=None)
    if best is None:
        return Document.objects.values_list("journal", "year").first() or (0, this_year)
    return best[0], best[1]


# Steps, markers, housekeeping ------------------------------------------------


class Steps:
    """Times each step and says so: `  documents         16.2 s`."""

    def __init__(self, out):
        self.out = out
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str):
        self.out.write(f"  {name} …\n")
        self.out.flush()
        started = time.monotonic()
        yield
        self.seconds[name] = round(time.monotonic() - started, 2)
        self.out.write(f"  {name:<14} {self.seconds[name]:7.1f} s\n")
        self.out.flush()


def progress(out, label: str, done: int, total: int) -> None:
    """`\\r  audit events  [#####     ] 500,000/1,000,000` on one line."""
    width = 30
    filled = width * done // max(total, 1)
    bar = "#" * filled + " " * (width - filled)
    out.write(f"\r  {label:<14}[{bar}] {done:,}/{total:,}")
    if done >= total:
        out.write("\n")
    out.flush()


def _last_marker() -> AuditEvent | None:
    # actor IS NULL uses the (actor, at) index: few events have no actor.
    return (
        AuditEvent.objects.filter(
            actor__isnull=True, action=AuditAction.CREATE, target_label=MARKER_LABEL
        )
        .order_by("-seq")
        .first()
    )


def _finished(marker: AuditEvent | None, scale: float) -> bool:
    if marker is None:
        return False
    details = marker.details
    return (
        details.get("bench_seed") == "finished"
        and details.get("version") == SEED_VERSION
        and math.isclose(details.get("scale", -1), scale)
    )


def _mark(*, stage: str, scale: float, **details) -> None:
    with transaction.atomic():
        record(
            actor=None,
            action=AuditAction.CREATE,
            target_label=MARKER_LABEL,
            details={
                "bench_seed": stage,
                "version": SEED_VERSION,
                "scale": scale,
                **details,
            },
        )


def _empty() -> bool:
    return not User.objects.exists() and not AuditEvent.objects.exists()


def _wipe() -> None:
    """Drop every table of an earlier benchmark seed; migrate builds them again.

    Not flush: flush empties the tables but does not rerun the data
    migrations (the built-in journals and classes).
    """
    with connection.cursor() as cursor:
        # The names come from the database's own catalogue.
        tables = [
            connection.ops.quote_name(name)
            for name in connection.introspection.table_names(cursor)
        ]
        if connection.vendor == "postgresql":
            if tables:
                cursor.execute(f"DROP TABLE IF EXISTS {', '.join(tables)} CASCADE")
            return
    with connection.constraint_checks_disabled(), connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute("VACUUM")


@contextmanager
def _fast_sqlite():
    """While seeding, SQLite does not wait for the disk after every commit.
    (Not inside a caller's transaction, such as a test's: SQLite refuses.)"""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        before = cursor.fetchone()[0]
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA cache_size=-262144")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA synchronous={int(before)}")
            cursor.execute("PRAGMA cache_size=-2000")


def _analyze() -> None:
    """Fresh planner statistics: the first benchmark query must not guess.
    SQLite also moves the seed out of its write-ahead log into the file."""
    with connection.cursor() as cursor:
        if connection.in_atomic_block:
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


# Bulk insert ------------------------------------------------------------------


def insert(model, rows: list) -> None:
    """INSERT rows as bulk_create would, with each value prepared by its field
    (get_db_prep_save: encryption, JSON, time zones), but without compiling the
    query row by row, which at a million rows costs more than the rows do.
    PostgreSQL takes them with COPY, three times faster than INSERT here.

    ``rows`` are model instances or any objects with the fields' attnames;
    auto-increment keys are left to the database and not read back.
    """
    if not rows:
        return
    fields = [
        field
        for field in model._meta.concrete_fields
        if not isinstance(field, AutoFieldMixin)
    ]
    # The connection itself, not django.db.connection's per-access proxy.
    database = connections[DEFAULT_DB_ALIAS]
    prepare = [(field.get_db_prep_save, field.attname) for field in fields]
    values = [
        [save(getattr(row, attname), database) for save, attname in prepare]
        for row in rows
    ]
    quote = database.ops.quote_name
    # Names from the model's own metadata; values never go into the text.
    columns = ", ".join(quote(field.column) for field in fields)
    into = f"{quote(model._meta.db_table)} ({columns})"
    with database.cursor() as cursor:
        if database.vendor == "postgresql":
            lines = ("\t".join(map(_copy_text, row)) + "\n" for row in values)
            text = io.StringIO("".join(lines))
            cursor.cursor.copy_expert(f"COPY {into} FROM STDIN", text)
        else:
            one = f"({', '.join(['%s'] * len(fields))})"
            cursor.executemany(f"INSERT INTO {into} VALUES {one}", values)  # noqa: S608


COPY_SPECIAL = re.compile(r"[\\\t\n\r]")
COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    """A prepared value in COPY's text format."""
    if isinstance(value, str):
        text = value
    elif value is None:
        return "\\N"
    elif isinstance(value, bool):
        return "t" if value else "f"
    elif hasattr(value, "adapted"):  # psycopg2's Json
        text = value.dumps(value.adapted)
    elif hasattr(value, "addr"):  # psycopg2's Inet
        text = value.addr
    else:
        text = str(value)
    return text.translate(COPY_ESCAPES) if COPY_SPECIAL.search(text) else text


# Invented words --------------------------------------------------------------

MALE_NAMES = [
    "Адилет",
    "Нурлан",
    "Эрмек",
    "Бакыт",
    "Азамат",
    "Тимур",
    "Эльдар",
    "Канат",
    "Мирлан",
    "Улан",
    "Жоомарт",
    "Айбек",
    "Максат",
    "Руслан",
    "Данияр",
    "Бекзат",
    "Арсен",
    "Нурсултан",
    "Эмир",
    "Алибек",
]
FEMALE_NAMES = [
    "Айгүл",
    "Жаныл",
    "Бермет",
    "Гүлнара",
    "Чолпон",
    "Айжан",
    "Нургүл",
    "Асель",
    "Мээрим",
    "Айпери",
    "Жылдыз",
    "Динара",
    "Элнура",
    "Каныкей",
    "Айдана",
    "Назгүл",
    "Самара",
    "Эльмира",
    "Бегимай",
    "Алина",
]
LAST_NAMES = [
    "Токтосунов",
    "Сыдыков",
    "Абдыкалыков",
    "Жумабаев",
    "Осмонов",
    "Касымов",
    "Бекболотов",
    "Алымкулов",
    "Асанов",
    "Мамытов",
    "Сапаров",
    "Турдубаев",
    "Кадыров",
    "Ибраимов",
    "Эсенов",
    "Калыбеков",
    "Орозбеков",
    "Султанов",
    "Иванов",
    "Ким",
]
FATHERS = [
    "Бакыт",
    "Марат",
    "Асан",
    "Тилек",
    "Кубанычбек",
    "Эркин",
    "Садык",
    "Нурбек",
    "Айбек",
    "Таалай",
]
POSITIONS = [
    "математика мугалими",
    "орус тили мугалими",
    "кыргыз тили мугалими",
    "тарых мугалими",
    "физика мугалими",
    "химия мугалими",
    "биология мугалими",
    "англис тили мугалими",
    "дене тарбия мугалими",
    "башталгыч класстын мугалими",
    "информатика мугалими",
    "музыка мугалими",
    "социалдык педагог",
    "психолог",
    "китепканачы",
    "окуу бөлүмүнүн башчысы",
]
STREETS = [
    "Киев к.",
    "Токтогул к.",
    "Ахунбаев к.",
    "Манас пр.",
    "Чүй пр.",
    "Ибраимов к.",
    "Боконбаев к.",
    "Московская к.",
    "Жибек Жолу пр.",
    "Исанов к.",
]
SUMMARIES = [
    "Окуу жылынын башталышына даярдык жөнүндө",
    "Мугалимдердин квалификациясын жогорулатуу курстары жөнүндө",
    "Мектеп ашканасын текшерүүнүн жыйынтыктары",
    "Өрт коопсуздугу боюнча көрсөтмө",
    "Окуучулардын жеке маалыматтарын коргоо боюнча эскертүү",
    "Ата-энелер чогулушун өткөрүү тууралуу",
    "Жайкы эс алууну уюштуруу жөнүндө",
    "Китепкананын фондун толуктоо боюнча",
    "Мектептин имаратын оңдоо иштери жөнүндө",
    "Класстык журналдарды текшерүүнүн жыйынтыгы",
    "Бүтүрүүчүлөрдүн жыйынтыктоочу аттестациясы жөнүндө",
    "Компьютердик класстын жабдууларын эсепке алуу",
    "О подготовке к началу учебного года",
    "О проведении родительского собрания",
    "Об итогах проверки школьной столовой",
    "О мерах пожарной безопасности",
    "О распределении учебной нагрузки",
    "Об итогах районной олимпиады",
    "О проведении инвентаризации",
    "О графике дежурства учителей",
    "О ремонте спортивного зала",
    "О приёме учащихся в первый класс",
    "О выдаче справок с места учёбы",
]
RARE_SUMMARIES = [
    "Мектептин кире беришине турникет орнотуу жөнүндө",
    "Об установке турникета на входе в школу",
]
SUFFIXES = [
    "",
    "",
    " ({year}-{next} окуу жылы)",
    " на {year}-{next} учебный год",
    " ({grade}-класстар)",
    " для {grade}-х классов",
]
CORRESPONDENTS = [
    "Райондук билим берүү бөлүмү",
    "Бишкек шаардык билим берүү башкармалыгы",
    "КР Билим берүү жана илим министрлиги",
    "Министерство образования и науки КР",
    "Управление образования мэрии г. Бишкек",
    "Шаардык саламаттыкты сактоо борбору",
    "Районная прокуратура",
    "Отдел МЧС Первомайского района",
    "№ 5 орто мектеп",
    "Средняя школа № 12",
    "Ата-энелер комитети",
    "«Ала-Тоо» айыл өкмөтү",
    "Государственная налоговая служба",
    "Социальный фонд КР",
    "«Билим» коомдук фонду",
    "Детская поликлиника № 3",
    "Районный военкомат",
    "ОсОО «Мектеп-Сервис»",
]
PURPOSES = [
    "Педагогикалык кеңешке",
    "Для проверки районо",
    "Архивге",
    "Для комиссии",
    "Директордун тапшырмасы боюнча",
    "Для служебного расследования",
]
DEVICES = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/128.0 Safari/537.36",
    "Mozilla/5.0 (Linux; Android 13) Chrome/128.0 Mobile Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Safari/604.1",
]
SURVEY_TITLES = [
    ("Маалымат коопсуздугу", "Информационная безопасность", "Information security"),
    ("Интернеттеги коопсуздук", "Безопасность в интернете", "Safety online"),
    ("Сырсөздөр жана аккаунттар", "Пароли и учётные записи", "Passwords"),
    ("Мектептин тармагы", "Школьная сеть", "The school network"),
]
SURVEY_PURPOSE = (
    "Окуучулардын маалымат коопсуздугу боюнча билимин аныктоо.",
    "Узнать, что ученики знают об информационной безопасности.",
    "To learn what students know about information security.",
)
SURVEY_QUESTIONS = [
    # kind, (ky, ru, en), range, options {value: (ky, ru, en)}
    (
        "scale",
        (
            "Мектептин маалымат коопсуздугун кандай баалайсыз?",
            "Как вы оцениваете информационную безопасность школы?",
            "How safe is the school's information?",
        ),
        (1, 5),
        {
            1: ("өтө начар", "очень плохо", "very bad"),
            5: ("абдан жакшы", "отлично", "very good"),
        },
    ),
    (
        "yes_no",
        (
            "Сырсөзүңүздү башка бирөөгө айттыңызбы?",
            "Говорили ли вы свой пароль кому-нибудь?",
            "Have you told anyone your password?",
        ),
        (None, None),
        {},
    ),
    (
        "single",
        (
            "Интернетке көбүнчө кайдан кошуласыз?",
            "Откуда вы чаще всего выходите в интернет?",
            "Where do you go online most?",
        ),
        (None, None),
        {
            1: ("мектептен", "из школы", "at school"),
            2: ("үйдөн", "из дома", "at home"),
            3: ("телефон аркылуу", "с телефона", "on my phone"),
            4: ("кошулбайм", "не выхожу", "I don't"),
        },
    ),
    (
        "multiple",
        (
            "Кайсы кызматтарды колдоносуз?",
            "Какими сервисами вы пользуетесь?",
            "Which services do you use?",
        ),
        (None, None),
        {
            1: ("электрондук почта", "электронная почта", "e-mail"),
            2: ("мессенджерлер", "мессенджеры", "messengers"),
            3: ("социалдык тармактар", "социальные сети", "social networks"),
            4: ("онлайн оюндар", "онлайн-игры", "online games"),
            5: ("электрондук күндөлүк", "электронный дневник", "e-diary"),
        },
    ),
    (
        "number",
        (
            "Күнүнө канча саат интернетте болосуз?",
            "Сколько часов в день вы проводите в интернете?",
            "How many hours a day are you online?",
        ),
        (0, 12),
        {},
    ),
    (
        "text",
        ("Сунуштарыңыз", "Ваши предложения", "Your suggestions"),
        (None, None),
        {},
    ),
]
SURVEY_TEXTS = [
    "Wi-Fi тармагын күчөтүү керек",
    "Больше уроков о безопасности в интернете",
    "Сырсөздөрдү кантип сактоону үйрөтүңүз",
    "Камеры в коридорах",
    "Компьютерлерди жаңылоо керек",
]


# The seeder -------------------------------------------------------------------


@dataclass(slots=True)
class Doc:
    """What the audit trail needs of one bulk document."""

    pk: int
    day: int
    label: str
    details: dict
    official: bool


class Planned(NamedTuple):
    """One audit event before it has its number and its hash."""

    at: int  # microseconds since the epoch
    actor: int | None
    action: str
    outcome: str = AuditOutcome.ALLOWED
    target_type: str = ""
    target_id: str = ""
    target_label: str = ""
    address: str | None = None
    device: int = 0
    details: dict | None = None


@dataclass(slots=True)
class Entry:
    """An audit event's columns by attname: what chain.canonical reads and
    insert() writes, without the cost of a model instance per row."""

    seq: int
    at: datetime
    actor_id: int | None
    actor_label: str
    actor_roles: list
    action: str
    outcome: str
    target_type: str
    target_id: str
    target_label: str
    client_address: str | None
    user_agent: str
    request_id: str
    details: dict
    prev_hash: str
    entry_hash: str = ""


class Seeder:
    """Bulk volume on top of the demo school, one step per method."""

    def __init__(self, *, scale: float, password: str, out):
        self.scale, self.password, self.out = scale, password, out
        self.rng = random.Random(20_261_126 + SEED_VERSION)
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.start = date(self.today.year - YEARS + 1, 1, 1)
        self.today_index = (self.today - self.start).days
        days = [self.start + timedelta(days=n) for n in range(self.today_index + 1)]
        self.day_start = [_micros(_local_midnight(day)) for day in days]
        self.school_days = [n for n, day in enumerate(days) if day.isoweekday() <= 5]
        last = self.today.replace(day=1) - timedelta(days=1)
        self.dense_month = (last.replace(day=1), last)

        self.people = {user.username: user for user in User.objects.all()}
        self.pk = {name: user.pk for name, user in self.people.items()}
        self.usernames = {user.pk: user.username for user in self.people.values()}
        self.roles = {
            user.pk: [role.value for role in account_selectors.roles_of(user=user)]
            for user in self.people.values()
        }
        demo_staff = ["admin", "director", "security", "records", "teacher", "support"]
        self.staff = [self.pk[name] for name in demo_staff]
        self.officers = [self.pk[name] for name in ("records", "director", "security")]
        self.cleared = [*self.officers, self.pk["teacher"]]
        self.students = [self.pk["student1"], self.pk["student2"]]
        self.parents = [self.pk["parent1"]]
        self.class_of = {
            self.pk[name]: self.people[name].school_class
            for name in ("student1", "student2")
        }
        # Filled by add_people: who opens whose record.
        self.cleared_set: set[int] = set()
        self.person_targets: dict[int, tuple[str, str]] = {}
        self.record_students: list[int] = []
        self.class_students: dict[str, list[int]] = {}
        self.children_of: dict[int, list[int]] = {}
        self.charges: dict[int, list[str]] = {}
        # Filled by the other steps, for the audit trail.
        self.documents: list[Document] = []
        self.docs: list[Doc] = []
        self.doc_days: list[int] = []
        self.attachments: list[tuple[int, str, Doc]] = []
        self.planned: list[Planned] = []

    def count(self, name: str) -> int:
        return scaled(name, self.scale)

    def steps(self):
        return [
            ("people", self.add_people),
            ("documents", self.add_documents),
            ("attachments", self.add_attachments),
            ("copy log", self.add_copies),
            ("surveys", self.add_surveys),
            ("audit events", self.add_audit_events),
        ]

    # time ---------------------------------------------------------------------

    def moment(self, day: int, *, after_hours: float = 0.0) -> int:
        """Microseconds since the epoch: a time of that day, mostly school hours."""
        rng = self.rng
        if rng.random() < after_hours:
            hours = rng.uniform(18.5, 23.5) if rng.random() < 0.8 else rng.uniform(6, 8)
        else:
            hours = rng.uniform(8, 18)
        return min(self.day_start[day] + int(hours * 3600 * SECOND), self.latest())

    def latest(self) -> int:
        """Nothing seeded happens in the future."""
        return _micros(self.now) - 60 * SECOND

    def school_day_between(self, first: int, last: int) -> int | None:
        """A random school day with first <= day <= last, or None."""
        low = bisect_left(self.school_days, first)
        high = bisect_right(self.school_days, last)
        if low >= high:
            return None
        return self.school_days[self.rng.randrange(low, high)]

    # people -------------------------------------------------------------------

    def add_people(self) -> None:
        rng = self.rng
        bulk = max(self.count("people") - User.objects.count(), 0)
        n_staff = round(bulk * STAFF_SHARE)
        n_parents = round(bulk * PARENT_SHARE)
        n_students = bulk - n_staff - n_parents
        plan = (
            [("staff", f"staff{n:04d}", "") for n in range(1, n_staff + 1)]
            + [
                ("student", f"student{n:04d}", CLASSES[(n - 1) % len(CLASSES)])
                for n in range(1, n_students + 1)
            ]
            + [("parent", f"parent{n:04d}", "") for n in range(1, n_parents + 1)]
        )
        # One hash for everyone: argon2 is slow on purpose.
        hashed = make_password(self.password)
        joined = _local_midnight(self.start)
        users, kinds = [], []
        for kind, username, school_class in plan:
            female = rng.random() < 0.5
            users.append(
                User(
                    username=username,
                    password=hashed,
                    first_name=rng.choice(FEMALE_NAMES if female else MALE_NAMES),
                    last_name=_last_name(rng.choice(LAST_NAMES), female=female),
                    middle_name=""
                    if kind == "student"
                    else rng.choice(FATHERS) + ("овна" if female else "ович"),
                    school_class=school_class,
                    position=rng.choice(POSITIONS) if kind == "staff" else "",
                    date_joined=joined,
                )
            )
            kinds.append((kind, female))
        User.objects.bulk_create(users, batch_size=1000)

        groups = dict(Group.objects.values_list("name", "pk"))
        Membership = User.groups.through
        Membership.objects.bulk_create(
            [
                Membership(user_id=user.pk, group_id=groups[kind])
                for user, (kind, _female) in zip(users, kinds, strict=True)
            ],
            batch_size=BATCH,
        )
        PersonRecord.objects.bulk_create(
            [
                self._person_record(user, kind, female, serial, joined)
                for serial, (user, (kind, female)) in enumerate(
                    zip(users, kinds, strict=True), start=1000
                )
            ],
            batch_size=1000,
        )
        by_kind = {"staff": [], "student": [], "parent": []}
        for user, (kind, _female) in zip(users, kinds, strict=True):
            by_kind[kind].append(user)
            self.usernames[user.pk] = user.username
            self.roles[user.pk] = [kind]
            if kind == "student":
                self.class_of[user.pk] = user.school_class
        staff, students = by_kind["staff"], by_kind["student"]
        Onboarding.objects.bulk_create(
            Onboarding(
                person=user,
                pledge_version=PLEDGE_VERSION,
                pledge_accepted_at=self.now,
                familiarized_at=self.now,
                briefed_at=self.now,
                briefed_by=self.people["security"],
            )
            for user in staff
        )
        if staff:
            ClassTeacher.objects.bulk_create(
                ClassTeacher(teacher=staff[n % len(staff)], school_class=school_class)
                for n, school_class in enumerate(CLASSES)
            )
        links = set()
        for n, parent in enumerate(by_kind["parent"] if students else []):
            links.add((parent.pk, students[n % len(students)].pk))
            if n % 4 == 0:  # a second child
                links.add((parent.pk, students[(n + 7) % len(students)].pk))
        ParentLink.objects.bulk_create(
            ParentLink(
                parent_id=parent,
                child_id=child,
                linked_by=self.people["admin"],
                linked_at=joined,
            )
            for parent, child in sorted(links)
        )
        self.staff += [user.pk for user in staff]
        self.cleared += [user.pk for user in staff]
        self.students += [user.pk for user in students]
        self.parents += [user.pk for user in by_kind["parent"]]
        self._relations()

    def _person_record(self, user, kind, female, serial, joined) -> PersonRecord:
        rng = self.rng
        if kind == "student":
            born_in = self.today.year - _grade(user.school_class) - 6
        elif kind == "parent":
            born_in = rng.randint(1972, 1992)
        else:
            born_in = rng.randint(1962, 1999)
        born = date(born_in, 1, 1) + timedelta(days=rng.randrange(365))
        pin = f"{2 if female else 1}{born:%d%m%Y}{serial:05d}"
        return PersonRecord(
            person=user,
            birth_date=born,
            pin=pin,
            # bulk_create skips save(), which keeps the blind index.
            pin_index=blind_index(pin),
            address=f"Бишкек ш., {rng.choice(STREETS)}, {rng.randint(1, 200)}",
            phone=f"+996 {rng.choice([555, 700, 772, 990])} "
            f"{rng.randint(100, 999)} {rng.randint(100, 999)}",
            updated_at=joined,
        )

    def _relations(self) -> None:
        """Who opens whose record: parents their children's, class teachers
        their class's."""
        self.cleared_set = set(self.cleared)
        for parent, child in ParentLink.objects.values_list("parent", "child"):
            self.children_of.setdefault(parent, []).append(child)
        charges = ClassTeacher.objects.values_list("teacher", "school_class")
        for teacher, school_class in charges:
            self.charges.setdefault(teacher, []).append(school_class)
        records = PersonRecord.objects.filter(person__in=self.students).values_list(
            "pk", "person", "person__last_name", "person__first_name"
        )
        for pk, person, last_name, first_name in records:
            self.person_targets[person] = (str(pk), f"{last_name} {first_name}")
            self.class_students.setdefault(self.class_of[person], []).append(person)
        self.record_students = sorted(self.person_targets)

    # documents ----------------------------------------------------------------

    def add_documents(self) -> None:
        rng = self.rng
        bulk = max(self.count("documents") - Document.objects.count(), 0)
        kinds, weights = list(JOURNAL_SHARES), list(JOURNAL_SHARES.values())
        # Registered on school days over the ten years; seq follows the date.
        plan = sorted(
            (rng.choice(self.school_days), rng.choices(kinds, weights)[0])
            for _n in range(bulk)
        )
        journals = {
            journal.kind: journal for journal in Journal.objects.filter(name="")
        }
        self.classes = {c.code: c for c in DocumentClass.objects.all()}
        self.cases = {c.index: c for c in Case.objects.all()}
        self.places = list(StoragePlace.objects.all())
        counters = {(c.journal_id, c.year): c.last for c in YearCounter.objects.all()}
        documents = []
        for day, kind in plan:
            journal = journals[kind]
            year = (self.start + timedelta(days=day)).year
            seq = counters.get((journal.pk, year), 0) + 1
            counters[(journal.pk, year)] = seq
            documents.append(self._document(journal, year, seq, day))

        before = Document.objects.order_by("-pk").values_list("pk", flat=True).first()
        for done in range(0, bulk, BATCH):
            insert(Document, documents[done : done + BATCH])
            progress(self.out, "documents", min(done + BATCH, bulk), bulk)
        for (journal, year), last in counters.items():
            YearCounter.objects.update_or_create(
                journal_id=journal, year=year, defaults={"last": last}
            )
        keys = Document.objects.filter(pk__gt=before or 0).values_list(
            "journal", "year", "seq", "pk"
        )
        pks = {(journal, year, seq): pk for journal, year, seq, pk in keys}
        for document, (day, _kind) in zip(documents, plan, strict=True):
            document.pk = pks[(document.journal_id, document.year, document.seq)]
            # Saved instances, as bulk_create leaves them: files are added to some.
            document._state.adding, document._state.db = False, DEFAULT_DB_ALIAS
            details = {
                "number": document.number,
                "journal": document.journal_id,
                "year": document.year,
                "official_use": document.is_official_use,
            }
            label = str(document)[:200]
            self.docs.append(
                Doc(document.pk, day, label, details, document.is_official_use)
            )
            self.planned.append(
                Planned(
                    _micros(document.registered_at),
                    self.pk["records"],
                    AuditAction.REGISTER,
                    target_type="documents.document",
                    target_id=str(document.pk),
                    target_label=label,
                    address=_school_address(self.pk["records"]),
                    details={
                        **details,
                        "registered_on": document.registered_on.isoformat(),
                    },
                )
            )
        self.doc_days = [doc.day for doc in self.docs]
        self.documents = documents

    def _document(self, journal: Journal, year: int, seq: int, day: int) -> Document:
        rng, cases = self.rng, self.cases
        official = rng.random() < OFFICIAL_USE_SHARE
        class_code, case_index = {
            "incoming": (rng.choice(["letter", "letter", "directive"]), "01-05"),
            "outgoing": rng.choice([("letter", "01-06"), ("certificate", "03-02")]),
            "orders": ("order", "01-01"),
        }[journal.kind]
        case = cases["02-03" if official else case_index]
        incoming = journal.kind == "incoming"
        executor = rng.choice(self.cleared) if rng.random() < 0.25 else None
        registered_on = self.start + timedelta(days=day)
        records = self.people["records"]
        document = Document(
            journal=journal,
            year=year,
            seq=seq,
            number=document_services.format_number(
                journal, seq=seq, case=case, year=year
            ),
            registered_on=registered_on,
            registered_at=_from_micros(self.moment(day)),
            registered_by=records,
            document_class=self.classes[class_code],
            summary=self._summary(year),
            correspondent=rng.choice(CORRESPONDENTS),
            their_number=f"{rng.randint(1, 999)}-{rng.randint(10, 99)}"
            if incoming
            else "",
            their_date=registered_on - timedelta(days=rng.randint(1, 10))
            if incoming
            else None,
            sheets=rng.randint(1, 12),
            copies=rng.choice([1, 1, 1, 2, 3]),
            executor_id=executor,
            due_on=registered_on + timedelta(days=10)
            if incoming and executor
            else None,
            case=case,
            grif=Grif.OFFICIAL_USE if official else Grif.OPEN,
            storage_place=rng.choice(self.places) if official else None,
        )
        if rng.random() < ANNULLED_SHARE:
            document.status = DocumentStatus.ANNULLED
            document.annul_reason = "Ката катталган / Ошибочная регистрация"
            document.annulled_at = document.registered_at
            document.annulled_by = records
        document.fold()
        return document

    def _summary(self, year: int) -> str:
        rng = self.rng
        if rng.random() < SEARCH_SHARE:
            return rng.choice(RARE_SUMMARIES)
        suffix = rng.choice(SUFFIXES).format(
            year=year, next=year + 1, grade=rng.randint(1, 11)
        )
        return rng.choice(SUMMARIES) + suffix

    # attachments: real encrypted PDFs, through the service --------------------

    def add_attachments(self) -> None:
        wanted = self.count("attachments")
        registered = [n for n, doc in enumerate(self.documents) if doc.is_registered]
        official = [n for n in registered if self.docs[n].official]
        open_ = [n for n in registered if not self.docs[n].official]
        chosen = self.rng.sample(official, min(len(official), (wanted + 1) // 2))
        chosen += self.rng.sample(open_, min(len(open_), wanted - len(chosen)))
        pdf = documents_demo.blank_pdf(pages=3)
        for done, n in enumerate(chosen, start=1):
            document = self.documents[n]
            attachment = document_services.add_attachment(
                actor=self.people["records"],
                document=document,
                upload=document_services.Upload(
                    name=f"scan-{document.year}-{document.seq}.pdf",
                    content_type="application/pdf",
                    data=pdf,
                ),
            )
            self.attachments.append((attachment.pk, attachment.name, self.docs[n]))
            if done % 20 == 0 or done == len(chosen):
                progress(self.out, "attachments", done, len(chosen))

    # copy log -----------------------------------------------------------------

    def add_copies(self) -> None:
        rng = self.rng
        official = [doc for doc in self.docs if doc.official]
        bulk = max(self.count("copies") - Copy.objects.count(), 0) if official else 0
        made = []
        for _n in range(bulk):
            doc = rng.choice(official)
            day = self.school_day_between(doc.day, self.today_index) or doc.day
            made.append((doc.pk, self.moment(day, after_hours=0.02), doc))
        # Copy numbers run on per document, in the order the copies were made.
        made.sort(key=itemgetter(0, 1))
        records = self.pk["records"]
        copies, last_number = [], {}
        for doc_pk, at, doc in made:
            count = rng.choice([1, 1, 1, 1, 2, 3])
            first = last_number.get(doc_pk, 0) + 1
            last_number[doc_pk] = first + count - 1
            maker = records if rng.random() < 0.6 else rng.choice(self.officers)
            fate = rng.choices(list(CopyFate), [60, 25, 15])[0]
            fate_at = None
            if fate != CopyFate.KEPT:
                fate_at = min(at + rng.randint(1, 14) * DAY, self.latest())
            purpose = rng.choice(PURPOSES)
            copies.append(
                Copy(
                    document_id=doc_pk,
                    made_by_id=maker,
                    made_at=_from_micros(at),
                    purpose=purpose,
                    count=count,
                    first_number=first,
                    last_number=first + count - 1,
                    medium=CopyMedium.PAPER,
                    fate=fate,
                    fate_at=_from_micros(fate_at) if fate_at else None,
                    fate_by_id=records if fate_at else None,
                )
            )
            self.planned.append(
                Planned(
                    at,
                    maker,
                    AuditAction.COPY,
                    target_type="documents.document",
                    target_id=str(doc_pk),
                    target_label=doc.label,
                    address=_school_address(maker),
                    details={
                        **doc.details,
                        "copy_numbers": copies[-1].copy_numbers,
                        "purpose": purpose,
                        "paper": True,
                    },
                )
            )
        for done in range(0, bulk, BATCH):
            insert(Copy, copies[done : done + BATCH])
            progress(self.out, "copy log", min(done + BATCH, bulk), bulk)

    # surveys ------------------------------------------------------------------

    def add_surveys(self) -> None:
        """Closed anonymous surveys of grades 5-11, the same four asked year after
        year; each with its questions, answers, takers and a recommendation."""
        n_surveys = self.count("surveys")
        per_survey = self.count("responses_per_survey")
        span = max(len(self.school_days) - 20, 1)
        surveys = [
            self._survey(
                self.school_days[span * n // n_surveys],
                SURVEY_TITLES[n % len(SURVEY_TITLES)],
            )
            for n in range(n_surveys)
        ]
        audience = [pk for pk in self.students if 5 <= _grade(self.class_of[pk]) <= 11]
        for survey in surveys:
            # As closing a survey counts it: the students, or the answers if
            # paper answers outnumber them.
            survey.audience_size = max(len(audience), per_survey)
            survey.audience_counted_at = survey.closes_at
        Survey.objects.bulk_create(surveys)
        # Each run is a copy of the same survey's run before it.
        for earlier, later in zip(surveys, surveys[len(SURVEY_TITLES) :], strict=False):
            later.copied_from = earlier
        Survey.objects.bulk_update(surveys, ["copied_from"])

        questions, options = [], []
        for survey in surveys:
            for order, (kind, texts, (low, high), labels) in enumerate(
                SURVEY_QUESTIONS, start=1
            ):
                question = Question(
                    survey=survey,
                    order=order,
                    kind=kind,
                    text_ky=texts[0],
                    text_ru=texts[1],
                    text_en=texts[2],
                    required=kind != "text",
                    min_value=low,
                    max_value=high,
                )
                questions.append(question)
                options += [
                    Option(
                        question=question,
                        value=value,
                        label_ky=ky,
                        label_ru=ru,
                        label_en=en,
                    )
                    for value, (ky, ru, en) in labels.items()
                ]
        Question.objects.bulk_create(questions)
        Option.objects.bulk_create(options, batch_size=BATCH)

        responses, answers, takers = [], [], []
        for n, survey in enumerate(surveys):
            taken = self.rng.sample(audience, min(len(audience), per_survey))
            takers += [self._participation(survey, person) for person in taken]
            # Beyond the students with accounts, paper answers, as in the demo.
            grades = [_grade(self.class_of[pk]) for pk in taken]
            grades += [self.rng.randint(5, 11) for _n in range(per_survey - len(taken))]
            own = questions[n * len(SURVEY_QUESTIONS) : (n + 1) * len(SURVEY_QUESTIONS)]
            for grade in grades:
                response = Response(survey=survey, grade=grade)
                responses.append(response)
                answers += self._answers(response, own)
        Participation.objects.bulk_create(takers, batch_size=BATCH)
        insert(Response, responses)
        for done in range(0, len(answers), BATCH):
            insert(Answer, answers[done : done + BATCH])
            progress(self.out, "answers", min(done + BATCH, len(answers)), len(answers))
        Recommendation.objects.bulk_create(
            Recommendation(
                survey=survey,
                text="Мугалимдер үчүн маалымат коопсуздугу боюнча семинар өткөрүү.",
                responsible=self.people["director"],
                due_on=survey.closes_at.date() + timedelta(days=60),
                status=RecommendationStatus.DONE
                if survey.closes_at.date() + timedelta(days=60) < self.today
                else RecommendationStatus.OPEN,
                created_by=self.people["security"],
                created_at=survey.closes_at,
            )
            for survey in surveys
        )

    def _survey(self, day: int, titles: tuple[str, str, str]) -> Survey:
        opens = self.day_start[day] + 8 * 3600 * SECOND
        year = (self.start + timedelta(days=day)).year
        return Survey(
            title_ky=f"{titles[0]} ({year})",
            title_ru=f"{titles[1]} ({year})",
            title_en=f"{titles[2]} ({year})",
            purpose_ky=SURVEY_PURPOSE[0],
            purpose_ru=SURVEY_PURPOSE[1],
            purpose_en=SURVEY_PURPOSE[2],
            audience_roles=[Role.STUDENT.value],
            min_grade=5,
            max_grade=11,
            opens_at=_from_micros(opens),
            closes_at=_from_micros(opens + 14 * DAY),
            anonymous=True,
            status=SurveyStatus.CLOSED,
            conclusions="Жыйынтыктар педагогикалык кеңеште талкууланды.",
            created_by=self.people["security"],
            created_at=_from_micros(opens - 7 * DAY),
        )

    def _participation(self, survey: Survey, person: int) -> Participation:
        at = _micros(survey.opens_at) + self.rng.randrange(14 * 86_400) * SECOND
        self.planned.append(
            Planned(
                at,
                person,
                AuditAction.SURVEY_ANSWER,
                target_type="surveys.survey",
                target_id=str(survey.pk),
                target_label=str(survey),
                address=_home_address(person),
                device=1,
                details={"anonymous": True},
            )
        )
        return Participation(survey=survey, person_id=person, at=_from_micros(at))

    def _answers(self, response: Response, questions: list[Question]) -> list[Answer]:
        rng = self.rng
        values = {
            "scale": lambda: [min(5, max(1, round(rng.gauss(3.6, 1.0))))],
            "yes_no": lambda: [int(rng.random() < 0.3)],
            "single": lambda: rng.choices([1, 2, 3, 4], [30, 40, 25, 5]),
            "multiple": lambda: sorted(rng.sample(range(1, 6), rng.randint(1, 3))),
            "number": lambda: [min(12, max(0, round(rng.gauss(4, 2))))],
        }
        rows = []
        for question in questions:
            if question.kind in values:
                rows += [
                    Answer(response=response, question=question, value=value)
                    for value in values[question.kind]()
                ]
            elif rng.random() < 0.2:
                text = rng.choice(SURVEY_TEXTS)
                rows.append(Answer(response=response, question=question, text=text))
        return rows

    # the audit trail ----------------------------------------------------------

    def add_audit_events(self) -> None:
        """The events of what the other steps made, a dense month for one person
        and everyday events around them; in time order, then chained."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(LOCK_THE_CHAIN)
        existing = AuditEvent.objects.count()
        dense = min(self.count("dense_month_events"), self._room(existing))
        self.planned += self._dense_month(dense)
        self.planned += self._everyday(self._room(existing))
        planned = sorted(self.planned, key=attrgetter("at"))

        last = AuditEvent.objects.order_by("-seq").values_list("seq", "entry_hash")
        seq, prev_hash = last.first() or (0, chain.GENESIS)
        total = len(planned)
        for done in range(0, total, BATCH):
            entries = []
            for event in planned[done : done + BATCH]:
                seq += 1
                entry = self._entry(seq, event, prev_hash)
                entry.entry_hash = prev_hash = chain.entry_hash(prev_hash, entry)
                entries.append(entry)
            insert(AuditEvent, entries)
            progress(self.out, "audit events", min(done + BATCH, total), total)

    def _room(self, existing: int) -> int:
        # One more event comes after these: the marker that closes the seed.
        left = self.count("audit_events") - existing - len(self.planned) - 1
        return max(left, 0)

    def _entry(self, seq: int, event: Planned, prev_hash: str) -> Entry:
        """The columns audit.services.record would fill for this event."""
        actor = event.actor
        return Entry(
            seq=seq,
            at=_from_micros(event.at),
            actor_id=actor,
            actor_label=self.usernames[actor] if actor else "",
            actor_roles=self.roles[actor] if actor else [],
            action=event.action,
            outcome=event.outcome,
            target_type=event.target_type,
            target_id=event.target_id,
            target_label=event.target_label,
            client_address=event.address,
            user_agent=DEVICES[event.device],
            request_id=f"{self.rng.getrandbits(128):032x}",
            details=event.details or {},
            prev_hash=prev_hash,
        )

    def _dense_month(self, total: int) -> list[Planned]:
        """The audit-report scenario's person: a busy month, every section filled."""
        first, last = (day - self.start for day in self.dense_month)
        last_day = min(last.days, self.today_index - 1)
        planned = []
        for _n in range(total):
            day = self.school_day_between(first.days, last_day)
            if day is None:
                break
            planned.append(
                self._everyday_event(
                    self.pk[DENSE_PERSON], day, after_hours=0.1, dense=True
                )
            )
        return planned

    def _everyday(self, total: int) -> list[Planned]:
        # Staff sign in every day, students and parents less often.
        shares = [(self.staff, 50), (self.students, 35), (self.parents, 15)]
        pools = [pool for pool, _share in shares if pool]
        weights = [share for pool, share in shares if pool]
        rng, planned = self.rng, []
        for n in range(total):
            actor = rng.choice(rng.choices(pools, weights)[0])
            if rng.random() < 0.05:  # now and then at the weekend
                day = rng.randrange(self.today_index)
            else:
                day = self.school_day_between(0, self.today_index - 1)
            planned.append(self._everyday_event(actor, day, after_hours=0.06))
            if n % 50_000 == 0:
                progress(self.out, "planning", n, total)
        progress(self.out, "planning", total, total)
        return planned

    def _everyday_event(
        self, actor: int, day: int, *, after_hours: float, dense: bool = False
    ) -> Planned:
        """A sign-in or out, a document or a record opened, a file downloaded,
        a mistyped password or a refusal: one person's, on that day."""
        rng = self.rng
        staff = not {"student", "parent"} & set(self.roles[actor])
        at = self.moment(day, after_hours=after_hours)
        where = {
            "address": _school_address(actor) if staff else _home_address(actor),
            "device": 0 if staff else rng.choice([1, 2, 3]),
        }
        if dense:
            kinds = [(0.10, "login"), (0.18, "logout"), (0.78, "document")]
            kinds += [(0.93, "record"), (0.97, "download"), (0.99, "failed")]
        elif staff:
            kinds = [(0.25, "login"), (0.42, "logout"), (0.82, "document")]
            kinds += [(0.92, "record"), (0.95, "download"), (0.98, "failed")]
        else:
            kinds = [(0.50, "login"), (0.80, "logout"), (0.95, "record")]
            kinds += [(0.98, "failed")]
        roll = rng.random()
        kind = next((name for limit, name in kinds if roll < limit), "denied")
        if kind == "document" and self.docs:
            doc = self._document_before(day, official=actor in self.cleared_set)
            return Planned(
                at,
                actor,
                AuditAction.VIEW,
                target_type="documents.document",
                target_id=str(doc.pk),
                target_label=doc.label,
                details=doc.details,
                **where,
            )
        if kind == "record" and self.person_targets:
            target_id, label = self.person_targets[self._student_for(actor)]
            field = rng.choice(["", "", "", "phone", "address", "birth_date"])
            return Planned(
                at,
                actor,
                AuditAction.VIEW,
                target_type="accounts.personrecord",
                target_id=target_id,
                target_label=label,
                details={"field": field} if field else {},
                **where,
            )
        if kind == "download" and self.attachments:
            pk, name, doc = rng.choice(self.attachments)
            # Official-use files are only ever given out as numbered copies.
            if not doc.official:
                return Planned(
                    at,
                    actor,
                    AuditAction.DOWNLOAD,
                    target_type="documents.attachment",
                    target_id=str(pk),
                    target_label=name,
                    details={**doc.details, "file": name},
                    **where,
                )
        if kind == "failed":
            unknown = rng.random() < 0.1
            return Planned(
                at,
                None if unknown else actor,
                AuditAction.LOGIN_FAILED,
                AuditOutcome.DENIED,
                details={"username": "admin1" if unknown else self.usernames[actor]},
                **where,
            )
        if kind == "denied":
            details = {"permission": "audit.view_audit_report", "path": "/audit/"}
            return Planned(
                at,
                actor,
                AuditAction.DENIED,
                AuditOutcome.DENIED,
                details={**details, "status": 404},
                **where,
            )
        action = AuditAction.LOGOUT if kind == "logout" else AuditAction.LOGIN
        return Planned(at, actor, action, **where)

    def _document_before(self, day: int, *, official: bool) -> Doc:
        """A document registered on or before that day; official-use ones only
        for the cleared."""
        known = max(bisect_right(self.doc_days, day), 1)
        for _try in range(5):
            doc = self.docs[self.rng.randrange(known)]
            if official or not doc.official:
                break
        return doc

    def _student_for(self, actor: int) -> int:
        """Whose record this person opens: their own, their child's, their
        class's; the officers anyone's."""
        rng = self.rng
        if actor in self.person_targets:
            return actor
        children = [
            c for c in self.children_of.get(actor, []) if c in self.person_targets
        ]
        if children:
            return rng.choice(children)
        classes = [c for c in self.charges.get(actor, []) if c in self.class_students]
        if classes:
            return rng.choice(self.class_students[rng.choice(classes)])
        return rng.choice(self.record_students)


def _last_name(name: str, *, female: bool) -> str:
    return name + "а" if female and name.endswith(("ов", "ев")) else name


def _grade(school_class: str) -> int:
    return int("".join(ch for ch in school_class if ch.isdigit()))


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def _micros(moment: datetime) -> int:
    delta = moment - EPOCH
    return (delta.days * 86_400 + delta.seconds) * SECOND + delta.microseconds


def _from_micros(micros: int) -> datetime:
    return EPOCH + timedelta(microseconds=micros)


def _school_address(person: int) -> str:
    return f"192.168.{1 + person // 250 % 4}.{10 + person % 240}"


def _home_address(person: int) -> str:
    return f"10.{person // 65_536 % 256}.{person // 256 % 256}.{person % 256}"
