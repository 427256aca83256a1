"""Read-only views for the back office: changes go through the portal's pages,
which check access and write the audit trail."""

from django.contrib import admin

from office.models import (
    Carrier,
    CarrierCheck,
    CarrierIssue,
    ControlCompletion,
    PeriodicControl,
    ProtectedResource,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProtectedResource)
class ProtectedResourceAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "responsible", "next_review_on", "approved_at")


@admin.register(Carrier)
class CarrierAdmin(ReadOnlyAdmin):
    list_display = ("inventory_number", "kind", "category", "destroyed_on")


@admin.register(CarrierIssue)
class CarrierIssueAdmin(ReadOnlyAdmin):
    list_display = ("carrier", "holder", "issued_on", "due_back_on", "returned_on")


@admin.register(CarrierCheck)
class CarrierCheckAdmin(ReadOnlyAdmin):
    list_display = ("carrier", "checked_on", "checked_by")


@admin.register(PeriodicControl)
class PeriodicControlAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "frequency_days", "responsible", "next_due_on")


@admin.register(ControlCompletion)
class ControlCompletionAdmin(ReadOnlyAdmin):
    list_display = ("control", "done_on", "done_by")
