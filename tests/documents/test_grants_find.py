"""Whoever may give a permission finds the object by number or name (issue 20)."""

from django.urls import reverse

from tests.factories import UserFactory

GRANTS = reverse("grants")


def links(response) -> list[str]:
    return [
        row.model for _heading, rows in response.context["sections"] for row in rows
    ]


def test_the_records_officer_finds_a_document_by_its_coded_number(
    client, records_officer, register, django_assert_max_num_queries
):
    document = register(records_officer)
    client.force_login(records_officer)

    with django_assert_max_num_queries(20):
        response = client.get(GRANTS, {"q": document.coded_number})

    assert response.status_code == 200
    target = reverse("object_permissions", args=["documents.document", document.pk])
    assert target in response.content.decode()
    by_number = client.get(GRANTS, {"q": document.number})
    assert target in by_number.content.decode()
    wrong_journal = client.get(GRANTS, {"q": f"Out-{document.number}"})
    assert target not in wrong_journal.content.decode()


def test_the_administrator_finds_a_person_by_part_of_the_name(client, administrator):
    person = UserFactory(username="kanat", last_name="Осмонов", first_name="Канат")
    client.force_login(administrator)

    response = client.get(GRANTS, {"q": "осмон"})

    target = reverse("object_permissions", args=["accounts.user", person.pk])
    assert target in response.content.decode()
    assert "documents.document" not in links(response)  # not hers to give


def test_people_who_may_not_grant_get_404(client, teacher, director, student):
    for person in (teacher, director, student):
        client.force_login(person)
        assert client.get(GRANTS, {"q": "a"}).status_code == 404


def test_the_document_page_links_to_its_permissions_only_for_who_may_grant(
    client, records_officer, director, register
):
    document = register(records_officer)
    target = reverse("object_permissions", args=["documents.document", document.pk])
    url = reverse("documents:document", args=[document.pk])

    client.force_login(records_officer)
    assert target in client.get(url).content.decode()
    client.force_login(director)
    assert target not in client.get(url).content.decode()
