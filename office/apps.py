from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OfficeConfig(AppConfig):
    name = "office"
    verbose_name = _("Security office")

    def ready(self):
        from office import defaults, providers, signals

        providers.register_all(signals.register)
        post_migrate.connect(defaults.ensure_default_controls, sender=self)
