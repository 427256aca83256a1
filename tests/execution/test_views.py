"""Execution control through its pages, submitted as a browser submits them:
the principal's resolution, the teacher's report, the list on control, the
discipline report, and the ways in that must stay shut."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from execution import services
from execution.models import ExecutionReport, Resolution, ResolutionExecutor
from tests.browser_forms import post_forms

pytestmark = pytest.mark.django_db


def _form(client, url, action_part=""):
    response = client.get(url)
    assert response.status_code == 200
    forms = [
        f
        for f in post_forms(response.content.decode())
        if action_part in (f.action or url)
        and "logout" not in (f.action or "")
        and "i18n" not in (f.action or "")
    ]
    return forms[0]


def _submit(client, url, values: dict, action_part="", files=None):
    form = _form(client, url, action_part)
    data = {}
    for name, value in form.data():
        data.setdefault(name, []).append(value)
    for name, value in values.items():
        data[name] = value if isinstance(value, list) else [value]
    if files:
        data.update(files)
    return client.post(form.action or url, data)


def _give(director, document, responsible, **fields):
    values = {
        "text": "Жооп даярдалсын",
        "deadline": timezone.localdate() + timedelta(days=7),
        "on_control": True,
    }
    return services.give_resolution(
        actor=director, document=document, responsible=responsible, **values | fields
    )


def test_the_principal_gives_a_resolution_on_the_documents_page(
    client, director, teacher, letter
):
    client.force_login(director)
    page = client.get(reverse("documents:document", args=[letter.pk]))
    new = reverse("documents:resolution_new", args=[letter.pk])
    assert new in page.content.decode()

    response = _submit(
        client,
        new,
        {
            "text": "Жооп даярдалсын",
            "responsible": str(teacher.pk),
            "working_days": "5",
            "on_control": "on",
        },
    )

    resolution = Resolution.objects.get()
    assert response.status_code == 302
    assert resolution.responsible == teacher and resolution.on_control
    assert resolution.deadline == services.working_days_after(timezone.localdate(), 5)


def test_a_deadline_before_registration_is_a_translated_error_next_to_the_field(
    client, director, teacher, register, records_officer, settings
):
    settings.LANGUAGE_CODE = "ky"
    letter = register(
        records_officer, registered_on=timezone.localdate() - timedelta(days=2)
    )
    client.force_login(director)
    early = (timezone.localdate() - timedelta(days=5)).isoformat()

    response = _submit(
        client,
        reverse("documents:resolution_new", args=[letter.pk]),
        {"text": "Жооп", "responsible": str(teacher.pk), "deadline": early},
    )

    assert response.status_code == 200
    errors = response.context["form"].errors["deadline"]
    with translation.override("ky"):
        wanted = translation.gettext(
            "The deadline can't be before the registration date, %(date)s."
        ).split("%")[0]
    assert wanted and errors[0].startswith(wanted)
    assert wanted != "The deadline can't be before the registration date, "
    assert not Resolution.objects.exists()


def test_a_forged_executor_id_is_refused(client, director, outsider, letter):
    client.force_login(director)

    for forged in (str(outsider.pk), "999999", "abc"):
        response = _submit(
            client,
            reverse("documents:resolution_new", args=[letter.pk]),
            {"text": "Жооп", "responsible": forged, "working_days": "3"},
        )
        assert response.status_code == 200
        assert "responsible" in response.context["form"].errors
    for forged in (str(outsider.pk), "999999"):
        response = _submit(
            client,
            reverse("documents:resolution_new", args=[letter.pk]),
            {
                "text": "Жооп",
                "responsible": str(director.pk),
                "working_days": "3",
                "co_executors": [forged],
            },
        )
        assert "co_executors" in response.context["form"].errors
    assert not Resolution.objects.exists()


def test_an_uncleared_executor_of_an_official_use_document_is_a_form_error(
    client, director, teacher, official, clear
):
    clear(director)
    document = official()
    client.force_login(director)

    response = _submit(
        client,
        reverse("documents:resolution_new", args=[document.pk]),
        {"text": "Жооп", "responsible": str(teacher.pk), "working_days": "3"},
    )

    assert "has not completed onboarding" in str(
        response.context["form"].errors["responsible"]
    )
    assert not Resolution.objects.exists()


def test_the_teacher_sees_the_assignment_at_home_and_reports_it(
    client, director, teacher, letter
):
    resolution = _give(director, letter, teacher)
    client.force_login(teacher)

    home = client.get(reverse("home")).content.decode()
    report = reverse("documents:resolution_report", args=[resolution.pk])
    assert report in home and "Жооп даярдалсын" in home

    response = _submit(client, report, {"note": "Жооп жөнөтүлдү"})

    assert response.status_code == 302
    resolution.refresh_from_db()
    assert resolution.is_executed
    assert report not in client.get(reverse("home")).content.decode()


def test_the_report_form_as_shown_saves_nothing(client, director, teacher, letter):
    resolution = _give(director, letter, teacher)
    client.force_login(teacher)

    response = _submit(
        client, reverse("documents:resolution_report", args=[resolution.pk]), {}
    )

    assert response.status_code == 200
    assert "note" in response.context["form"].errors
    assert not ExecutionReport.objects.exists()


def test_other_peoples_resolutions_stay_shut(
    client, director, teacher, records_officer, letter, support
):
    resolution = _give(director, letter, records_officer)
    urls = [
        reverse("documents:resolution", args=[resolution.pk]),
        reverse("documents:resolution_report", args=[resolution.pk]),
        reverse("documents:resolution_edit", args=[resolution.pk]),
    ]
    # The teacher is not assigned and does not see the letter: 404 everywhere,
    # as for a resolution that does not exist.
    client.force_login(teacher)
    for url in urls:
        assert client.get(url).status_code == 404
        if url != urls[0]:
            assert client.post(url, {"note": "x", "text": "x"}).status_code == 404
    assert client.get(reverse("documents:resolution", args=[9999])).status_code == 404
    # The records officer executes it but did not give it: 403 on its change.
    client.force_login(records_officer)
    response = client.post(
        urls[2],
        {
            "text": "Башка",
            "deadline": resolution.deadline.isoformat(),
            "responsible": str(records_officer.pk),
        },
    )
    assert response.status_code == 403
    resolution.refresh_from_db()
    assert resolution.text == "Жооп даярдалсын"
    # The principal who gave it is not its executor: 403 on a report.
    client.force_login(director)
    assert client.post(urls[1], {"note": "Мен"}).status_code == 403
    assert not ExecutionReport.objects.exists()


def test_a_forged_executor_in_the_change_form_is_refused(
    client, director, teacher, outsider, letter
):
    resolution = _give(director, letter, teacher)
    client.force_login(director)

    response = _submit(
        client,
        reverse("documents:resolution_edit", args=[resolution.pk]),
        {"co_executors": [str(outsider.pk)]},
    )

    assert response.status_code == 200
    assert "co_executors" in response.context["form"].errors
    assert list(ResolutionExecutor.objects.values_list("person", flat=True)) == [
        teacher.pk
    ]


def test_the_list_marks_overdue_rows_and_puts_them_first(
    client, director, teacher, records_officer, register
):
    old = register(records_officer, registered_on=timezone.localdate() - timedelta(5))
    _give(director, old, teacher, text="Кийинчерээк")
    overdue = _give(
        director,
        old,
        teacher,
        text="Мөөнөтү өттү",
        deadline=timezone.localdate() - timedelta(days=1),
    )
    client.force_login(records_officer)

    html = client.get(reverse("documents:execution")).content.decode()

    assert html.index("Мөөнөтү өттү") < html.index("Кийинчерээк")
    assert html.count('class="overdue"') == 1
    only = client.get(reverse("documents:execution"), {"state": "overdue"})
    assert [r.pk for r in only.context["rows"]] == [overdue.pk]
    mine = client.get(reverse("documents:execution"), {"executor": director.pk})
    assert mine.context["rows"] == []


def test_the_export_is_safe_for_spreadsheets(
    client, director, teacher, records_officer, letter
):
    _give(director, letter, teacher, text='=HYPERLINK("http://x")')
    client.force_login(director)

    response = client.get(reverse("documents:execution_export"), {"format": "csv"})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2
    assert not rows[1][2].startswith("=")
    xlsx = client.get(reverse("documents:execution_export"), {"format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_execution_discipline_counts_on_time_late_and_overdue(
    client, director, teacher, records_officer, register
):
    old = register(records_officer, registered_on=timezone.localdate() - timedelta(9))
    today = timezone.localdate()
    on_time = _give(director, old, teacher)
    late = _give(director, old, teacher, deadline=today - timedelta(days=2))
    _give(director, old, teacher, deadline=today - timedelta(days=1))
    _give(director, old, records_officer)
    services.report_execution(actor=teacher, resolution=on_time, note="Бүттү")
    services.report_execution(actor=teacher, resolution=late, note="Кечикти")
    client.force_login(director)

    response = client.get(
        reverse("documents:discipline"),
        {
            "start": (today - timedelta(days=10)).isoformat(),
            "end": (today + timedelta(days=10)).isoformat(),
        },
    )

    rows = {row.person: row for row in response.context["rows"]}
    assert (rows[teacher].assigned, rows[teacher].on_time) == (3, 1)
    assert (rows[teacher].late, rows[teacher].overdue) == (1, 1)
    assert rows[records_officer].open == 1
    assert client.get(reverse("documents:discipline_print")).status_code == 200
    export = client.get(reverse("documents:discipline_export"), {"format": "csv"})
    assert export.status_code == 200


def test_the_principals_home_shows_the_counts_with_a_link(
    client, director, teacher, register, records_officer
):
    old = register(records_officer, registered_on=timezone.localdate() - timedelta(5))
    _give(director, old, teacher, deadline=timezone.localdate() - timedelta(days=1))
    _give(director, old, teacher, deadline=timezone.localdate())
    client.force_login(director)

    html = client.get(reverse("home")).content.decode()

    assert reverse("documents:execution") in html
    assert "Overdue: 1" in html and "Due today: 1" in html


def test_the_executors_block_costs_the_same_for_2_and_12_assignments(
    client, director, teacher, letter, django_assert_max_num_queries
):
    from execution import selectors

    for _n in range(2):
        _give(director, letter, teacher)
    with django_assert_max_num_queries(2) as few:
        assert len(selectors.assignments_of(user=teacher)) == 2
    for _n in range(10):
        _give(director, letter, teacher)
    with django_assert_max_num_queries(len(few.captured_queries)):
        rows = selectors.assignments_of(user=teacher)
        assert len(rows) == 12
        assert all(str(r.responsible) for r in rows)


def test_the_list_costs_the_same_for_2_and_12_rows(
    client, director, teacher, records_officer, letter, django_assert_max_num_queries
):
    for _n in range(2):
        _give(director, letter, teacher, co_executors=[records_officer])
    client.force_login(records_officer)
    client.get(reverse("documents:execution"))
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("documents:execution"))
    for _n in range(10):
        _give(director, letter, teacher, co_executors=[records_officer])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("documents:execution"))
    assert len(response.context["rows"]) == 12


def test_the_responsible_executor_reads_the_co_executors_report(
    client, director, teacher, records_officer, letter
):
    resolution = _give(director, letter, teacher, co_executors=[records_officer])
    services.report_execution(
        actor=records_officer, resolution=resolution, note="Тизме даяр"
    )
    client.force_login(teacher)

    page = client.get(reverse("documents:resolution_report", args=[resolution.pk]))

    assert "Тизме даяр" in page.content.decode()
