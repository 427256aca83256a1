from django.contrib import admin

from surveys.models import Recommendation, Survey


# Read-only in the back office: every change goes through surveys.services,
# which checks permissions and writes the audit trail. Responses and answers
# are not listed at all.
class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Survey)
class SurveyAdmin(ReadOnlyAdmin):
    list_display = ("title_ky", "status", "opens_at", "closes_at", "anonymous")
    list_filter = ("status", "anonymous")


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAdmin):
    list_display = ("text", "responsible", "due_on", "status")
    list_filter = ("status",)
