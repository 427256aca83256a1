from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Document registry")

    def ready(self):
        from documents import home_signals
        from office.signals import register

        register(home_signals.overdue_custody)
        register(home_signals.acts_waiting_for_the_principal)
