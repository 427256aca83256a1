from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from documents.forms import FilesField
from execution import services
from execution.models import ExecutionState
from school_portal.widgets import DateInput, KeepsUnchangedValues


class ExecutorsMixin:
    def _set_executors(self):
        people = services.executor_candidates()
        self.fields["responsible"].queryset = people
        self.fields["co_executors"].queryset = people


def _text(label, help_text=""):
    return forms.CharField(
        label=label,
        max_length=services.TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=help_text,
    )


class ResolutionForm(ExecutorsMixin, forms.Form):
    text = _text(_("Resolution"), _("What is to be done, e.g. “Prepare an answer”."))
    responsible = forms.ModelChoiceField(label=_("Responsible executor"), queryset=None)
    co_executors = forms.ModelMultipleChoiceField(
        label=_("Co-executors"),
        queryset=None,
        required=False,
        help_text=_("They report to the responsible executor."),
    )
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DateInput)
    working_days = forms.IntegerField(
        label=_("or within working days"),
        min_value=1,
        max_value=120,
        required=False,
        help_text=_("Counted on the working calendar: weekends and holidays skipped."),
    )
    on_control = forms.BooleanField(label=_("On control"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_executors()

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            given = cleaned.get("deadline"), cleaned.get("working_days")
            if all(value is None for value in given):
                raise ValidationError(
                    {"deadline": _("Give a deadline: a date or working days.")}
                )
            if all(value is not None for value in given):
                raise ValidationError(
                    {"working_days": _("Give either a date or working days, not both.")}
                )
        return cleaned


class ResolutionChangeForm(ExecutorsMixin, KeepsUnchangedValues, forms.Form):
    text = _text(_("Resolution"))
    responsible = forms.ModelChoiceField(label=_("Responsible executor"), queryset=None)
    co_executors = forms.ModelMultipleChoiceField(
        label=_("Co-executors"), queryset=None, required=False
    )
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput)
    on_control = forms.BooleanField(label=_("On control"), required=False)

    def __init__(self, *args, resolution, **kwargs):
        executors = list(resolution.executors.all())
        initial = {
            "text": resolution.text,
            "deadline": resolution.deadline,
            "on_control": resolution.on_control,
            "responsible": next(
                (e.person_id for e in executors if e.is_responsible), None
            ),
            "co_executors": [e.person_id for e in executors if not e.is_responsible],
        }
        super().__init__(*args, initial=initial, **kwargs)
        # A stored executor who has left stays selectable, so that saving
        # another field does not quietly drop them.
        kept = Q(pk__in=[e.person_id for e in executors])
        employees = Q(pk__in=services.executor_candidates().values("pk"))
        people = User.objects.filter(kept | employees).order_by(
            "last_name", "first_name", "username"
        )
        self.fields["responsible"].queryset = people
        # The responsible one is not offered as their own co-executor.
        self.fields["co_executors"].queryset = people.exclude(pk=initial["responsible"])


class ReportForm(forms.Form):
    note = _text(_("What was done"))
    reply = forms.ModelChoiceField(
        label=_("Reply registered in the outgoing journal"),
        queryset=None,
        required=False,
        help_text=_("Register the reply first; then choose it here."),
    )
    file = FilesField(label=_("File"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reply"].queryset = services.replies_for(user=user)

    def clean_file(self):
        uploads = self.cleaned_data.get("file") or []
        if len(uploads) > 1:
            raise ValidationError(_("Attach one file."))
        return uploads[0] if uploads else None


STATE_CHOICES = [
    ("", _("Needing attention")),
    *ExecutionState.choices,
    ("all", _("All")),
]


class ExecutionFilterForm(forms.Form):
    executor = forms.ModelChoiceField(
        label=_("Executor"), queryset=None, required=False
    )
    state = forms.ChoiceField(label=_("State"), choices=STATE_CHOICES, required=False)
    deadline_from = forms.DateField(
        label=_("Deadline from"), required=False, widget=DateInput
    )
    deadline_to = forms.DateField(label=_("to"), required=False, widget=DateInput)
    on_control = forms.BooleanField(label=_("On control only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["executor"].queryset = services.executor_candidates()


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput)
    end = forms.DateField(label=_("to"), widget=DateInput)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            raise ValidationError({"end": _("The period ends before it starts.")})
        return cleaned
