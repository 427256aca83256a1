"""Home-page panels: "what needs me today?" for the records office and for staff."""

from django import template

from accounts import access
from documents import selectors

register = template.Library()


@register.inclusion_tag("documents/panel_records_office.html", takes_context=True)
def records_office_panel(context):
    user = context["request"].user
    if not access.can(user, "documents.view_custody"):
        return {"visible": False}
    return {
        "visible": True,
        "overdue": list(selectors.open_custody(user=user, overdue_only=True)[:20]),
        "issued_today": list(selectors.issued_today(user=user)[:20]),
    }


@register.inclusion_tag("documents/panel_my_custody.html", takes_context=True)
def my_custody_panel(context):
    user = context["request"].user
    return {"custodies": list(selectors.custody_of(user=user)[:20])}
