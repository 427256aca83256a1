from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import ConsentKind, RequestKind
from accounts.personal.pin import pin_birth_date, validate_birth_date
from accounts.personal.selectors import FIELD_LABELS
from school_portal.widgets import DateInput

FIELD_CHOICES = list(FIELD_LABELS.items())


class RecordForm(forms.Form):
    """Write-only: blank fields keep what is recorded, which is never shown here."""

    birth_date = forms.DateField(
        label=_("date of birth"), required=False, widget=DateInput
    )
    pin = forms.CharField(
        label=_("personal identification number"),
        required=False,
        max_length=20,
        help_text=_("14 digits: 1 or 2, the date of birth as DDMMYYYY, 5 digits."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    address = forms.CharField(label=_("address"), required=False, max_length=300)
    phone = forms.CharField(label=_("phone"), required=False, max_length=30)

    def clean_birth_date(self):
        born = self.cleaned_data["birth_date"]
        if born is not None:
            validate_birth_date(born)
        return born

    def clean_pin(self):
        pin = self.cleaned_data["pin"].strip()
        if pin:
            pin_birth_date(pin)
        return pin

    def values(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if value}


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("request"), choices=RequestKind.choices)
    note = forms.CharField(
        label=_("note"),
        required=False,
        max_length=500,
        help_text=_("For a certificate: where it is to be presented."),
    )
    field = forms.ChoiceField(
        label=_("what to correct"),
        choices=[("", "—"), *FIELD_CHOICES],
        required=False,
    )
    proposed_value = forms.CharField(
        label=_("correct value"),
        required=False,
        max_length=300,
        help_text=_("A date as YYYY-MM-DD."),
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") != RequestKind.CORRECTION:
            return data
        field, value = data.get("field"), (data.get("proposed_value") or "").strip()
        if not field:
            self.add_error("field", _("Choose what to correct."))
        if not value:
            self.add_error("proposed_value", _("Give the correct value."))
        elif field == "birth_date":
            try:
                data["proposed_value"] = forms.DateField().clean(value)
            except ValidationError as error:
                self.add_error("proposed_value", error)
        else:
            data["proposed_value"] = value
        return data


class ConsentForm(forms.Form):
    kind = forms.ChoiceField(choices=ConsentKind.choices)
    granted = forms.TypedChoiceField(
        choices=[("1", _("Give")), ("0", _("Take back"))],
        coerce=lambda value: value == "1",
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
