from django import forms
from django.contrib.auth.models import Group
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from accounts.models import AppointedRole, User
from accounts.people_import import SCHOOL_CLASS, USERNAME, normalize_class
from accounts.roles import OFFERED_ROLES, Role
from school_portal.widgets import DateInput

ROLE_CHOICES = [(role.value, role.label) for role in OFFERED_ROLES]


class RolesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(choices=ROLE_CHOICES, label=_("Roles"), **kwargs)

    def clean(self, value):
        return [Role(item) for item in super().clean(value)]


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or login"), required=False, max_length=100)
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", _("Any"))] + [(role.value, role.label) for role in Role],
    )
    active = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any")), ("1", _("Active")), ("0", _("Deactivated"))],
    )


class PersonForm(forms.Form):
    username = forms.CharField(
        label=_("Login"),
        max_length=30,
        validators=[
            RegexValidator(
                USERNAME.pattern,
                _("Use 2–30 small latin letters, digits, dots, dashes or underscores."),
            )
        ],
    )
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    middle_name = forms.CharField(label=_("Patronymic"), max_length=150, required=False)
    school_class = forms.CharField(
        label=_("Class"),
        max_length=4,
        required=False,
        help_text=_("For a student, e.g. 7А."),
    )
    position = forms.CharField(label=_("Position"), max_length=100, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    roles = RolesField()

    def clean_username(self):
        return self.cleaned_data["username"].lower()

    def clean_school_class(self):
        value = normalize_class(self.cleaned_data["school_class"])
        if value and not SCHOOL_CLASS.match(value):
            raise forms.ValidationError(
                _("Write the class as a number and a letter, e.g. 7А.")
            )
        return value

    def clean(self):
        cleaned = super().clean()
        if Role.STUDENT in cleaned.get("roles", []) and not cleaned.get("school_class"):
            self.add_error("school_class", _("A student needs a class."))
        return cleaned


class RolesForm(forms.Form):
    roles = RolesField()


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Class list (CSV or XLSX)"),
        help_text=_(
            "Columns: last name, first name, patronymic, role (student, parent or "
            "staff), class, login (may be blank)."
        ),
    )


class PersonByLoginField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(max_length=150, **kwargs)

    def clean(self, value):
        username = super().clean(value).strip().lower()
        if not username:
            return None
        person = User.objects.filter(username=username, is_active=True).first()
        if person is None:
            raise forms.ValidationError(_("No active person has this login."))
        return person


class ChildLinkForm(forms.Form):
    child = PersonByLoginField(label=_("The child's login"))


class AppointmentForm(forms.Form):
    person = PersonByLoginField(label=_("Login of the employee"))
    role = forms.ChoiceField(label=_("Role"), choices=AppointedRole.choices)
    starts_on = forms.DateField(label=_("From"), widget=DateInput)
    order_number = forms.CharField(label=_("Order number"), max_length=50)
    order_date = forms.DateField(label=_("Order date"), widget=DateInput)
    replace_current = forms.BooleanField(
        label=_("End the current holder's appointment on that day"), required=False
    )

    def clean_role(self):
        return AppointedRole(self.cleaned_data["role"])


class GrantForm(forms.Form):
    permission = forms.ChoiceField(label=_("Permission"))
    person = PersonByLoginField(label=_("Login of the person"), required=False)
    group = forms.ModelChoiceField(
        label=_("or a whole role"),
        queryset=Group.objects.filter(name__in=Role.values).order_by("name"),
        required=False,
    )

    def __init__(self, *args, permissions: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["permission"].choices = permissions
        self.fields["group"].label_from_instance = lambda group: Role(group.name).label

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("person")) == bool(cleaned.get("group")):
            raise forms.ValidationError(_("Name either one person or one role."))
        cleaned["grantee"] = cleaned.get("person") or cleaned.get("group")
        return cleaned
