from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts import selectors


@require_GET
def home(request):
    panels = selectors.home_panels_for(user=request.user)
    return render(request, "home/home.html", {"panels": panels})


@login_not_required
@never_cache
@require_GET
def health(request):
    """For a load balancer or a timer: the process answers. No database work."""
    return HttpResponse("ok", content_type="text/plain")
