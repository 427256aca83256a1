"""Forms of the security office. They check the shape of the input; the services
check the rules (dates against today, a carrier issued twice, clearance)."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from office import selectors
from office.models import (
    CARRIER_CHECK_DAYS,
    CarrierCategory,
    CarrierKind,
    PeriodicControl,
    ProtectedResource,
)
from school_portal.widgets import (
    DateInput,
    KeepsUnchangedValues,
    offer_stored_choices,
)


class EmployeeField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(queryset=selectors.employees(), **kwargs)

    def label_from_instance(self, obj):
        return str(obj)


class ResourceForm(KeepsUnchangedValues, forms.ModelForm):
    responsible = EmployeeField(label=_("Responsible person"))

    class Meta:
        model = ProtectedResource
        fields = [
            "name",
            "kind",
            "responsible",
            "location",
            "holds_personal_data",
            "holds_official_use",
            "holds_open",
            "protection_measures",
            "access_holders",
            "last_review_on",
            "next_review_on",
        ]
        widgets = {
            "last_review_on": DateInput(),
            "next_review_on": DateInput(),
            "protection_measures": forms.Textarea(attrs={"rows": 3}),
            "access_holders": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "access_holders": _("Positions or names, e.g. class teachers, the clerk."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offer_stored_choices(self)

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        last, upcoming = cleaned.get("last_review_on"), cleaned.get("next_review_on")
        if last and last > today:
            self.add_error(
                "last_review_on", _("The last review can't be in the future.")
            )
        if last and upcoming and upcoming <= last:
            self.add_error(
                "next_review_on", _("The next review must come after the last one.")
            )
        if self.instance.pk is None and upcoming and upcoming < today:
            self.add_error(
                "next_review_on", _("The next review of a new resource can't be past.")
            )
        if not any(
            cleaned.get(flag)
            for flag in ("holds_personal_data", "holds_official_use", "holds_open")
        ):
            self.add_error(None, _("Tick which information the resource holds."))
        return cleaned


class CarrierForm(forms.Form):
    inventory_number = forms.CharField(label=_("Inventory number"), max_length=50)
    kind = forms.ChoiceField(label=_("Kind"), choices=CarrierKind.choices)
    category = forms.ChoiceField(label=_("Category"), choices=CarrierCategory.choices)
    description = forms.CharField(
        label=_("Description"),
        max_length=200,
        required=False,
        help_text=_("E.g. 16 GB, grey. No personal data here."),
    )
    next_check_on = forms.DateField(label=_("First check"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["next_check_on"].initial = timezone.localdate() + timedelta(
            days=CARRIER_CHECK_DAYS
        )

    def clean_inventory_number(self):
        return self.cleaned_data["inventory_number"].strip()


class IssueForm(forms.Form):
    holder = EmployeeField(label=_("To"))
    issued_on = forms.DateField(label=_("Issued"), widget=DateInput())
    due_back_on = forms.DateField(label=_("Due back"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issued_on"].initial = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        issued, due = cleaned.get("issued_on"), cleaned.get("due_back_on")
        if issued and due and due < issued:
            self.add_error(
                "due_back_on", _("The carrier can't be due back before it is issued.")
            )
        return cleaned


class ReturnForm(forms.Form):
    returned_on = forms.DateField(label=_("Returned"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["returned_on"].initial = timezone.localdate()


class CheckForm(forms.Form):
    checked_on = forms.DateField(label=_("Checked"), widget=DateInput())
    note = forms.CharField(
        label=_("Result"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. present, seal intact, contents as listed."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checked_on"].initial = timezone.localdate()


class DestroyForm(forms.Form):
    destroyed_on = forms.DateField(label=_("Destroyed"), widget=DateInput())
    act_number = forms.CharField(label=_("Destruction act number"), max_length=50)
    note = forms.CharField(
        label=_("How it was destroyed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ControlForm(KeepsUnchangedValues, forms.ModelForm):
    responsible = EmployeeField(label=_("Responsible person"), required=False)

    class Meta:
        model = PeriodicControl
        fields = ["title", "frequency_days", "responsible", "next_due_on"]
        widgets = {"next_due_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.key:
            del self.fields["title"]
        else:
            self.fields["title"].required = True
        offer_stored_choices(self)


class DoneForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), widget=DateInput())
    note = forms.CharField(
        label=_("Evidence"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was done and how it was checked. Never write a password."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["done_on"].initial = timezone.localdate()
