"""Signing in and out, the home page per role, the language switcher."""

import pytest
from django.urls import reverse

from accounts.roles import Role


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_login_page_is_in_kyrgyz_whatever_the_browser_asks(client, settings):
    settings.LANGUAGE_CODE = "ky"
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert response.headers["Content-Language"] == "ky"
    assert '<html lang="ky">' in response.content.decode()


def test_the_switcher_changes_the_language_and_back(client, settings):
    settings.LANGUAGE_CODE = "ky"
    client.post(reverse("set_language"), {"language": "ru", "next": "/login/"})
    assert client.get(reverse("login")).headers["Content-Language"] == "ru"

    client.post(reverse("set_language"), {"language": "ky", "next": "/login/"})
    assert client.get(reverse("login")).headers["Content-Language"] == "ky"


def test_the_switcher_ignores_a_language_we_do_not_offer(client, settings):
    settings.LANGUAGE_CODE = "ky"
    client.post(reverse("set_language"), {"language": "de", "next": "/login/"})

    assert client.get(reverse("login")).headers["Content-Language"] == "ky"


def test_teacher_signs_in_and_lands_on_the_staff_home(client, teacher, password):
    response = client.post(
        reverse("login"), {"username": "teacher", "password": password}, follow=True
    )

    assert response.request["PATH_INFO"] == reverse("home")
    assert response.context["panels"] == ["home/panel_staff.html"]
    assert str(Role.STAFF.label) in response.content.decode()


def test_a_wrong_password_is_refused_with_a_message(client, teacher):
    response = client.post(
        reverse("login"), {"username": "teacher", "password": "nope"}
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("who", "panels"),
    [
        ("administrator", ["administrator"]),
        ("director", ["principal", "staff"]),
        ("security_officer", ["security_officer", "staff"]),
        ("records_officer", ["records_officer", "staff"]),
        ("support", ["staff", "support"]),
        ("student", ["student"]),
        ("parent", ["parent"]),
        ("outsider", []),
    ],
)
def test_each_role_gets_its_own_panel(client, everyone, who, panels):
    client.force_login(everyone[who])

    response = client.get(reverse("home"))

    assert response.context["panels"] == [f"home/panel_{p}.html" for p in panels]


def test_only_the_administrator_sees_the_back_office_in_the_menu(client, everyone):
    for who, person in everyone.items():
        client.force_login(person)
        html = client.get(reverse("home")).content.decode()
        assert (reverse("admin:index") in html) == (who == "administrator"), who


def test_logging_out_needs_a_post_and_ends_the_session(client, teacher):
    client.force_login(teacher)

    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))

    assert client.get(reverse("home")).status_code == 302


def test_the_health_endpoint_answers_without_a_login(client):
    response = client.get(reverse("health"))

    assert response.status_code == 200
    assert response.content == b"ok"
