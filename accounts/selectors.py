"""Reads about people: their roles, their menu, their home page."""

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts import access
from accounts.models import AppointedRole, Appointment, Onboarding, ParentLink, User
from accounts.roles import Role


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    # None: every signed-in person; otherwise the permission that shows it.
    permission: str | None = None

    @property
    def url(self) -> str:
        return reverse(self.url_name)


# The menu, in order. Later features add their entries here.
NAVIGATION = [
    NavItem("home", _("Home")),
    NavItem("documents:journal", _("Journals"), "documents.view_journal"),
    NavItem("surveys:list", _("Surveys")),
    NavItem("security:sessions", _("My account")),
    NavItem("security:incidents", _("Account incidents"), "accounts.view_incident"),
    NavItem("security:lockouts", _("Lockouts"), "accounts.unlock_account"),
    NavItem("people", _("People"), "accounts.manage_people"),
    NavItem("appointments", _("Appointments"), "accounts.view_appointment"),
    NavItem("onboarding", _("My onboarding"), "accounts.undergo_onboarding"),
    NavItem(
        "onboarding_register", _("Onboarding register"), "accounts.view_onboarding"
    ),
    NavItem("audit:report", _("Audit report"), "audit.view_audit_report"),
    NavItem("office:index", _("Security office"), "office.view_office"),
    NavItem("personal:cabinet", _("My cabinet")),
    NavItem(
        "personal:requests",
        _("Personal data requests"),
        "accounts.handle_personal_request",
    ),
    NavItem(
        "personal:overdue", _("Overdue requests"), "accounts.view_overdue_requests"
    ),
    NavItem("admin:index", _("Back office"), "accounts.change_user"),
]


def roles_of(*, user: User) -> list[Role]:
    """The person's roles, in the order of Role; cached on the user for the request."""
    if not hasattr(user, "_portal_roles"):
        names = set(user.groups.values_list("name", flat=True))
        user._portal_roles = [role for role in Role if role.value in names]
    return user._portal_roles


def navigation_for(*, user: User) -> list[NavItem]:
    return [
        item
        for item in NAVIGATION
        if item.permission is None or access.can(user, item.permission)
    ]


def home_panels_for(*, user: User) -> list[str]:
    """One panel template per role the person holds: "what needs me today?"."""
    return [f"home/panel_{role.value}.html" for role in roles_of(user=user)]


def people_list(*, q: str = "", role: str = "", active: str = "") -> QuerySet[User]:
    people = User.objects.prefetch_related("groups").order_by("last_name", "first_name")
    if q:
        people = people.filter(
            Q(username__icontains=q)
            | Q(last_name__icontains=q)
            | Q(first_name__icontains=q)
        )
    if role:
        people = people.filter(groups__name=role)
    if active in ("0", "1"):
        people = people.filter(is_active=active == "1")
    return people


def role_labels(*, user: User) -> list[str]:
    """Role labels from prefetched groups, without a query per person."""
    names = {group.name for group in user.groups.all()}
    return [str(role.label) for role in Role if role.value in names]


def current_appointments() -> dict[str, Appointment | None]:
    current = {
        appointment.role: appointment
        for appointment in Appointment.objects.filter(
            ends_on__isnull=True
        ).select_related("person")
    }
    return {role: current.get(role) for role in AppointedRole.values}


def appointment_history() -> QuerySet[Appointment]:
    return Appointment.objects.select_related("person", "appointed_by").order_by(
        "role", "-starts_on", "-pk"
    )


def onboarding_of(*, user: User) -> Onboarding:
    """The person's onboarding; an unsaved blank one if they have not started."""
    return Onboarding.objects.filter(person=user).first() or Onboarding(person=user)


def onboarding_register() -> list[tuple[User, Onboarding]]:
    """Every active employee with their onboarding, incomplete ones first."""
    employees = (
        User.objects.filter(
            is_active=True,
            groups__permissions__codename="undergo_onboarding",
            groups__permissions__content_type__app_label="accounts",
        )
        .distinct()
        .select_related("onboarding")
        .order_by("last_name", "first_name")
    )
    rows = []
    for person in employees:
        onboarding = getattr(person, "onboarding", None) or Onboarding(person=person)
        rows.append((person, onboarding))
    return sorted(rows, key=lambda row: row[1].is_complete)


def parent_links_of(*, user: User) -> QuerySet[ParentLink]:
    return ParentLink.objects.filter(Q(parent=user) | Q(child=user)).select_related(
        "parent", "child"
    )


def children_of(*, parent: User) -> QuerySet[User]:
    return User.objects.filter(parent_links__parent=parent).order_by("first_name")


def group_by_pk(*, pk) -> Group | None:
    return Group.objects.filter(pk=pk).first() if str(pk).isdigit() else None


def permission_name(*, app_label: str, codename: str) -> str:
    permission = Permission.objects.filter(
        content_type__app_label=app_label, codename=codename
    ).first()
    return _(permission.name) if permission else codename
