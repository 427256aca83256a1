"""Each action of the security office, done from its page, is in the trail by
its name; an edit is "old" and "new" of the fields it changed."""

from django.urls import reverse

from audit.models import AuditAction
from office.models import Carrier, PeriodicControl, ProtectedResource
from tests.account_security.browser import submit
from tests.office.conftest import clear, days
from tests.trail import changed, the_event


def page(client, name, *args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200, name
    return response


def on(obj) -> dict:
    return {"target_type": obj._meta.label_lower, "target_id": str(obj.pk)}


def test_a_resource_entered_changed_and_approved_from_its_pages(
    client, security_officer, director, teacher
):
    client.force_login(security_officer)
    submit(
        client,
        page(client, "office:resource_create"),
        {
            "name": "Китепкананын базасы",
            "kind": "database",
            "responsible": str(teacher.pk),
            "location": "Китепкана",
            "holds_personal_data": "on",
            "protection_measures": "Сырсөз",
            "access_holders": "Китепканачы",
            "next_review_on": days(30).isoformat(),
        },
        having="name",
    )
    resource = ProtectedResource.objects.get()
    client.force_login(director)
    submit(
        client,
        page(client, "office:resource_detail", resource.pk),
        {},
        action=reverse("office:resource_approve", args=[resource.pk]),
    )
    client.force_login(security_officer)
    submit(
        client,
        page(client, "office:resource_edit", resource.pk),
        {"location": "Бөлмө 12"},
        having="location",
    )

    entered = the_event(AuditAction.ENTER, **on(resource))
    assert (entered.details["name"], entered.details["responsible"]) == (
        "Китепкананын базасы",
        teacher.pk,
    )
    assert the_event(AuditAction.APPROVE, **on(resource)).actor == director
    edited = the_event(AuditAction.ENTRY_CHANGE, **on(resource))
    assert changed(edited) == ({"location": "Китепкана"}, {"location": "Бөлмө 12"})


def test_a_carrier_from_entry_to_destruction_from_its_pages(
    client, security_officer, teacher
):
    clear(teacher)
    client.force_login(security_officer)
    submit(
        client,
        page(client, "office:carrier_create"),
        {"inventory_number": "USB-007", "kind": "usb_drive", "category": "open"},
        having="inventory_number",
    )
    carrier = Carrier.objects.get()
    today = days(0).isoformat()
    steps = [
        (
            "office:carrier_issue",
            {"holder": str(teacher.pk), "due_back_on": days(5).isoformat()},
        ),
        ("office:carrier_return", {"returned_on": today}),
        ("office:carrier_check", {"checked_on": today, "note": "Бүтүн"}),
        ("office:carrier_destroy", {"destroyed_on": today, "act_number": "3"}),
    ]
    for name, values in steps:
        submit(
            client,
            page(client, "office:carrier_detail", carrier.pk),
            values,
            action=reverse(name, args=[carrier.pk]),
        )

    assert the_event(AuditAction.ENTER, **on(carrier)).details == {
        "kind": "usb_drive",
        "category": "open",
    }
    assert the_event(AuditAction.ISSUE, **on(carrier)).details == {
        "holder": teacher.pk,
        "issued_on": days(0).isoformat(),
        "due_back_on": days(5).isoformat(),
    }
    assert the_event(AuditAction.RETURN, **on(carrier)).details == {
        "holder": teacher.pk,
        "returned_on": days(0).isoformat(),
    }
    assert the_event(AuditAction.CHECK, **on(carrier)).details["checked_on"] == (
        days(0).isoformat()
    )
    assert the_event(AuditAction.DESTROY, **on(carrier)).details == {
        "destroyed_on": days(0).isoformat(),
        "act_number": "3",
    }


def test_a_control_scheduled_changed_and_done_from_its_pages(
    client, security_officer, teacher
):
    client.force_login(security_officer)
    submit(
        client,
        page(client, "office:control_create"),
        {
            "title": "Ачкычтарды текшерүү",
            "frequency_days": "30",
            "next_due_on": days(30).isoformat(),
        },
        having="title",
    )
    control = PeriodicControl.objects.get(title="Ачкычтарды текшерүү")
    submit(
        client,
        page(client, "office:control_edit", control.pk),
        {"frequency_days": "14"},
        having="frequency_days",
    )
    submit(
        client,
        page(client, "office:control_detail", control.pk),
        {"done_on": days(0).isoformat(), "note": "Текшерилди"},
        action=reverse("office:control_done", args=[control.pk]),
    )

    scheduled = the_event(AuditAction.CONTROL_ADD, **on(control))
    assert (scheduled.details["title"], scheduled.details["frequency_days"]) == (
        "Ачкычтарды текшерүү",
        30,
    )
    plan = the_event(AuditAction.CONTROL_CHANGE, **on(control))
    assert changed(plan) == ({"frequency_days": 30}, {"frequency_days": 14})
    done = the_event(AuditAction.CONTROL_DONE, **on(control))
    assert done.details == {
        "done_on": days(0).isoformat(),
        "next_due_on": days(14).isoformat(),
    }
