"""Roles are data: each is a group holding model permissions.

What a role lets a person do is decided in ``accounts.access``, which combines
these permissions with appointments, onboarding, custody, commissions and
per-object grants; no code compares role names. This module only says which
role holds which permission, and keeps the groups in step after every migrate.
"""

from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    PRINCIPAL = "principal", _("Principal")
    DEPUTY_PRINCIPAL = "deputy_principal", _("Deputy principal")
    SECURITY_OFFICER = "security_officer", _("Security officer")
    RECORDS_OFFICER = "records_officer", _("Records officer")
    STAFF = "staff", _("Staff member")
    SUPPORT = "support", _("Technical support")
    STUDENT = "student", _("Student")
    PARENT = "parent", _("Parent")


# Given from the people pages; the two officers only by appointment (2.3, 4.3).
OFFERED_ROLES = [
    Role.ADMINISTRATOR,
    Role.PRINCIPAL,
    Role.STAFF,
    Role.SUPPORT,
    Role.STUDENT,
    Role.PARENT,
]

# "app_label.codename" of each permission a role grants.
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.ADMINISTRATOR: [
        "accounts.unlock_account",
        "accounts.reset_password",
        "accounts.reset_privileged_password",
        "accounts.require_second_factor",
        "accounts.short_sessions",
        "accounts.handle_incident",
        "accounts.view_incident",
        "accounts.view_holiday",
        "accounts.add_holiday",
        "accounts.change_holiday",
        "accounts.delete_holiday",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.manage_people",
        "accounts.appoint_officer",
        "documents.add_handoveract",
        "documents.view_handoveract",
        "accounts.grant_object_permission",
        "accounts.view_onboarding",
        "accounts.view_appointment",
        "accounts.view_parentlink",
        "office.view_office",
        "office.view_system_health",
        "office.receive_daily_signals",
        "surveys.add_survey",
        "surveys.change_survey",
        "surveys.view_survey_results",
        "documents.view_journal",
        "accounts.view_all_personal_data",
        "accounts.change_personrecord",
        "accounts.handle_personal_request",
    ],
    Role.PRINCIPAL: [
        "documents.view_journal",
        "documents.view_document",
        "documents.view_custody",
        "documents.view_copy",
        "documents.view_destructionact",
        "documents.approve_destructionact",
        "documents.view_handoveract",
        "documents.confirm_handoveract",
        "accounts.require_second_factor",
        "accounts.short_sessions",
        "accounts.view_onboarding",
        "accounts.view_appointment",
        "audit.view_audit_report",
        "surveys.view_survey_results",
        "office.view_office",
        "office.approve_resource",
        "office.receive_daily_signals",
        "execution.give_resolution",
        "execution.view_resolution",
        "execution.take_off_control",
    ],
    # Appointed by the principal's order to give resolutions in their stead.
    Role.DEPUTY_PRINCIPAL: [
        "documents.view_journal",
        "documents.view_document",
        "accounts.require_second_factor",
        "accounts.short_sessions",
        "office.receive_daily_signals",
        "execution.give_resolution",
        "execution.view_resolution",
        "execution.take_off_control",
    ],
    Role.SECURITY_OFFICER: [
        "documents.view_journal",
        "documents.view_document",
        "documents.view_custody",
        "documents.view_copy",
        "documents.view_destructionact",
        "documents.view_handoveract",
        "accounts.require_second_factor",
        "accounts.short_sessions",
        "accounts.view_incident",
        "accounts.view_onboarding",
        "accounts.record_briefing",
        "accounts.view_appointment",
        "audit.view_audit_report",
        "surveys.add_survey",
        "surveys.change_survey",
        "surveys.view_survey_results",
        "office.view_office",
        "office.manage_office",
        "office.view_system_health",
        "office.receive_daily_signals",
        "accounts.view_overdue_requests",
    ],
    Role.RECORDS_OFFICER: [
        "accounts.handle_personal_request",
        "accounts.issue_certificate",
        "documents.view_journal",
        "documents.view_document",
        "documents.register_in_journal",
        "documents.manage_journals",
        "documents.change_document",
        "documents.annul_document",
        "documents.grant_document",
        "documents.destroy_document",
        "documents.issue_document",
        "documents.receive_document",
        "documents.view_custody",
        "documents.view_copy",
        "documents.add_copy",
        "documents.change_copy",
        "documents.view_destructionact",
        "documents.add_destructionact",
        "documents.view_handoveract",
        "accounts.require_second_factor",
        "accounts.short_sessions",
        "execution.view_resolution",
        "execution.take_off_control",
    ],
    Role.STAFF: [
        "documents.view_journal",
        "documents.receive_document",
        "accounts.short_sessions",
        "accounts.undergo_onboarding",
        "accounts.receive_object_permission",
    ],
    Role.SUPPORT: [
        "accounts.unlock_account",
        "accounts.reset_password",
        "accounts.handle_incident",
        "accounts.view_incident",
        "accounts.short_sessions",
    ],
    Role.STUDENT: [],
    Role.PARENT: [
        "accounts.give_consent",
    ],
}


def sync_role_groups() -> None:
    """Create each role's group and give it exactly the permissions listed above."""
    for role, names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role.value)
        wanted = []
        for name in names:
            app_label, codename = name.split(".")
            wanted.append(
                Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
            )
        group.permissions.set(wanted)


def sync_role_groups_after_migrate(sender, **kwargs) -> None:
    # post_migrate is sent once per app with models; every app's permissions
    # exist only after the last one, so the groups are synced then.
    with_models = [c for c in django_apps.get_app_configs() if c.models_module]
    if sender is with_models[-1]:
        sync_role_groups()
