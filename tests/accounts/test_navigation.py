"""Each role's menu holds its daily work, decided by the access policy (issue 20)."""

import pytest
from django.urls import reverse

from accounts import access, selectors


def menu(user) -> list[str]:
    return [item.url_name for item in selectors.navigation_for(user=user)]


def test_the_records_officers_menu_holds_her_daily_work(records_officer):
    entries = menu(records_officer)

    for url_name in (
        "documents:journal",
        "documents:custody",
        "documents:copy_log",
        "documents:destruction_acts",
        "documents:hand_over_new",
        "documents:reference_lists",
        "grants",
    ):
        assert url_name in entries
    assert "people" not in entries and "audit:report" not in entries


def test_the_principal_the_administrator_and_the_cabinets(
    director, administrator, student, parent
):
    assert {"audit:report", "documents:destruction_acts"} <= set(menu(director))
    assert "documents:reference_lists" not in menu(director)
    assert {"people", "grants"} <= set(menu(administrator))
    for person in (student, parent):
        assert "personal:cabinet" in menu(person)
        assert "documents:journal" not in menu(person)
        assert "grants" not in menu(person)


def test_every_entry_is_shown_exactly_when_the_policy_allows_it(everyone):
    for who, person in everyone.items():
        shown = menu(person)
        for item in selectors.NAVIGATION:
            wanted = item.permission
            if wanted is None:
                allowed = True
            elif isinstance(wanted, str):
                allowed = access.can(person, wanted)
            else:
                allowed = any(access.can(person, p) for p in wanted)
            assert (item.url_name in shown) == allowed, (who, item.url_name)


@pytest.mark.parametrize("who", ["records_officer", "teacher", "student"])
def test_the_menu_folds_into_a_details_element_without_script(client, request, who):
    client.force_login(request.getfixturevalue(who))

    page = client.get(reverse("home")).content.decode()

    assert '<details class="menu-box">' in page
    assert "<script" not in page
    assert page.index("<details") < page.index('aria-label="Main menu"')


def test_the_journal_list_offers_its_print_without_filtering(client, records_officer):
    client.force_login(records_officer)

    page = client.get(reverse("documents:journal")).content.decode()
    assert reverse("documents:journal_print_pick") in page

    form = client.get(reverse("documents:journal_print_pick"))
    assert form.status_code == 200
    journal = form.context["form"].fields["journal"].queryset.first()
    picked = client.get(
        reverse("documents:journal_print_pick"), {"journal": journal.pk, "year": 2026}
    )
    assert picked.status_code == 302
    assert picked["Location"] == reverse(
        "documents:journal_print", args=[journal.pk, 2026]
    )
    wrong = client.get(reverse("documents:journal_print_pick"), {"journal": "x"})
    assert wrong.status_code == 200 and wrong.context["form"].errors["journal"]
