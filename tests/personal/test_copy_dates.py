"""The copy of one's personal data shows school time, to the minute, in the
school's format; its JSON is ISO in school time, to the second."""

import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import RequestKind
from accounts.personal import services as personal_services
from tests.school_portal.test_date_formats import ISO_DATE


@pytest.fixture
def ready_copy(pupil, records_officer):
    made = personal_services.request_create(
        actor=pupil, subject=pupil, kind=RequestKind.COPY
    )
    return personal_services.copy_prepare(actor=records_officer, request=made)


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_the_personal_data_copy_shows_school_time_to_the_minute(
    client, settings, pupil, ready_copy, language
):
    settings.LANGUAGE_CODE = language
    client.force_login(pupil)

    page = client.get(reverse("personal:export_html", args=[ready_copy.pk]))
    data = client.get(reverse("personal:export_json", args=[ready_copy.pk])).json()

    html = page.content.decode()
    made = timezone.localtime(ready_copy.created_at)
    assert made.strftime("%d.%m.%Y %H:%M") in html  # the request's own line
    assert not ISO_DATE.search(html), ISO_DATE.search(html)
    assert "UTC" not in html and "+00:00" not in html
    # The JSON file is read by programs too: ISO, but school time, to the second.
    written = json.dumps(data)
    assert re.search(
        r'"generated_at": "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+06:00"', written
    )
    assert "+00:00" not in written and not re.search(r":\d\d\.\d+", written)
