from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExecutionConfig(AppConfig):
    name = "execution"
    verbose_name = _("Execution control")

    def ready(self):
        from execution import home_signals
        from office.signals import register

        register(home_signals.my_assignments)
        register(home_signals.overdue_on_control)
