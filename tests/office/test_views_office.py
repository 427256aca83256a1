"""The security office's pages: allowed, 403, 404, bad input, query budgets."""

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditOutcome
from office.models import (
    Carrier,
    CarrierIssue,
    CarrierKind,
    PeriodicControl,
    ProtectedResource,
    ResourceKind,
)
from tests.office.conftest import clear, days
from tests.trail import service_events


def resource_post(responsible, **changes):
    return {
        "name": "Китепкананын базасы",
        "kind": ResourceKind.DATABASE,
        "responsible": responsible.pk,
        "location": "Китепкана",
        "holds_personal_data": "on",
        "protection_measures": "Сырсөз",
        "access_holders": "Китепканачы",
        "last_review_on": "",
        "next_review_on": days(30).isoformat(),
    } | changes


def test_the_security_officer_registers_a_resource(client, security_officer, teacher):
    client.force_login(security_officer)

    response = client.post(reverse("office:resource_create"), resource_post(teacher))

    assert response.status_code == 302
    resource = ProtectedResource.objects.get()
    assert (resource.name, resource.responsible) == ("Китепкананын базасы", teacher)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"next_review_on": days(-1).isoformat()}, "next_review_on"),
        (
            {
                "last_review_on": days(-5).isoformat(),
                "next_review_on": days(-6).isoformat(),
            },
            "next_review_on",
        ),
        ({"last_review_on": days(2).isoformat()}, "last_review_on"),
    ],
    ids=["past-review", "out-of-order", "future-last-review"],
)
def test_bad_review_dates_show_an_error_by_the_field_and_save_nothing(
    client, security_officer, teacher, changes, field
):
    client.force_login(security_officer)

    response = client.post(
        reverse("office:resource_create"), resource_post(teacher, **changes)
    )

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not ProtectedResource.objects.exists()
    assert not service_events().filter(action=AuditAction.ENTER).exists()


def test_the_principal_approves_from_the_resource_page(client, director, resource):
    client.force_login(director)
    page = client.get(reverse("office:resource_detail", args=[resource.pk]))
    assert page.context["may_approve"]

    client.post(reverse("office:resource_approve", args=[resource.pk]))

    resource.refresh_from_db()
    assert resource.approved_by == director


def test_the_administrator_sees_but_may_not_approve(client, administrator, resource):
    client.force_login(administrator)

    response = client.post(reverse("office:resource_approve", args=[resource.pk]))

    assert response.status_code == 403
    resource.refresh_from_db()
    assert resource.approved_at is None


def test_a_teacher_gets_404_and_the_attempt_is_recorded(client, teacher, resource):
    client.force_login(teacher)

    for url in [
        reverse("office:resource_detail", args=[resource.pk]),
        reverse("office:resources_export", args=["csv"]),
    ]:
        assert client.get(url).status_code == 404

    assert service_events().filter(outcome=AuditOutcome.DENIED).count() == 2
    assert not service_events().filter(action=AuditAction.EXPORT).exists()


def test_the_export_is_a_download(client, director, resource):
    client.force_login(director)

    response = client.get(reverse("office:resources_export", args=["xlsx"]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content[:2] == b"PK"
    assert client.get(reverse("office:resources_export", args=["pdf"])).status_code == (
        404
    )


def test_an_uncleared_teacher_is_refused_a_carrier_with_a_clear_error(
    client, security_officer, teacher, carrier
):
    client.force_login(security_officer)

    response = client.post(
        reverse("office:carrier_issue", args=[carrier.pk]),
        {
            "holder": teacher.pk,
            "issued_on": days(0).isoformat(),
            "due_back_on": days(5).isoformat(),
        },
    )

    assert response.status_code == 200
    assert "onboarding" in " ".join(response.context["issue_form"].non_field_errors())
    assert not CarrierIssue.objects.exists()


def test_a_carrier_is_issued_and_taken_back_from_its_page(
    client, security_officer, teacher, carrier
):
    clear(teacher)
    client.force_login(security_officer)

    client.post(
        reverse("office:carrier_issue", args=[carrier.pk]),
        {
            "holder": teacher.pk,
            "issued_on": days(0).isoformat(),
            "due_back_on": days(5).isoformat(),
        },
    )
    page = client.get(reverse("office:carrier_detail", args=[carrier.pk]))
    assert page.context["holding"].holder == teacher
    assert page.context["issue_form"] is None

    client.post(
        reverse("office:carrier_return", args=[carrier.pk]),
        {"returned_on": days(0).isoformat()},
    )
    assert CarrierIssue.objects.get().returned_on == days(0)


def test_the_principal_may_not_issue_a_carrier(client, director, teacher, carrier):
    clear(teacher)
    client.force_login(director)

    response = client.post(
        reverse("office:carrier_issue", args=[carrier.pk]),
        {
            "holder": teacher.pk,
            "issued_on": days(0).isoformat(),
            "due_back_on": days(5).isoformat(),
        },
    )

    assert response.status_code == 403
    assert not CarrierIssue.objects.exists()


def test_a_control_is_marked_done_with_a_note(client, security_officer):
    control = PeriodicControl.objects.get(key="antivirus")
    client.force_login(security_officer)

    empty = client.post(
        reverse("office:control_done", args=[control.pk]),
        {"done_on": days(0).isoformat(), "note": ""},
    )
    assert empty.context["done_form"].errors["note"]
    client.post(
        reverse("office:control_done", args=[control.pk]),
        {"done_on": days(0).isoformat(), "note": "Базалар жаңыланды"},
    )

    control.refresh_from_db()
    assert control.next_due_on == days(7)
    assert control.completions.get().note == "Базалар жаңыланды"


def test_the_health_page_says_no_backup_for_the_administrator(client, administrator):
    client.force_login(administrator)

    response = client.get(reverse("office:health"))

    checks = {check.key: check for check in response.context["checks"]}
    assert checks["backup"].status == "red"
    assert set(checks) == {
        "database",
        "backup",
        "verification",
        "keys",
        "files",
        "deploy",
        "migrations",
        "disk",
        "version",
    }


@pytest.mark.parametrize(
    ("url_name", "make"),
    [
        (
            "office:resources",
            lambda n, who: ProtectedResource.objects.bulk_create(
                ProtectedResource(
                    name=f"R{i}",
                    kind=ResourceKind.OTHER,
                    responsible=who,
                    location="-",
                    protection_measures="-",
                    access_holders="-",
                    next_review_on=days(10),
                    approved_by=who,
                )
                for i in range(n)
            ),
        ),
        (
            "office:carriers",
            lambda n, who: [
                CarrierIssue.objects.create(
                    carrier=Carrier.objects.create(
                        inventory_number=f"C{Carrier.objects.count()}",
                        kind=CarrierKind.USB_DRIVE,
                        category="open",
                        next_check_on=days(10),
                    ),
                    holder=who,
                    issued_on=days(0),
                    due_back_on=days(3),
                    issued_by=who,
                )
                for _i in range(n)
            ],
        ),
        (
            "office:controls",
            lambda n, who: PeriodicControl.objects.bulk_create(
                PeriodicControl(
                    title=f"T{i}",
                    frequency_days=7,
                    next_due_on=days(1),
                    responsible=who,
                )
                for i in range(n)
            ),
        ),
    ],
)
def test_a_register_costs_the_same_for_5_and_50_rows(
    client, security_officer, django_assert_max_num_queries, url_name, make
):
    client.force_login(security_officer)
    make(5, security_officer)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse(url_name))
    make(45, security_officer)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse(url_name))

    assert response.status_code == 200
