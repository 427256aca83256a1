"""Demo people for seed_demo: one account per role, invented names only."""

from accounts.models import User
from accounts.roles import Role

DEMO_PEOPLE = [
    # username, last name, first name, patronymic, roles
    ("admin", "Токтосунов", "Эрмек", "Бакытович", [Role.ADMINISTRATOR]),
    ("director", "Сыдыкова", "Айгүл", "Маратовна", [Role.PRINCIPAL, Role.STAFF]),
    (
        "security",
        "Абдыкалыков",
        "Нурлан",
        "Асанович",
        [Role.SECURITY_OFFICER, Role.STAFF],
    ),
    (
        "records",
        "Жумабаева",
        "Гүлнара",
        "Тилековна",
        [Role.RECORDS_OFFICER, Role.STAFF],
    ),
    ("teacher", "Осмонова", "Бермет", "Кубанычбековна", [Role.STAFF]),
    ("support", "Касымов", "Тимур", "Эркинович", [Role.SUPPORT, Role.STAFF]),
    ("student1", "Бекболотов", "Адилет", "", [Role.STUDENT]),
    ("student2", "Алымкулова", "Жаныл", "", [Role.STUDENT]),
    ("parent1", "Бекболотова", "Чолпон", "Садыковна", [Role.PARENT]),
]


def seed(*, password: str) -> list[User]:
    from django.contrib.auth.models import Group

    people = []
    for username, last_name, first_name, middle_name, roles in DEMO_PEOPLE:
        user, _created = User.objects.update_or_create(
            username=username,
            defaults={
                "last_name": last_name,
                "first_name": first_name,
                "middle_name": middle_name,
                "is_active": True,
                # The administrator runs the back office (Django admin).
                "is_staff": Role.ADMINISTRATOR in roles,
            },
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        user.groups.set(Group.objects.filter(name__in=[role.value for role in roles]))
        people.append(user)
    return people
