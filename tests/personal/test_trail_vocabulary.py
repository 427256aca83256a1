"""Each action on personal data, done from its page, is in the trail by its
name; a change names its fields, never their values."""

from django.urls import reverse

from accounts.models import PersonalDataRequest, RequestKind
from audit.models import AuditAction, AuditEvent
from audit.services import MASK
from tests.account_security.browser import submit
from tests.personal.conftest import PIN
from tests.trail import changed, the_event


def page(client, name, *args, **query):
    response = client.get(reverse(name, args=args), query)
    assert response.status_code == 200, name
    return response


def test_a_record_changed_from_its_page_names_the_field_not_the_value(
    client, pupil, administrator
):
    client.force_login(administrator)

    submit(
        client,
        page(client, "personal:record_edit", pupil.pk),
        {"address": "Бишкек ш., Жаңы к., 1"},
        having="address",
    )

    event = the_event(
        AuditAction.PERSONAL_DATA_CHANGE, target_type="accounts.personrecord"
    )
    assert changed(event) == ({"address": MASK}, {"address": MASK})
    assert "Жаңы" not in str(event.details)


def test_consent_given_and_withdrawn_from_the_students_page(client, pupil, family):
    client.force_login(family)
    for _decision in ("give", "take back"):
        submit(
            client,
            page(client, "personal:person", pupil.pk),
            {},
            action=reverse("personal:consent", args=[pupil.pk]),
        )

    given = the_event(AuditAction.CONSENT_GIVE, actor=family)
    withdrawn = the_event(AuditAction.CONSENT_WITHDRAW, actor=family)
    assert given.details == {"student": pupil.pk, "consent": "photo", "granted": True}
    assert withdrawn.details == {
        "student": pupil.pk,
        "consent": "photo",
        "granted": False,
    }


def make_request(client, person, subject, **values):
    client.force_login(person)
    submit(
        client,
        page(client, "personal:request_new", subject.pk),
        values,
        having="kind",
    )
    return PersonalDataRequest.objects.order_by("pk").last()


def answer(client, officer, made, **values):
    client.force_login(officer)
    name = "personal:request_refuse" if values else "personal:request_answer"
    submit(
        client,
        page(client, "personal:request_detail", made.pk),
        values,
        action=reverse(name, args=[made.pk]),
    )


def test_a_request_made_and_answered_from_the_pages(
    client, pupil, family, administrator
):
    made = make_request(client, family, pupil, kind=RequestKind.COPY)
    answer(client, administrator, made)

    asked = the_event(AuditAction.REQUEST_MAKE, target_id=str(made.pk))
    assert (asked.actor, asked.details) == (
        family,
        {"kind": "copy", "subject": pupil.pk, "field": ""},
    )
    answered = the_event(AuditAction.REQUEST_ANSWER, target_id=str(made.pk))
    assert answered.actor == administrator
    assert answered.details == {
        "kind": "copy",
        "old": {"status": "open"},
        "new": {"status": "done"},
    }


def test_a_correction_answered_changes_the_record_and_answers_the_request(
    client, pupil, family, records_officer
):
    made = make_request(
        client,
        family,
        pupil,
        kind=RequestKind.CORRECTION,
        field="phone",
        proposed_value="+996 555 000 111",
    )
    answer(client, records_officer, made)

    record_change = the_event(AuditAction.PERSONAL_DATA_CHANGE)
    assert record_change.details == {
        "request": made.pk,
        "old": {"phone": MASK},
        "new": {"phone": MASK},
    }
    answered = the_event(AuditAction.REQUEST_ANSWER, target_id=str(made.pk))
    assert changed(answered) == ({"status": "open"}, {"status": "done"})
    assert "000 111" not in str(list(AuditEvent.objects.values_list("details")))


def test_a_certificate_issued_from_the_request_page(
    client, pupil, family, records_officer
):
    made = make_request(client, family, pupil, kind=RequestKind.CERTIFICATE)
    answer(client, records_officer, made)

    made.refresh_from_db()
    issued = the_event(AuditAction.ISSUE, target_id=str(made.pk))
    assert issued.details == {
        "kind": "certificate",
        "number": made.certificate_number,
        "subject": pupil.pk,
        "old": {"status": "open"},
        "new": {"status": "done"},
    }
    registered = the_event(AuditAction.REGISTER, target_type="documents.document")
    assert registered.actor == records_officer


def test_a_request_refused_from_its_page_keeps_the_reason(
    client, pupil, family, administrator
):
    made = make_request(client, family, pupil, kind=RequestKind.COPY)
    answer(client, administrator, made, reason="Маалымат жок")

    refused = the_event(AuditAction.REQUEST_REFUSE, target_id=str(made.pk))
    assert refused.details == {
        "kind": "copy",
        "reason": "Маалымат жок",
        "old": {"status": "open"},
        "new": {"status": "refused"},
    }
    assert PIN not in str(refused.details)
