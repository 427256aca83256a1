"""Survey panels on the home page, so the home view needs to know nothing of surveys."""

from django import template

from accounts import access
from surveys import selectors

register = template.Library()


@register.inclusion_tag("surveys/panel_recommendations.html", takes_context=True)
def survey_recommendations(context):
    """Open action items from survey results, for those who read results."""
    user = context["request"].user
    if not access.can(user, selectors.RESULTS):
        return {"recommendations": None}
    return {"recommendations": list(selectors.open_recommendations()[:20])}


@register.inclusion_tag("surveys/panel_open_surveys.html", takes_context=True)
def open_surveys(context):
    """Open surveys the signed-in person may answer and has not answered yet."""
    return {"surveys": selectors.open_surveys_for(user=context["request"].user)}
