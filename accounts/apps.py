from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("People and roles")

    def ready(self):
        from accounts import roles
        from accounts.personal import home_signals as personal_signals
        from accounts.security import home_signals as security_signals
        from accounts.security import receivers  # noqa: F401 (connects signals)
        from office.signals import register

        post_migrate.connect(roles.sync_role_groups_after_migrate)
        register(security_signals.overdue_incidents)
        register(personal_signals.overdue_requests)
