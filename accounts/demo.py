"""Demo people for seed_demo: one account per role, invented names only."""

from datetime import date

from django.contrib.auth.models import Group
from django.utils import timezone

from accounts import services
from accounts.models import (
    AppointedRole,
    Appointment,
    Onboarding,
    ParentLink,
    User,
)
from accounts.roles import Role
from audit import field_log
from audit.models import AuditAction
from audit.services import record

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
    """The accounts, appointments, onboarding and parent link, each change with
    its business event: through the services where their rules allow it."""
    with field_log.business_action():
        people = _people(password=password)
    admin = people["admin"]
    start = date(timezone.localdate().year - 1, 9, 1)
    for username, role, order_number in DEMO_APPOINTMENTS:
        if not Appointment.objects.filter(role=role, ends_on=None).exists():
            services.appoint(
                actor=admin,
                person=people[username],
                role=role,
                starts_on=start,
                order_number=order_number,
                order_date=start,
            )
    # A second run set each person's groups afresh: the appointments give back
    # the officers' groups.
    for appointment in Appointment.objects.filter(ends_on=None):
        appointment.person.groups.add(Group.objects.get(name=appointment.role))
    # Fresh from the database: permissions are cached on a User object.
    people = {user.username: user for user in User.objects.filter(username__in=people)}
    _onboard(people)
    parent, child = people["parent1"], people["student1"]
    if not ParentLink.objects.filter(parent=parent, child=child).exists():
        services.parent_link(actor=admin, parent=parent, child=child)
    return [people[username] for username, *_rest in DEMO_PEOPLE]


def _people(*, password: str) -> dict[str, User]:
    people = {}
    for username, last, first, middle, school_class, position, roles in DEMO_PEOPLE:
        user, created = User.objects.update_or_create(
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
        if created:
            record(
                actor=None,
                action=AuditAction.ACCOUNT_OPEN,
                target=user,
                details={
                    "roles": [role.value for role in roles],
                    "class": school_class,
                },
            )
        user.set_password(password)
        user.save(update_fields=["password"])
        user.groups.set(Group.objects.filter(name__in=[role.value for role in roles]))
        people[username] = user
    return people


def _onboard(people: dict[str, User]) -> None:
    """Pledge, familiarization and briefing of the cleared staff. The security
    officer briefs the others; no second officer may brief the security officer,
    so the principal's briefing of them is written here with its event."""
    officer, principal = people["security"], people["director"]
    for username in CLEARED:
        person = people[username]
        services.pledge_accept(actor=person)
        services.familiarization_confirm(actor=person)
        if Onboarding.objects.get(person=person).briefed_at is not None:
            continue
        if person != officer:
            services.briefing_record(actor=officer, person=person)
            continue
        with field_log.business_action():
            onboarding = Onboarding.objects.get(person=person)
            onboarding.briefed_at = timezone.now()
            onboarding.briefed_by = principal
            onboarding.save(update_fields=["briefed_at", "briefed_by"])
            record(
                actor=principal,
                action=AuditAction.ONBOARDING,
                target=person,
                details={"step": "briefing"},
            )
