from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from school_portal.widgets import DateInput, DateTimeInput, KeepsUnchangedValues
from surveys import selectors
from surveys.models import Question, QuestionKind, Survey


class SurveyForm(KeepsUnchangedValues, forms.ModelForm):
    audience_roles = forms.MultipleChoiceField(
        label=_("Who answers"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Survey
        fields = [
            "title_ky",
            "title_ru",
            "title_en",
            "purpose_ky",
            "purpose_ru",
            "purpose_en",
            "audience_roles",
            "min_grade",
            "max_grade",
            "classes",
            "opens_at",
            "closes_at",
            "anonymous",
        ]
        widgets = {
            "purpose_ky": forms.Textarea(attrs={"rows": 3}),
            "purpose_ru": forms.Textarea(attrs={"rows": 3}),
            "purpose_en": forms.Textarea(attrs={"rows": 3}),
            "opens_at": DateTimeInput(),
            "closes_at": DateTimeInput(),
        }
        help_texts = {
            "anonymous": _(
                "Nobody, not even an administrator, can tell who gave which answers."
            ),
        }

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The survey must close after it opens."))
        low, high = data.get("min_grade"), data.get("max_grade")
        if low is not None and high is not None and low > high:
            self.add_error("max_grade", _("The lowest grade is above the highest."))
        return data


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    text_ky = forms.CharField(
        label=_("Question (Kyrgyz)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    text_ru = forms.CharField(
        label=_("Question (Russian)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    text_en = forms.CharField(
        label=_("Question (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    min_value = forms.IntegerField(
        label=_("Lowest value"),
        required=False,
        help_text=_("For a scale (e.g. 0) or a number."),
    )
    max_value = forms.IntegerField(
        label=_("Highest value"),
        required=False,
        help_text=_("For a scale (e.g. 3) or a number."),
    )
    options = forms.CharField(
        label=_("Labels or choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One per line: Kyrgyz | Russian | English. For a scale, the labels "
            "of its values from the lowest; for a choice question, the choices."
        ),
    )

    def clean_options(self) -> list[tuple[str, str, str]]:
        rows = []
        for line in self.cleaned_data["options"].splitlines():
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")] + ["", ""]
            rows.append((parts[0], parts[1], parts[2]))
        return rows


class AnswerForm(forms.Form):
    """One field per question, named by its pk; the service checks every value again."""

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[self.name_of(question)] = self._field(question)

    @staticmethod
    def name_of(question: Question) -> str:
        return f"q{question.pk}"

    def _field(self, question: Question) -> forms.Field:
        common = {"label": question.text, "required": question.required}
        if question.kind == QuestionKind.TEXT:
            return forms.CharField(
                max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), **common
            )
        if question.kind == QuestionKind.NUMBER:
            return forms.IntegerField(
                min_value=question.min_value, max_value=question.max_value, **common
            )
        choices = [(str(value), label) for value, label in question.choices()]
        if question.kind == QuestionKind.MULTIPLE:
            return forms.MultipleChoiceField(
                choices=choices, widget=forms.CheckboxSelectMultiple, **common
            )
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)

    def answers(self) -> dict:
        """Question pk → the value the service expects."""
        result = {}
        for question in self.questions:
            value = self.cleaned_data.get(self.name_of(question))
            if question.kind == QuestionKind.MULTIPLE:
                value = [int(v) for v in value or []]
            elif question.kind in (
                QuestionKind.SCALE,
                QuestionKind.YES_NO,
                QuestionKind.SINGLE,
            ):
                value = int(value) if value not in (None, "") else None
            result[question.pk] = value
        return result

    def rows(self):
        """(question, bound field) pairs for the template."""
        return [(q, self[self.name_of(q)]) for q in self.questions]


class ConclusionsForm(KeepsUnchangedValues, forms.Form):
    conclusions = forms.CharField(
        label=_("Conclusions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class RecommendationForm(forms.Form):
    text = forms.CharField(
        label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 3})
    )
    responsible = forms.ModelChoiceField(
        label=_("Responsible"), queryset=selectors.responsible_candidates()
    )
    due_on = forms.DateField(
        label=_("Due"),
        widget=DateInput,
    )


class CompareForm(forms.Form):
    other = forms.ModelChoiceField(label=_("Compare with"), queryset=Survey.objects)

    def __init__(self, *args, runs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = runs
