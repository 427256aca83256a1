from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import access
from audit.middleware import client_address
from audit.models import AuditAction
from documents import acts, exports, forms, selectors, services
from documents.models import Copy, DestructionAct, HandOverAct, Journal
from school_portal.views import attempt


def _apply(form, error: ValidationError) -> None:
    """A service's refusal, shown next to the field it names or above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _file_response(data: bytes, *, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    ascii_name = name.encode("ascii", "replace").decode().replace('"', "_")
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def journal_list(request):
    access.require(request.user, "documents.view_journal")
    form = forms.FilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = selectors.journal_page(
        user=request.user, filters=filters, number=request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "may_register": selectors.journals_for_registration(user=request.user).exists(),
        "print_journal": filters.get("journal"),
        "print_year": filters.get("year") or timezone.localdate().year,
    }
    return render(request, "documents/journal_list.html", context)


@require_http_methods(["GET", "POST"])
def register(request):
    if not selectors.journals_for_registration(user=request.user).exists():
        raise access.Forbidden("documents.register_in_journal")
    form = forms.RegistrationForm(
        request.POST or None, request.FILES or None, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.register_document(
                actor=request.user,
                journal=data["journal"],
                document_class=data["document_class"],
                summary=data["summary"],
                correspondent=data["correspondent"],
                their_number=data["their_number"],
                their_date=data["their_date"],
                sheets=data["sheets"],
                copies=data["copies"],
                executor=data["executor"],
                due_on=data["due_on"],
                case=data["case"],
                grif=data["grif"],
                storage_place=data["storage_place"],
                uploads=data["files"],
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(
                request,
                _("Registered under number %(number)s.")
                % {"number": document.display_number},
            )
            return redirect("documents:document", pk=document.pk)
    return render(request, "documents/register.html", {"form": form})


@require_GET
def document_detail(request, pk):
    document = selectors.document_for(user=request.user, pk=pk)
    services.record_document_view(actor=request.user, document=document)
    user = request.user
    history = selectors.history_of(document=document)
    holder = next((c for c in history["custodies"] if c.is_open), None)
    context = {
        "document": document,
        "holder": holder,
        **history,
        "may_correct": document.is_registered
        and access.can(user, "documents.change_document", document),
        "may_annul": document.is_registered
        and access.can(user, "documents.annul_document", document),
        "may_issue": document.is_registered
        and holder is None
        and access.can(user, "documents.issue_document", document),
        "may_confirm": holder is not None
        and access.can(user, "documents.issue_document", document),
        "may_copy": document.is_registered
        and access.can(user, "documents.add_copy", document),
        "may_set_fate": access.can(user, "documents.change_copy", document),
        "may_grant": access.can(user, "documents.grant_document", document),
        "issue_form": forms.IssueForm(),
        "annul_form": forms.AnnulForm(),
        "attachment_form": forms.AttachmentForm(),
        "paper_copy_form": forms.PaperCopyForm(),
        "fate_form": forms.FateForm(),
    }
    return render(request, "documents/document_detail.html", context)


@require_http_methods(["GET", "POST"])
def correct(request, pk):
    document = selectors.document_for(user=request.user, pk=pk)
    access.require(request.user, "documents.change_document", document)
    form = forms.CorrectionForm(request.POST or None, document=document)
    if request.method == "POST" and form.is_valid():
        try:
            services.correct_document(
                actor=request.user,
                document=document,
                changes=form.changes(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("The correction is recorded."))
            return redirect("documents:document", pk=document.pk)
    return render(
        request, "documents/correct.html", {"form": form, "document": document}
    )


@require_POST
def annul(request, pk):
    document = selectors.document_for(user=request.user, pk=pk)
    access.require(request.user, "documents.annul_document", document)
    form = forms.AnnulForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the registration is annulled."))
    else:
        attempt(
            request,
            services.annul_document,
            _("The registration is annulled."),
            actor=request.user,
            document=document,
            reason=form.cleaned_data["reason"],
        )
    return redirect("documents:document", pk=document.pk)


@require_POST
def attach(request, pk):
    document = selectors.document_for(user=request.user, pk=pk)
    access.require(request.user, "documents.change_document", document)
    form = forms.AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("files", [])))
        return redirect("documents:document", pk=document.pk)
    for upload in form.cleaned_data["files"]:
        if not attempt(
            request,
            services.add_attachment,
            _("File %(name)s added.") % {"name": upload.name},
            actor=request.user,
            document=document,
            upload=upload,
        ):
            break
    return redirect("documents:document", pk=document.pk)


def _refused(request, message: str, status: int) -> HttpResponse:
    return render(
        request, "documents/refused.html", {"message": message}, status=status
    )


@never_cache
@require_GET
def attachment_file(request, pk):
    attachment = selectors.attachment_for(user=request.user, pk=pk)
    if attachment.document.is_official_use:
        return redirect("documents:attachment_copy", pk=attachment.pk)
    try:
        data = services.read_attachment(
            actor=request.user,
            attachment=attachment,
            address=client_address(request),
        )
    except services.DamagedFile as error:
        return _refused(request, str(error), status=409)
    except services.FileUnavailable as error:
        return _refused(request, str(error), status=503)
    return _file_response(
        data, name=attachment.name, content_type=attachment.content_type
    )


@never_cache
@require_http_methods(["GET", "POST"])
def attachment_copy(request, pk):
    attachment = selectors.attachment_for(user=request.user, pk=pk)
    if not attachment.document.is_official_use:
        return redirect("documents:attachment_file", pk=attachment.pk)
    form = forms.CopyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            copy, data = services.copy_attachment(
                actor=request.user,
                attachment=attachment,
                purpose=form.cleaned_data["purpose"],
                address=client_address(request),
            )
        except services.OutsideSchoolNetwork as error:
            return _refused(request, str(error), status=403)
        except services.DamagedFile as error:
            return _refused(request, str(error), status=409)
        except services.FileUnavailable as error:
            return _refused(request, str(error), status=503)
        except ValidationError as error:
            _apply(form, error)
        else:
            stem, _dot, extension = attachment.name.rpartition(".")
            name = f"{stem}-copy-{copy.first_number}.{extension}"
            return _file_response(data, name=name, content_type=attachment.content_type)
    context = {
        "form": form,
        "attachment": attachment,
        "document": attachment.document,
        "inside_school": services.in_school_network(client_address(request)),
    }
    return render(request, "documents/attachment_copy.html", context)


@require_POST
def issue(request, pk):
    document = selectors.document_for(user=request.user, pk=pk)
    access.require(request.user, "documents.issue_document", document)
    form = forms.IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the person who receives the document."))
    else:
        attempt(
            request,
            services.issue_document,
            _("Issued. The receiver now signs for it with their password."),
            actor=request.user,
            document=document,
            to=form.cleaned_data["to"],
            due_at=form.cleaned_data["due_at"],
        )
    return redirect("documents:document", pk=document.pk)


@require_http_methods(["GET", "POST"])
def sign(request, pk):
    custody = selectors.custody_for(user=request.user, pk=pk)
    access.require_visible(request.user, "documents.receive_document", custody)
    form = forms.SignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_for_document(
                actor=request.user,
                custody=custody,
                password=form.cleaned_data["password"],
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("You have signed for the document."))
            return redirect("home")
    return render(request, "documents/sign.html", {"form": form, "custody": custody})


@require_POST
def hand_back(request, pk):
    custody = selectors.custody_for(user=request.user, pk=pk)
    attempt(
        request,
        services.hand_back,
        _("Noted. The records officer confirms the return."),
        actor=request.user,
        custody=custody,
    )
    return redirect("home")


@require_POST
def confirm_return(request, pk):
    custody = selectors.custody_for(user=request.user, pk=pk)
    access.require(request.user, "documents.issue_document", custody.document)
    attempt(
        request,
        services.confirm_return,
        _("The return is confirmed."),
        actor=request.user,
        custody=custody,
    )
    if request.POST.get("next") == "custody":
        return redirect("documents:custody")
    return redirect("documents:document", pk=custody.document_id)


@require_GET
def custody(request):
    access.require(request.user, "documents.view_custody")
    rows = list(selectors.open_custody(user=request.user)[:500])
    context = {
        "overdue": [row for row in rows if row.is_overdue],
        "held": [row for row in rows if not row.is_overdue],
        "may_confirm": access.can(request.user, "documents.issue_document"),
    }
    return render(request, "documents/custody.html", context)


@require_GET
def copy_log(request):
    access.require(request.user, "documents.view_copy")
    rows = selectors.copy_log(user=request.user)
    page = Paginator(rows, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "documents/copy_log.html", {"page": page})


@require_POST
def paper_copy(request, pk):
    document = selectors.document_for(user=request.user, pk=pk)
    access.require(request.user, "documents.add_copy", document)
    form = forms.PaperCopyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the purpose and the number of copies."))
    else:
        attempt(
            request,
            services.log_paper_copy,
            _("The copy is entered in the copy log."),
            actor=request.user,
            document=document,
            purpose=form.cleaned_data["purpose"],
            count=form.cleaned_data["count"],
        )
    return redirect("documents:document", pk=document.pk)


@require_POST
def copy_fate(request, pk):
    copy = Copy.objects.filter(pk=pk).first()
    if copy is None:
        raise access.NotVisible("documents.change_copy")
    document = selectors.document_for(user=request.user, pk=copy.document_id)
    access.require(request.user, "documents.change_copy", document)
    form = forms.FateForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            services.set_copy_fate,
            _("The copy's fate is recorded."),
            actor=request.user,
            copy=copy,
            fate=form.cleaned_data["fate"],
        )
    return redirect("documents:document", pk=document.pk)


# Acts of the records office: destruction (4.1); printed journals; exports.


def _act_for(request, pk) -> DestructionAct:
    """The act for the records office, the principal, the security officer and
    its commission members; 404 for everyone else."""
    return access.get_visible(
        request.user,
        "documents.view_destructionact",
        DestructionAct.objects.select_related("drafted_by", "approved_by"),
        pk=pk,
    )


@require_GET
def destruction_acts(request):
    user = request.user
    rows = access.visible(
        user, "documents.view_destructionact", DestructionAct.objects.all()
    )
    if not access.can(user, "documents.view_destructionact") and not rows.exists():
        raise access.NotVisible("documents.view_destructionact")
    context = {
        "acts": rows.select_related("drafted_by", "approved_by")[:200],
        "may_draft": access.can(user, "documents.add_destructionact"),
    }
    return render(request, "documents/acts/destruction_list.html", context)


@require_http_methods(["GET", "POST"])
def destruction_act_new(request):
    access.require_visible(request.user, "documents.view_destructionact")
    access.require(request.user, "documents.add_destructionact")
    form = forms.DestructionActForm(
        request.POST or None,
        documents=acts.eligible_documents(),
        members=acts.commission_candidates(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            act = acts.draft_destruction_act(
                actor=request.user,
                documents=list(form.cleaned_data["documents"]),
                members=list(form.cleaned_data["members"]),
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(
                request, _("The act is drafted. The commission confirms it.")
            )
            return redirect("documents:destruction_act", pk=act.pk)
    return render(request, "documents/acts/destruction_new.html", {"form": form})


def _act_context(request, act: DestructionAct) -> dict:
    items = list(
        act.items.select_related(
            "document", "document__journal", "document__case"
        ).order_by("document__journal", "document__year", "document__seq")
    )
    return {
        "act": act,
        "items": items,
        "members": list(act.members.select_related("person")),
        # An uncleared member signs for the line, not for its contents (2.5).
        "cleared": access.is_cleared(request.user),
    }


@require_GET
def destruction_act(request, pk):
    act = _act_for(request, pk)
    context = _act_context(request, act)
    me = next((m for m in context["members"] if m.person_id == request.user.pk), None)
    all_confirmed = all(m.confirmed_at for m in context["members"])
    context.update(
        {
            "may_confirm": act.is_draft
            and access.can(request.user, "documents.confirm_destructionact", act)
            and me is not None
            and me.confirmed_at is None,
            "may_approve": act.is_draft
            and all_confirmed
            and access.can(request.user, "documents.approve_destructionact", act),
            "all_confirmed": all_confirmed,
            "sign_form": forms.SignForm(),
        }
    )
    return render(request, "documents/acts/destruction_detail.html", context)


@require_POST
def destruction_act_confirm(request, pk):
    act = _act_for(request, pk)
    form = forms.SignForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            acts.confirm_destruction_act,
            _("Your confirmation is recorded."),
            actor=request.user,
            act=act,
            password=form.cleaned_data["password"],
        )
    return redirect("documents:destruction_act", pk=act.pk)


@require_POST
def destruction_act_approve(request, pk):
    act = _act_for(request, pk)
    access.require(request.user, "documents.approve_destructionact", act)
    form = forms.SignForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            acts.approve_destruction_act,
            _("The act is approved: the documents are destroyed."),
            actor=request.user,
            act=act,
            password=form.cleaned_data["password"],
        )
    return redirect("documents:destruction_act", pk=act.pk)


@require_GET
def destruction_act_print(request, pk):
    act = _act_for(request, pk)
    acts.record_act_print(actor=request.user, act=act)
    return render(
        request, "documents/acts/destruction_print.html", _act_context(request, act)
    )


@require_GET
def journal_print_pick(request):
    """The print button of an unfiltered journal list: which journal and year."""
    access.require(request.user, "documents.view_journal")
    initial = {"year": timezone.localdate().year}
    form = forms.PrintWhichJournalForm(request.GET or None, initial=initial)
    if form.is_valid():
        return redirect(
            "documents:journal_print",
            journal=form.cleaned_data["journal"].pk,
            year=form.cleaned_data["year"],
        )
    return render(request, "documents/journal_print_pick.html", {"form": form})


@require_GET
def journal_print(request, journal, year):
    access.require(request.user, "documents.view_journal")
    journal = Journal.objects.filter(pk=journal).first()
    if journal is None:
        raise access.NotVisible("documents.view_journal")
    form = forms.PrintJournalForm(request.GET or None)
    language = (form.cleaned_data.get("language") if form.is_valid() else "") or (
        translation.get_language()
    )
    rows = selectors.journal_rows(
        user=request.user, filters={"journal": journal, "year": year}
    ).order_by("seq")
    exports.record_export(
        actor=request.user,
        action=AuditAction.PRINT,
        what="journal",
        count=rows.count(),
        filters={"journal": journal.pk, "year": year},
    )
    with translation.override(language):
        html = render_to_string(
            "documents/acts/journal_print.html",
            {"journal": journal, "year": year, "rows": rows, "form": form},
            request=request,
        )
    return HttpResponse(html)


def _export_response(request, what: str, header, rows, filters: dict):
    kind = request.GET.get("format", "csv")
    if kind not in exports.FORMATS:
        kind = "csv"
    exports.record_export(
        actor=request.user,
        action=AuditAction.EXPORT,
        what=what,
        count=len(rows),
        filters=filters,
        kind=kind,
    )
    data = exports.render(kind, header=header, rows=rows, title=what)
    name = f"{what}-{timezone.localdate().isoformat()}.{kind}"
    return _file_response(data, name=name, content_type=exports.FORMATS[kind])


@require_GET
def journal_export(request):
    access.require(request.user, "documents.view_journal")
    form = forms.FilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    header, rows = exports.journal_table(
        selectors.journal_rows(user=request.user, filters=filters)
    )
    shown = {k: str(getattr(v, "pk", v)) for k, v in filters.items() if v}
    return _export_response(request, "journal", header, rows, shown)


@require_GET
def copy_log_export(request):
    access.require(request.user, "documents.view_copy")
    header, rows = exports.copy_table(selectors.copy_log(user=request.user))
    return _export_response(request, "copies", header, rows, {})


@require_GET
def custody_export(request):
    access.require(request.user, "documents.view_custody")
    header, rows = exports.custody_table(selectors.open_custody(user=request.user))
    return _export_response(request, "custody", header, rows, {})


# The records officer's hand-over act (4.2.6)


def _hand_over_for(request, pk) -> HandOverAct:
    return access.get_visible(
        request.user,
        "documents.view_handoveract",
        HandOverAct.objects.select_related("outgoing", "incoming", "principal"),
        pk=pk,
    )


@require_http_methods(["GET", "POST"])
def hand_over_new(request):
    access.require_visible(request.user, "documents.view_handoveract")
    may_draft = access.can(request.user, "documents.add_handoveract")
    form = forms.HandOverForm(request.POST or None, people=acts.commission_candidates())
    if request.method == "POST":
        access.require(request.user, "documents.add_handoveract")
        if form.is_valid():
            try:
                act = acts.draft_hand_over_act(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                _apply(form, error)
            else:
                messages.success(request, _("The hand-over act is drafted."))
                return redirect("documents:hand_over", pk=act.pk)
    context = {
        "form": form,
        "may_draft": may_draft,
        "acts": access.visible(
            request.user, "documents.view_handoveract", HandOverAct.objects.all()
        ).select_related("outgoing", "incoming")[:50],
    }
    return render(request, "documents/acts/hand_over_new.html", context)


def _hand_over_context(request, act: HandOverAct) -> dict:
    return {
        "act": act,
        "lines": acts.hand_over_lines(act),
        "cleared": access.is_cleared(request.user),
    }


@require_GET
def hand_over(request, pk):
    act = _hand_over_for(request, pk)
    parts = acts.hand_over_parts(act, request.user)
    context = _hand_over_context(request, act)
    context.update(
        {
            "missing": acts.missing_from(act) if not act.is_complete else 0,
            "may_confirm": not act.is_complete
            and any(getattr(act, f"{p}_confirmed_at") is None for p in parts),
            "may_refresh": not act.is_complete
            and access.can(request.user, "documents.add_handoveract", act),
            "sign_form": forms.SignForm(),
        }
    )
    return render(request, "documents/acts/hand_over_detail.html", context)


@require_POST
def hand_over_confirm(request, pk):
    act = _hand_over_for(request, pk)
    form = forms.SignForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            acts.confirm_hand_over_act,
            _("Your confirmation is recorded."),
            actor=request.user,
            act=act,
            password=form.cleaned_data["password"],
        )
    return redirect("documents:hand_over", pk=act.pk)


@require_POST
def hand_over_refresh(request, pk):
    act = _hand_over_for(request, pk)
    access.require(request.user, "documents.add_handoveract", act)
    attempt(
        request,
        acts.refresh_hand_over_act,
        _("The list is rebuilt; every confirmation is given again."),
        actor=request.user,
        act=act,
    )
    return redirect("documents:hand_over", pk=act.pk)


@require_GET
def hand_over_print(request, pk):
    act = _hand_over_for(request, pk)
    exports.record_export(
        actor=request.user,
        action=AuditAction.PRINT,
        what="hand_over",
        count=len(act.document_ids),
        filters={"act": act.pk},
    )
    return render(
        request, "documents/acts/hand_over_print.html", _hand_over_context(request, act)
    )


# The reference lists the records officer keeps: journals, classes, cases, places


@require_GET
def reference_lists(request):
    access.require_visible(request.user, "documents.manage_journals")
    context = {
        **selectors.reference_lists(),
        "journal_form": forms.JournalForm(),
        "class_form": forms.DocumentClassForm(),
        "case_form": forms.CaseForm(),
        "place_form": forms.StoragePlaceForm(),
    }
    return render(request, "documents/reference_lists.html", context)


def _add_to_list(request, form_class, service, success: str):
    access.require_visible(request.user, "documents.manage_journals")
    form = form_class(request.POST)
    if form.is_valid():
        attempt(request, service, success, actor=request.user, **form.cleaned_data)
    else:
        messages.error(
            request,
            " ".join(
                f"{form[name].label}: {message}" if name in form.fields else message
                for name, errors in form.errors.items()
                for message in errors
            ),
        )
    return redirect("documents:reference_lists")


@require_POST
def journal_add(request):
    return _add_to_list(
        request, forms.JournalForm, services.add_journal, _("The journal is added.")
    )


@require_POST
def class_add(request):
    return _add_to_list(
        request,
        forms.DocumentClassForm,
        services.add_document_class,
        _("The document kind is added."),
    )


@require_POST
def case_add(request):
    return _add_to_list(
        request, forms.CaseForm, services.add_case, _("The case is added.")
    )


@require_POST
def place_add(request):
    return _add_to_list(
        request,
        forms.StoragePlaceForm,
        services.add_storage_place,
        _("The storage place is added."),
    )
