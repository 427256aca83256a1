"""Demo resolutions for seed_demo, given and executed through the services on
the clock of the day they happened: one in progress, one overdue, one executed
late, one executed in time and taken off control. Idempotent."""

from datetime import datetime, time, timedelta
from unittest import mock

from django.utils import timezone

from accounts.models import User
from documents.models import Document, DocumentStatus, Grif, JournalKind
from execution import services
from execution.models import Resolution

# days ago given, deadline in days from the day given, executed days after
# giving (None: not yet), taken off control, text
PLAN = [
    (2, 10, None, False, "Жооп даярдап, 10 күндүн ичинде берилсин."),
    (12, 7, None, False, "Маалымат чогултулуп, райондук бөлүмгө жиберилсин."),
    (30, 7, 12, False, "Педагогикалык кеңеште каралсын, жооп даярдалсын."),
    (45, 10, 5, True, "Ата-энелер жыйналышында талкуулансын."),
]


def _at(day, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def seed() -> None:
    if Resolution.objects.exists():
        return
    director = User.objects.get(username="director")
    teacher = User.objects.get(username="teacher")
    records = User.objects.get(username="records")
    today = timezone.localdate()
    letters = Document.objects.filter(
        journal__kind=JournalKind.INCOMING,
        status=DocumentStatus.REGISTERED,
        grif=Grif.OPEN,
    ).order_by("-registered_on", "-pk")
    used = set()
    for ago, within, executed_after, taken_off, text in PLAN:
        given_on = today - timedelta(days=ago)
        letter = (
            letters.filter(registered_on__lte=given_on).exclude(pk__in=used).first()
        )
        if letter is None:
            continue
        used.add(letter.pk)
        with mock.patch("django.utils.timezone.now", return_value=_at(given_on, 9)):
            resolution = services.give_resolution(
                actor=director,
                document=letter,
                text=text,
                responsible=teacher,
                co_executors=[records] if ago == 12 else [],
                deadline=given_on + timedelta(days=within),
                on_control=True,
            )
        if executed_after is None:
            continue
        done_on = given_on + timedelta(days=executed_after)
        with mock.patch("django.utils.timezone.now", return_value=_at(done_on, 15)):
            services.report_execution(
                actor=teacher, resolution=resolution, note="Аткарылды."
            )
            if taken_off:
                services.take_off_control(actor=records, resolution=resolution)
