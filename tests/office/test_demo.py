import io

from django.core.management import call_command

from office import selectors
from office.models import Carrier, CarrierIssue, ProtectedResource


def test_seed_demo_fills_the_registers_with_one_overdue_control(db):
    for _run in range(2):
        call_command(
            "seed_demo", password="demo-password-for-tests", stdout=io.StringIO()
        )

    assert ProtectedResource.objects.count() == 3
    assert Carrier.objects.count() == 3
    assert CarrierIssue.objects.get().holder.username == "teacher"
    assert [c.key for c in selectors.controls_overdue()] == ["wifi_password"]
