from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts.security.network import normalize_username


def code_field(**kwargs) -> forms.CharField:
    return forms.CharField(
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
        **kwargs,
    )


class LoginForm(AuthenticationForm):
    """Django's form, with the username normalized as django-axes counts it.

    ``code``: the pause page (account_security/locked_out.html) sends a
    second-factor code with the password; the login page does not show it.
    """

    code = code_field(
        label=_("Code from the authenticator app"),
        required=False,
        help_text=_("Six digits from your authenticator app, or one backup code."),
    )

    def clean_username(self):
        return normalize_username(self.cleaned_data.get("username"))

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            self.user_cache = authenticate(
                self.request,
                username=username,
                password=password,
                otp_token=self.cleaned_data.get("code", ""),
            )
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class CodeForm(forms.Form):
    code = code_field(
        label=_("Code"),
        help_text=_("Six digits from your authenticator app, or one backup code."),
    )


class ProofForm(forms.Form):
    """Who is at the keyboard: asked before the second factor changes.

    ``with_code``: the person has a second factor, so a current code (or an
    unused backup code) is asked as well as the password.
    """

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = code_field(
        label=_("Code from the app you use now"),
        help_text=_(
            "Six digits from the authenticator app you use now, or one unused "
            "backup code."
        ),
    )

    def __init__(self, *args, with_code: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_code:
            del self.fields["code"]


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
    # Blank: lift the guard of the username from all addresses.
    address = forms.GenericIPAddressField(required=False)

    def clean_address(self):
        return self.cleaned_data.get("address") or None
