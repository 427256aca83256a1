from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def remember_keys_after_migrate(sender, **kwargs):
    from accounts import keys

    keys.startup_problems()


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("People and roles")

    def ready(self):
        from accounts import (
            checks,  # noqa: F401 (registers the key check)
            roles,
        )
        from accounts.personal import home_signals as personal_signals
        from accounts.security import home_signals as security_signals
        from accounts.security import receivers  # noqa: F401 (connects signals)
        from office.signals import register

        post_migrate.connect(roles.sync_role_groups_after_migrate)
        post_migrate.connect(remember_keys_after_migrate, sender=self)
        register(security_signals.overdue_incidents)
        register(personal_signals.overdue_requests)
