"""Execution control pages: a resolution on a document, the executor's report,
the list on control with its print and exports, the discipline report."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import access
from audit.models import AuditAction
from documents import exports
from documents import selectors as documents_selectors
from documents.views import _apply, _export_response
from execution import forms, selectors, services
from school_portal.views import attempt


@require_http_methods(["GET", "POST"])
def resolution_new(request, pk):
    document = documents_selectors.document_for(user=request.user, pk=pk)
    access.require(request.user, "execution.give_resolution", document)
    form = forms.ResolutionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            resolution = services.give_resolution(
                actor=request.user,
                document=document,
                text=data["text"],
                responsible=data["responsible"],
                co_executors=list(data["co_executors"]),
                deadline=data["deadline"],
                working_days=data["working_days"],
                on_control=data["on_control"],
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("The resolution is given."))
            return redirect("documents:resolution", pk=resolution.pk)
    return render(
        request,
        "execution/resolution_form.html",
        {"form": form, "document": document},
    )


def _resolution_context(request, resolution) -> dict:
    user = request.user
    (full,) = [
        r
        for r in selectors.resolutions_of(document=resolution.document)
        if r.pk == resolution.pk
    ]
    return {
        "resolution": full,
        "document": resolution.document,
        "may_change": not full.is_executed
        and access.can(user, "execution.change_resolution", resolution),
        "may_report": not full.is_executed
        and access.can(user, "execution.add_executionreport", resolution),
        "may_take_off": full.on_control
        and full.is_executed
        and not full.taken_off_at
        and access.can(user, "execution.take_off_control", resolution),
    }


@require_GET
def resolution_detail(request, pk):
    resolution = selectors.resolution_for(user=request.user, pk=pk)
    return render(
        request,
        "execution/resolution_detail.html",
        _resolution_context(request, resolution),
    )


@require_http_methods(["GET", "POST"])
def resolution_edit(request, pk):
    resolution = selectors.resolution_for(user=request.user, pk=pk)
    access.require(request.user, "execution.change_resolution", resolution)
    form = forms.ResolutionChangeForm(request.POST or None, resolution=resolution)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.change_resolution(
                actor=request.user,
                resolution=resolution,
                text=data["text"],
                deadline=data["deadline"],
                on_control=data["on_control"],
                responsible=data["responsible"],
                co_executors=list(data["co_executors"]),
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("The resolution is saved."))
            return redirect("documents:resolution", pk=resolution.pk)
    return render(
        request,
        "execution/resolution_edit.html",
        {"form": form, "resolution": resolution, "document": resolution.document},
    )


@require_http_methods(["GET", "POST"])
def resolution_report(request, pk):
    resolution = selectors.resolution_for(user=request.user, pk=pk)
    access.require(request.user, "execution.add_executionreport", resolution)
    form = forms.ReportForm(
        request.POST or None, request.FILES or None, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.report_execution(
                actor=request.user,
                resolution=resolution,
                note=data["note"],
                reply=data["reply"],
                upload=data["file"],
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("Your report of execution is recorded."))
            return redirect("home")
    may_register = documents_selectors.journals_for_registration(
        user=request.user
    ).exists()
    # The responsible executor reads the co-executors' reports here.
    context = _resolution_context(request, resolution)
    context |= {"form": form, "may_register": may_register}
    return render(request, "execution/report_form.html", context)


@require_POST
def resolution_take_off(request, pk):
    resolution = selectors.resolution_for(user=request.user, pk=pk)
    access.require(request.user, "execution.take_off_control", resolution)
    attempt(
        request,
        services.take_off_control,
        _("The document is taken off control."),
        actor=request.user,
        resolution=resolution,
    )
    if request.POST.get("next") == "execution":
        return redirect("documents:execution")
    return redirect("documents:resolution", pk=resolution.pk)


def _filtered(request):
    access.require(request.user, "execution.view_resolution")
    form = forms.ExecutionFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.execution_rows(user=request.user, filters=filters)
    return form, filters, rows


@require_GET
def execution_list(request):
    form, _filters, rows = _filtered(request)
    query = request.GET.urlencode()
    context = {
        "form": form,
        "rows": list(rows[: selectors.LIST_LIMIT]),
        "query": query,
        # The service checks each row again; the button is for the role.
        "may_take_off": access.can(request.user, "execution.take_off_control"),
    }
    return render(request, "execution/execution_list.html", context)


def _shown(filters: dict) -> dict:
    return {k: str(getattr(v, "pk", v)) for k, v in filters.items() if v}


@require_GET
def execution_print(request):
    _form, filters, rows = _filtered(request)
    rows = list(rows[: selectors.LIST_LIMIT])
    exports.record_export(
        actor=request.user,
        action=AuditAction.PRINT,
        what="execution",
        count=len(rows),
        filters=_shown(filters),
    )
    return render(
        request,
        "execution/execution_print.html",
        {"rows": rows, "today": timezone.localdate()},
    )


def execution_table(rows) -> tuple[list, list[list]]:
    header = [
        _("Document"),
        _("Registered on"),
        _("Resolution"),
        _("Responsible executor"),
        _("Co-executors"),
        _("Deadline"),
        _("On control"),
        _("State"),
        _("Executed"),
    ]
    table = [
        [
            r.document,
            r.document.registered_on,
            r.text,
            r.responsible or "",
            ", ".join(str(p) for p in r.co_executors),
            r.deadline,
            _("yes") if r.on_control else _("no"),
            r.state_label,
            r.executed_at or "",
        ]
        for r in rows
    ]
    return header, table


@require_GET
def execution_export(request):
    _form, filters, rows = _filtered(request)
    header, table = execution_table(rows[: selectors.LIST_LIMIT])
    return _export_response(request, "execution", header, table, _shown(filters))


def _period(request):
    access.require(request.user, "execution.view_resolution")
    today = timezone.localdate()
    initial = {"start": today.replace(day=1), "end": today}
    form = forms.PeriodForm(request.GET or None, initial=initial)
    if request.GET and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    else:
        start, end = initial["start"], initial["end"]
    if not request.GET:
        form = forms.PeriodForm(initial=initial)
    rows = selectors.discipline(user=request.user, start=start, end=end)
    return form, start, end, rows


@require_GET
def discipline(request):
    form, start, end, rows = _period(request)
    context = {
        "form": form,
        "rows": rows,
        "start": start,
        "end": end,
        "query": f"start={start.isoformat()}&end={end.isoformat()}",
    }
    return render(request, "execution/discipline.html", context)


@require_GET
def discipline_print(request):
    _form, start, end, rows = _period(request)
    exports.record_export(
        actor=request.user,
        action=AuditAction.PRINT,
        what="execution-discipline",
        count=len(rows),
        filters={"start": start.isoformat(), "end": end.isoformat()},
    )
    return render(
        request,
        "execution/discipline_print.html",
        {"rows": rows, "start": start, "end": end},
    )


@require_GET
def discipline_export(request):
    _form, start, end, rows = _period(request)
    header = [
        _("Executor"),
        _("Assigned"),
        _("Done on time"),
        _("Done late"),
        _("Overdue now"),
        _("In progress"),
    ]
    table = [
        [row.person, row.assigned, row.on_time, row.late, row.overdue, row.open]
        for row in rows
    ]
    filters = {"start": start.isoformat(), "end": end.isoformat()}
    return _export_response(request, "execution-discipline", header, table, filters)
