from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.urls import include, path
from django.views.i18n import set_language


@login_not_required
def admin_login(request, extra_context=None):
    """The back office signs in through the portal's login: lockout, second factor."""
    return redirect_to_login(request.GET.get("next", "/admin/"))


admin.site.login = admin_login

urlpatterns = [
    path("", include("accounts.urls")),
    path("office/", include("office.urls")),
    path("account/", include("accounts.security.urls", namespace="security")),
    path("surveys/", include("surveys.urls", namespace="surveys")),
    path("audit/", include("audit.urls", namespace="audit")),
    path("documents/", include("documents.urls", namespace="documents")),
    path("me/", include("accounts.personal.urls", namespace="personal")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]
