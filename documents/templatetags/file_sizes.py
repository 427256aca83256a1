"""A file's size in the office's units (байт, КБ, МБ).

Django's ``filesizeformat`` takes its words from Django's own catalogs, whose
Kyrgyz reads "394бит" (bits, no space) and "мегабайт": our catalogs say it.
"""

from django import template
from django.utils import formats
from django.utils.html import avoid_wrapping
from django.utils.translation import gettext, ngettext

register = template.Library()

KB = 1 << 10
MB = 1 << 20
GB = 1 << 30


@register.filter
def file_size(size) -> str:
    try:
        size = int(size)
    except (TypeError, ValueError):
        return ""
    if size < KB:
        value = ngettext("%(size)d byte", "%(size)d bytes", size) % {"size": size}
    else:
        if size < MB:
            unit, amount = gettext("%(size)s KB"), size / KB
        elif size < GB:
            unit, amount = gettext("%(size)s MB"), size / MB
        else:
            unit, amount = gettext("%(size)s GB"), size / GB
        value = unit % {"size": formats.number_format(round(amount, 1), 1)}
    return avoid_wrapping(value)
