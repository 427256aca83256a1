"""The certificate of study (маалымкат / справка) as a one-page PDF, in the
language of whoever downloads it (it leaves the school with the student).

Dates in the school's formats (school_portal/formats): the number's date short
(«03.05.2026 күнкү № 12/2026», «№ 12/2026 от 03.05.2026»), the birth date long.
"""

from datetime import date

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _

from school_portal.pdf import Document


def certificate_pdf(details: dict) -> bytes:
    born = details.get("birth_date")
    issued_on = details["issued_on"]
    if isinstance(issued_on, str):  # as kept in the request's JSON details
        issued_on = date.fromisoformat(issued_on)
    document = Document(language=translation.get_language() or settings.LANGUAGE_CODE)
    document.paragraph(settings.PORTAL_SCHOOL_NAME, size=12, space_after=18)
    document.paragraph(_("CERTIFICATE OF STUDY"), size=16)
    document.paragraph(
        _("No. %(number)s of %(date)s")
        % {
            "number": details["number"],
            "date": formats.date_format(issued_on, "SHORT_DATE_FORMAT"),
        },
        space_after=18,
    )
    text = _(
        "This is to certify that %(name)s is a student of class %(class)s of "
        "%(school)s in the %(year)s school year."
    ) % {
        "name": details["name"],
        "class": details["class"],
        "school": settings.PORTAL_SCHOOL_NAME,
        "year": details["school_year"],
    }
    document.paragraph(text, size=12)
    if born:
        document.paragraph(
            _("Date of birth: %(date)s") % {"date": formats.date_format(born)},
            size=12,
        )
    document.paragraph(_("Issued for presentation where required."), space_after=36)
    signer = details["issued_by"]
    if details.get("position"):
        signer = f"{signer}, {details['position']}"
    document.paragraph(_("Issued by: %(signer)s") % {"signer": signer})
    document.paragraph(_("Signature: ____________________"))
    return document.render()
