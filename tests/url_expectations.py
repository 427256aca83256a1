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

from tests.account_security import factories as account_security
from tests.documents import act_factories as document_acts
from tests.documents import factories as documents
from tests.execution import factories as execution
from tests.surveys import factories as surveys


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

NO_ROLE_403 = {"student": 403, "parent": 403, "outsider": 403}
RECORDS_OFFICE = {"records_officer": 200, "security_officer": 200, "director": 200}
# Who sees the matrix document: the records office, the principal, its executor.
DOCUMENT_READERS = {**RECORDS_OFFICE, "teacher": 200}

EXECUTION_KEEPERS = {"director": 200, "records_officer": 200}

SURVEY_MANAGERS = {"administrator": 200, "security_officer": 200}
SURVEY_READERS = {**SURVEY_MANAGERS, "director": 200}

# The security office: the principal and the administrator see it and get 403 on
# its forms; the security officer keeps it; everyone else gets 404.
OFFICE_READERS = {"administrator": 200, "director": 200, "security_officer": 200}
OFFICE_KEEPERS = {"administrator": 403, "director": 403, "security_officer": 200}


def _resource(people) -> int:
    from office.models import ProtectedResource

    resource, _created = ProtectedResource.objects.get_or_create(
        name="Matrix resource",
        defaults={
            "kind": "database",
            "responsible": people["teacher"],
            "location": "-",
            "protection_measures": "-",
            "access_holders": "-",
            "next_review_on": "2999-01-01",
        },
    )
    return resource.pk


def _carrier() -> int:
    from office.models import Carrier

    carrier, _created = Carrier.objects.get_or_create(
        inventory_number="MATRIX-1",
        defaults={
            "kind": "usb_drive",
            "category": "open",
            "next_check_on": "2999-01-01",
        },
    )
    return carrier.pk


def _control() -> int:
    from office.models import PeriodicControl

    return PeriodicControl.objects.get(key="backups").pk


def _request_by_student(people: dict) -> dict:
    """An open request of the student about themself (personal data, issue 8)."""
    from django.utils import timezone

    from accounts.models import PersonalDataRequest, RequestKind

    made, _created = PersonalDataRequest.objects.get_or_create(
        subject=people["student"],
        defaults={
            "kind": RequestKind.COPY,
            "requested_by": people["student"],
            "due_on": timezone.localdate(),
        },
    )
    return {"pk": made.pk}


EXPECTATIONS: dict[str, Expect] = {
    "home": Expect(200),
    "login": Expect(302, anonymous=200),
    "logout": Expect(405),
    "health": Expect(200, anonymous=200),
    "health_ready": Expect(200, anonymous=200),
    # The benchmark's signed-in "ok": behind the sign-in like every page.
    "health_signed_in": Expect(200),
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
    # Finding the object to give a permission on: whoever may give one.
    "grants": Expect(404, by={"administrator": 200, "records_officer": 200}),
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
    "audit:report": Expect(404, by={"director": 200, "security_officer": 200}),
    "audit:export_csv": Expect(404, by={"director": 200, "security_officer": 200}),
    "audit:export_xlsx": Expect(404, by={"director": 200, "security_officer": 200}),
    "audit:print": Expect(404, by={"director": 200, "security_officer": 200}),
    "audit:sign_head": Expect(405),
    "security:sessions": Expect(200),
    "security:session_end": Expect(405, args=lambda people: {"pk": 1}),
    "security:sessions_end_others": Expect(405),
    "security:breach_report": Expect(200),
    "security:password_change": Expect(200),
    "security:password_reset": Expect(403, by={"administrator": 200, "support": 200}),
    "security:reset_link": Expect(
        200, anonymous=200, args=lambda people: {"uidb64": "MQ", "token": "a-b"}
    ),
    "security:second_factor": Expect(200),
    "security:second_factor_setup": Expect(200),
    "security:second_factor_remove": Expect(405),
    "security:second_factor_verify": Expect(302),
    "security:notice_read": Expect(405, args=lambda people: {"pk": 1}),
    "security:incidents": Expect(
        403, by={"administrator": 200, "security_officer": 200, "support": 200}
    ),
    "security:incident": Expect(
        404,
        by={
            "administrator": 200,
            "security_officer": 200,
            "support": 200,
            "student": 200,
        },
        args=account_security.incident_args,
    ),
    "security:incident_close": Expect(405, args=account_security.incident_args),
    "security:lockouts": Expect(403, by={"administrator": 200, "support": 200}),
    "security:unlock": Expect(405),
    # Document registry (issue 6).
    "documents:journal": Expect(200, by=NO_ROLE_403),
    "documents:register": Expect(403, by={"records_officer": 200}),
    "documents:document": Expect(
        404, by=DOCUMENT_READERS, args=documents.document_args
    ),
    "documents:correct": Expect(
        404,
        by={
            **DOCUMENT_READERS,
            "security_officer": 403,
            "director": 403,
            "teacher": 403,
        },
        args=documents.document_args,
    ),
    "documents:annul": Expect(405, args=documents.document_args),
    "documents:attach": Expect(405, args=documents.document_args),
    "documents:issue": Expect(405, args=documents.document_args),
    "documents:paper_copy": Expect(405, args=documents.document_args),
    "documents:attachment_file": Expect(
        404, by=DOCUMENT_READERS, args=documents.attachment_args
    ),
    "documents:attachment_copy": Expect(
        404,
        by=dict.fromkeys(DOCUMENT_READERS, 302),
        args=documents.attachment_args,
    ),
    "documents:custody": Expect(403, by=RECORDS_OFFICE),
    "documents:sign": Expect(404, by={"teacher": 200}, args=documents.custody_args),
    "documents:hand_back": Expect(405, args=documents.custody_args),
    "documents:confirm_return": Expect(405, args=documents.custody_args),
    "documents:copy_log": Expect(403, by=RECORDS_OFFICE),
    "documents:copy_fate": Expect(405, args=documents.copy_args),
    # Registry acts, printed journals, exports (issue 7). Act pages: the records
    # office, the principal, the security officer and the act's commission.
    "documents:destruction_acts": Expect(404, by=RECORDS_OFFICE),
    "documents:destruction_act_new": Expect(
        404, by={"records_officer": 200, "security_officer": 403, "director": 403}
    ),
    "documents:destruction_act": Expect(
        404,
        by={**RECORDS_OFFICE, "teacher": 200, "support": 200},
        args=document_acts.act_args,
    ),
    "documents:destruction_act_print": Expect(
        404,
        by={**RECORDS_OFFICE, "teacher": 200, "support": 200},
        args=document_acts.act_args,
    ),
    "documents:destruction_act_confirm": Expect(405, args=document_acts.act_args),
    "documents:destruction_act_approve": Expect(405, args=document_acts.act_args),
    "documents:journal_print_pick": Expect(200, by=NO_ROLE_403),
    "documents:journal_print": Expect(
        200, by=NO_ROLE_403, args=document_acts.journal_year_args
    ),
    "documents:journal_export": Expect(200, by=NO_ROLE_403),
    "documents:copy_log_export": Expect(403, by=RECORDS_OFFICE),
    "documents:custody_export": Expect(403, by=RECORDS_OFFICE),
    # The hand-over act: drafted by the administrator, read by the records
    # office, confirmed by both officers (here records -> teacher) and the principal.
    "documents:hand_over_new": Expect(
        404, by={**dict.fromkeys(RECORDS_OFFICE, 200), "administrator": 200}
    ),
    "documents:hand_over": Expect(
        404,
        by={**RECORDS_OFFICE, "administrator": 200, "teacher": 200},
        args=document_acts.hand_over_args,
    ),
    "documents:hand_over_print": Expect(
        404,
        by={**RECORDS_OFFICE, "administrator": 200, "teacher": 200},
        args=document_acts.hand_over_args,
    ),
    "documents:hand_over_confirm": Expect(405, args=document_acts.hand_over_args),
    "documents:hand_over_refresh": Expect(405, args=document_acts.hand_over_args),
    "documents:reference_lists": Expect(404, by={"records_officer": 200}),
    "documents:journal_add": Expect(405),
    "documents:class_add": Expect(405),
    "documents:case_add": Expect(405),
    "documents:place_add": Expect(405),
    # Execution control (issue 21): the list and reports for the principal and
    # the records officer; a resolution for whoever sees its document; changed
    # by its author, reported on by its executor (the teacher).
    "documents:execution": Expect(403, by=EXECUTION_KEEPERS),
    "documents:execution_print": Expect(403, by=EXECUTION_KEEPERS),
    "documents:execution_export": Expect(403, by=EXECUTION_KEEPERS),
    "documents:discipline": Expect(403, by=EXECUTION_KEEPERS),
    "documents:discipline_print": Expect(403, by=EXECUTION_KEEPERS),
    "documents:discipline_export": Expect(403, by=EXECUTION_KEEPERS),
    "documents:resolution_new": Expect(
        404,
        by={**dict.fromkeys(DOCUMENT_READERS, 403), "director": 200},
        args=documents.document_args,
    ),
    "documents:resolution": Expect(
        404, by=DOCUMENT_READERS, args=execution.resolution_args
    ),
    "documents:resolution_edit": Expect(
        404,
        by={**dict.fromkeys(DOCUMENT_READERS, 403), "director": 200},
        args=execution.resolution_args,
    ),
    "documents:resolution_report": Expect(
        404,
        by={**dict.fromkeys(DOCUMENT_READERS, 403), "teacher": 200},
        args=execution.resolution_args,
    ),
    "documents:resolution_take_off": Expect(405, args=execution.resolution_args),
    "surveys:list": Expect(200),
    "surveys:create": Expect(404, by=SURVEY_MANAGERS),
    "surveys:detail": Expect(404, by=SURVEY_MANAGERS, args=surveys.survey_args),
    "surveys:edit": Expect(404, by=SURVEY_MANAGERS, args=surveys.survey_args),
    "surveys:question_add": Expect(405, args=surveys.survey_args),
    "surveys:question_delete": Expect(405, args=surveys.question_args),
    "surveys:publish": Expect(405, args=surveys.survey_args),
    "surveys:close": Expect(405, args=surveys.survey_args),
    "surveys:copy": Expect(405, args=surveys.survey_args),
    "surveys:answer": Expect(404, by={"student": 200}, args=surveys.survey_args),
    "surveys:results": Expect(404, by=SURVEY_READERS, args=surveys.survey_args),
    "surveys:conclusions": Expect(405, args=surveys.survey_args),
    "surveys:recommendation_add": Expect(405, args=surveys.survey_args),
    "surveys:recommendation_status": Expect(405, args=surveys.recommendation_args),
    "surveys:report": Expect(404, by=SURVEY_READERS, args=surveys.survey_args),
    "surveys:export_csv": Expect(404, by=SURVEY_READERS, args=surveys.survey_args),
    "surveys:export_xlsx": Expect(404, by=SURVEY_READERS, args=surveys.survey_args),
    "surveys:compare": Expect(404, by=SURVEY_READERS, args=surveys.survey_args),
    # The security office: registers, controls, health (issue 10).
    **{
        f"office:{name}": Expect(404, by=OFFICE_READERS, args=args)
        for name, args in [
            ("index", None),
            ("resources", None),
            ("resource_detail", lambda people: {"pk": _resource(people)}),
            ("carriers", None),
            ("carrier_detail", lambda people: {"pk": _carrier()}),
            ("controls", None),
            ("control_detail", lambda people: {"pk": _control()}),
        ]
    },
    **{
        f"office:{name}": Expect(404, by=OFFICE_KEEPERS, args=args)
        for name, args in [
            ("resource_create", None),
            ("resource_edit", lambda people: {"pk": _resource(people)}),
            ("carrier_create", None),
            ("control_create", None),
            ("control_edit", lambda people: {"pk": _control()}),
        ]
    },
    # CSV: a download, not a page.
    "office:resources_export": Expect(
        404, by=OFFICE_READERS, args=lambda people: {"fmt": "csv"}
    ),
    **{
        f"office:{name}": Expect(405, args=args)
        for name, args in [
            ("resource_approve", lambda people: {"pk": 1}),
            ("carrier_issue", lambda people: {"pk": 1}),
            ("carrier_return", lambda people: {"pk": 1}),
            ("carrier_check", lambda people: {"pk": 1}),
            ("carrier_destroy", lambda people: {"pk": 1}),
            ("control_done", lambda people: {"pk": 1}),
        ]
    },
    "office:health": Expect(404, by={"administrator": 200, "security_officer": 200}),
    # Personal data and cabinets (issue 8).
    "personal:cabinet": Expect(200),
    "personal:my_class": Expect(404),
    "personal:person": Expect(
        404, by={"student": 200}, args=lambda people: {"pk": people["student"].pk}
    ),
    "personal:reveal": Expect(405, args=lambda people: {"pk": people["student"].pk}),
    "personal:record_edit": Expect(
        404,
        by={"administrator": 200},
        args=lambda people: {"pk": people["student"].pk},
    ),
    "personal:consent": Expect(405, args=lambda people: {"pk": people["student"].pk}),
    "personal:request_new": Expect(
        404, by={"student": 200}, args=lambda people: {"pk": people["student"].pk}
    ),
    "personal:requests": Expect(404, by={"administrator": 200, "records_officer": 200}),
    "personal:overdue": Expect(404, by={"security_officer": 200}),
    "personal:request_detail": Expect(
        404,
        by={"administrator": 200, "records_officer": 200, "student": 200},
        args=_request_by_student,
    ),
    "personal:request_answer": Expect(405, args=_request_by_student),
    "personal:request_refuse": Expect(405, args=_request_by_student),
    "personal:export_json": Expect(404, args=_request_by_student),
    "personal:export_html": Expect(404, args=_request_by_student),
    "personal:certificate": Expect(404, args=_request_by_student),
}
