from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.utils.translation import gettext_lazy as _

from accounts.security.network import normalize_username


def code_field(**kwargs) -> forms.CharField:
    return forms.CharField(
        max_length=20,
        error_messages={
            "required": _("Enter the code."),
            "max_length": _("This is longer than any code: check what you typed."),
        },
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

    # Our labels and messages: Django's own Kyrgyz says "Колдонуучу аты",
    # "Сырсөз" and "...СезГичТүү..."; the regulation (5.2.1) says логин, пароль.
    username = UsernameField(
        label=_("Login"),
        error_messages={"required": _("Enter your login.")},
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        error_messages={"required": _("Enter your password.")},
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = code_field(
        label=_("Code from the authenticator app"),
        required=False,
        help_text=_("Six digits from your authenticator app, or one backup code."),
    )

    error_messages = {
        "invalid_login": _(
            "The login or the password is wrong. Check the keyboard's language "
            "and Caps Lock: capital and small letters differ."
        ),
        "inactive": _("This account is deactivated: ask the administrator."),
    }

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


def new_password_fields() -> tuple[forms.CharField, forms.CharField]:
    first = forms.CharField(
        label=_("New password"),
        error_messages={"required": _("Enter the new password.")},
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    second = forms.CharField(
        label=_("The new password again"),
        error_messages={"required": _("Enter the new password once more.")},
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Type the same password once more, so that a typo is caught."),
    )
    return first, second


PASSWORD_MISMATCH = _("The two new passwords differ: type the same one twice.")


class SetPasswordForm(auth_forms.SetPasswordForm):
    """Django's form (a one-time link), with our labels and messages."""

    error_messages = {"password_mismatch": PASSWORD_MISMATCH}
    new_password1, new_password2 = new_password_fields()


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form, with our labels and messages."""

    error_messages = {
        "password_mismatch": PASSWORD_MISMATCH,
        "password_incorrect": _("This is not your current password. Enter it again."),
    }
    old_password = forms.CharField(
        label=_("Current password"),
        error_messages={"required": _("Enter your current password.")},
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "current-password", "autofocus": True}
        ),
    )
    new_password1, new_password2 = new_password_fields()


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
        error_messages={"required": _("Enter your password.")},
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
