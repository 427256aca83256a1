"""Django's password validators, refusing in the portal's own words.

Django's catalogs carry these messages in English or in a Kyrgyz the office
does not use; subclasses keep Django's checks and give our msgids, so that
the project catalogs (ky, ru) translate them with the right plural forms.
"""

from django.contrib.auth import password_validation as django_validation
from django.utils.translation import gettext, ngettext


class MinimumLengthValidator(django_validation.MinimumLengthValidator):
    def get_error_message(self):
        return ngettext(
            "This password is too short: it needs at least %(min_length)d character.",
            "This password is too short: it needs at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}

    def get_help_text(self):
        return ngettext(
            "At least %(min_length)d character.",
            "At least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}


class UserAttributeSimilarityValidator(
    django_validation.UserAttributeSimilarityValidator
):
    # Django names the field ("%(verbose_name)s"), which Kyrgyz would have to
    # decline; one sentence names them all.
    def get_error_message(self):
        return gettext(
            "This password is too close to your login, name or e-mail: choose another."
        )

    def get_help_text(self):
        return gettext("Not like your login, name or e-mail.")


class CommonPasswordValidator(django_validation.CommonPasswordValidator):
    def get_error_message(self):
        return gettext(
            "This password is one of the most common ones, which are guessed "
            "first: choose another."
        )

    def get_help_text(self):
        return gettext("Not one of the most common passwords.")


class NumericPasswordValidator(django_validation.NumericPasswordValidator):
    def get_error_message(self):
        return gettext("This password is only digits: add letters or words.")

    def get_help_text(self):
        return gettext("Not digits only.")
