"""{% load personal %}: what the home panels show about personal data."""

from django import template

from accounts.personal import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def personal_summary(context) -> selectors.HomeSummary:
    return selectors.home_summary(user=context["request"].user)
