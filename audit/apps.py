from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit trail")

    def ready(self):
        from audit import auditlog, receivers, reports  # noqa: F401  (connects)

        # A bad PORTAL_SCHOOL_HOURS stops start-up here, not in a report.
        reports.school_hours()
        auditlog.connect()
