"""The access policy answers both questions from the same rules.

For every protected model, every person of the demo school (and a few the
demo lacks) and every object: ``access.can(person, permission, obj)`` is true
exactly when ``obj`` is in ``access.visible(person, permission, ...)``, for the
policy's "see" permission and for each action it names. A list page and the
object's own page agree for every person.
"""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm

from accounts import access
from accounts.models import Incident, PersonRecord, User
from accounts.roles import Role
from documents.models import Custody, Document, Grif, HandOverAct, Journal
from execution.models import Resolution, ResolutionExecutor
from office.models import Carrier, PeriodicControl, ProtectedResource
from surveys.models import Survey
from tests.factories import UserFactory

# Models with no rules of their own: a role's permission, or one given on the
# object (accounts.access.DefaultPolicy).
DEFAULT_RULES = [
    (Journal, "documents.register_in_journal"),
    (Survey, "surveys.change_survey"),
    (ProtectedResource, "office.view_office"),
    (Carrier, "office.manage_office"),
    (PeriodicControl, "office.view_office"),
]
# Permissions asked on a model whose policy does not name them: each is sent
# to the rules that keep it (changing a PersonRecord is keeping the person).
ROUTED_RULES = [
    (PersonRecord, "accounts.change_personrecord"),
]


@pytest.fixture
def school(db):
    """The demo school, and what its demo data has none of: a hand-over act,
    an incident, a document issued to a teacher, permissions given on single
    documents (to a person and to a group), and a newcomer who is not cleared
    but was given an official-use document anyway (directly in the database,
    past the service that would refuse it)."""
    call_command("seed_demo", password="demo-password-for-tests", stdout=io.StringIO())
    people = {person.username: person for person in User.objects.all()}
    records, teacher = people["records"], people["teacher"]
    open_ones = Document.objects.filter(grif=Grif.OPEN).order_by("pk")
    official = Document.objects.filter(grif=Grif.OFFICIAL_USE).order_by("pk")
    Custody.objects.create(
        document=open_ones[0],
        holder=teacher,
        issued_by=records,
        due_at=timezone.now() + timedelta(days=1),
    )
    HandOverAct.objects.create(
        outgoing=records,
        incoming=teacher,
        order_number="12-к",
        order_date=timezone.localdate(),
        starts_on=timezone.localdate(),
        drafted_by=people["admin"],
    )
    Incident.objects.create(
        reporter=people["student1"], due_at=timezone.now() + timedelta(days=1)
    )
    newcomer = UserFactory(username="newcomer", roles=[Role.STAFF])
    Document.objects.filter(pk=open_ones[3].pk).update(executor=teacher)
    assign_perm("documents.view_document", teacher, open_ones[1])
    assign_perm("documents.view_document", newcomer, official[0])
    assign_perm(
        "documents.view_document", teacher.groups.get(name="staff"), open_ones[2]
    )
    # Execution control: the teacher assigned to an open letter by resolution,
    # and the uncleared newcomer named on an official-use one past the service.
    for document, person in ((open_ones[5], teacher), (official[0], newcomer)):
        resolution = Resolution.objects.create(
            document=document,
            author=people["director"],
            text="Жооп даярдалсын",
            deadline=timezone.localdate() + timedelta(days=5),
        )
        ResolutionExecutor.objects.create(
            resolution=resolution, person=person, is_responsible=True
        )
    return list(User.objects.order_by("username"))


def rules():
    for policy in access.POLICIES:
        for permission in (policy.view, *policy.actions):
            yield policy.model, permission
    yield from DEFAULT_RULES
    yield from ROUTED_RULES


def fresh(person: User) -> User:
    """No cached permissions or clearance from an earlier question."""
    return User.objects.get(pk=person.pk)


def test_each_object_is_allowed_exactly_when_it_is_in_the_allowed_list(school):
    disagreements = []
    checked = 0
    for model, permission in rules():
        objects = list(model.objects.all())
        assert objects, f"no {model.__name__} to check {permission} on"
        for person in school:
            listed = set(
                access.visible(
                    fresh(person), permission, model.objects.all()
                ).values_list("pk", flat=True)
            )
            asker = fresh(person)
            for obj in objects:
                checked += 1
                allowed = access.can(asker, permission, obj)
                if allowed != (obj.pk in listed):
                    disagreements.append(
                        f"{person.username} {permission} {model.__name__} {obj.pk}: "
                        f"can={allowed}, listed={obj.pk in listed}"
                    )
    assert not disagreements, "\n".join(disagreements)
    assert checked > 5000


def test_the_rules_are_the_regulations(school):
    """A few answers the property above must not hide: each rule does work."""
    people = {person.username: fresh(person) for person in school}
    official = Document.objects.filter(grif=Grif.OFFICIAL_USE).first()
    given = Document.objects.filter(grif=Grif.OPEN).order_by("pk")[1]
    teacher, newcomer = people["teacher"], people["newcomer"]

    # The records officer sees everything; an executor their own documents.
    assert access.visible(people["records"], access.DOCUMENTS.view, Document.objects)
    executed = Document.objects.filter(executor=teacher, grif=Grif.OPEN).first()
    assert access.can(teacher, "documents.view_document", executed)
    assert not access.can(people["student1"], "documents.view_document", executed)
    # A permission given on one document lets a person see it, not change it.
    assert access.can(teacher, "documents.view_document", given)
    assert not access.can(teacher, "documents.change_document", given)
    # Official-use material needs clearance whatever was given (2.5).
    assert not access.can(newcomer, "documents.view_document", official)
    # An assignee of a resolution sees its document and reports on it; an
    # assignment gives no official-use document to the uncleared.
    assigned = Resolution.objects.filter(
        executors__person=teacher, document__grif=Grif.OPEN
    ).first()
    assert access.can(teacher, "documents.view_document", assigned.document)
    assert access.can(teacher, "execution.add_executionreport", assigned)
    assert not access.can(teacher, "execution.change_resolution", assigned)
    assert access.can(people["director"], "execution.change_resolution", assigned)
    named = Resolution.objects.get(executors__person=newcomer)
    assert not access.can(newcomer, "documents.view_document", named.document)
    assert not access.can(newcomer, "execution.add_executionreport", named)
    # The holder of an issue is the one who signs for it.
    custody = Custody.objects.filter(holder=teacher).first()
    assert access.can(teacher, "documents.receive_document", custody)
    assert not access.can(people["records"], "documents.receive_document", custody)
    # The incoming officer sees the hand-over act; a student does not.
    act = HandOverAct.objects.get()
    assert access.can(teacher, "documents.view_handoveract", act)
    assert not access.can(people["student2"], "documents.view_handoveract", act)
    # The reporter sees their incident; only support handles it.
    incident = Incident.objects.get()
    assert access.can(people["student1"], "accounts.view_incident", incident)
    assert not access.can(people["student1"], "accounts.handle_incident", incident)
    assert access.can(people["support"], "accounts.handle_incident", incident)
    # A parent sees their child's personal data, not another child's.
    parent = people["parent1"]
    children = User.objects.filter(parent_links__parent=parent)
    others = User.objects.filter(groups__name="student").exclude(pk__in=children)
    assert all(access.can(parent, "accounts.view_personrecord", c) for c in children)
    assert not any(access.can(parent, "accounts.view_personrecord", o) for o in others)
    # Seeing one's own record is not keeping it: only those who keep people do.
    own = PersonRecord.objects.get(person=people["student1"])
    assert access.can(people["student1"], "accounts.view_personrecord", own)
    assert not access.can(people["student1"], "accounts.change_personrecord", own)
    assert not access.can(parent, "accounts.change_personrecord", own)
    keeper = people["admin"]
    assert access.can(keeper, "accounts.change_personrecord", own) == access.can(
        keeper, "accounts.change_personrecord", own.person
    )


def test_every_role_power_still_needs_clearance_for_official_use(school, monkeypatch):
    """Even a person whose roles granted every permission: no clearance, no
    official-use document, neither seen nor acted on."""
    newcomer = fresh(User.objects.get(username="newcomer"))
    monkeypatch.setattr(User, "has_perm", lambda *args, **kwargs: True)
    official = Document.objects.filter(grif=Grif.OFFICIAL_USE)

    for permission in (access.DOCUMENTS.view, *access.DOCUMENTS.actions):
        assert not access.visible(newcomer, permission, official).exists()
        assert not any(access.can(newcomer, permission, d) for d in official)


def _listed_documents(client) -> set[int] | None:
    """Every document the journal lists, over all its pages; None if refused."""
    found, number = set(), 1
    while True:
        response = client.get(reverse("documents:journal"), {"page": number})
        if response.status_code != 200:
            return None
        found |= {
            int(pk) for pk in re.findall(r'href="/documents/(\d+)/"', response.text)
        }
        page = response.context["page"]
        if not page.has_next():
            return found
        number += 1


def test_the_journal_and_each_document_page_agree_for_every_person(school, client):
    everything = list(Document.objects.values_list("pk", flat=True))
    for person in school:
        client.force_login(person)
        listed = _listed_documents(client)
        opened = {
            pk
            for pk in everything
            if client.get(reverse("documents:document", args=[pk])).status_code == 200
        }
        if listed is None:  # no journal for this role: and no document either
            listed = set()
        assert opened == listed, person.username


def test_the_act_lists_and_each_act_page_agree_for_every_person(school, client):
    from documents.models import DestructionAct

    for person in school:
        client.force_login(person)
        response = client.get(reverse("documents:destruction_acts"))
        listed = (
            {act.pk for act in response.context["acts"]}
            if response.status_code == 200
            else set()
        )
        opened = {
            act.pk
            for act in DestructionAct.objects.all()
            if client.get(
                reverse("documents:destruction_act", args=[act.pk])
            ).status_code
            == 200
        }
        assert opened == listed, person.username
