"""{% load account_security %}: account-security boxes for the home panels."""

from django import template

from accounts import access
from accounts.security import notices, selectors

register = template.Library()


@register.inclusion_tag("account_security/panel_overdue.html", takes_context=True)
def overdue_incidents(context):
    user = context["request"].user
    visible = access.can(user, "accounts.view_incident")
    return {"incidents": list(selectors.overdue_incidents()) if visible else []}


@register.inclusion_tag("account_security/panel_open.html", takes_context=True)
def open_incidents(context):
    user = context["request"].user
    visible = access.can(user, "accounts.view_incident")
    return {"incidents": list(selectors.incidents_for_support()) if visible else []}


@register.inclusion_tag("account_security/notices.html", takes_context=True)
def security_notices(context):
    """What happened to the person's own account, until they have read it."""
    user = context["request"].user
    return {
        "notices": [
            {
                "pk": notice.pk,
                "headline": notices.headline(notice),
                "text": notices.text(notice),
            }
            for notice in selectors.unread_notices(user=user)
        ],
        "csrf_token": context.get("csrf_token"),
    }
