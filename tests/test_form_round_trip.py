"""Every form page, submitted back as a browser would: nothing lost, nothing claimed.

The pages are found from the URL patterns (tests/url_expectations.py: every URL,
its arguments and who gets 200), fetched as each person who may see them, in
Kyrgyz, as the school uses the portal. Each ``<form method="post">`` is read as
a browser reads it (tests/browser_forms.py) and posted back as it is:

* no row of any model may change (the audit trail, the request log, sessions
  and lockouts aside), and no audit event may claim a change;
* an edit form (filled in from an existing object) is then posted again with
  one field changed, for each of its fields: only that field may change (with
  the columns derived from it), and the change log names only that field.

Every form a page shows must be classified here as an edit, an entry (a form
to fill in: as rendered, without what a person types, it must change nothing)
or an action (a button that does its one thing when clicked, with the reason).
A new form page fails until it is classified, so it is covered from day one.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest
from django.apps import apps
from django.db import transaction
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from accounts.personal.services import SENSITIVE_FIELDS
from accounts.roles import Role
from audit.models import AuditAction, AuditEvent
from documents.services import CORRECTABLE
from office.services import RESOURCE_FIELDS
from tests.browser_forms import Control, Form, post_forms
from tests.factories import UserFactory
from tests.test_url_matrix import PEOPLE
from tests.url_expectations import EXPECTATIONS

# What a change of one field may also touch besides the field itself.
STAMPS = {"updated_at", "modified_at", "changed_at"}
# The trail, the request log, sessions and lockouts change on every request.
UNWATCHED = {
    "audit.AuditEvent",
    "audit.RequestLogEntry",
    "auditlog.LogEntry",
    "sessions.Session",
    "accounts.UserSession",
    "axes.AccessAttempt",
    "axes.AccessAttemptExpiration",
    "axes.AccessFailureLog",
    "axes.AccessLog",
}
CLAIMS = {AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE}


# Actions: one button that does its thing; posting it is the point.
ACTIONS = {
    "logout": "signs out",
    "set_language": "keeps the chosen language in a cookie",
    "audit:sign_head": "signs the head of the audit trail",
    "briefing_record": "records that the person was briefed",
    "person_deactivate": "deactivates the account",
    "documents:confirm_return": "confirms that the document came back",
    "documents:hand_over_refresh": "rebuilds the list of the hand-over act",
    "documents:resolution_take_off": "takes the executed document off control",
    "office:resource_approve": "the principal approves the resource",
    "personal:request_answer": "answers the request",
    "personal:request_new": "sends a request for a copy, which needs nothing typed",
    "security:breach_report": "reports a breach and ends the person's sessions",
    "security:session_end": "ends that session",
    "security:sessions_end_others": "ends the person's other sessions",
    "surveys:close": "closes the survey",
    "surveys:copy": "copies the survey into a new draft",
    "surveys:recommendation_status": "each button sets its status",
}

# Entries: a form to fill in (create, sign, give a reason); as rendered it lacks
# what a person must type, so posting it as it is changes nothing.
ENTRIES = {
    "login",
    "appointments",
    "familiarization_confirm",
    "object_permissions",
    "people_import",
    "person_create",
    "pledge_accept",
    "documents:annul",
    "documents:attach",
    "documents:case_add",
    "documents:class_add",
    "documents:destruction_act_confirm",
    "documents:destruction_act_new",
    "documents:hand_over_confirm",
    "documents:hand_over_new",
    "documents:journal_add",
    "documents:paper_copy",
    "documents:place_add",
    "documents:register",
    "documents:resolution_new",
    "documents:resolution_report",
    "documents:sign",
    "office:carrier_check",
    "office:carrier_create",
    "office:carrier_destroy",
    "office:carrier_issue",
    "office:control_create",
    "office:control_done",
    "office:resource_create",
    "personal:request_refuse",
    "security:incident_close",
    "security:password_change",
    "security:password_reset",
    "security:second_factor_setup",
    "surveys:answer",
    "surveys:create",
    "surveys:recommendation_add",
}


@dataclass(frozen=True)
class Edit:
    """An edit form. ``typed``: what a person types that is not the object's
    (the reason of a correction); ``values``: a valid different value where the
    change chosen by input type isn't one; ``derived``: what else a field's
    change touches (model labels of rows, or column names)."""

    typed: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)
    derived: dict = field(default_factory=dict)


APPROVAL = frozenset({"approved_at", "approved_by_id"})

EDITS = {
    "documents:correct": Edit(
        typed={"reason": "Катаны оңдоо"},
        derived={name: {"documents.Correction"} for name in CORRECTABLE},
    ),
    # A change keeps what the resolution said before (ResolutionChange); a
    # change of executors replaces their rows.
    "documents:resolution_edit": Edit(
        derived={
            "text": {"execution.ResolutionChange"},
            "deadline": {"execution.ResolutionChange"},
            "on_control": {"execution.ResolutionChange"},
            "responsible": {
                "execution.ResolutionChange",
                "execution.ResolutionExecutor",
            },
            "co_executors": {
                "execution.ResolutionChange",
                "execution.ResolutionExecutor",
            },
        }
    ),
    "surveys:edit": Edit(),
    "surveys:conclusions": Edit(),
    # A changed line of the register waits for the principal's approval again.
    "office:resource_edit": Edit(
        derived=dict.fromkeys(RESOURCE_FIELDS, APPROVAL),
    ),
    "office:control_edit": Edit(),
    "person_roles": Edit(derived={"roles": {"accounts.User_groups", "is_staff"}}),
    # Write-only: blank fields keep what is recorded, which is never shown; the
    # record itself is made by its first value.
    "personal:record_edit": Edit(
        values={"pin": "20405201212345", "birth_date": "2012-05-04"},
        derived={name: {"accounts.PersonRecord"} for name in SENSITIVE_FIELDS},
    ),
}


# The matrix objects hold only what the URL matrix needs. Before their edit
# pages are posted back, they get the values that make the round trip telling:
# every optional field filled, several lines of text, times to the microsecond.


def _left_the_school():
    """A former employee: no longer among the people a select offers."""
    return UserFactory(username="left", roles=[Role.STAFF], is_active=False)


def _full_document(kwargs, people):
    from accounts.models import PLEDGE_VERSION, Onboarding
    from documents.models import Case, Document, StoragePlace

    # Cleared, so that marking the document for official use is a valid change.
    now = timezone.now()
    Onboarding.objects.update_or_create(
        person=people["records_officer"],
        defaults={
            "pledge_version": PLEDGE_VERSION,
            "pledge_accepted_at": now,
            "familiarized_at": now,
            "briefed_at": now,
        },
    )
    document = Document.objects.get(pk=kwargs["pk"])
    document.summary = "Окуу жылы жөнүндө\nэки сап"
    document.correspondent = "Райондук билим берүү бөлүмү"
    document.their_number = "01-12/345"
    document.their_date = timezone.localdate() - timedelta(days=3)
    document.due_on = timezone.localdate() + timedelta(days=14)
    document.sheets, document.copies = 3, 2
    document.executor = _left_the_school()
    document.case = Case.objects.get_or_create(index="02-05", title="Каттар")[0]
    document.storage_place = StoragePlace.objects.get_or_create(room="12", cabinet="3")[
        0
    ]
    document.fold()
    document.save()


def _draft_survey(kwargs, people):
    from surveys.models import Survey, SurveyStatus

    # A draft is what can be edited; its times as copying a survey sets them:
    # the moment of the copy, to the microsecond.
    now = timezone.now()
    Survey.objects.filter(pk=kwargs["pk"]).update(
        status=SurveyStatus.DRAFT,
        opens_at=now,
        closes_at=now + timedelta(days=7, seconds=17),
        purpose_ky="Максаты\nэки сап",
        min_grade=5,
        max_grade=9,
    )


def _concluded_survey(kwargs, people):
    from surveys.models import Survey

    Survey.objects.filter(pk=kwargs["pk"]).update(
        conclusions="Окуучулар сырсөздү бөлүшпөйт.\nWi-Fi коргоо керек."
    )


def _resource_in_use(kwargs, people):
    from office.models import ProtectedResource

    # Two kinds of information ticked: unticking either one is a valid change.
    # Approved: a form sent back unchanged must not send it back for approval.
    ProtectedResource.objects.filter(pk=kwargs["pk"]).update(
        holds_open=True,
        holds_personal_data=True,
        last_review_on=timezone.localdate() - timedelta(days=30),
        protection_measures="Сырсөз\nкамдык көчүрмө",
        approved_at=timezone.now(),
        approved_by=people["director"],
    )


def _control_of_a_former_employee(kwargs, people):
    from office.models import PeriodicControl

    PeriodicControl.objects.filter(pk=kwargs["pk"]).update(
        responsible=_left_the_school()
    )


PREPARE = {
    "documents:correct": _full_document,
    "surveys:edit": _draft_survey,
    "surveys:results": _concluded_survey,
    "office:resource_edit": _resource_in_use,
    "office:control_edit": _control_of_a_former_employee,
}


# What this test finds in code owned elsewhere, until it is fixed there: the
# page, the start of the finding, where the fault is. A fixed entry fails the
# test, so it is removed with the fix.
# Findings not fixed yet: (page, the start of the finding) -> why. Empty now.
KNOWN: dict[tuple[str, str], str] = {}


def _pages():
    for name, expect in sorted(EXPECTATIONS.items()):
        people = (["anonymous"] if expect.anonymous == 200 else []) + [
            who for who in PEOPLE if expect.by.get(who, expect.default) == 200
        ]
        if people:
            yield pytest.param(name, people, id=name)


def snapshot() -> dict:
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label
        if label in UNWATCHED:
            continue
        pk = model._meta.pk.attname
        for row in model._base_manager.order_by().values():
            rows[(label, row[pk])] = row
    return rows


def difference(before: dict, after: dict) -> dict:
    """(label, pk) -> {column: (old, new)}; a row added or removed is
    {"+": row} or {"-": row}."""
    changes = {}
    for key in before.keys() | after.keys():
        old, new = before.get(key), after.get(key)
        if old is None:
            changes[key] = {"+": new}
        elif new is None:
            changes[key] = {"-": old}
        elif old != new:
            changes[key] = {
                column: (old[column], new[column])
                for column in old
                if old[column] != new[column]
            }
    return changes


def _last_seq() -> int:
    last = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    return last or 0


def _claims(since: int) -> list[tuple[str, dict]]:
    """New audit events that say something was created, changed or deleted."""
    return [
        (event.action, event.details)
        for event in AuditEvent.objects.filter(seq__gt=since).order_by("seq")
        if event.action in CLAIMS or _named(event.details)
    ]


def _named(details: dict) -> set[str]:
    """The fields an audit event says were changed: the keys of its "old" and
    "new", and of each row of its "field_log" (AuditEvent.details)."""
    holders = [details, *details.get("field_log", [])]
    return {
        name
        for holder in holders
        for side in ("old", "new")
        for name in holder.get(side) or {}
    }


def _target(form: Form, page_url: str) -> str:
    action = form.action_of() or page_url
    try:
        return resolve(action.split("?")[0]).view_name
    except Resolver404:
        return f"unresolved {action}"


def _post(client, form: Form, page_url: str, data: list[tuple[str, str]]):
    payload = {}
    for name, value in data:
        payload.setdefault(name, []).append(value)
    response = client.post(form.action_of() or page_url, payload)
    assert response.status_code < 500
    return response


def _pages_forms(client, url: str) -> list[Form]:
    response = client.get(url)
    assert response.status_code == 200
    if not response["Content-Type"].startswith("text/html"):
        return []
    return post_forms(response.content.decode())


def _with(data: list, name: str, values: list[str]) -> list:
    return [(n, v) for n, v in data if n != name] + [(name, v) for v in values]


def changed_value(controls: list[Control], edit: Edit) -> list[str] | None:
    """A valid different value for one named control (a radio group or a set
    of checkboxes is one), chosen by input type; None if it can't change."""
    first = controls[0]
    if first.name in edit.values:
        return [edit.values[first.name]]
    kind = first.type
    if kind in ("hidden", "file", "password"):
        return None
    if kind == "checkbox":
        sent = {v for c in controls for _n, v in c.entries()}
        toggled = controls[0].value or "on"
        return sorted(sent ^ {toggled})
    if kind == "radio":
        others = [c.value for c in controls if not c.checked and not c.disabled]
        return others[:1] or None
    if kind in ("select", "select-multiple"):
        current = [v for _n, v in first.entries()]
        others = [v for v, _sel, off in first.options if not off and v not in current]
        if kind == "select-multiple":
            return sorted(set(current) ^ {others[0]}) if others else None
        # A chosen value rather than "none" where there is one.
        chosen = [v for v in others if v] or others
        return chosen[:1] or None
    value = first.entries()[0][1] if first.entries() else ""
    if kind == "date":
        day = date.fromisoformat(value) if value else timezone.localdate()
        return [(day - timedelta(days=1)).isoformat()]
    if kind == "datetime-local":
        moment = datetime.fromisoformat(value) if value else datetime(2030, 1, 1, 9)
        return [(moment + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")]
    if kind == "number":
        number = int(value or 0) + 1
        if first.attrs.get("max") and number > int(first.attrs["max"]):
            number -= 2
        return [str(number)]
    if kind == "email":
        return ["changed@school.kg"]
    return [f"{value} оңдолду".strip()]


def _allowed(change_key, columns, name: str, edit: Edit) -> bool:
    label, _pk = change_key
    derived = edit.derived.get(name, set())
    if label in derived:
        return True
    if "+" in columns or "-" in columns:
        return False
    own = {name, f"{name}_id", f"{name}_folded"} | STAMPS | derived
    return set(columns) <= own


def _round_trip(client, page_url: str, who: str, found: list):
    for form in _pages_forms(client, page_url):
        target = _target(form, page_url)
        if target in ACTIONS:
            continue
        if target not in ENTRIES and target not in EDITS:
            found.append(f"{who}: a form to {target} is not classified")
            continue
        edit = EDITS.get(target, Edit())
        data = form.data()
        for name, value in edit.typed.items():
            data = _with(data, name, [value])
        before, since = snapshot(), _last_seq()
        with transaction.atomic():
            _post(client, form, page_url, data)
            changes = difference(before, snapshot())
            claims = _claims(since)
            transaction.set_rollback(True)
        if changes or claims:
            found.append(
                f"{who}: {target} posted back as rendered changed {changes} "
                f"and the trail says {claims}"
            )
        if target in EDITS:
            _one_field_at_a_time(client, form, page_url, who, target, data, found)


def _refusal(response) -> str:
    form = response.context.get("form") if response.context else None
    if form is not None and form.errors:
        return f" ({form.errors.as_data()})"
    return f" (answered {response.status_code})"


def _one_field_at_a_time(client, form, page_url, who, target, data, found):
    edit = EDITS[target]
    tried = 0
    for name, controls in form.named().items():
        if name in edit.typed or name == "csrfmiddlewaretoken":
            continue
        value = changed_value(controls, edit)
        if value is None:
            continue
        tried += 1
        before, since = snapshot(), _last_seq()
        with transaction.atomic():
            response = _post(client, form, page_url, _with(data, name, value))
            changes = difference(before, snapshot())
            claims = _claims(since)
            transaction.set_rollback(True)
        where = f"{who}: {target} with only {name} = {value}"
        if not changes:
            found.append(f"{where} changed nothing{_refusal(response)}")
            continue
        stray = {
            key: columns
            for key, columns in changes.items()
            if not _allowed(key, columns, name, edit)
        }
        corrected = {
            columns["+"]["field"]
            for key, columns in changes.items()
            if key[0] == "documents.Correction" and "+" in columns
        }
        named = {key for _action, details in claims for key in _named(details)}
        if stray:
            found.append(f"{where} also changed {stray}")
        if corrected - {name}:
            found.append(f"{where}: corrections name {sorted(corrected)}")
        if named - {name} - edit.derived.get(name, set()):
            found.append(f"{where}: the change log names {sorted(named)}")
    if not tried:
        found.append(f"{who}: {target} has no field the round trip could change")


@pytest.mark.parametrize(("name", "people"), list(_pages()))
def test_a_form_sent_back_as_shown_changes_nothing_and_one_change_only_itself(
    client, everyone, settings, name, people
):
    settings.LANGUAGE_CODE = "ky"
    expect = EXPECTATIONS[name]
    kwargs = expect.args(everyone) if expect.args else None
    url = reverse(name, kwargs=kwargs)
    if name in PREPARE:
        PREPARE[name](kwargs, everyone)
    found = []
    for who in people:
        client.logout()
        if who != "anonymous":
            client.force_login(everyone[who])
        _round_trip(client, url, who, found)

    known = {start for page, start in KNOWN if page == name}
    still = {start for start in known if any(start in line for line in found)}
    found = [line for line in found if not any(start in line for start in known)]
    assert not found, "\n".join(found)
    assert still == known, f"fixed, remove from KNOWN: {known - still}"


# The browser's rules, as tests/browser_forms.py applies them.


def _sent(html: str) -> list[tuple[str, str]]:
    (form,) = post_forms(f'<form method="post" action="/x/">{html}</form>')
    return form.data()


def test_a_date_the_browser_cannot_read_is_sent_empty():
    assert _sent('<input type="date" name="d" value="30.11.2026">') == [("d", "")]
    assert _sent('<input type="date" name="d" value="2026-11-30">') == [
        ("d", "2026-11-30")
    ]


def test_a_local_time_needs_the_t_form():
    assert _sent('<input type="datetime-local" name="t" value="2026-11-30 14:05">') == [
        ("t", "")
    ]
    assert _sent(
        '<input type="datetime-local" name="t" value="2026-11-30T14:05:09">'
    ) == [("t", "2026-11-30T14:05:09")]


def test_unchecked_boxes_disabled_controls_and_files_send_nothing():
    sent = _sent(
        '<input type="checkbox" name="a" value="1">'
        '<input type="checkbox" name="b" checked>'
        '<input type="radio" name="r" value="x"><input type="radio" name="r" '
        'value="y" checked>'
        '<input name="off" value="1" disabled>'
        '<fieldset disabled><input name="inside" value="1"></fieldset>'
        '<input type="file" name="f">'
    )

    assert sent == [("b", "on"), ("r", "y")]


def test_a_select_sends_its_selected_option_or_else_its_first():
    sent = _sent(
        '<select name="one"><option value="">—</option>'
        '<option value="5" selected>Five</option></select>'
        '<select name="none"><option value="7">Seven</option>'
        "<option>Eight</option></select>"
        '<select name="many" multiple><option value="1" selected>1</option>'
        '<option value="2">2</option><option value="3" selected>3</option></select>'
    )

    assert sent == [("one", "5"), ("none", "7"), ("many", "1"), ("many", "3")]


def test_a_textarea_sends_its_text_with_crlf_line_breaks():
    assert _sent('<textarea name="t">\nfirst\nsecond</textarea>') == [
        ("t", "first\r\nsecond")
    ]


def test_only_the_clicked_button_is_sent():
    (form,) = post_forms(
        '<form method="post" action="/x/"><input name="a" value="1">'
        '<button name="status" value="done">Done</button>'
        '<button name="status" value="dropped" formaction="/y/">Drop</button>'
        "</form>"
    )
    drop = form.submit_buttons[1]

    assert form.data() == [("a", "1"), ("status", "done")]
    assert form.data(drop) == [("a", "1"), ("status", "dropped")]
    assert form.action_of(drop) == "/y/"


# The portal's widgets: ISO in every language, local time, lossless edits.


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_every_date_and_time_is_written_in_iso_whatever_the_language(language):
    from django import forms
    from django.utils import translation

    from school_portal.widgets import DateInput, DateTimeInput

    class Sample(forms.Form):
        day = forms.DateField(widget=DateInput)
        moment = forms.DateTimeField(widget=DateTimeInput)

    utc = datetime(2026, 11, 30, 8, 5, tzinfo=UTC)
    with translation.override(language):
        html = str(Sample(initial={"day": date(2026, 11, 30), "moment": utc}))

    assert 'type="date" name="day" value="2026-11-30"' in html
    # 08:05 UTC is 14:05 in Bishkek.
    assert 'type="datetime-local" name="moment" value="2026-11-30T14:05"' in html


def test_a_local_time_sent_back_in_the_t_form_is_the_same_moment_in_bishkek():
    from django import forms
    from django.utils import translation

    from school_portal.widgets import DateTimeInput

    class Sample(forms.Form):
        moment = forms.DateTimeField(widget=DateTimeInput)

    with translation.override("ky"):
        form = Sample({"moment": "2026-11-30T14:05"})
        assert form.is_valid(), form.errors

    assert form.cleaned_data["moment"] == datetime(2026, 11, 30, 8, 5, tzinfo=UTC)


def test_an_untouched_time_and_text_keep_their_seconds_and_line_breaks():
    from django import forms

    from school_portal.widgets import DateTimeInput, KeepsUnchangedValues

    class Sample(KeepsUnchangedValues, forms.Form):
        moment = forms.DateTimeField(widget=DateTimeInput)
        text = forms.CharField(widget=forms.Textarea)

    stored = {
        "moment": datetime(2026, 11, 30, 8, 5, 41, 123456, tzinfo=UTC),
        "text": "first\nsecond",
    }
    untouched = Sample(
        {"moment": "2026-11-30T14:05", "text": "first\r\nsecond"}, initial=stored
    )
    changed = Sample(
        {"moment": "2026-11-30T14:06", "text": "first\r\nthird"}, initial=stored
    )

    assert untouched.is_valid() and changed.is_valid()
    assert untouched.cleaned_data == stored
    assert changed.cleaned_data == {
        "moment": datetime(2026, 11, 30, 8, 6, tzinfo=UTC),
        "text": "first\r\nthird",
    }


def test_a_choice_no_longer_offered_is_still_shown_selected(records_officer):
    from django import forms

    from accounts.models import User
    from school_portal.widgets import offer_stored_choices

    gone = UserFactory(username="left", is_active=False)

    class Sample(forms.Form):
        person = forms.ModelChoiceField(
            queryset=User.objects.filter(is_active=True), required=False
        )

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            offer_stored_choices(self)

    (form,) = post_forms(
        f'<form method="post">{Sample(initial={"person": gone.pk})}</form>'
    )

    assert form.data() == [("person", str(gone.pk))]
    assert Sample({"person": records_officer.pk}).is_valid()


def test_every_date_and_time_field_of_every_form_uses_the_portals_widgets():
    import importlib
    import inspect

    from django import forms

    from school_portal.widgets import DateInput, DateTimeInput

    modules = [
        "accounts.forms",
        "accounts.personal.forms",
        "accounts.security.forms",
        "audit.forms",
        "documents.forms",
        "office.forms",
        "surveys.forms",
    ]
    wrong = []
    for module in map(importlib.import_module, modules):
        for name, form in inspect.getmembers(module, inspect.isclass):
            if not issubclass(form, forms.BaseForm) or form.__module__ != (
                module.__name__
            ):
                continue
            for field_name, form_field in form.base_fields.items():
                wanted = {
                    forms.DateTimeField: DateTimeInput,
                    forms.DateField: DateInput,
                }.get(type(form_field))
                if wanted and not isinstance(form_field.widget, wanted):
                    wrong.append(f"{module.__name__}.{name}.{field_name}")

    assert wrong == []
