"""The sign-in and password pages speak the portal's Kyrgyz and Russian.

Django's own catalogs would say "Колдонуучу аты", "Сырсөз", "…СезГичТүү…" and
refuse a short password in English; these pages are read as a browser gets
them and submitted as a browser sends them.
"""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.security import services
from tests.account_security.browser import submit
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

DJANGO_WORDS = ("Колдонуучу аты", "Сырсөз", "сезгич", "Username", "Password")


def browser(language: str) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def text_of(html: str) -> str:
    """What a person reads: the page without its tags."""
    return re.sub(r"<[^>]+>", " ", html)


def errors(response) -> str:
    """The text of the page's error messages."""
    html = response.content.decode()
    return " ".join(
        part.split("</p>")[0]
        for part in html.split('role="alert">')[1:]
        if "</p>" in part
    )


@pytest.mark.parametrize(
    ("language", "login", "password"),
    [("ky", "Логин", "Пароль"), ("ru", "Логин", "Пароль")],
)
def test_the_sign_in_form_says_login_and_password(language, login, password):
    html = browser(language).get(reverse("login")).content.decode()

    assert f'<label for="id_username">{login}</label>' in html
    assert f'<label for="id_password">{password}</label>' in html
    for word in DJANGO_WORDS:
        assert word.casefold() not in text_of(html).casefold()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("ky", "Логин же пароль туура эмес."),
        ("ru", "Неверный логин или пароль."),
    ],
)
def test_a_wrong_password_is_refused_in_the_person_s_language(
    language, message, teacher
):
    client = browser(language)
    page = client.get(reverse("login"))

    response = submit(
        client,
        page,
        {"username": teacher.username, "password": "not the password"},
        having="password",
    )

    assert response.status_code == 200
    assert message in errors(response)
    assert "сезгич" not in response.content.decode().casefold()


# What a person types, what the validators of settings.AUTH_PASSWORD_VALIDATORS
# answer in Kyrgyz and in Russian.
REFUSALS = {
    "ky": {
        "short-pass": "өтө кыска: анда жок дегенде 12 белги болушу керек",
        "qwerty123456": "эң көп колдонулган паролдордун бири",
        "481516234200": "цифралардан гана турат",
        "teacher12345": "логиниңизге, аты-жөнүңүзгө же эл. почтаңызга өтө окшош",
    },
    "ru": {
        "short-pass": "слишком короткий: нужно не менее 12 символов",
        "qwerty123456": "один из самых распространенных паролей",
        "481516234200": "состоит только из цифр",
        "teacher12345": "слишком похож на Ваш логин, имя или адрес эл. почты",
    },
}


@pytest.mark.parametrize("language", ["ky", "ru"])
@pytest.mark.parametrize(
    "new", ["short-pass", "qwerty123456", "481516234200", "teacher12345"]
)
def test_the_password_change_form_refuses_in_our_words(language, new, teacher):
    assert teacher.username == "teacher"
    client = browser(language)
    client.force_login(teacher)
    page = client.get(reverse("security:password_change"))

    response = submit(
        client,
        page,
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        having="old_password",
    )

    assert response.status_code == 200
    assert REFUSALS[language][new] in errors(response)
    teacher.refresh_from_db()
    assert teacher.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("language", "labels", "mismatch", "not_current"),
    [
        (
            "ky",
            ("Учурдагы пароль", "Жаңы пароль", "Жаңы паролду кайталаңыз"),
            "Эки жаңы пароль дал келбейт",
            "Бул Сиздин учурдагы паролуңуз эмес.",
        ),
        (
            "ru",
            ("Текущий пароль", "Новый пароль", "Новый пароль еще раз"),
            "Новые пароли не совпадают",
            "Это не Ваш текущий пароль.",
        ),
    ],
)
def test_the_password_change_form_has_our_labels_and_messages(
    language, labels, mismatch, not_current, teacher
):
    client = browser(language)
    client.force_login(teacher)
    page = client.get(reverse("security:password_change"))
    html = page.content.decode()
    for field, label in zip(
        ("old_password", "new_password1", "new_password2"), labels, strict=True
    ):
        assert f'<label for="id_{field}">{label}</label>' in html
    # The validators' help, in the same language, beside the new password.
    assert (
        "Жок дегенде 12 белги." if language == "ky" else "Не менее 12 символов."
    ) in html

    differ = submit(
        client,
        page,
        {
            "old_password": PASSWORD,
            "new_password1": "green tea under the walnut tree",
            "new_password2": "green tea under the walnut",
        },
        having="old_password",
    )
    wrong_current = submit(
        client,
        page,
        {
            "old_password": "not my password",
            "new_password1": "green tea under the walnut tree",
            "new_password2": "green tea under the walnut tree",
        },
        having="old_password",
    )

    assert mismatch in errors(differ)
    assert not_current in errors(wrong_current)
    teacher.refresh_from_db()
    assert teacher.check_password(PASSWORD)


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_the_reset_link_form_refuses_in_our_words(language, support, student):
    uidb64, token = services.reset_with_link(actor=support, person=student)
    client = browser(language)
    page = client.get(reverse("security:reset_link", args=[uidb64, token]))

    response = submit(
        client,
        page,
        {"new_password1": "qwerty123456", "new_password2": "qwerty123456"},
        having="new_password1",
    )

    assert response.status_code == 200
    assert REFUSALS[language]["qwerty123456"] in errors(response)
    student.refresh_from_db()
    assert not student.check_password("qwerty123456")


def test_the_minimum_length_message_counts_in_russian(settings):
    from django.utils import translation

    from accounts.security.passwords import MinimumLengthValidator

    with translation.override("ru"):
        one = MinimumLengthValidator(min_length=1).get_error_message()
        few = MinimumLengthValidator(min_length=3).get_error_message()
        many = MinimumLengthValidator(min_length=12).get_error_message()

    assert "не менее 1 символа." in one
    assert "не менее 3 символов." in few
    assert "не менее 12 символов." in many


@pytest.mark.parametrize(("language", "label"), [("ky", "Код"), ("ru", "Код")])
def test_the_second_factor_page_asks_in_our_words(language, label, teacher):
    from tests.account_security.factories import with_second_factor

    with_second_factor(teacher)
    client = browser(language)
    signed = submit(
        client,
        client.get(reverse("login")),
        {"username": teacher.username, "password": PASSWORD},
        having="password",
    )
    page = client.get(signed["Location"])
    html = page.content.decode()

    assert f'<label for="id_code">{label}</label>' in html
    wrong = submit(client, page, {"code": "000000"}, having="code")
    expected = {
        "ky": "Бул код туура эмес же мурда колдонулган.",
        "ru": "Код неверен или уже использован.",
    }[language]
    assert expected in errors(wrong)


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_the_language_switcher_names_each_language_in_itself(language):
    html = browser(language).get(reverse("login")).content.decode()

    for name in ("Кыргызча", "Русский", "English"):
        assert f">{name}</button>" in html
    assert "Англисче" not in html
    assert "Английский" not in html


@pytest.mark.parametrize(
    ("language", "login", "password"),
    [
        ("ky", "Логиниңизди киргизиңиз.", "Паролуңузду киргизиңиз."),
        ("ru", "Введите логин.", "Введите пароль."),
    ],
)
def test_an_empty_sign_in_says_what_is_missing(language, login, password):
    client = browser(language)

    response = submit(
        client,
        client.get(reverse("login")),
        {"username": "", "password": ""},
        having="password",
    )

    assert response.status_code == 200
    assert login in errors(response)
    assert password in errors(response)
