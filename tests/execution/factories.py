"""A resolution for the URL matrix: the principal's, on the matrix document,
to the teacher, due in two weeks."""

from datetime import timedelta

from django.utils import timezone

from execution import services
from execution.models import Resolution
from tests.documents.factories import matrix_document


def matrix_resolution(people: dict) -> Resolution:
    return services.give_resolution(
        actor=people["director"],
        document=matrix_document(people),
        text="Жооп даярдалсын.\nМөөнөтүндө.",
        responsible=people["teacher"],
        deadline=timezone.localdate() + timedelta(days=14),
        on_control=True,
    )


def resolution_args(people: dict) -> dict:
    return {"pk": matrix_resolution(people).pk}
