"""The portal's date and time inputs, and what keeps an edit form lossless.

A browser's ``<input type="date">`` takes only an ISO value (2026-11-30), and
``datetime-local`` only 2026-11-30T14:05: anything else it shows as empty and
sends back empty, so an edit form in Kyrgyz or Russian (whose date format is
30.11.2026) would wipe every date it was meant to keep. These widgets always
write ISO; the browser shows the date in the person's own format. Every form of
every app uses them.

An edit form must also not change what the person left alone: KeepsUnchangedValues
keeps a stored value the browser can't carry back to the byte (seconds, line
breaks), offer_stored_choices keeps a stored choice that is no longer offered.
tests/test_form_round_trip.py posts every form of the portal back to prove it.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, Q

DATE_FORMAT = "%Y-%m-%d"
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATE_FORMAT)


class DateTimeInput(forms.DateTimeInput):
    """In the current time zone (Asia/Bishkek), to the minute: the field
    converts an aware value to local time before the widget writes it, and
    forms.DateTimeField reads the "T" form back in the same zone."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_FORMAT)


def _as_sent(value: str) -> str:
    """A browser sends a textarea's line breaks as CRLF."""
    return value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")


class KeepsUnchangedValues:
    """A form mixin: a value the browser sends back as the form showed it keeps
    what is stored, to the byte.

    Two inputs can't carry a stored value back exactly: ``datetime-local`` shows
    minutes (the seconds of a time set by the portal itself would be cut), and a
    textarea comes back with CRLF line breaks and without the spaces a CharField
    strips. Without this, saving an untouched form changes those fields and
    writes a change nobody made into the trail.
    """

    def clean(self):
        cleaned = super().clean()
        for bound in self:
            name, field = bound.name, bound.field
            if name not in cleaned or not isinstance(
                field, forms.DateTimeField | forms.CharField
            ):
                continue
            stored = self.initial.get(name, field.initial)
            if stored is None or callable(stored):
                continue
            shown = field.widget.format_value(field.prepare_value(stored))
            if isinstance(field.widget, forms.Textarea):
                shown = _as_sent(shown or "")
            try:
                unchanged = field.to_python(shown) == cleaned[name]
            except ValidationError:
                unchanged = False
            if unchanged:
                cleaned[name] = stored
        return cleaned


def offer_stored_choices(form: forms.BaseForm) -> None:
    """Keep each stored choice among a select's options, even one no longer
    offered (an executor who has left the school). Left out, nothing would be
    selected, the browser would send the first option, and saving the form for
    another field would quietly replace the stored one.

    Called at the end of an edit form's __init__, once its querysets are set.
    """
    for name, field in form.fields.items():
        if not isinstance(field, forms.ModelChoiceField) or isinstance(
            field, forms.ModelMultipleChoiceField
        ):
            continue
        stored = form.initial.get(name)
        if isinstance(stored, Model):
            stored = stored.pk
        if stored in (None, ""):
            continue
        offered = field.queryset
        kept = offered.model._default_manager.filter(
            Q(pk__in=offered.values("pk")) | Q(pk=stored)
        )
        if offered.query.order_by:
            kept = kept.order_by(*offered.query.order_by)
        field.queryset = kept
