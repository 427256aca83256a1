"""Reads about people: their roles, their menu, their home page."""

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts import access
from accounts.models import AppointedRole, Appointment, Onboarding, ParentLink, User
from accounts.roles import Role


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    # None: every signed-in person; otherwise the permissions, any of which
    # (accounts.access.can) shows it.
    permission: str | tuple[str, ...] | None = None

    @property
    def url(self) -> str:
        return reverse(self.url_name)

    def shown_to(self, user: User) -> bool:
        if self.permission is None:
            return True
        wanted = (
            (self.permission,) if isinstance(self.permission, str) else self.permission
        )
        return any(access.can(user, permission) for permission in wanted)


# The menu, in order: each role's daily work first, then what everyone has.
# Later features add their entries here.
NAVIGATION = [
    NavItem("home", _("Home")),
    NavItem("documents:journal", _("Journals"), "documents.view_journal"),
    NavItem("documents:custody", _("Custody and overdue"), "documents.view_custody"),
    NavItem("documents:execution", _("Execution control"), "execution.view_resolution"),
    NavItem("documents:copy_log", _("Copy log"), "documents.view_copy"),
    NavItem(
        "documents:destruction_acts",
        _("Destruction acts"),
        "documents.view_destructionact",
    ),
    NavItem(
        "documents:hand_over_new", _("Hand-over acts"), "documents.view_handoveract"
    ),
    NavItem(
        "documents:reference_lists",
        pgettext_lazy("menu", "Reference lists"),
        "documents.manage_journals",
    ),
    NavItem("audit:report", _("Audit report"), "audit.view_audit_report"),
    NavItem("people", _("People"), "accounts.manage_people"),
    NavItem(
        "grants",
        _("Permissions"),
        tuple(rule.manager_permission for rule in access.GRANTABLE.values()),
    ),
    NavItem("appointments", _("Appointments"), "accounts.view_appointment"),
    NavItem(
        "onboarding_register", _("Onboarding register"), "accounts.view_onboarding"
    ),
    NavItem("office:index", _("Security office"), "office.view_office"),
    NavItem(
        "personal:requests",
        _("Personal data requests"),
        "accounts.handle_personal_request",
    ),
    NavItem(
        "personal:overdue", _("Overdue requests"), "accounts.view_overdue_requests"
    ),
    NavItem("security:incidents", _("Account incidents"), "accounts.view_incident"),
    NavItem("security:lockouts", _("Lockouts"), "accounts.unlock_account"),
    NavItem("personal:cabinet", _("My cabinet")),
    NavItem("onboarding", _("My onboarding"), "accounts.undergo_onboarding"),
    NavItem("surveys:list", _("Surveys")),
    NavItem("admin:index", _("Back office"), "accounts.change_user"),
]


def roles_of(*, user: User) -> list[Role]:
    """The person's roles, in the order of Role; cached on the user for the request."""
    if not hasattr(user, "_portal_roles"):
        names = set(user.groups.values_list("name", flat=True))
        user._portal_roles = [role for role in Role if role.value in names]
    return user._portal_roles


def navigation_for(*, user: User) -> list[NavItem]:
    return [item for item in NAVIGATION if item.shown_to(user)]


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


def people_named(*, people: QuerySet[User], text: str, limit: int) -> list[User]:
    """Up to ``limit`` of these people whose name or username holds every word
    of the text, in any letter case, exact usernames first.

    Names are compared in Python: SQLite folds only Latin letters, and one
    school's people (a few thousand names) come in one light query.
    """
    words = text.casefold().split()
    if not words:
        return []
    exact, partial = [], []
    rows = people.values_list(
        "pk", "username", "last_name", "first_name", "middle_name"
    ).order_by("last_name", "first_name", "pk")
    for pk, username, *names in rows:
        haystack = " ".join([*names, username]).casefold()
        if username.casefold() == text.strip().casefold():
            exact.append(pk)
        elif all(word in haystack for word in words):
            partial.append(pk)
    wanted = (exact + partial)[:limit]
    found = User.objects.in_bulk(wanted)
    return [found[pk] for pk in wanted]


@dataclass(frozen=True)
class GrantTarget:
    """An object found on the permissions page, with the key of its grant page."""

    model: str  # "app_label.model", a key of access.GRANTABLE
    pk: int
    label: str


def grant_targets(*, user: User, text: str, limit: int = 20) -> dict[str, list]:
    """Objects whose permissions the person may give, found by a document's
    number (with or without its journal's code, e.g. In-11), words of its
    summary, a person's name or a journal's name; by kind of object."""
    from documents.models import Document, Journal

    text = text.strip()
    found: dict[str, list[GrantTarget]] = {}
    if not text:
        return found
    if access.can(user, "documents.grant_document"):
        documents = access.visible(
            user, "documents.grant_document", Document.objects.all()
        )
        found["documents.document"] = [
            GrantTarget(
                "documents.document",
                document.pk,
                f"{document.coded_number} · {document.registered_on:%d.%m.%Y} · "
                f"{document.summary[:80]}",
            )
            for document in _documents_numbered(documents, text, Journal)[:limit]
        ]
    if access.can(user, "accounts.grant_object_permission"):
        people = access.visible(
            user, "accounts.grant_object_permission", User.objects.all()
        )
        found["accounts.user"] = [
            GrantTarget("accounts.user", person.pk, f"{person} ({person.username})")
            for person in people_named(people=people, text=text, limit=limit)
        ]
    if access.can(user, "documents.manage_journals"):
        wanted = text.casefold()
        journals = access.visible(user, "documents.manage_journals", Journal.objects)
        found["documents.journal"] = [
            GrantTarget("documents.journal", journal.pk, str(journal))
            for journal in journals
            if wanted in f"{journal} {journal.short_code}".casefold()
        ][:limit]
    return found


def _documents_numbered(documents: QuerySet, text: str, journal_model) -> QuerySet:
    """Documents whose number is the text (a journal's code may lead it, as
    the lists show it), or whose summary holds it."""
    rows = documents.select_related("journal").order_by("-registered_on", "-pk")
    code, dash, number = text.partition("-")
    journals = [
        journal.pk
        for journal in journal_model.objects.all()
        if dash and journal.short_code.casefold() == code.strip().casefold()
    ]
    if journals:
        return rows.filter(journal__in=journals, number__iexact=number.strip())
    return rows.filter(
        Q(number__iexact=text) | Q(summary_folded__contains=text.casefold())
    )
