"""Reads about people: their roles, their menu, their home page."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import User
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
        if item.permission is None or user.has_perm(item.permission)
    ]


def home_panels_for(*, user: User) -> list[str]:
    """One panel template per role the person holds: "what needs me today?"."""
    return [f"home/panel_{role.value}.html" for role in roles_of(user=user)]
