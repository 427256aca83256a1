from django.conf import settings

from accounts import selectors


def portal(request):
    """The school's name and, for a signed-in person, their roles and menu."""
    context = {"school_name": settings.PORTAL_SCHOOL_NAME}
    if request.user.is_authenticated:
        context["my_roles"] = selectors.roles_of(user=request.user)
        context["navigation"] = selectors.navigation_for(user=request.user)
    return context
