"""The school's own date formats (settings.FORMAT_MODULE_PATH), one module per
language, over Django's: whatever a format module leaves out comes from Django.

Numeric dates are d.m.Y in every language (26.08.2022), as on the school's
paper; long dates follow each language's office usage:

- ky: «2022-жылдын 26-августу» — the form of Kyrgyz official acts and letters
  (Кыргыз Республикасынын мыйзамдары, өкмөттүн токтомдору: «2022-жылдын
  26-августундагы № …»): the year in the genitive, the day as an ordinal with
  a hyphen, the month in lower case with the possessive ending. That month
  form is the one Django's ``E`` format character gives (the "alt. month"
  names, made for the Russian genitive «августа»); Django's own Kyrgyz catalog
  has the capitalised nominative there («Август»), so the portal's catalog
  overrides those names below, and the plain month names (``F``: «август»),
  in lower case as Kyrgyz writes them.
- ru: «26 августа 2022 г.» (Django's, as in Russian office papers).
- en: «26 August 2022».

Times are 24-hour with a leading zero (14:05, 08:30) everywhere.
"""

from django.utils.translation import gettext_lazy, pgettext_lazy

# For the catalogs only (makemessages): the same msgids as django.utils.dates,
# so the Kyrgyz translations here replace Django's.
MONTH_NAMES = (
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
    gettext_lazy("January"),
    gettext_lazy("February"),
    gettext_lazy("March"),
    gettext_lazy("April"),
    gettext_lazy("May"),
    gettext_lazy("June"),
    gettext_lazy("July"),
    gettext_lazy("August"),
    gettext_lazy("September"),
    gettext_lazy("October"),
    gettext_lazy("November"),
    gettext_lazy("December"),
)
