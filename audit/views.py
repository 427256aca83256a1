"""The audit report: for the principal and the security officer, 404 for others.

Viewing, printing and exporting the report are themselves recorded.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import access
from audit import reports, services, signing
from audit.forms import ReportFilterForm
from audit.models import AuditAction, SignedHead, VerificationRun
from audit.services import record

PERMISSION = "audit.view_audit_report"
REPORT_LABEL = "audit report"
PAGE_SIZE = 50
PRINT_ROWS = 1000


def _filters(request) -> ReportFilterForm:
    access.require_visible(request.user, PERMISSION)
    return ReportFilterForm(request.GET, user=request.user)


def _trail_state() -> dict:
    return {
        "head": SignedHead.objects.select_related("signed_by").first(),
        "last_run": VerificationRun.objects.first(),
        "public_key": signing.public_key_text(),
    }


def _invalid(request, form):
    # Several people matching a name is a step of the search, not a mistake.
    status = 200 if form.matches and len(form.errors) == 1 else 400
    return render(
        request, "audit/report.html", {"form": form, **_trail_state()}, status=status
    )


@require_GET
def report(request):
    form = _filters(request)
    if not form.is_valid():
        return _invalid(request, form)
    period = form.cleaned_data["period"]
    found = reports.events(filters=form.cleaned_data, period=period)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    record(
        actor=request.user,
        action=AuditAction.VIEW,
        target_label=REPORT_LABEL,
        details=form.as_details(),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/report.html",
        {
            "form": form,
            "period": period,
            "page": page,
            "query": query.urlencode(),
            "chart": reports.chart_svg(reports.activity_by_day(found, period)),
            **reports.sections(found, period),
            "breach_reports": reports.breach_reports(
                filters=form.cleaned_data, period=period
            ),
            **_trail_state(),
        },
    )


@require_GET
def print_view(request):
    form = _filters(request)
    if not form.is_valid():
        return _invalid(request, form)
    period = form.cleaned_data["period"]
    found = reports.events(filters=form.cleaned_data, period=period)
    rows = list(found[: PRINT_ROWS + 1])
    record(
        actor=request.user,
        action=AuditAction.PRINT,
        target_label=REPORT_LABEL,
        details=form.as_details(),
    )
    return render(
        request,
        "audit/print.html",
        {
            "form": form,
            "period": period,
            "events": rows[:PRINT_ROWS],
            "cut": len(rows) > PRINT_ROWS,
            "print_rows": PRINT_ROWS,
            **_trail_state(),
        },
    )


def _export(request, kind: str):
    form = _filters(request)
    if not form.is_valid():
        return None, form
    period = form.cleaned_data["period"]
    found = reports.events(filters=form.cleaned_data, period=period)
    record(
        actor=request.user,
        action=AuditAction.EXPORT,
        target_label=REPORT_LABEL,
        details=form.as_details() | {"format": kind},
    )
    name = f"audit-report-{period.first}-{period.last}.{kind}"
    return (reports.export_rows(found), name), form


@require_GET
def export_csv(request):
    exported, form = _export(request, "csv")
    if exported is None:
        return _invalid(request, form)
    rows, name = exported
    response = StreamingHttpResponse(
        reports.csv_lines(rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def export_xlsx(request):
    exported, form = _export(request, "xlsx")
    if exported is None:
        return _invalid(request, form)
    rows, name = exported
    response = HttpResponse(
        reports.xlsx_bytes(rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
def sign_head(request):
    access.require_visible(request.user, PERMISSION)
    head = services.sign_head(actor=request.user)
    messages.success(
        request, _("The trail's head #%(seq)s is signed.") % {"seq": head.seq}
    )
    return redirect("audit:report")
