"""The register of protected resources (2.4): register, change, approve, export."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from accounts.access import Forbidden
from audit.models import AuditAction
from office import exports, services
from office.models import ProtectedResource, ResourceKind
from tests.office.conftest import days
from tests.trail import service_events


def values(responsible, **changes):
    return {
        "name": "Бухгалтериянын папкасы",
        "kind": ResourceKind.SHARED_FOLDER,
        "responsible": responsible,
        "location": "Бухгалтерия, компьютер №1",
        "holds_personal_data": True,
        "holds_official_use": False,
        "holds_open": False,
        "protection_measures": "Сырсөз",
        "access_holders": "Бухгалтер",
        "last_review_on": days(-10),
        "next_review_on": days(80),
    } | changes


def test_the_security_officer_registers_a_resource_waiting_for_approval(
    security_officer, teacher
):
    resource = services.resource_create(actor=security_officer, **values(teacher))

    assert resource.approved_at is None
    event = service_events().get(action=AuditAction.ENTER)
    assert (event.actor, event.target_id) == (security_officer, str(resource.pk))
    assert event.details["responsible"] == teacher.pk
    assert event.details["next_review_on"] == days(80).isoformat()


@pytest.mark.parametrize(
    "changes",
    [
        {"next_review_on": days(-1)},
        {"last_review_on": days(1)},
        {"last_review_on": days(-5), "next_review_on": days(-6)},
    ],
    ids=["next-review-past", "last-review-future", "out-of-order"],
)
def test_bad_review_dates_are_refused_and_nothing_is_saved(
    security_officer, teacher, changes
):
    with pytest.raises(ValidationError):
        services.resource_create(actor=security_officer, **values(teacher, **changes))

    assert not ProtectedResource.objects.exists()
    assert not service_events().exists()


def test_the_principal_may_not_register_a_resource(director, teacher):
    with pytest.raises(Forbidden):
        services.resource_create(actor=director, **values(teacher))

    assert not ProtectedResource.objects.exists()


def test_a_change_is_recorded_with_old_and_new_and_needs_approval_again(
    security_officer, director, resource
):
    services.resource_approve(actor=director, resource=resource)

    services.resource_update(
        actor=security_officer,
        resource=resource,
        **values(resource.responsible, name=resource.name, location="Бөлмө 12"),
    )

    resource.refresh_from_db()
    assert resource.location == "Бөлмө 12"
    assert resource.approved_at is None
    event = service_events().get(action=AuditAction.ENTRY_CHANGE)
    old, new = event.details["old"], event.details["new"]
    assert (old["location"], new["location"]) == ("Сервер", "Бөлмө 12")
    assert set(old) == set(new) and "name" not in old


def test_an_existing_resource_may_keep_a_past_next_review(security_officer, resource):
    """Overdue reviews are shown as due, not made impossible to save."""
    ProtectedResource.objects.filter(pk=resource.pk).update(next_review_on=days(-3))
    resource.refresh_from_db()

    services.resource_update(
        actor=security_officer,
        resource=resource,
        **values(resource.responsible, last_review_on=None, next_review_on=days(-3)),
    )

    assert ProtectedResource.objects.get(pk=resource.pk).name == values(None)["name"]


def test_the_principal_approves_once(director, resource):
    services.resource_approve(actor=director, resource=resource)

    resource.refresh_from_db()
    assert resource.approved_by == director
    assert service_events().filter(action=AuditAction.APPROVE).count() == 1
    with pytest.raises(ValidationError):
        services.resource_approve(actor=director, resource=resource)


def test_the_security_officer_may_not_approve_own_register(security_officer, resource):
    with pytest.raises(Forbidden):
        services.resource_approve(actor=security_officer, resource=resource)

    resource.refresh_from_db()
    assert resource.approved_at is None
    # Only the refusal, recorded by the service itself.
    assert [e.action for e in service_events()] == [AuditAction.DENIED]


def test_the_csv_export_neutralizes_formulas_and_is_recorded(
    security_officer, resource
):
    ProtectedResource.objects.filter(pk=resource.pk).update(
        name='=HYPERLINK("http://evil")', location="+1", access_holders="@all"
    )

    content, content_type, filename = exports.resources_export(
        actor=security_officer, fmt="csv"
    )

    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[1][0] == '\'=HYPERLINK("http://evil")'
    assert rows[1][3] == "'+1"
    assert rows[1][6] == "'@all"
    assert content_type.startswith("text/csv") and filename.endswith(".csv")
    event = service_events().get(action=AuditAction.EXPORT)
    assert event.details == {"format": "csv", "rows": 1}


def test_the_xlsx_export_holds_text_not_formulas(security_officer, resource):
    ProtectedResource.objects.filter(pk=resource.pk).update(name="-2+3")

    content, _type, _name = exports.resources_export(actor=security_officer, fmt="xlsx")

    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet["A2"].value == "'-2+3"
    assert sheet["A2"].data_type == "s"
    assert service_events().filter(action=AuditAction.EXPORT).count() == 1


def test_a_teacher_may_not_export(teacher, resource):
    with pytest.raises(Forbidden):
        exports.resources_export(actor=teacher, fmt="csv")

    assert not service_events().exists()
