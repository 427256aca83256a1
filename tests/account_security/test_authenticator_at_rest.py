"""The second factor's secret is encrypted at rest like every other secret."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts import fields
from accounts.models import Authenticator
from accounts.security import services
from tests.e2e.helpers import totp_code


def raw_key(device) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT key FROM accounts_authenticator WHERE id = %s", [device.pk]
        )
        return cursor.fetchone()[0]


def test_the_totp_secret_is_stored_only_as_ciphertext(director):
    device = services.start_enrolment(actor=director)

    stored = raw_key(device)

    assert device.key not in stored
    assert stored.startswith("gAAAAA")  # a Fernet token
    assert fields.decrypt(stored) == device.key
    assert services.confirm_enrolment(
        actor=director, device=device, code=totp_code(device)
    )
    assert services.verify_second_factor(person=director, code=totp_code(device, 30))


def test_a_code_counts_only_once_and_failures_are_throttled(director):
    device = services.start_enrolment(actor=director)
    code = totp_code(device)
    services.confirm_enrolment(actor=director, device=device, code=code)

    assert not services.verify_second_factor(person=director, code=code)
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_the_enrolment_qr_names_the_portal_and_the_person(director):
    device = services.start_enrolment(actor=director)

    assert device.config_url.startswith("otpauth://totp/School%20Portal%3Adirector?")
    assert "issuer=School%20Portal" in device.config_url
    assert "digits=6" in device.config_url and "period=30" in device.config_url


OLD_TABLE = """
CREATE TABLE otp_totp_totpdevice (
    id integer PRIMARY KEY, name varchar(64) NOT NULL, confirmed bool NOT NULL,
    user_id bigint NOT NULL, key varchar(80) NOT NULL, step smallint NOT NULL,
    t0 bigint NOT NULL, digits smallint NOT NULL, tolerance smallint NOT NULL,
    drift smallint NOT NULL, last_t bigint NOT NULL
)
"""


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_moves_plain_secrets_into_encrypted_ones_and_drops_them(
    director,
):
    """An installation from before: django-otp's table with a plain secret."""
    secret = "3132333435363738393031323334353637383930"
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0006_appointment_order_document")])
    with connection.cursor() as cursor:
        cursor.execute(OLD_TABLE)
        cursor.execute(
            "INSERT INTO otp_totp_totpdevice VALUES "
            "(1, 'authenticator', %s, %s, %s, 30, 0, 6, 1, 0, 57000000)",
            [True, director.pk, secret],
        )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert "otp_totp_totpdevice" not in connection.introspection.table_names()
    moved = Authenticator.objects.get(user=director)
    assert (moved.key, moved.confirmed, moved.last_t) == (secret, True, 57000000)
    assert secret not in raw_key(moved)
