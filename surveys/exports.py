"""Results as rows for CSV and XLSX: one row per response, in UUID order."""

from django.utils.translation import gettext as _

from school_portal import spreadsheets
from surveys import selectors
from surveys.models import Answer, QuestionKind, Response, Survey


def rows(*, survey: Survey) -> list[list]:
    """Header and one row per response; the grade only where its group is big enough."""
    questions = selectors.questions_of(survey=survey)
    results = selectors.results(survey=survey)
    shown_groups = {group.name for group in results.groups}
    cells: dict = {}
    for response_id, question_id, value, text in Answer.objects.filter(
        response__survey=survey
    ).values_list("response_id", "question_id", "value", "text"):
        cells.setdefault((response_id, question_id), []).append(text if text else value)
    header = [_("Response"), _("Group")] + [f"{q.order}. {q.text}" for q in questions]
    table = [header]
    group_field = "grade" if survey.anonymous else "school_class"
    responses = Response.objects.filter(survey=survey).values_list("id", group_field)
    for response_id, group in responses.order_by("id"):
        row = [str(response_id), group if str(group) in shown_groups else ""]
        for question in questions:
            given = cells.get((response_id, question.pk), [])
            if question.kind == QuestionKind.MULTIPLE:
                row.append(", ".join(str(v) for v in sorted(given)))
            else:
                row.append(given[0] if given else "")
        table.append(row)
    return table


def as_csv(*, survey: Survey) -> bytes:
    return spreadsheets.csv_bytes(rows(survey=survey))


def as_xlsx(*, survey: Survey) -> bytes:
    return spreadsheets.xlsx_bytes(rows(survey=survey), title=_("Responses"))
