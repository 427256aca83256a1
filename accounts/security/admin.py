"""Back office: the administrator keeps the public holidays of each year."""

from django.contrib import admin

from accounts.models import Holiday


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ("date", "name")
    date_hierarchy = "date"
    search_fields = ("name",)
