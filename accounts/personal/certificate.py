"""The certificate of study (маалымкат / справка) as a one-page PDF."""

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _

from accounts.personal.pdf import Document


def certificate_pdf(details: dict) -> bytes:
    born = details.get("birth_date")
    document = Document()
    document.paragraph(settings.PORTAL_SCHOOL_NAME, size=12, space_after=18)
    document.paragraph(_("CERTIFICATE OF STUDY"), size=16)
    document.paragraph(
        _("No. %(number)s of %(date)s")
        % {"number": details["number"], "date": details["issued_on"]},
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
