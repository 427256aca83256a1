"""Cabinets, the person page, reveal, requests and downloads through HTTP."""

import pytest
from django.urls import reverse

from accounts.models import ConsentKind, PersonalDataRequest, RequestKind
from accounts.personal import services
from audit.models import AuditAction
from tests.personal.conftest import PIN
from tests.trail import service_events


def test_a_parent_sees_their_child_in_the_cabinet(client, pupil, family):
    client.force_login(family)

    response = client.get(reverse("personal:cabinet"))

    assert response.status_code == 200
    assert str(pupil) in response.content.decode()
    assert PIN not in response.content.decode()


def test_the_person_page_is_masked_and_recorded(client, pupil, family):
    client.force_login(family)

    page = client.get(reverse("personal:person", args=[pupil.pk])).content.decode()

    assert PIN not in page and "Ибраимов" not in page
    assert service_events().filter(actor=family, action=AuditAction.VIEW).count() == 1


def test_show_reveals_one_field_and_records_which(client, pupil, family):
    client.force_login(family)

    response = client.post(
        reverse("personal:reveal", args=[pupil.pk]), {"field": "pin"}
    )

    page = response.content.decode()
    assert PIN in page and "Ибраимов" not in page
    assert response["Cache-Control"] == "no-store"
    event = service_events().get(actor=family, details={"field": "pin"})
    assert event.target_type == "accounts.personrecord"


def test_a_stranger_gets_404_for_the_person_and_the_reveal(client, pupil, teacher):
    client.force_login(teacher)

    assert client.get(reverse("personal:person", args=[pupil.pk])).status_code == 404
    response = client.post(
        reverse("personal:reveal", args=[pupil.pk]), {"field": "pin"}
    )
    assert response.status_code == 404
    assert not service_events().filter(action=AuditAction.VIEW).exists()


def test_a_class_teacher_opens_their_class(client, class_teacher, pupil):
    client.force_login(class_teacher)

    page = client.get(reverse("personal:my_class")).content.decode()

    assert reverse("personal:person", args=[pupil.pk]) in page
    assert client.get(reverse("personal:person", args=[pupil.pk])).status_code == 200


def test_a_bad_pin_in_a_correction_request_is_shown_and_nothing_saved(
    client, pupil, family
):
    client.force_login(family)

    response = client.post(
        reverse("personal:request_new", args=[pupil.pk]),
        {"kind": "correction", "field": "pin", "proposed_value": "12345"},
    )

    assert response.status_code == 200
    assert "14" in response.content.decode()
    assert not PersonalDataRequest.objects.exists()


def test_a_request_about_someone_else_is_404(client, pupil, parent):
    client.force_login(parent)

    response = client.post(
        reverse("personal:request_new", args=[pupil.pk]), {"kind": "copy"}
    )

    assert response.status_code == 404
    assert not PersonalDataRequest.objects.exists()


def test_a_parent_requests_and_downloads_a_certificate(
    client, pupil, family, records_officer
):
    client.force_login(family)
    response = client.post(
        reverse("personal:request_new", args=[pupil.pk]), {"kind": "certificate"}
    )
    made = PersonalDataRequest.objects.get()
    assert response.url == reverse("personal:request_detail", args=[made.pk])
    url = reverse("personal:certificate", args=[made.pk])
    assert client.get(url).status_code == 404

    client.force_login(records_officer)
    client.post(reverse("personal:request_answer", args=[made.pk]))
    client.force_login(family)
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_a_student_can_not_answer_their_own_request(client, pupil):
    made = services.request_create(actor=pupil, subject=pupil, kind=RequestKind.COPY)
    client.force_login(pupil)

    response = client.post(reverse("personal:request_answer", args=[made.pk]))

    assert response.status_code == 404
    made.refresh_from_db()
    assert made.status == "open"


def test_the_copy_downloads_as_json_and_html(client, pupil, records_officer):
    made = services.request_create(actor=pupil, subject=pupil, kind=RequestKind.COPY)
    services.copy_prepare(actor=records_officer, request=made)
    client.force_login(pupil)

    as_json = client.get(reverse("personal:export_json", args=[made.pk]))
    as_html = client.get(reverse("personal:export_html", args=[made.pk]))

    assert as_json.json()["personal_data"]["pin"] == PIN
    assert PIN in as_html.content.decode()
    assert "attachment" in as_html["Content-Disposition"]


def test_a_parent_gives_consent_from_the_page(client, pupil, family):
    client.force_login(family)

    client.post(
        reverse("personal:consent", args=[pupil.pk]),
        {"kind": ConsentKind.PHOTO, "granted": "1"},
    )

    assert pupil.consents.get().granted is True


@pytest.mark.parametrize("name", ["personal:requests", "personal:overdue"])
def test_request_lists_cost_the_same_for_many_rows(
    client,
    name,
    pupil,
    records_officer,
    security_officer,
    django_assert_max_num_queries,
):
    for _ in range(20):
        services.request_create(actor=pupil, subject=pupil, kind=RequestKind.COPY)
    PersonalDataRequest.objects.update(due_on="2020-01-01")
    viewer = records_officer if name == "personal:requests" else security_officer
    client.force_login(viewer)

    with django_assert_max_num_queries(12):
        response = client.get(reverse(name))

    assert response.status_code == 200
    assert response.content.decode().count(str(pupil)) >= 20
