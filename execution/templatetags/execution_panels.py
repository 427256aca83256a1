"""Execution control on the home page and on a document's page."""

from django import template

from accounts import access
from execution import selectors

register = template.Library()


@register.inclusion_tag("execution/panel_assignments.html", takes_context=True)
def my_assignments_panel(context):
    user = context["request"].user
    return {"assignments": selectors.assignments_of(user=user), "user": user}


@register.inclusion_tag("execution/panel_control.html", takes_context=True)
def execution_control_panel(context):
    user = context["request"].user
    if not access.can(user, "execution.view_resolution"):
        return {"visible": False}
    return {"visible": True, "counts": selectors.counts_on_control(user=user)}


@register.inclusion_tag("execution/document_resolutions.html", takes_context=True)
def document_resolutions(context, document):
    user = context["request"].user
    return {
        "document": document,
        "resolutions": selectors.resolutions_of(document=document),
        "answered": selectors.answered_by(document=document),
        "may_give": document.is_registered
        and access.can(user, "execution.give_resolution", document),
    }
