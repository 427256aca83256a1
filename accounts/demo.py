"""Demo people for seed_demo: one account per role, invented names only."""

from datetime import date

from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import (
    PLEDGE_VERSION,
    AppointedRole,
    Appointment,
    Onboarding,
    ParentLink,
    User,
)
from accounts.roles import Role

DEMO_PEOPLE = [
    # username, last name, first name, patronymic, class, position, roles
    ("admin", "Токтосунов", "Эрмек", "Бакытович", "", "инженер", [Role.ADMINISTRATOR]),
    (
        "director",
        "Сыдыкова",
        "Айгүл",
        "Маратовна",
        "",
        "директор",
        [Role.PRINCIPAL, Role.STAFF],
    ),
    (
        "security",
        "Абдыкалыков",
        "Нурлан",
        "Асанович",
        "",
        "информатика мугалими",
        [Role.STAFF],
    ),
    ("records", "Жумабаева", "Гүлнара", "Тилековна", "", "катчы", [Role.STAFF]),
    (
        "teacher",
        "Осмонова",
        "Бермет",
        "Кубанычбековна",
        "",
        "математика мугалими",
        [Role.STAFF],
    ),
    (
        "support",
        "Касымов",
        "Тимур",
        "Эркинович",
        "",
        "лаборант",
        [Role.SUPPORT, Role.STAFF],
    ),
    ("student1", "Бекболотов", "Адилет", "", "7А", "", [Role.STUDENT]),
    ("student2", "Алымкулова", "Жаныл", "", "8Б", "", [Role.STUDENT]),
    ("parent1", "Бекболотова", "Чолпон", "Садыковна", "", "", [Role.PARENT]),
]
# Appointed by school order: the officers' groups follow their appointments.
DEMO_APPOINTMENTS = [
    ("security", AppointedRole.SECURITY_OFFICER, "12-к"),
    ("records", AppointedRole.RECORDS_OFFICER, "13-к"),
]
CLEARED = ["director", "security", "records", "teacher"]


def seed(*, password: str) -> list[User]:
    people = {}
    for username, last, first, middle, school_class, position, roles in DEMO_PEOPLE:
        user, _created = User.objects.update_or_create(
            username=username,
            defaults={
                "last_name": last,
                "first_name": first,
                "middle_name": middle,
                "school_class": school_class,
                "position": position,
                "is_active": True,
                # The administrator runs the back office (Django admin).
                "is_staff": Role.ADMINISTRATOR in roles,
            },
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        user.groups.set(Group.objects.filter(name__in=[role.value for role in roles]))
        people[username] = user

    start = date(timezone.localdate().year - 1, 9, 1)
    for username, role, order_number in DEMO_APPOINTMENTS:
        Appointment.objects.get_or_create(
            role=role,
            ends_on=None,
            defaults={
                "person": people[username],
                "starts_on": start,
                "order_number": order_number,
                "order_date": start,
                "appointed_by": people["admin"],
            },
        )
    for appointment in Appointment.objects.filter(ends_on=None):
        appointment.person.groups.add(Group.objects.get(name=appointment.role))

    now = timezone.now()
    for username in CLEARED:
        Onboarding.objects.update_or_create(
            person=people[username],
            defaults={
                "pledge_version": PLEDGE_VERSION,
                "pledge_accepted_at": now,
                "familiarized_at": now,
                "briefed_at": now,
                "briefed_by": people["security"]
                if username != "security"
                else people["director"],
            },
        )
    ParentLink.objects.get_or_create(
        parent=people["parent1"],
        child=people["student1"],
        defaults={"linked_by": people["admin"]},
    )
    return list(people.values())
