"""The back office shows the registry read-only: every change goes through
documents/services.py, so that it is checked and audited."""

from django.contrib import admin

from documents.models import Case, DocumentClass, Journal, StoragePlace


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Journal)
class JournalAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "kind", "code", "number_format", "is_active")


@admin.register(DocumentClass)
class DocumentClassAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "code")


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("index", "title", "retention_years")


@admin.register(StoragePlace)
class StoragePlaceAdmin(ReadOnlyAdmin):
    list_display = ("room", "cabinet")
