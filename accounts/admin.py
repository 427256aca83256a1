from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User


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
