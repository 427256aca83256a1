from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import ClassTeacher, User


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    # Superuser and staff flags and direct permissions are left out on purpose:
    # rights come from roles, which are groups.
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Personal info"),
            {"fields": ("last_name", "first_name", "middle_name", "email")},
        ),
        (_("Permissions"), {"fields": ("is_active", "groups")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ("last_login", "date_joined")
    list_display = ("username", "last_name", "first_name", "is_active")
    list_filter = ("is_active", "groups")

    # Read-only here: people, roles and passwords change on the portal's own
    # pages, whose services check access and write the audit trail.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# The account-security registrations (public holidays) live beside their code.
from accounts.security import admin as _security_admin  # noqa: E402, F401


# Personal data (issue 8): a class teacher sees their class's personal data.
@admin.register(ClassTeacher)
class ClassTeacherAdmin(admin.ModelAdmin):
    list_display = ("school_class", "teacher")
    list_filter = ("school_class",)
    autocomplete_fields = ("teacher",)
