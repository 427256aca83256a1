import pytest
from django.conf import settings
from django.test import Client


@pytest.fixture
def sign_in_as(password):
    """A fresh browser signed in through the real sign-in page, from an address."""

    def sign_in(user, address="10.0.0.1", agent="Mozilla/5.0 (X11; Linux) Firefox/128"):
        client = Client(REMOTE_ADDR=address, HTTP_USER_AGENT=agent)
        response = client.post(
            "/login/", {"username": user.username, "password": password}
        )
        assert response.status_code == 302, response.content[:500]
        return client

    return sign_in


def cookie_of(client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def replay(cookie: str) -> Client:
    """Another browser that presents a copied session cookie."""
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    return client
