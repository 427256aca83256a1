"""A visible copy stamp on every page of a PDF (regulation 4.2.5).

The stamp reads in the school's language (``paper_language``): a copy stays in
the school, among staff who read the school's paper, so the words are the
office's own — «КӨЧҮРМӨ № 3 / 7 — КЫЗМАТТЫК КОЛДОНУУ ҮЧҮН» — whatever
language the person who asked for it had chosen on screen. The name is as
stored (Cyrillic), the time local (Asia/Bishkek) in the school's date format.
It is drawn by school_portal.pdf (DejaVu Sans, embedded: only the glyphs used).

The copy is never the stored file with a stamp added: documents.pdf_safety
rebuilds it from the pages alone (no catalog, no actions, no attached files,
annotations burnt in, every bound checked), and the stamp goes over each page
as a form of its own.
"""

import io
from datetime import datetime

import pikepdf
from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from documents import pdf_safety
from school_portal import pdf


class NotAPdf(ValueError):
    """The bytes could not be read as a PDF."""


def paper_language() -> str:
    """The language of papers that stay in the school. There is no per-school
    setting beyond the deployment's LANGUAGE_CODE (one deployment per school),
    so that is it; never the active language of whoever clicked."""
    return settings.LANGUAGE_CODE


def copy_lines(*, copy_number: int, document_number, person, at: datetime) -> list:
    """The stamp's words: what the paper is, who took it, when."""
    with translation.override(paper_language()):
        return [
            _("COPY No. %(copy)s / %(number)s — FOR OFFICIAL USE")
            % {"copy": copy_number, "number": document_number},
            f"{person.get_full_name() or person.username} ({person.username})",
            date_format(timezone.localtime(at), "SHORT_DATETIME_FORMAT"),
        ]


def stamp_pdf(data: bytes, lines: list[str]) -> bytes:
    """A copy of the PDF, its pages only, with the lines stamped at the foot
    of every page; NotAPdf (with the reason) when it can't be made."""
    drawn: list[pikepdf.Pdf] = []  # kept open: their streams are copied on save

    def stamp(copy: pikepdf.Pdf, width: float, height: float) -> pikepdf.Stream:
        page = pikepdf.open(io.BytesIO(pdf.stamp_page(width, height, lines)))
        drawn.append(page)
        return copy.copy_foreign(page.pages[0].as_form_xobject())

    try:
        return pdf_safety.rebuilt(data, overlay=stamp)
    except pdf_safety.Refused as error:
        raise NotAPdf(str(error)) from error
    finally:
        for page in drawn:
            page.close()


def stampable(data: bytes) -> bool:
    """Whether a copy of this PDF can be stamped: tried at upload, so a file
    that could never be given out as a copy is refused while its owner is there.
    Bounded like every copy (pdf_safety: pages, bytes unpacked, seconds)."""
    try:
        stamp_pdf(data, ["COPY No. 0"])
    except NotAPdf:
        return False
    return True
