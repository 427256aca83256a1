"""What each person gets on a GET of every URL of the project: the role x URL matrix.

tests/test_url_matrix.py reads every pattern from the resolver; a URL without an
entry here fails that test, so each feature adds its own lines.

Each entry: the URL name, how to fill its arguments from the named people of
tests/conftest.py (``args``), the status for a signed-out visitor, the status
for everyone else (``default``), and the exceptions by person (``by``). Person
keys: administrator, director, security_officer, records_officer, teacher,
support, student, parent, outsider.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Expect:
    default: int
    anonymous: int = 302
    by: dict[str, int] = field(default_factory=dict)
    # Builds the URL's kwargs from the dict of named people.
    args: Callable[[dict], dict] | None = None


STAFF = (
    "administrator",
    "director",
    "security_officer",
    "records_officer",
    "teacher",
    "support",
)

EXPECTATIONS: dict[str, Expect] = {
    "home": Expect(200),
    "login": Expect(302, anonymous=200),
    "logout": Expect(405),
    "health": Expect(200, anonymous=200),
    "set_language": Expect(302, anonymous=302),
    # People, appointments, onboarding, per-object permissions (issue 3).
    "people": Expect(404, by={"administrator": 200}),
    "person_create": Expect(404, by={"administrator": 200}),
    "people_import": Expect(404, by={"administrator": 200}),
    "people_import_confirm": Expect(405),
    "person_detail": Expect(
        404,
        by={"administrator": 200, "student": 200},
        args=lambda people: {"pk": people["student"].pk},
    ),
    "person_roles": Expect(405, args=lambda people: {"pk": people["student"].pk}),
    "person_deactivate": Expect(405, args=lambda people: {"pk": people["student"].pk}),
    "parent_link_add": Expect(405, args=lambda people: {"pk": people["parent"].pk}),
    "parent_link_remove": Expect(405, args=lambda people: {"pk": 1}),
    "object_permissions": Expect(
        404,
        by={"administrator": 200},
        args=lambda people: {"model": "accounts.user", "pk": people["student"].pk},
    ),
    "object_permission_revoke": Expect(
        405,
        args=lambda people: {"model": "accounts.user", "pk": people["student"].pk},
    ),
    "appointments": Expect(
        404, by={"administrator": 200, "director": 200, "security_officer": 200}
    ),
    "onboarding": Expect(
        404,
        by={
            "director": 200,
            "security_officer": 200,
            "records_officer": 200,
            "teacher": 200,
            "support": 200,
        },
    ),
    "pledge_accept": Expect(405),
    "familiarization_confirm": Expect(405),
    "onboarding_register": Expect(
        404, by={"administrator": 200, "director": 200, "security_officer": 200}
    ),
    "briefing_record": Expect(405, args=lambda people: {"pk": people["teacher"].pk}),
}
