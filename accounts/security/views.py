"""Account security pages: sign-in, sessions, breach report, passwords, second factor,
incidents for technical support, lockouts."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout, update_session_auth_hash
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.tokens import default_token_generator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts import access
from accounts.models import (
    Authenticator,
    Incident,
    IncidentStatus,
    SecurityNotice,
    User,
    UserSession,
)
from accounts.security import backends, secondfactor, selectors, services
from accounts.security.forms import (
    CloseIncidentForm,
    CodeForm,
    LoginForm,
    PasswordChangeForm,
    ProofForm,
    ResetForm,
    ResetMethod,
    SetPasswordForm,
    UnlockForm,
)
from accounts.security.middleware import MUST_ENROL
from accounts.security.network import client_address, normalize_username

# Between the password and the code: who, how, where to, since when, tries.
PENDING = "portal_pending_second_factor"
PENDING_SECONDS = 300
CODE_TRIES = 5
# The unconfirmed authenticator this browser proved itself for (its id only).
ENROLMENT = "portal_enrolment"
# Wrong passwords or codes before a change of the second factor, in this
# session: at PROOF_TRIES the session ends, so a stolen cookie cannot guess on.
PROOF_FAILURES = "portal_proof_failures"
PROOF_TRIES = 5


def _next_url(request) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse(settings.LOGIN_REDIRECT_URL)


# Sign-in -----------------------------------------------------------------------------


@login_not_required
@sensitive_post_parameters()
@csrf_protect
@never_cache
def login(request):
    """Django's LoginView steps, then the second factor for those who have one."""
    next_url = _next_url(request)
    if request.user.is_authenticated:
        return redirect(next_url)
    form = LoginForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        has_factor = selectors.has_second_factor(user=user)
        # Sent with a code from the pause page, both factors are checked already.
        if has_factor and not getattr(request, "portal_second_factor_done", False):
            request.session[PENDING] = {
                "user": user.pk,
                "backend": user.backend,
                "next": next_url,
                "since": int(time.time()),
                "tries": 0,
            }
            return redirect("security:second_factor_verify")
        auth_login(request, user)
        if not has_factor and access.can(user, "accounts.require_second_factor"):
            request.session[MUST_ENROL] = True
        return redirect(next_url)
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


@login_not_required
@sensitive_post_parameters()
@csrf_protect
@never_cache
def second_factor_verify(request):
    pending = request.session.get(PENDING)
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    if not pending or time.time() - pending["since"] > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return redirect("login")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        person = User.objects.get(pk=pending["user"])
        if services.verify_second_factor(person=person, code=form.cleaned_data["code"]):
            del request.session[PENDING]
            auth_login(request, person, backend=pending["backend"])
            return redirect(pending["next"])
        pending["tries"] += 1
        if pending["tries"] >= CODE_TRIES:
            del request.session[PENDING]
            messages.error(request, _("Too many wrong codes. Sign in again."))
            return redirect("login")
        request.session[PENDING] = pending
        form.add_error("code", _("This code is wrong or was already used."))
    return render(request, "account_security/second_factor_verify.html", {"form": form})


def lockout(request, response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the same page for existing and unknown usernames.

    It says which pause holds (from this address, or the guard against guessing
    from many) and offers the way through that never waits: the password with a
    second-factor code.
    """
    username = normalize_username((credentials or {}).get("username"))
    refused = getattr(request, "portal_refused", "")
    address_until = selectors.lockout_until(
        username=username, address=client_address(request)
    )
    guard_until = selectors.guessing_guard(username=username).until
    form = LoginForm(request, initial={"username": username})
    return render(
        request,
        "account_security/locked_out.html",
        {
            "form": form,
            "next": _next_url(request),
            "wrong": refused == backends.REFUSED_CODE,
            "address_until": address_until,
            "guard_until": guard_until
            if guard_until and guard_until > timezone.now()
            else None,
        },
        status=429,
    )


# Sessions and the breach report


def sessions(request):
    return render(
        request,
        "account_security/sessions.html",
        {
            "sessions": selectors.sessions_of(user=request.user),
            "current_key": request.session.session_key,
            "incidents": selectors.incidents_reported_by(user=request.user),
            "has_second_factor": selectors.has_second_factor(user=request.user),
        },
    )


@require_POST
def session_end(request, pk):
    session = UserSession.objects.filter(pk=pk, user=request.user).first()
    if session is None:
        raise access.NotVisible("accounts.view_usersession")
    current = session.session_key == request.session.session_key
    services.end_session(
        actor=request.user, session=session, reason=services.SessionEnd.BY_PERSON
    )
    if current:
        return redirect("login")
    messages.success(request, _("The session has been ended."))
    return redirect("security:sessions")


@require_POST
def sessions_end_others(request):
    count = services.end_all_sessions(
        actor=request.user,
        person=request.user,
        reason=services.SessionEnd.BY_PERSON,
        keep_key=request.session.session_key,
    )
    messages.success(request, _("Other sessions ended: %(count)s.") % {"count": count})
    return redirect("security:sessions")


def breach_report(request):
    if request.method != "POST":
        return render(request, "account_security/breach_confirm.html")
    incident = services.report_breach(actor=request.user)
    # The person's own session was among those ended.
    request.session.flush()
    request.user = AnonymousUser()
    return render(
        request, "account_security/breach_reported.html", {"incident": incident}
    )


# Passwords


@sensitive_post_parameters()
@never_cache
def password_change(request):
    form = PasswordChangeForm(
        request.user, request.POST if request.method == "POST" else None
    )
    if request.method == "POST" and form.is_valid():
        services.change_password(
            actor=request.user,
            new_password=form.cleaned_data["new_password1"],
            current_session_key=request.session.session_key,
        )
        update_session_auth_hash(request, request.user)
        messages.success(
            request, _("Your password has been changed. Other sessions were ended.")
        )
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(
        request,
        "account_security/password_change.html",
        {"form": form, "forced": request.user.must_change_password},
    )


@sensitive_post_parameters()
@never_cache
def password_reset(request):
    """Technical support or the administrator resets someone's password."""
    access.require(request.user, "accounts.reset_password")
    form = ResetForm(request.POST or None, initial={"username": request.GET.get("u")})
    if request.method == "POST" and form.is_valid():
        person = User.objects.filter(username=form.cleaned_data["username"]).first()
        if person is None:
            form.add_error("username", _("There is no person with this username."))
        elif form.cleaned_data["method"] == ResetMethod.TEMPORARY:
            temporary = services.reset_with_temporary_password(
                actor=request.user, person=person
            )
            return _no_store(
                render(
                    request,
                    "account_security/reset_done.html",
                    {"person": person, "temporary_password": temporary},
                )
            )
        else:
            uidb64, token = services.reset_with_link(actor=request.user, person=person)
            link = request.build_absolute_uri(
                reverse("security:reset_link", args=[uidb64, token])
            )
            return _no_store(
                render(
                    request,
                    "account_security/reset_done.html",
                    {
                        "person": person,
                        "link": link,
                        "hours": settings.PORTAL_RESET_LINK_HOURS,
                    },
                )
            )
    return render(request, "account_security/reset.html", {"form": form})


def _no_store(response):
    """The page with a secret on it is never kept by the browser or a proxy."""
    response["Cache-Control"] = "no-store"
    return response


@login_not_required
@sensitive_post_parameters()
@never_cache
def reset_link(request, uidb64, token):
    person = _person_from_uid(uidb64)
    if person is None or not default_token_generator.check_token(person, token):
        return render(
            request,
            "account_security/reset_link_refused.html",
            {"hours": settings.PORTAL_RESET_LINK_HOURS},
        )
    form = SetPasswordForm(person, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.set_password_from_link(
            person=person, new_password=form.cleaned_data["new_password1"]
        )
        messages.success(request, _("Your password has been set. Sign in with it."))
        return redirect("login")
    return render(request, "account_security/reset_link.html", {"form": form})


def _person_from_uid(uidb64: str) -> User | None:
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    return get_user_model().objects.filter(pk=pk, is_active=True).first()


# Second factor


def second_factor(request, proof_form=None):
    has_factor = selectors.has_second_factor(user=request.user)
    return render(
        request,
        "account_security/second_factor.html",
        {
            "has_second_factor": has_factor,
            "required": access.can(request.user, "accounts.require_second_factor"),
            "backup_codes_left": selectors.unused_backup_codes(user=request.user),
            "form": proof_form or ProofForm(with_code=has_factor),
        },
    )


def _proof(request, purpose: str):
    """(proof or None, the form): the password and, if the person has a second
    factor, a current code, from this request's POST."""
    form = ProofForm(
        request.POST, with_code=selectors.has_second_factor(user=request.user)
    )
    if not form.is_valid():
        return None, form
    proof = services.prove_identity(
        actor=request.user,
        password=form.cleaned_data["password"],
        code=form.cleaned_data.get("code", ""),
        purpose=purpose,
    )
    if proof is None:
        failures = request.session.get(PROOF_FAILURES, 0) + 1
        request.session[PROOF_FAILURES] = failures
        form.add_error(None, _("The password or the code is wrong."))
    else:
        request.session.pop(PROOF_FAILURES, None)
    return proof, form


def _too_many_proof_failures(request):
    """After PROOF_TRIES wrong proofs this session ends: sign in again."""
    if request.session.get(PROOF_FAILURES, 0) < PROOF_TRIES:
        return None
    session = UserSession.objects.filter(
        session_key=request.session.session_key
    ).first()
    if session is not None:
        services.end_session(
            actor=request.user,
            session=session,
            reason=services.SessionEnd.PROOF_FAILURES,
        )
    logout(request)
    messages.error(request, _("Too many wrong passwords or codes. Sign in again."))
    return redirect("login")


def _renew_session_key(request) -> None:
    """A new key for this browser: a copied cookie of the old one opens nothing."""
    old_key = request.session.session_key
    request.session.cycle_key()
    services.renew_session_key(old_key=old_key, new_key=request.session.session_key)


@sensitive_post_parameters()
@never_cache
def second_factor_setup(request):
    """Prove who you are, then scan the new secret, then confirm a code from it.

    A GET creates nothing and shows no secret: the secret is shown once, in the
    answer to the POST that proved the password (and, to replace a second
    factor, a current code). Its unconfirmed authenticator is kept by id in
    this browser's session.
    """
    replacing = selectors.has_second_factor(user=request.user)
    context = {"replacing": replacing}
    if request.method == "POST" and request.POST.get("step") == "confirm":
        return _confirm_enrolment(request, context)
    form = ProofForm(with_code=replacing)
    if request.method == "POST":
        proof, form = _proof(
            request,
            services.ProofPurpose.REPLACE if replacing else services.ProofPurpose.ENROL,
        )
        if proof is not None:
            device = services.start_enrolment(actor=request.user, proof=proof)
            request.session[ENROLMENT] = device.pk
            return _no_store(
                render(
                    request,
                    "account_security/second_factor_setup.html",
                    {
                        **context,
                        "step": "scan",
                        "form": CodeForm(),
                        "qr": secondfactor.qr_svg(device.config_url),
                        "secret": _base32(device),
                    },
                )
            )
        refused = _too_many_proof_failures(request)
        if refused is not None:
            return refused
    return _no_store(
        render(
            request,
            "account_security/second_factor_setup.html",
            {**context, "step": "prove", "form": form},
        )
    )


def _confirm_enrolment(request, context):
    device = selectors.pending_enrolment(
        user=request.user, pk=request.session.get(ENROLMENT)
    )
    if device is None:
        raise access.NotVisible("accounts.change_authenticator")
    if selectors.enrolment_expired(device):
        messages.error(request, _("That took too long. Start again."))
        return redirect("security:second_factor_setup")
    form = CodeForm(request.POST)
    if form.is_valid():
        old_key = request.session.session_key
        codes = services.confirm_enrolment(
            actor=request.user,
            device=device,
            code=form.cleaned_data["code"],
            keep_session_key=old_key,
        )
        if codes:
            request.session.pop(ENROLMENT, None)
            request.session.pop(MUST_ENROL, None)
            if context["replacing"]:
                _renew_session_key(request)
            return _no_store(
                render(
                    request,
                    "account_security/backup_codes.html",
                    {"codes": codes, "replaced": context["replacing"]},
                )
            )
        form.add_error("code", _("This code is wrong. Try the next one."))
    # The secret is not shown again: only the answer to the proof shows it.
    return _no_store(
        render(
            request,
            "account_security/second_factor_setup.html",
            {**context, "step": "confirm", "form": form},
        )
    )


def _base32(device: Authenticator) -> str:
    from base64 import b32encode

    return b32encode(device.bin_key).decode()


@require_POST
@sensitive_post_parameters()
def second_factor_remove(request):
    if access.can(request.user, "accounts.require_second_factor"):
        raise access.Forbidden("accounts.require_second_factor", request.user)
    proof, form = _proof(request, services.ProofPurpose.REMOVE)
    if proof is None:
        refused = _too_many_proof_failures(request)
        if refused is not None:
            return refused
        return second_factor(request, proof_form=form)
    services.remove_second_factor(
        actor=request.user, proof=proof, keep_session_key=request.session.session_key
    )
    _renew_session_key(request)
    messages.success(
        request,
        _("The second factor has been turned off. Other sessions were ended."),
    )
    return redirect("security:second_factor")


@require_POST
def notice_read(request, pk):
    notice = SecurityNotice.objects.filter(pk=pk, person=request.user).first()
    if notice is None:
        raise access.NotVisible("accounts.view_securitynotice")
    services.mark_notice_read(actor=request.user, notice=notice)
    return redirect("home")


# Technical support: incidents and lockouts


def incidents(request):
    access.require(request.user, "accounts.view_incident")
    status = request.GET.get("status", IncidentStatus.OPEN)
    if status not in IncidentStatus.values:
        status = IncidentStatus.OPEN
    return render(
        request,
        "account_security/incidents.html",
        {
            "incidents": selectors.incidents_for_support(status=status),
            "status": status,
            "statuses": IncidentStatus.choices,
        },
    )


def incident(request, pk):
    item = access.get_visible(
        request.user,
        "accounts.view_incident",
        Incident.objects.select_related("reporter", "closed_by"),
        pk=pk,
    )
    return render(
        request,
        "account_security/incident.html",
        {
            "incident": item,
            "form": CloseIncidentForm(),
            "may_handle": access.can(request.user, "accounts.handle_incident", item),
            "may_reset": access.can(request.user, "accounts.reset_password"),
        },
    )


@require_POST
def incident_close(request, pk):
    item = access.get_visible(
        request.user, "accounts.view_incident", Incident.objects.all(), pk=pk
    )
    form = CloseIncidentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write what was done before closing."))
        return redirect("security:incident", pk=item.pk)
    services.close_incident(
        actor=request.user, incident=item, note=form.cleaned_data["note"]
    )
    messages.success(request, _("The incident has been closed."))
    return redirect("security:incidents")


def lockouts(request):
    access.require(request.user, "accounts.unlock_account")
    return render(
        request,
        "account_security/lockouts.html",
        {
            "lockouts": selectors.current_lockouts(),
            "guards": selectors.guarded_accounts(),
            "guessing_limit": settings.PORTAL_GUESSING_LIMIT,
        },
    )


@require_POST
def unlock(request):
    access.require(request.user, "accounts.unlock_account")
    form = UnlockForm(request.POST)
    if form.is_valid():
        services.unlock(
            actor=request.user,
            username=form.cleaned_data["username"],
            address=form.cleaned_data["address"],
        )
        messages.success(request, _("Unlocked."))
    return redirect("security:lockouts")
