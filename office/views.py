"""Pages of the security office. Who may not see them gets 404; who may see but
not keep them (the principal, the administrator) gets 403 on a change."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import access
from office import exports, health, selectors, services
from office.forms import (
    CarrierForm,
    CheckForm,
    ControlForm,
    DestroyForm,
    DoneForm,
    IssueForm,
    ResourceForm,
    ReturnForm,
)
from office.models import Carrier, PeriodicControl, ProtectedResource
from office.signals import signals_for

VIEW = "office.view_office"
MANAGE = "office.manage_office"


def _attempt(form, service, **kwargs) -> bool:
    """Run a service; a refusal becomes a form error and nothing is saved."""
    try:
        service(**kwargs)
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


@require_GET
def index(request):
    access.require_visible(request.user, VIEW)
    context = {
        "signals": signals_for(request.user),
        "may_see_health": access.can(request.user, "office.view_system_health"),
    }
    return render(request, "office/index.html", context)


# Register of protected resources (2.4)


@require_GET
def resources(request):
    access.require_visible(request.user, VIEW)
    context = {
        "resources": selectors.resources(),
        "may_manage": access.can(request.user, MANAGE),
    }
    return render(request, "office/resources.html", context)


@require_GET
def resources_export(request, fmt):
    access.require_visible(request.user, VIEW)
    if fmt not in exports.FORMATS:
        raise Http404
    content, content_type, filename = exports.resources_export(
        actor=request.user, fmt=fmt
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def resource_create(request):
    access.require_visible(request.user, VIEW)
    access.require(request.user, MANAGE)
    form = ResourceForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _attempt(
            form, services.resource_create, actor=request.user, **form.cleaned_data
        )
    ):
        messages.success(request, _("The resource is registered."))
        return redirect("office:resources")
    return render(request, "office/resource_form.html", {"form": form})


def _resource(request, pk) -> ProtectedResource:
    return access.get_visible(request.user, VIEW, selectors.resources(), pk=pk)


@require_GET
def resource_detail(request, pk):
    resource = _resource(request, pk)
    context = {
        "resource": resource,
        "may_manage": access.can(request.user, MANAGE, resource),
        "may_approve": resource.approved_at is None
        and access.can(request.user, "office.approve_resource", resource),
    }
    return render(request, "office/resource_detail.html", context)


@require_http_methods(["GET", "POST"])
def resource_edit(request, pk):
    resource = _resource(request, pk)
    access.require(request.user, MANAGE, resource)
    form = ResourceForm(request.POST or None, instance=resource)
    if (
        request.method == "POST"
        and form.is_valid()
        and _attempt(
            form,
            services.resource_update,
            actor=request.user,
            resource=resource,
            **form.cleaned_data,
        )
    ):
        messages.success(request, _("The resource is saved."))
        return redirect("office:resource_detail", pk=resource.pk)
    return render(
        request, "office/resource_form.html", {"form": form, "resource": resource}
    )


@require_POST
def resource_approve(request, pk):
    resource = _resource(request, pk)
    try:
        services.resource_approve(actor=request.user, resource=resource)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The resource is approved."))
    return redirect("office:resource_detail", pk=resource.pk)


# Register of carriers (3)


@require_GET
def carriers(request):
    access.require_visible(request.user, VIEW)
    context = {
        "carriers": selectors.carriers(),
        "may_manage": access.can(request.user, MANAGE),
    }
    return render(request, "office/carriers.html", context)


@require_http_methods(["GET", "POST"])
def carrier_create(request):
    access.require_visible(request.user, VIEW)
    access.require(request.user, MANAGE)
    form = CarrierForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _attempt(
            form, services.carrier_register, actor=request.user, **form.cleaned_data
        )
    ):
        messages.success(request, _("The carrier is registered."))
        carrier = Carrier.objects.get(
            inventory_number=form.cleaned_data["inventory_number"]
        )
        return redirect("office:carrier_detail", pk=carrier.pk)
    return render(request, "office/carrier_form.html", {"form": form})


def _carrier(request, pk) -> Carrier:
    return access.get_visible(request.user, VIEW, selectors.carriers(), pk=pk)


def _carrier_page(request, carrier, **forms):
    may_manage = access.can(request.user, MANAGE, carrier)
    holding = carrier.open_issues[0] if carrier.open_issues else None
    context = {
        "carrier": carrier,
        "holding": holding,
        "may_manage": may_manage,
        **selectors.carrier_history(carrier=carrier),
    }
    if may_manage and not carrier.is_destroyed:
        context |= {
            "issue_form": forms.get("issue_form") or (None if holding else IssueForm()),
            "return_form": forms.get("return_form")
            or (ReturnForm() if holding else None),
            "check_form": forms.get("check_form") or CheckForm(),
            "destroy_form": forms.get("destroy_form")
            or (None if holding else DestroyForm()),
        }
    return render(request, "office/carrier_detail.html", context)


@require_GET
def carrier_detail(request, pk):
    return _carrier_page(request, _carrier(request, pk))


def _carrier_action(request, pk, form_class, form_name, service, success):
    carrier = _carrier(request, pk)
    access.require(request.user, MANAGE, carrier)
    form = form_class(request.POST)
    if form.is_valid() and _attempt(
        form, service, actor=request.user, carrier=carrier, **form.cleaned_data
    ):
        messages.success(request, success)
        return redirect("office:carrier_detail", pk=carrier.pk)
    return _carrier_page(request, carrier, **{form_name: form})


@require_POST
def carrier_issue(request, pk):
    return _carrier_action(
        request,
        pk,
        IssueForm,
        "issue_form",
        services.carrier_issue,
        _("The carrier is issued."),
    )


@require_POST
def carrier_return(request, pk):
    return _carrier_action(
        request,
        pk,
        ReturnForm,
        "return_form",
        services.carrier_return,
        _("The carrier is back."),
    )


@require_POST
def carrier_check(request, pk):
    return _carrier_action(
        request,
        pk,
        CheckForm,
        "check_form",
        services.carrier_check,
        _("The check is recorded."),
    )


@require_POST
def carrier_destroy(request, pk):
    return _carrier_action(
        request,
        pk,
        DestroyForm,
        "destroy_form",
        services.carrier_destroy,
        _("The destruction is recorded."),
    )


# Periodic controls (3)


@require_GET
def controls(request):
    access.require_visible(request.user, VIEW)
    context = {
        "controls": selectors.controls(),
        "may_manage": access.can(request.user, MANAGE),
    }
    return render(request, "office/controls.html", context)


@require_http_methods(["GET", "POST"])
def control_create(request):
    access.require_visible(request.user, VIEW)
    access.require(request.user, MANAGE)
    form = ControlForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _attempt(
            form, services.control_create, actor=request.user, **form.cleaned_data
        )
    ):
        messages.success(request, _("The control is added."))
        return redirect("office:controls")
    return render(request, "office/control_form.html", {"form": form})


def _control(request, pk) -> PeriodicControl:
    return access.get_visible(request.user, VIEW, selectors.controls(), pk=pk)


def _control_page(request, control, done_form=None):
    may_manage = access.can(request.user, MANAGE, control)
    context = {
        "control": control,
        "history": selectors.control_history(control=control),
        "may_manage": may_manage,
        "done_form": (done_form or DoneForm()) if may_manage else None,
    }
    return render(request, "office/control_detail.html", context)


@require_GET
def control_detail(request, pk):
    return _control_page(request, _control(request, pk))


@require_http_methods(["GET", "POST"])
def control_edit(request, pk):
    control = _control(request, pk)
    access.require(request.user, MANAGE, control)
    form = ControlForm(request.POST or None, instance=control)
    if (
        request.method == "POST"
        and form.is_valid()
        and _attempt(
            form,
            services.control_update,
            actor=request.user,
            control=control,
            **form.cleaned_data,
        )
    ):
        messages.success(request, _("The control is saved."))
        return redirect("office:control_detail", pk=control.pk)
    return render(
        request, "office/control_form.html", {"form": form, "control": control}
    )


@require_POST
def control_done(request, pk):
    control = _control(request, pk)
    access.require(request.user, MANAGE, control)
    form = DoneForm(request.POST)
    if form.is_valid() and _attempt(
        form,
        services.control_done,
        actor=request.user,
        control=control,
        **form.cleaned_data,
    ):
        messages.success(request, _("Done: the next date is set."))
        return redirect("office:controls")
    return _control_page(request, control, done_form=form)


# System health


@require_GET
def system_health(request):
    access.require_visible(request.user, "office.view_system_health")
    return render(request, "office/health.html", {"checks": health.all_checks()})
