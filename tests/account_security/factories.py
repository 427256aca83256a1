"""URL arguments for tests/url_expectations.py."""

from django.utils import timezone

from accounts.models import Incident


def incident_args(people: dict) -> dict:
    """An incident reported by the student."""
    incident = Incident.objects.create(
        reporter=people["student"], due_at=timezone.now()
    )
    return {"pk": incident.pk}
