from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts.security.network import normalize_username


class LoginForm(AuthenticationForm):
    """Django's form, with the username normalized as django-axes counts it."""

    def clean_username(self):
        return normalize_username(self.cleaned_data.get("username"))


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("Six digits from your authenticator app, or one backup code."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )


class CloseIncidentForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class ResetMethod:
    TEMPORARY = "temporary"
    LINK = "link"


class ResetForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    method = forms.ChoiceField(
        label=_("How"),
        choices=[
            (
                ResetMethod.TEMPORARY,
                _("A temporary password, to be changed at the first sign-in"),
            ),
            (ResetMethod.LINK, _("A one-time link to set a new password")),
        ],
        widget=forms.RadioSelect,
        initial=ResetMethod.TEMPORARY,
    )

    def clean_username(self):
        return normalize_username(self.cleaned_data.get("username"))


class UnlockForm(forms.Form):
    username = forms.CharField(max_length=255)
    address = forms.GenericIPAddressField()
