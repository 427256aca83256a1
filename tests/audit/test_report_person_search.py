"""The audit report finds a person by part of their name (issue 20), among the
people the report may name: no name search tells who else exists."""

from django.urls import reverse

from audit.models import AuditAction
from audit.services import record
from tests.factories import UserFactory

REPORT = reverse("audit:report")


def test_part_of_a_name_in_any_case_finds_the_one_person(
    client, director, django_assert_max_num_queries
):
    aida = UserFactory(username="aida", last_name="Асанова", first_name="Айда")
    record(actor=aida, action=AuditAction.LOGIN)
    UserFactory.create_batch(30, password="!")  # more people, no more queries
    client.force_login(director)

    with django_assert_max_num_queries(24):
        response = client.get(REPORT, {"person": "асан"})

    assert response.status_code == 200
    assert response.context["form"].cleaned_data["person"] == aida
    assert all(event.actor_id == aida.pk for event in response.context["page"])


def test_several_matches_are_offered_as_links_that_pick_one(client, director):
    first = UserFactory(username="b1", last_name="Бекова", first_name="Нур")
    second = UserFactory(username="b2", last_name="Бекова", first_name="Айгүл")
    for person in (first, second):
        record(actor=person, action=AuditAction.LOGIN)
    client.force_login(director)

    response = client.get(REPORT, {"person": "Бекова", "action": "login"})

    assert response.status_code == 200
    assert "page" not in response.context
    offered = [person for person, _query in response.context["form"].matches]
    assert set(offered) == {first, second}
    page = response.content.decode()
    assert "person=b2" in page and "action=login" in page
    picked = client.get(REPORT, {"person": "b2", "action": "login"})
    assert picked.context["form"].cleaned_data["person"] == second


def test_a_name_search_does_not_tell_that_someone_exists(client, director):
    UserFactory(username="quiet", last_name="Токтогулова")  # never acted
    client.force_login(director)

    quiet = client.get(REPORT, {"person": "Токтогулова"})
    nobody = client.get(REPORT, {"person": "Жокбаев"})

    assert quiet.status_code == nobody.status_code == 400
    assert quiet.context["form"].errors == nobody.context["form"].errors
    assert quiet.context["form"].matches == []
