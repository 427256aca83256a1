"""An edit records what it changed, and an edit that changes nothing records nothing.

The edit page's ModelForm writes the posted values into the survey while it
validates, so the service reads the old values from the row, not the instance.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from surveys import services
from surveys.models import SurveyStatus
from tests.surveys.factories import make_survey


def edits(survey):
    return AuditEvent.objects.filter(
        action__in=[AuditAction.SURVEY_EDIT, AuditAction.CONCLUSIONS],
        target_type="surveys.survey",
        target_id=survey.pk,
    )


@pytest.fixture
def draft(security_officer):
    opens = timezone.now().replace(second=0, microsecond=0) + timedelta(days=1)
    return make_survey(
        status=SurveyStatus.DRAFT,
        opens_at=opens,
        closes_at=opens + timedelta(days=7),
        min_grade=5,
        max_grade=9,
        created_by=security_officer,
    )


def as_shown(survey):
    """What the edit page sends back when nobody touches it."""
    local = timezone.localtime
    return {
        "title_ky": survey.title_ky,
        "title_ru": survey.title_ru,
        "title_en": survey.title_en,
        "audience_roles": survey.audience_roles,
        "min_grade": survey.min_grade,
        "max_grade": survey.max_grade,
        "opens_at": local(survey.opens_at).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": local(survey.closes_at).strftime("%Y-%m-%dT%H:%M"),
        "anonymous": "on",
    }


def test_the_edit_page_records_the_old_and_the_new_title(
    client, security_officer, draft
):
    client.force_login(security_officer)
    url = reverse("surveys:edit", args=[draft.pk])
    assert client.get(url).status_code == 200

    client.post(url, as_shown(draft) | {"title_ky": "Жаңы аталыш"})

    draft.refresh_from_db()
    assert draft.title_ky == "Жаңы аталыш"
    event = edits(draft).get()
    assert (event.actor, event.action) == (security_officer, AuditAction.SURVEY_EDIT)
    assert event.details == {
        "old": {"title_ky": "Коопсуздук"},
        "new": {"title_ky": "Жаңы аталыш"},
    }


def test_the_edit_page_sent_back_untouched_changes_and_records_nothing(
    client, security_officer, draft
):
    client.force_login(security_officer)

    response = client.post(reverse("surveys:edit", args=[draft.pk]), as_shown(draft))

    assert response.status_code == 302
    assert not edits(draft).exists()


def test_conclusions_saved_unchanged_record_nothing(security_officer, draft):
    services.write_conclusions(actor=security_officer, survey=draft, text="Wi-Fi")
    services.write_conclusions(actor=security_officer, survey=draft, text="Wi-Fi ")

    assert [e.details for e in edits(draft)] == [
        {"old": {"conclusions": ""}, "new": {"conclusions": "Wi-Fi"}}
    ]
