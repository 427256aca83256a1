"""URL arguments for tests/url_expectations.py, and people set up for these tests."""

from django.utils import timezone

from accounts.models import Incident


def incident_args(people: dict) -> dict:
    """An incident reported by the student."""
    incident = Incident.objects.create(
        reporter=people["student"], due_at=timezone.now()
    )
    return {"pk": incident.pk}


def with_second_factor(user) -> tuple:
    """(authenticator, backup codes): the person enrolled a second factor earlier."""
    from accounts.security import services
    from tests.e2e.helpers import totp_code

    device = services.start_enrolment(actor=user)
    codes = services.confirm_enrolment(
        actor=user, device=device, code=totp_code(device)
    )
    device.refresh_from_db()
    return device, codes
