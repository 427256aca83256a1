from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from documents import selectors, services, storage
from documents.models import (
    Case,
    CopyFate,
    Document,
    DocumentClass,
    DocumentStatus,
    Grif,
    Journal,
    StoragePlace,
)
from school_portal.widgets import (
    DateInput,
    DateTimeInput,
    KeepsUnchangedValues,
    offer_stored_choices,
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files; each is checked (size, type by content, name)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        uploads = []
        for uploaded in files:
            try:
                uploads.append(services.check_upload(uploaded))
            except storage.FileRefused as error:
                raise ValidationError(f"{uploaded.name}: {error}") from None
        return uploads


def _help_files():
    return _("PDF, PNG, JPEG, Word, Excel or OpenDocument.")


def _limit_lengths(form: forms.BaseForm) -> None:
    """The service's limits on the form's text fields: the browser stops typing
    at them, and a longer text posted anyway is refused in the same words."""
    for name, limit in services.TEXT_LIMITS.items():
        field = form.fields.get(name)
        if field is None:
            continue
        field.max_length = limit
        field.widget.attrs["maxlength"] = str(limit)
        field.validators = [
            validator
            for validator in field.validators
            if not isinstance(validator, MaxLengthValidator)
        ] + [MaxLengthValidator(limit, message=services.TOO_LONG)]


class RegistrationForm(forms.ModelForm):
    files = FilesField(label=_("Files"), required=False, help_text=_help_files)

    class Meta:
        model = Document
        fields = [
            "journal",
            "document_class",
            "summary",
            "correspondent",
            "their_number",
            "their_date",
            "sheets",
            "copies",
            "executor",
            "due_on",
            "case",
            "grif",
            "storage_place",
        ]
        widgets = {
            "their_date": DateInput,
            "due_on": DateInput,
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["journal"].queryset = selectors.journals_for_registration(user=user)
        self.fields["journal"].empty_label = None
        self.fields["document_class"].empty_label = None
        self.fields["executor"].queryset = selectors.receivers()
        _limit_lengths(self)

    def _post_clean(self):
        # The service builds the document; the form only checks the input.
        pass


class CorrectionForm(KeepsUnchangedValues, forms.Form):
    reason = forms.CharField(label=_("Reason for the correction"))

    def __init__(self, *args, document: Document, **kwargs):
        fields = forms.fields_for_model(
            Document,
            fields=services.CORRECTABLE,
            widgets={
                "their_date": DateInput,
                "due_on": DateInput,
                "summary": forms.Textarea(attrs={"rows": 3}),
            },
        )
        initial = {
            name: getattr(document, f"{name}_id", None)
            if name in ("document_class", "executor", "case", "storage_place")
            else getattr(document, name)
            for name in services.CORRECTABLE
        }
        super().__init__(*args, initial=initial, **kwargs)
        reason = self.fields.pop("reason")
        self.fields.update(fields)
        self.fields["reason"] = reason
        self.fields["executor"].queryset = selectors.receivers()
        self.fields["document_class"].empty_label = None
        _limit_lengths(self)
        offer_stored_choices(self)
        self.document = document

    def changes(self) -> dict:
        """What the person changed: a field the browser sent back as shown, or
        sent differently but meaning the same, is not a change."""
        return {
            name: self.cleaned_data[name]
            for name in self.changed_data
            if name in services.CORRECTABLE
            and self.cleaned_data[name] != getattr(self.document, name)
        }


class AnnulForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the annulment"), max_length=500)


class AttachmentForm(forms.Form):
    files = FilesField(label=_("Files"), help_text=_help_files)


class IssueForm(forms.Form):
    to = forms.ModelChoiceField(label=_("To whom"), queryset=None)
    due_at = forms.DateTimeField(
        label=_("Due back"),
        required=False,
        widget=DateTimeInput,
        help_text=_(
            "Documents for official use are due back by the end of the school day."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = selectors.receivers()


class SignForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Entering your password is your signature for the document."),
    )


class CopyForm(forms.Form):
    purpose = forms.CharField(label=_("Purpose of the copy"), max_length=300)


class PaperCopyForm(forms.Form):
    purpose = forms.CharField(label=_("Purpose of the copy"), max_length=300)
    count = forms.IntegerField(
        label=_("Number of copies"), min_value=1, max_value=100, initial=1
    )


class FateForm(forms.Form):
    fate = forms.ChoiceField(
        label=_("Fate"),
        choices=[
            (CopyFate.RETURNED, CopyFate.RETURNED.label),
            (CopyFate.DESTROYED, CopyFate.DESTROYED.label),
        ],
    )


class FilterForm(forms.Form):
    journal = forms.ModelChoiceField(
        label=_("Journal"), queryset=Journal.objects.all(), required=False
    )
    year = forms.IntegerField(
        label=_("Year"), required=False, min_value=1990, max_value=2100
    )
    document_class = forms.ModelChoiceField(
        label=_("Document kind"),
        queryset=DocumentClass.objects.all(),
        required=False,
    )
    grif = forms.ChoiceField(
        label=_("Grif"), choices=[("", "—"), *Grif.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", "—"), *DocumentStatus.choices], required=False
    )
    correspondent = forms.CharField(
        label=_("Correspondent"), max_length=100, required=False
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("Until"), required=False, widget=DateInput)
    text = forms.CharField(
        label=_("Text in summary or correspondent"), max_length=100, required=False
    )


class DestructionActForm(forms.Form):
    documents = forms.ModelMultipleChoiceField(
        label=_("Documents whose retention ended"),
        queryset=Document.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Commission (at least three)"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, documents, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].queryset = documents
        self.fields["members"].queryset = members


class PrintWhichJournalForm(forms.Form):
    """Which journal's year to print, asked when the list was not filtered."""

    journal = forms.ModelChoiceField(label=_("Journal"), queryset=Journal.objects.all())
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)


class PrintJournalForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of the headers"),
        choices=[("ky", "Кыргызча"), ("ru", "Русский")],
        required=False,
    )


class HandOverForm(forms.Form):
    incoming = forms.ModelChoiceField(
        label=_("Incoming records officer"), queryset=User.objects.none()
    )
    order_number = forms.CharField(label=_("Order number"), max_length=50)
    order_date = forms.DateField(label=_("Order date"), widget=DateInput)
    starts_on = forms.DateField(label=_("Appointment from"), widget=DateInput)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["incoming"].queryset = people


# The reference lists the records officer keeps. The services check
# duplicates and say so in their own words.


class _ListEntryForm(forms.ModelForm):
    def validate_unique(self):
        pass


class JournalForm(_ListEntryForm):
    class Meta:
        model = Journal
        fields = ["kind", "name", "code", "number_format"]


class DocumentClassForm(_ListEntryForm):
    class Meta:
        model = DocumentClass
        fields = ["code", "name"]
        help_texts = {"code": _("Latin letters, digits and hyphens, e.g. memo.")}


class CaseForm(_ListEntryForm):
    class Meta:
        model = Case
        fields = ["index", "title", "retention_years"]


class StoragePlaceForm(_ListEntryForm):
    class Meta:
        model = StoragePlace
        fields = ["room", "cabinet"]
