"""Personal cabinets, person records, requests and consent ("me/")."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import access
from accounts import selectors as account_selectors
from accounts.models import (
    ClassTeacher,
    ConsentKind,
    RequestKind,
    RequestStatus,
    User,
)
from accounts.personal import selectors, services
from accounts.personal.certificate import certificate_pdf
from accounts.personal.forms import ConsentForm, RecordForm, RefuseForm, RequestForm

SENSITIVE_LABELS = {
    name: RecordForm.base_fields[name].label for name in services.SENSITIVE_FIELDS
}


def _person(user: User, pk, permission: str) -> User:
    return access.get_visible(user, permission, User.objects, pk=pk)


def _subject_card(person: User) -> dict:
    """What a cabinet shows about one person: the viewer or one of their children."""
    return {
        "person": person,
        "requests": selectors.requests_about(person=person),
        "viewings": selectors.who_viewed(person=person),
        "logins": selectors.last_logins(person=person),
        "consent": selectors.consent_now(student=person)
        if person.school_class
        else None,
    }


@never_cache
@require_GET
def cabinet(request):
    user = request.user
    children = account_selectors.children_of(parent=user)
    context = {
        "me": _subject_card(user),
        "children": [_subject_card(child) for child in children],
        "onboarding": account_selectors.onboarding_of(user=user)
        if access.can(user, "accounts.undergo_onboarding")
        else None,
        "classes": ClassTeacher.objects.filter(teacher=user).exists(),
        "handles_requests": access.can(user, "accounts.handle_personal_request"),
        "sees_overdue": access.can(user, "accounts.view_overdue_requests"),
    }
    return render(request, "personal/cabinet.html", context)


def _render_person(request, person: User, personal_record, revealed: dict):
    user = request.user
    fields = [
        (name, str(RecordForm.base_fields[name].label), getattr(personal_record, name))
        for name in services.SENSITIVE_FIELDS
    ]
    consent = None
    if person.school_class:
        now = selectors.consent_now(student=person)
        consent = {
            "rows": [(kind, label, now[kind]) for kind, label in ConsentKind.choices],
            "history": selectors.consent_history(student=person),
            "may_give": access.can(user, "accounts.give_consent", person),
        }
    context = {
        "person": person,
        "fields": fields,
        "revealed": revealed,
        "consent": consent,
        "may_request": access.can(user, "accounts.request_personal_data", person),
        "may_edit": access.can(user, "accounts.change_personrecord", person),
    }
    response = render(request, "personal/person.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def person(request, pk):
    subject = _person(request.user, pk, "accounts.view_personrecord")
    personal_record = services.record_open(actor=request.user, person=subject)
    return _render_person(request, subject, personal_record, revealed={})


@require_POST
def reveal(request, pk):
    subject = _person(request.user, pk, "accounts.view_personrecord")
    field = request.POST.get("field", "")
    try:
        value = services.field_reveal(actor=request.user, person=subject, field=field)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("personal:person", pk=subject.pk)
    personal_record = selectors.record_of(person=subject)
    return _render_person(request, subject, personal_record, revealed={field: value})


@require_http_methods(["GET", "POST"])
def record_edit(request, pk):
    subject = _person(request.user, pk, "accounts.change_personrecord")
    form = RecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not form.values():
            form.add_error(None, _("Fill in at least one field."))
        else:
            try:
                services.record_update(
                    actor=request.user, person=subject, values=form.values()
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The personal data is saved."))
                return redirect("person_detail", pk=subject.pk)
    return render(
        request, "personal/record_form.html", {"form": form, "person": subject}
    )


@require_POST
def consent(request, pk):
    student = _person(request.user, pk, "accounts.give_consent")
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            services.consent_set(
                actor=request.user,
                student=student,
                kind=ConsentKind(form.cleaned_data["kind"]),
                granted=form.cleaned_data["granted"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your decision is recorded."))
    else:
        messages.error(request, _("Choose a consent and a decision."))
    return redirect("personal:person", pk=student.pk)


@require_http_methods(["GET", "POST"])
def request_new(request, pk):
    subject = _person(request.user, pk, "accounts.request_personal_data")
    form = RequestForm(request.POST or None, initial={"kind": request.GET.get("kind")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = services.request_create(
                actor=request.user,
                subject=subject,
                kind=RequestKind(data["kind"]),
                note=data["note"],
                field=data["field"],
                proposed_value=data["proposed_value"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.error_dict.items():
                    target = name if name in form.fields else None
                    if name in services.SENSITIVE_FIELDS:
                        target = "proposed_value"
                    form.add_error(target, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("Your request is registered."))
            return redirect("personal:request_detail", pk=made.pk)
    return render(
        request, "personal/request_form.html", {"form": form, "subject": subject}
    )


@require_GET
def request_detail(request, pk):
    made = selectors.request_visible(user=request.user, pk=pk)
    user = request.user
    handles = access.can(user, "accounts.handle_personal_request")
    context = {
        "req": made,
        "is_open": made.status == RequestStatus.OPEN,
        "handles": handles,
        "may_issue": access.can(user, "accounts.issue_certificate"),
        "refuse_form": RefuseForm() if handles else None,
        "mine": access.can(user, "accounts.request_personal_data", made.subject),
        "field_label": SENSITIVE_LABELS.get(made.field, ""),
    }
    response = render(request, "personal/request_detail.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def request_answer(request, pk):
    access.require_visible(request.user, "accounts.handle_personal_request")
    made = selectors.request_visible(user=request.user, pk=pk)
    service = {
        RequestKind.COPY: services.copy_prepare,
        RequestKind.CERTIFICATE: services.certificate_issue,
        RequestKind.CORRECTION: services.correction_approve,
    }[made.kind]
    try:
        service(actor=request.user, request=made)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The request is answered."))
    return redirect("personal:request_detail", pk=made.pk)


@require_POST
def request_refuse(request, pk):
    access.require_visible(request.user, "accounts.handle_personal_request")
    made = selectors.request_visible(user=request.user, pk=pk)
    form = RefuseForm(request.POST)
    try:
        services.request_refuse(
            actor=request.user,
            request=made,
            reason=form.data.get("reason", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The request is refused."))
    return redirect("personal:request_detail", pk=made.pk)


@require_GET
def export(request, pk, file_format):
    made = selectors.request_visible(user=request.user, pk=pk)
    data = services.copy_export(
        actor=request.user, request=made, file_format=file_format
    )
    name = f"personal-data-{made.subject.username}"
    if file_format == "json":
        body = json.dumps(data, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    else:
        body = render_to_string(
            "personal/export.html", {"data": data, "person": made.subject}, request
        )
        response = HttpResponse(body, content_type="text/html; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.html"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def certificate(request, pk):
    made = selectors.request_visible(user=request.user, pk=pk)
    details = services.certificate_download(actor=request.user, request=made)
    response = HttpResponse(certificate_pdf(details), content_type="application/pdf")
    number = made.certificate_number.replace("/", "-")
    response["Content-Disposition"] = f'attachment; filename="certificate-{number}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def requests(request):
    access.require_visible(request.user, "accounts.handle_personal_request")
    rows = selectors.open_requests()
    return render(
        request, "personal/requests.html", {"rows": rows, "title": _("Open requests")}
    )


@require_GET
def overdue(request):
    access.require_visible(request.user, "accounts.view_overdue_requests")
    rows = selectors.overdue_requests()
    return render(
        request,
        "personal/requests.html",
        {"rows": rows, "title": _("Overdue requests"), "overdue_only": True},
    )


@require_GET
def my_class(request):
    charges = list(ClassTeacher.objects.filter(teacher=request.user))
    if not charges:
        raise access.NotVisible("accounts.view_personrecord")
    students = access.visible(
        request.user,
        "accounts.view_personrecord",
        User.objects.filter(
            school_class__in=[charge.school_class for charge in charges],
            is_active=True,
        ),
    ).order_by("school_class", "last_name", "first_name")
    return render(request, "personal/my_class.html", {"students": students})
