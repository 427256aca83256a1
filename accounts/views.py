from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from guardian.shortcuts import get_groups_with_perms, get_users_with_perms

from accounts import access, selectors, services
from accounts.forms import (
    AppointmentForm,
    ChildLinkForm,
    GrantForm,
    ImportForm,
    PersonFilterForm,
    PersonForm,
    RolesForm,
)
from accounts.models import PLEDGE_VERSION, ParentLink, User
from accounts.people_import import read_rows
from accounts.roles import Role
from audit.models import AuditAction
from audit.services import record
from office import health as system_health
from school_portal.views import attempt

IMPORT_SESSION_KEY = "people_import_rows"


@require_GET
def home(request):
    panels = selectors.home_panels_for(user=request.user)
    onboarding = None
    if access.can(request.user, "accounts.undergo_onboarding"):
        onboarding = selectors.onboarding_of(user=request.user)
    return render(
        request, "home/home.html", {"panels": panels, "onboarding": onboarding}
    )


@login_not_required
@never_cache
@require_GET
def health(request):
    """For a load balancer or a timer: the process answers. No database work."""
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
@never_cache
@require_GET
def health_ready(request):
    """For a load balancer: may this node take requests? The database answers
    and the file store can be written; 503 naming the part that can't."""
    problems = system_health.ready()
    failing = [part for part, problem in problems.items() if problem is not None]
    if failing:
        body = "".join(f"{part}: unavailable\n" for part in failing)
        return HttpResponse(body, status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@require_GET
def signed_in(request):
    """A signed-in "ok": the whole middleware stack and the session, no page.

    The benchmark's second floor (docs/performance.md): what any signed-in
    page costs before its own work. LoginRequiredMiddleware sends a visitor
    who is not signed in to the login page, as for every other page.
    """
    return HttpResponse("ok", content_type="text/plain")


# People


@require_GET
def people(request):
    access.require_visible(request.user, "accounts.manage_people")
    form = PersonFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(selectors.people_list(**filters), 50).get_page(
        request.GET.get("page")
    )
    rows = [(person, selectors.role_labels(user=person)) for person in page]
    return render(
        request, "accounts/people.html", {"form": form, "page": page, "rows": rows}
    )


@require_http_methods(["GET", "POST"])
def person_create(request):
    access.require_visible(request.user, "accounts.manage_people")
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person, password = services.person_create(
                actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _show_once(request, [(person, password)])
    return render(request, "accounts/person_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def people_import(request):
    access.require_visible(request.user, "accounts.manage_people")
    form = ImportForm(request.POST or None, request.FILES or None)
    rows = None
    if request.method == "POST" and form.is_valid():
        try:
            rows = read_rows(form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error)
        else:
            request.session[IMPORT_SESSION_KEY] = [row.values for row in rows if row.ok]
    context = {
        "form": form,
        "rows": rows,
        "ready_count": sum(row.ok for row in rows or []),
    }
    return render(request, "accounts/people_import.html", context)


@require_POST
def people_import_confirm(request):
    access.require_visible(request.user, "accounts.manage_people")
    rows = request.session.pop(IMPORT_SESSION_KEY, None)
    if not rows:
        messages.error(request, _("Nothing to import: upload the list again."))
        return redirect("people_import")
    try:
        created = services.people_import_confirm(actor=request.user, rows=rows)
    except ValidationError as error:
        messages.error(
            request,
            _("Nothing was imported: %(reason)s")
            % {"reason": " ".join(error.messages)},
        )
        return redirect("people_import")
    return _show_once(request, created)


def _show_once(request, created: list[tuple[User, str]]):
    """Temporary passwords, on this response only: never stored, never shown again."""
    response = render(request, "accounts/passwords_once.html", {"created": created})
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def person_detail(request, pk):
    person = access.get_visible(request.user, "accounts.view_user", User.objects, pk=pk)
    record(actor=request.user, action=AuditAction.VIEW, target=person)
    manage = access.can(request.user, "accounts.manage_people", person)
    context = {
        "person": person,
        "roles": selectors.roles_of(user=person),
        "links": selectors.parent_links_of(user=person),
        "appointments": person.appointments.order_by("-starts_on"),
        "onboarding": selectors.onboarding_of(user=person)
        if access.can(person, "accounts.undergo_onboarding")
        else None,
        "manage": manage,
        "can_grant": access.can(
            request.user, "accounts.grant_object_permission", person
        ),
        "roles_form": RolesForm(
            initial={"roles": [r.value for r in selectors.roles_of(user=person)]}
        )
        if manage
        else None,
        "child_form": ChildLinkForm()
        if manage and Role.PARENT in selectors.roles_of(user=person)
        else None,
    }
    return render(request, "accounts/person_detail.html", context)


@require_POST
def person_roles(request, pk):
    person = access.get_visible(request.user, "accounts.view_user", User.objects, pk=pk)
    form = RolesForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            services.person_set_roles,
            _("Roles saved."),
            actor=request.user,
            person=person,
            roles=form.cleaned_data["roles"],
        )
    else:
        messages.error(request, _("Choose at least one role."))
    return redirect("person_detail", pk=person.pk)


@require_POST
def person_deactivate(request, pk):
    person = access.get_visible(request.user, "accounts.view_user", User.objects, pk=pk)
    attempt(
        request,
        services.person_deactivate,
        _("The account is deactivated."),
        actor=request.user,
        person=person,
    )
    return redirect("person_detail", pk=person.pk)


@require_POST
def parent_link_add(request, pk):
    parent = access.get_visible(request.user, "accounts.view_user", User.objects, pk=pk)
    form = ChildLinkForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            services.parent_link,
            _("The child is linked."),
            actor=request.user,
            parent=parent,
            child=form.cleaned_data["child"],
        )
    else:
        messages.error(request, " ".join(form.errors["child"]))
    return redirect("person_detail", pk=parent.pk)


@require_POST
def parent_link_remove(request, pk):
    access.require_visible(request.user, "accounts.manage_people")
    link = access.get_visible(
        request.user, "accounts.manage_people", ParentLink.objects, pk=pk
    )
    attempt(
        request,
        services.parent_unlink,
        _("The link is removed."),
        actor=request.user,
        link=link,
    )
    return redirect("person_detail", pk=link.parent_id)


# Per-object permissions


@require_http_methods(["GET", "POST"])
def object_permissions(request, model, pk):
    obj = _grantable_object(request.user, model, pk)
    rule = access.grantable(obj)
    choices = [(perm, _permission_label(perm)) for perm in rule.permissions]
    form = GrantForm(request.POST or None, permissions=choices)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            request,
            services.object_permission_grant,
            _("Permission given."),
            actor=request.user,
            obj=obj,
            permission=form.cleaned_data["permission"],
            grantee=form.cleaned_data["grantee"],
        )
    ):
        return redirect("object_permissions", model=model, pk=pk)
    app_label = obj._meta.app_label
    given = [
        ("user", person.pk, str(person), f"{app_label}.{codename}")
        for person, codenames in get_users_with_perms(
            obj, attach_perms=True, with_group_users=False
        ).items()
        for codename in codenames
    ] + [
        ("group", group.pk, str(Role(group.name).label), f"{app_label}.{codename}")
        for group, codenames in get_groups_with_perms(obj, attach_perms=True).items()
        for codename in codenames
        if group.name in Role.values
    ]
    context = {
        "obj": obj,
        "model": model,
        "form": form,
        "given": [
            (kind, pk, who, permission, _permission_label(permission))
            for kind, pk, who, permission in given
        ],
    }
    return render(request, "accounts/object_permissions.html", context)


@require_POST
def object_permission_revoke(request, model, pk):
    obj = _grantable_object(request.user, model, pk)
    permission = request.POST.get("permission", "")
    grantee = None
    if request.POST.get("user"):
        grantee = User.objects.filter(pk=request.POST["user"]).first()
    elif request.POST.get("group"):
        grantee = selectors.group_by_pk(pk=request.POST["group"])
    if grantee is None:
        raise access.NotVisible("grant")
    attempt(
        request,
        services.object_permission_revoke,
        _("Permission taken back."),
        actor=request.user,
        obj=obj,
        permission=permission,
        grantee=grantee,
    )
    return redirect("object_permissions", model=model, pk=pk)


@require_GET
def grants(request):
    """Find the object whose permissions to give: by number or name."""
    managers = [rule.manager_permission for rule in access.GRANTABLE.values()]
    if not any(access.can(request.user, permission) for permission in managers):
        raise access.NotVisible(managers[0])
    text = request.GET.get("q", "")[:100]
    found = selectors.grant_targets(user=request.user, text=text)
    headings = {
        "documents.document": _("Documents"),
        "accounts.user": _("People"),
        "documents.journal": _("Journals"),
    }
    context = {
        "text": text,
        "sections": [(headings[model], rows) for model, rows in found.items()],
    }
    return render(request, "accounts/grants.html", context)


def _grantable_object(user, model: str, pk):
    app_label, _dot, model_name = model.partition(".")
    content_type = ContentType.objects.filter(
        app_label=app_label, model=model_name
    ).first()
    if content_type is None or model not in access.GRANTABLE:
        raise access.NotVisible("grant")
    rule = access.GRANTABLE[model]
    obj = content_type.model_class().objects.filter(pk=pk).first()
    if obj is None or not access.can(user, rule.manager_permission, obj):
        raise access.NotVisible(rule.manager_permission, obj)
    return obj


def _permission_label(permission: str) -> str:
    app_label, _dot, codename = permission.partition(".")
    return str(selectors.permission_name(app_label=app_label, codename=codename))


# Appointments


@require_http_methods(["GET", "POST"])
def appointments(request):
    access.require_visible(request.user, "accounts.view_appointment")
    may_appoint = access.can(request.user, "accounts.appoint_officer")
    form = AppointmentForm(request.POST or None) if may_appoint else None
    if request.method == "POST":
        access.require(request.user, "accounts.appoint_officer")
        if form.is_valid() and attempt(
            request,
            services.appoint,
            _("The appointment is recorded."),
            actor=request.user,
            **form.cleaned_data,
        ):
            return redirect("appointments")
    context = {
        "current": selectors.current_appointments(),
        "history": selectors.appointment_history(),
        "form": form,
    }
    return render(request, "accounts/appointments.html", context)


# Onboarding


@require_GET
def onboarding(request):
    access.require_visible(request.user, "accounts.undergo_onboarding")
    context = {
        "onboarding": selectors.onboarding_of(user=request.user),
        "pledge_version": PLEDGE_VERSION,
        "cleared": access.is_cleared(request.user),
    }
    return render(request, "accounts/onboarding.html", context)


@require_POST
def pledge_accept(request):
    access.require_visible(request.user, "accounts.undergo_onboarding")
    if request.POST.get("agree") != "yes":
        messages.error(request, _("Tick the box to accept the pledge."))
    else:
        services.pledge_accept(actor=request.user)
        messages.success(request, _("Thank you: your pledge is recorded."))
    return redirect("onboarding")


@require_POST
def familiarization_confirm(request):
    access.require_visible(request.user, "accounts.undergo_onboarding")
    if request.POST.get("agree") != "yes":
        messages.error(request, _("Tick the box to confirm you have read them."))
    else:
        services.familiarization_confirm(actor=request.user)
        messages.success(request, _("Your familiarization is recorded."))
    return redirect("onboarding")


@require_GET
def onboarding_register(request):
    access.require_visible(request.user, "accounts.view_onboarding")
    context = {
        "rows": selectors.onboarding_register(),
        "may_brief": access.can(request.user, "accounts.record_briefing"),
    }
    return render(request, "accounts/onboarding_register.html", context)


@require_POST
def briefing_record(request, pk):
    access.require_visible(request.user, "accounts.view_onboarding")
    person = access.get_visible(
        request.user, "accounts.view_onboarding", User.objects, pk=pk, is_active=True
    )
    attempt(
        request,
        services.briefing_record,
        _("The briefing is recorded."),
        actor=request.user,
        person=person,
    )
    return redirect("onboarding_register")
