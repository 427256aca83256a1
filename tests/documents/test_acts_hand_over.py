"""The records officer's hand-over act (regulation 4.2.6)."""

from datetime import date

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import access, selectors, services
from accounts.models import AppointedRole, Appointment
from accounts.roles import Role
from audit.models import AuditAction, AuditEvent
from documents import acts
from documents.models import HandOverAct
from tests.account_security.browser import submit
from tests.factories import UserFactory

ORDER = {"order_number": "21-к", "order_date": date(2026, 9, 1)}


def fresh(user):
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def current(administrator, records_officer):
    return services.appoint(
        actor=administrator,
        person=records_officer,
        role=AppointedRole.RECORDS_OFFICER,
        starts_on=date(2026, 9, 1),
        **ORDER,
    )


@pytest.fixture
def newcomer(db):
    return UserFactory(username="newrecords", roles=[Role.STAFF])


@pytest.fixture
def act(current, administrator, newcomer, register, records_officer, teacher):
    document = register(records_officer)
    from documents import services as documents

    documents.issue_document(actor=records_officer, document=document, to=teacher)
    return acts.draft_hand_over_act(
        actor=administrator,
        incoming=newcomer,
        starts_on=date(2026, 9, 20),
        **ORDER,
    )


def test_the_act_lists_every_document_with_its_holder(act, teacher):
    lines = acts.hand_over_lines(act)
    assert len(lines) == 1
    assert lines[0].open_custodies[0].holder == teacher
    drafted = AuditEvent.objects.get(
        action=AuditAction.ACT_DRAFT, target_type="documents.handoveract"
    )
    assert (drafted.details["incoming"], drafted.details["documents"]) == (
        act.incoming_id,
        1,
    )


def test_replacing_the_records_officer_without_the_act_is_refused(
    current, administrator, newcomer, records_officer
):
    with pytest.raises(ValidationError):
        services.appoint(
            actor=administrator,
            person=newcomer,
            role=AppointedRole.RECORDS_OFFICER,
            starts_on=date(2026, 9, 20),
            replace_current=True,
            **ORDER,
        )
    assert Appointment.objects.get(ends_on__isnull=True).person == records_officer


def test_only_the_administrator_drafts(current, director, newcomer):
    with pytest.raises(access.Forbidden):
        acts.draft_hand_over_act(
            actor=director, incoming=newcomer, starts_on=date(2026, 9, 20), **ORDER
        )
    assert not HandOverAct.objects.exists()


def test_three_confirmations_move_the_appointment_and_the_permissions(
    act, records_officer, newcomer, director, password
):
    acts.confirm_hand_over_act(actor=records_officer, act=act, password=password)
    acts.confirm_hand_over_act(actor=records_officer, act=act, password=password)
    acts.confirm_hand_over_act(actor=newcomer, act=act, password=password)
    assert not fresh(newcomer).has_perm("documents.issue_document")

    acts.confirm_hand_over_act(actor=director, act=act, password=password)

    act.refresh_from_db()
    assert act.is_complete
    now_current = Appointment.objects.get(
        role=AppointedRole.RECORDS_OFFICER, ends_on__isnull=True
    )
    assert now_current.person == newcomer
    assert now_current.order_number == ORDER["order_number"]
    assert Role.RECORDS_OFFICER in selectors.roles_of(user=fresh(newcomer))
    assert Role.RECORDS_OFFICER not in selectors.roles_of(user=fresh(records_officer))
    assert fresh(newcomer).has_perm("documents.issue_document")
    signed = AuditEvent.objects.filter(action=AuditAction.ACT_SIGN)
    assert [e.details["confirmed_as"] for e in signed.order_by("seq")] == [
        ["outgoing"],
        ["incoming"],
    ]
    handed_over = AuditEvent.objects.get(action=AuditAction.HAND_OVER)
    assert (handed_over.actor, handed_over.details["confirmed_as"]) == (
        director,
        ["principal"],
    )
    appointed = AuditEvent.objects.get(
        action=AuditAction.APPOINT, target_id=str(newcomer.pk)
    )
    assert appointed.actor == director
    assert appointed.seq > handed_over.seq


def test_a_document_missing_from_the_act_blocks_it_until_refreshed(
    act, register, records_officer, administrator, password
):
    register(records_officer, summary="Registered after the draft")
    with pytest.raises(ValidationError):
        acts.confirm_hand_over_act(actor=records_officer, act=act, password=password)
    act.refresh_from_db()
    assert act.outgoing_confirmed_at is None

    acts.refresh_hand_over_act(actor=administrator, act=act)
    acts.confirm_hand_over_act(actor=records_officer, act=act, password=password)
    act.refresh_from_db()
    assert act.outgoing_confirmed_at is not None


def test_if_the_appointment_fails_nothing_is_confirmed(
    act, records_officer, newcomer, director, password
):
    acts.confirm_hand_over_act(actor=records_officer, act=act, password=password)
    acts.confirm_hand_over_act(actor=newcomer, act=act, password=password)
    newcomer.is_active = False  # an inactive person can't be appointed
    newcomer.save(update_fields=["is_active"])
    with pytest.raises(ValidationError):
        acts.confirm_hand_over_act(actor=director, act=act, password=password)
    act.refresh_from_db()
    assert act.principal_confirmed_at is None and not act.is_complete
    assert Appointment.objects.get(ends_on__isnull=True).person == records_officer
    assert Role.RECORDS_OFFICER in selectors.roles_of(user=fresh(records_officer))


def test_an_outsider_can_not_confirm_and_a_wrong_password_does_nothing(
    act, teacher, records_officer
):
    with pytest.raises(access.NotVisible):
        acts.confirm_hand_over_act(actor=teacher, act=act, password="x")
    with pytest.raises(ValidationError):
        acts.confirm_hand_over_act(actor=records_officer, act=act, password="wrong")
    act.refresh_from_db()
    assert act.outgoing_confirmed_at is None


def test_the_hand_over_through_the_pages(
    client, current, administrator, newcomer, records_officer, director, password
):
    from django.urls import reverse

    client.force_login(administrator)
    response = client.post(
        reverse("documents:hand_over_new"),
        {
            "incoming": newcomer.pk,
            "order_number": "21-к",
            "order_date": "2026-09-01",
            "starts_on": "2026-09-20",
        },
    )
    act = HandOverAct.objects.get()
    assert response["Location"] == reverse("documents:hand_over", args=[act.pk])
    for person in (records_officer, newcomer, director):
        client.force_login(person)
        page = client.get(reverse("documents:hand_over", args=[act.pk]))
        assert page.context["may_confirm"]
        client.post(
            reverse("documents:hand_over_confirm", args=[act.pk]),
            {"password": password},
        )
    act.refresh_from_db()
    assert act.is_complete
    printed = client.get(reverse("documents:hand_over_print", args=[act.pk]))
    assert printed.status_code == 200 and str(newcomer) in printed.content.decode()


def test_outsiders_get_404_on_the_hand_over(client, act, student, support):
    from django.urls import reverse

    for person in (student, support):
        client.force_login(person)
        response = client.get(reverse("documents:hand_over", args=[act.pk]))
        assert response.status_code == 404


@pytest.fixture
def deputy(db):
    """Drafts hand-over acts, may not appoint officers: the permissions split."""
    role = Group.objects.create(name="hand-over clerk")
    role.permissions.set(
        Permission.objects.filter(
            content_type__app_label="documents",
            codename__in=["add_handoveract", "view_handoveract"],
        )
    )
    person = UserFactory(username="deputy", roles=[Role.STAFF])
    person.groups.add(role)
    return fresh(person)


def test_split_permissions_the_principal_who_confirms_makes_the_appointment(
    client, current, deputy, newcomer, records_officer, director, password
):
    assert not access.can(deputy, "accounts.appoint_officer")
    assert not access.can(director, "accounts.appoint_officer")
    client.force_login(deputy)
    page = client.get(reverse("documents:hand_over_new"))
    submit(
        client,
        page,
        {
            "incoming": str(newcomer.pk),
            "order_number": "21-к",
            "order_date": "2026-09-01",
            "starts_on": "2026-09-20",
        },
        having="incoming",
    )
    act = HandOverAct.objects.get()
    assert act.drafted_by == deputy

    for person in (records_officer, newcomer, director):
        client.force_login(person)
        page = client.get(reverse("documents:hand_over", args=[act.pk]))
        submit(client, page, {"password": password}, having="password")

    act.refresh_from_db()
    assert act.is_complete
    appointment = Appointment.objects.get(
        role=AppointedRole.RECORDS_OFFICER, ends_on__isnull=True
    )
    assert (appointment.person, appointment.appointed_by) == (newcomer, director)
    appointed = AuditEvent.objects.get(action=AuditAction.APPOINT, actor=director)
    assert appointed.target_id == str(newcomer.pk)
    assert appointed.details["appointment"] == appointment.pk
    # The appointment is in the trail once: its row goes with the APPOINT event.
    assert not AuditEvent.objects.filter(
        target_type="accounts.appointment", target_id=str(appointment.pk)
    ).exists()
    (row,) = [
        line
        for line in appointed.details["field_log"]
        if line["target_type"] == "accounts.appointment"
    ]
    assert row["target_id"] == str(appointment.pk)


def test_the_principal_confirming_first_still_makes_the_appointment(
    current, deputy, newcomer, records_officer, director, password
):
    act = acts.draft_hand_over_act(
        actor=deputy, incoming=newcomer, starts_on=date(2026, 9, 20), **ORDER
    )
    acts.confirm_hand_over_act(actor=director, act=act, password=password)
    acts.confirm_hand_over_act(actor=records_officer, act=act, password=password)

    acts.confirm_hand_over_act(actor=newcomer, act=act, password=password)

    handed_over = AuditEvent.objects.get(action=AuditAction.HAND_OVER)
    assert handed_over.actor == newcomer
    appointed = AuditEvent.objects.get(
        action=AuditAction.APPOINT, target_id=str(newcomer.pk)
    )
    assert appointed.actor == director
    assert Appointment.objects.get(ends_on__isnull=True).appointed_by == director


def test_an_act_lends_its_authority_only_to_its_principal_for_its_incoming(
    current, deputy, newcomer, records_officer, director, password
):
    act = acts.draft_hand_over_act(
        actor=deputy, incoming=newcomer, starts_on=date(2026, 9, 20), **ORDER
    )
    for person in (records_officer, newcomer, director):
        acts.confirm_hand_over_act(actor=person, act=act, password=password)
    other = UserFactory(username="other", roles=[Role.STAFF])

    for actor, person in ((deputy, newcomer), (director, other)):
        with pytest.raises(access.Forbidden):
            services.appoint(
                actor=actor,
                person=person,
                role=AppointedRole.RECORDS_OFFICER,
                starts_on=date(2026, 9, 21),
                replace_current=True,
                hand_over=act,
                **ORDER,
            )
    assert Appointment.objects.get(ends_on__isnull=True).person == newcomer


def test_an_old_act_can_not_bring_back_its_incoming_officer(
    act, administrator, records_officer, newcomer, director, password
):
    for person in (records_officer, newcomer, director):
        acts.confirm_hand_over_act(actor=person, act=act, password=password)
    # Hand-over back: newcomer → records_officer, by a second act.
    back = acts.draft_hand_over_act(
        actor=administrator,
        incoming=records_officer,
        starts_on=date(2026, 10, 1),
        order_number="30-к",
        order_date=date(2026, 9, 25),
    )
    for person in (newcomer, records_officer, director):
        acts.confirm_hand_over_act(actor=person, act=back, password=password)
    assert Appointment.objects.get(ends_on__isnull=True).person == records_officer

    # The first act named records_officer as outgoing, who holds the post
    # again: it still may not replace them.
    with pytest.raises(ValidationError):
        services.appoint(
            actor=director,
            person=newcomer,
            role=AppointedRole.RECORDS_OFFICER,
            starts_on=date(2026, 11, 1),
            replace_current=True,
            hand_over=act,
            **ORDER,
        )
    assert Appointment.objects.get(ends_on__isnull=True).person == records_officer


def test_a_principal_who_lost_the_role_must_be_replaced_by_one_who_has_it(
    act, records_officer, newcomer, director, password
):
    acts.confirm_hand_over_act(actor=director, act=act, password=password)
    acts.confirm_hand_over_act(actor=records_officer, act=act, password=password)
    director.groups.remove(Group.objects.get(name=Role.PRINCIPAL))
    successor = UserFactory(username="successor", roles=[Role.PRINCIPAL, Role.STAFF])

    # The last officer's signature does not complete the act: the former
    # principal's confirmation lapsed, and nobody is refused.
    acts.confirm_hand_over_act(actor=newcomer, act=act, password=password)
    act.refresh_from_db()
    assert not act.is_complete and act.principal_id is None
    signed = AuditEvent.objects.filter(action=AuditAction.ACT_SIGN).latest("pk")
    assert signed.details["principal_confirmation_lapsed"] == director.pk
    assert Appointment.objects.get(ends_on__isnull=True).person == records_officer

    acts.confirm_hand_over_act(actor=successor, act=act, password=password)
    act.refresh_from_db()
    assert act.is_complete and act.principal == successor
    appointment = Appointment.objects.get(ends_on__isnull=True)
    assert (appointment.person, appointment.appointed_by) == (newcomer, successor)


def test_the_new_principals_home_shows_an_act_whose_confirmation_lapsed(
    act, records_officer, director, password, client
):
    acts.confirm_hand_over_act(actor=director, act=act, password=password)
    acts.confirm_hand_over_act(actor=records_officer, act=act, password=password)
    url = reverse("documents:hand_over", args=[act.pk])
    client.force_login(director)
    assert url not in client.get(reverse("home")).content.decode()

    director.groups.remove(Group.objects.get(name=Role.PRINCIPAL))
    successor = UserFactory(username="successor", roles=[Role.PRINCIPAL, Role.STAFF])
    # Before anybody signs again, the act waits for the new principal.
    client.force_login(successor)
    assert url in client.get(reverse("home")).content.decode()
