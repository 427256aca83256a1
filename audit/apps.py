from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit trail")

    def ready(self):
        from audit import auditlog, home_signals, receivers, reports  # noqa: F401
        from office.signals import register

        # A bad PORTAL_SCHOOL_HOURS stops start-up here, not in a report.
        reports.school_hours()
        auditlog.connect()
        register(home_signals.this_week)
