"""Demo registers for seed_demo: a few resources and carriers, the default
controls with one overdue. Invented content only; safe to run again."""

from datetime import timedelta

from django.utils import timezone

from office.defaults import ensure_default_controls
from office.models import (
    Carrier,
    CarrierCategory,
    CarrierIssue,
    CarrierKind,
    PeriodicControl,
    ProtectedResource,
    ResourceKind,
)

DEMO_RESOURCES = [
    # name, kind, responsible, location, personal, official use, open, access
    (
        "Электрондук журнал",
        ResourceKind.INFORMATION_SYSTEM,
        "teacher",
        "Республикалык сервер, мектептин эсеби",
        True,
        False,
        False,
        "Класс жетекчилер, предмет мугалимдери, директордун орун басары",
    ),
    (
        "Окуучулардын жеке делолору",
        ResourceKind.PAPER_ARCHIVE,
        "records",
        "Иш кагаздар бөлмөсү, №2 шкаф",
        True,
        True,
        False,
        "Иш кагаздарын уюштурууга жооптуу, директор",
    ),
    (
        "Мектептин сайты",
        ResourceKind.WEBSITE,
        "security",
        "Хостинг, мектептин эсеби",
        False,
        False,
        True,
        "Информатика мугалими",
    ),
]
DEMO_CARRIERS = [
    ("USB-001", CarrierKind.USB_DRIVE, CarrierCategory.OFFICIAL_USE, "teacher"),
    ("HDD-001", CarrierKind.EXTERNAL_DISK, CarrierCategory.PERSONAL_DATA, None),
    ("ПАПКА-01", CarrierKind.PAPER_FOLDER, CarrierCategory.OFFICIAL_USE, None),
]


def seed(*, people) -> None:
    by_name = {person.username: person for person in people}
    today = timezone.localdate()
    for (
        name,
        kind,
        responsible,
        location,
        personal,
        official,
        open_,
        who,
    ) in DEMO_RESOURCES:
        ProtectedResource.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "responsible": by_name[responsible],
                "location": location,
                "holds_personal_data": personal,
                "holds_official_use": official,
                "holds_open": open_,
                "protection_measures": "Ар кимдин өз логини жана сырсөзү; "
                "бөлмө кулпуланат",
                "access_holders": who,
                "last_review_on": today - timedelta(days=30),
                "next_review_on": today + timedelta(days=335),
            },
        )
    for number, kind, category, holder in DEMO_CARRIERS:
        carrier, created = Carrier.objects.get_or_create(
            inventory_number=number,
            defaults={
                "kind": kind,
                "category": category,
                "registered_on": today - timedelta(days=60),
                "next_check_on": today + timedelta(days=30),
            },
        )
        if created and holder:
            CarrierIssue.objects.create(
                carrier=carrier,
                holder=by_name[holder],
                issued_on=today - timedelta(days=5),
                due_back_on=today + timedelta(days=25),
                issued_by=by_name["security"],
            )
    ensure_default_controls()
    PeriodicControl.objects.filter(key__in=["wifi_password", "access_review"]).update(
        responsible=by_name["security"]
    )
    PeriodicControl.objects.filter(key="backups").update(responsible=by_name["admin"])
    # One overdue, so the security officer's home page has something to show.
    PeriodicControl.objects.filter(
        key="wifi_password", completions__isnull=True
    ).update(next_due_on=today - timedelta(days=3))
