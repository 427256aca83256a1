"""Account security writes: each one a transaction with its audit event."""

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module

from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import access
from accounts.models import (
    Authenticator,
    BackupCode,
    Incident,
    IncidentStatus,
    KnownDevice,
    NoticeKind,
    SecurityNotice,
    User,
    UserSession,
)
from accounts.security import calendar, network, notices, secondfactor, selectors
from audit import field_log
from audit.context import current_request
from audit.models import AuditAction, AuditOutcome
from audit.services import record

logger = logging.getLogger(__name__)

# Unambiguous letters and digits for temporary passwords read off a screen.
TEMPORARY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
BACKUP_CODE_COUNT = 10


class SessionEnd:
    """Why a session was ended: kept in the audit event's details."""

    BY_PERSON = "by_person"
    BREACH_REPORT = "breach_report"
    PASSWORD_CHANGE = "password_change"  # noqa: S105
    PASSWORD_RESET = "password_reset"  # noqa: S105
    IDLE = "idle_timeout"
    ABSOLUTE = "absolute_timeout"
    SECOND_FACTOR_CHANGE = "second_factor_change"
    PROOF_FAILURES = "proof_failures"


# Sessions


@transaction.atomic
def register_session(
    *, user: User, session_key: str, user_agent: str, address: str | None
) -> UserSession:
    """A new sign-in: remember the browser, and flag a device not seen before.

    A person's very first sign-in is not flagged: every device is new then.
    """
    device = network.device_family(user_agent)
    known = KnownDevice.objects.filter(user=user)
    seen_before = known.filter(device=device, address=address).exists()
    first_ever = not known.exists()
    if not seen_before:
        KnownDevice.objects.create(user=user, device=device, address=address)
    session, _created = UserSession.objects.update_or_create(
        session_key=session_key,
        defaults={
            "user": user,
            "user_agent": user_agent[:300],
            "device": device[:100],
            "address": address,
            "new_device": not seen_before and not first_ever,
        },
    )
    return session


def _delete_django_session(session_key: str) -> None:
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore(session_key=session_key).delete()


@access.protected
def end_session(*, actor: User | None, session: UserSession, reason: str) -> None:
    """End one session: its cookie no longer signs anyone in."""
    # A person ends only their own sessions; the page looks them up by owner too.
    if reason == SessionEnd.BY_PERSON and (
        actor is None or session.user_id != actor.pk
    ):
        raise access.NotVisible("accounts.view_usersession", session)
    _delete_django_session(session.session_key)
    record(
        actor=actor,
        action=AuditAction.SESSION_END,
        target=session.user,
        details={"session": session.pk, "device": session.device, "reason": reason},
    )
    session.delete()


def renew_session_key(*, old_key: str | None, new_key: str) -> None:
    """The browser got a new session key (cycle_key): its session row follows.

    A copy of the old cookie, wherever it is, then opens nothing.
    """
    UserSession.objects.filter(session_key=old_key).update(session_key=new_key)


@transaction.atomic
def end_all_sessions(
    *, actor: User | None, person: User, reason: str, keep_key: str | None = None
) -> int:
    sessions = UserSession.objects.filter(user=person).exclude(session_key=keep_key)
    ended = 0
    for session in sessions.select_related("user"):
        _delete_django_session(session.session_key)
        session.delete()
        ended += 1
    record(
        actor=actor,
        action=AuditAction.SESSION_END,
        target=person,
        details={"sessions": ended, "reason": reason, "kept_current": bool(keep_key)},
    )
    return ended


# Breach reports (5.2.3)


@transaction.atomic
@field_log.business_action()
def report_breach(*, actor: User) -> Incident:
    """Every session ends at once, the password must change, support is told."""
    now = timezone.now()
    incident = Incident.objects.create(
        reporter=actor,
        opened_at=now,
        due_at=calendar.due_within_one_working_day(now),
    )
    actor.must_change_password = True
    actor.save(update_fields=["must_change_password"])
    # Recorded before the sessions end: the report carries the account's diff.
    record(
        actor=actor,
        action=AuditAction.BREACH_REPORT,
        target=incident,
        details={"due": incident.due_at.isoformat()},
    )
    end_all_sessions(actor=actor, person=actor, reason=SessionEnd.BREACH_REPORT)
    return incident


@access.protected
def close_incident(*, actor: User, incident: Incident, note: str) -> Incident:
    access.require(actor, "accounts.handle_incident", incident)
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.status != IncidentStatus.OPEN:
        raise access.Forbidden("accounts.handle_incident", incident)
    incident.status = IncidentStatus.CLOSED
    incident.closed_at = timezone.now()
    incident.closed_by = actor
    incident.note = note
    incident.save(update_fields=["status", "closed_at", "closed_by", "note"])
    record(
        actor=actor,
        action=AuditAction.INCIDENT_CLOSE,
        target=incident,
        details={
            "old": {"status": IncidentStatus.OPEN.value},
            "new": {"status": IncidentStatus.CLOSED.value},
        },
    )
    return incident


# Lockouts


def record_lockout(*, username: str, address: str | None) -> None:
    """Called when django-axes locks a username out from an address."""
    person = User.objects.filter(username=username).first()
    record(
        actor=None,
        action=AuditAction.LOCKED_OUT,
        target=person,
        target_label=username,
        details={"username": username, "address": address},
    )


@transaction.atomic
def failure_counted(*, username: str) -> None:
    """django-axes logged a wrong password: has the username's guard just engaged?

    The log is kept for the guard's window only. When the username reaches
    PORTAL_GUESSING_LIMIT failures from all addresses, the event is recorded
    and the owner is told, once per engagement.
    """
    since = timezone.now() - settings.PORTAL_GUESSING_WINDOW
    AccessFailureLog.objects.filter(attempt_time__lt=since).delete()
    guard = selectors.guessing_guard(username=username)
    if guard.failures != settings.PORTAL_GUESSING_LIMIT:
        return
    person = User.objects.filter(username=username).first()
    record(
        actor=None,
        action=AuditAction.LOCKED_OUT,
        target=person,
        target_label=username,
        details={
            "username": username,
            "scope": "all_addresses",
            "failures": guard.failures,
            "addresses": guard.addresses,
        },
    )
    if person is not None:
        _tell(
            person,
            NoticeKind.PASSWORD_GUESSING,
            failures=guard.failures,
            addresses=guard.addresses,
        )


@access.protected
def unlock(*, actor: User, username: str, address: str | None) -> int:
    """Lift a pause: of the username from one address, or (no address) the guard
    against guessing it from all of them, with every pause of it."""
    access.require(actor, "accounts.unlock_account")
    attempts = AccessAttempt.objects.filter(username=username)
    details = {"username": username, "address": address}
    if address is None:
        details["failures"], _detail = AccessFailureLog.objects.filter(
            username=username
        ).delete()
    else:
        attempts = attempts.filter(ip_address=address)
    removed, _detail = attempts.delete()
    details["attempts"] = removed
    record(
        actor=actor,
        action=AuditAction.UNLOCK,
        target=User.objects.filter(username=username).first(),
        target_label=username,
        details=details,
    )
    return removed


# Passwords


@transaction.atomic
@field_log.business_action()
def change_password(
    *, actor: User, new_password: str, current_session_key: str | None
) -> None:
    """The person's own change: every other session ends (replayed cookies fail)."""
    actor.set_password(new_password)
    actor.must_change_password = False
    actor.save(update_fields=["password", "must_change_password"])
    # Recorded before the sessions end: the change carries the account's diff.
    record(actor=actor, action=AuditAction.PASSWORD_CHANGE, target=actor)
    end_all_sessions(
        actor=actor,
        person=actor,
        reason=SessionEnd.PASSWORD_CHANGE,
        keep_key=current_session_key,
    )


def _clear_failures(person: User) -> None:
    """A new password: the old one's wrong guesses pause nobody any more."""
    AccessAttempt.objects.filter(username=person.get_username()).delete()
    AccessFailureLog.objects.filter(username=person.get_username()).delete()


def _require_may_reset(actor: User, person: User) -> None:
    access.require(actor, "accounts.reset_password", person)
    # A temporary password for an officer's account is a way into everything
    # the officer sees: only those who may reset such accounts get it.
    if access.can(person, "accounts.require_second_factor") or person.is_superuser:
        access.require(actor, "accounts.reset_privileged_password", person)


@access.protected
def reset_with_temporary_password(*, actor: User, person: User) -> str:
    """Returns the temporary password: show it once, keep it nowhere."""
    _require_may_reset(actor, person)
    # Four groups of four from 31 characters: about 79 bits, easy to read out.
    temporary = "-".join(
        "".join(secrets.choice(TEMPORARY_ALPHABET) for _letter in range(4))
        for _group in range(4)
    )
    person.set_password(temporary)
    person.must_change_password = True
    person.save(update_fields=["password", "must_change_password"])
    # Recorded before the sessions end: the reset carries the account's diff.
    record(
        actor=actor,
        action=AuditAction.PASSWORD_RESET,
        target=person,
        details={"method": "temporary_password"},
    )
    end_all_sessions(actor=actor, person=person, reason=SessionEnd.PASSWORD_RESET)
    _clear_failures(person)
    return temporary


@access.protected
def reset_with_link(*, actor: User, person: User) -> tuple[str, str]:
    """(uidb64, token) of a one-time link; it dies when the password changes."""
    _require_may_reset(actor, person)
    record(
        actor=actor,
        action=AuditAction.PASSWORD_RESET,
        target=person,
        details={"method": "link", "valid_hours": settings.PORTAL_RESET_LINK_HOURS},
    )
    uidb64 = urlsafe_base64_encode(force_bytes(person.pk))
    return uidb64, default_token_generator.make_token(person)


@transaction.atomic
@field_log.business_action()
def set_password_from_link(*, person: User, new_password: str) -> None:
    """The link's owner sets a new password; the link and every session die."""
    person.set_password(new_password)
    person.must_change_password = False
    person.save(update_fields=["password", "must_change_password"])
    # Recorded before the sessions end: the change carries the account's diff.
    record(
        actor=person,
        action=AuditAction.PASSWORD_CHANGE,
        target=person,
        details={"via": "reset_link"},
    )
    end_all_sessions(actor=person, person=person, reason=SessionEnd.PASSWORD_RESET)
    _clear_failures(person)


# Second factor


@dataclass(frozen=True)
class Proof:
    """This request proved who is at the keyboard (``prove_identity``).

    ``code``: how the second factor was proved too ("totp", "backup_code"), or
    "" for a person who has none yet.
    """

    person_id: int
    code: str


class ProofPurpose:
    """What a proof is asked for: kept in the audit event of a refusal."""

    ENROL = "enrol"
    REPLACE = "replace"
    REMOVE = "remove"


@transaction.atomic
def prove_identity(
    *, actor: User, password: str, code: str = "", purpose: str
) -> Proof | None:
    """The current password and, for a person who has a second factor, a current
    code or an unused backup code, in the same request.

    A signed-in session is not proof: a stolen cookie or an unlocked computer has
    one. The code is looked at only after the right password, so a wrong
    password never uses up a backup code. None, with a denied event, when it fails.
    """
    has_factor = selectors.has_second_factor(user=actor)
    method = ""
    if not actor.check_password(password):
        reason = "password_wrong"
    elif has_factor and not (method := _second_factor_method(actor, code)):
        reason = "code_wrong"
    else:
        return Proof(person_id=actor.pk, code=method)
    record(
        actor=actor,
        action=AuditAction.SECOND_FACTOR,
        outcome=AuditOutcome.DENIED,
        target=actor,
        details={"event": "identity_refused", "purpose": purpose, "reason": reason},
    )
    return None


def _require_proof(actor: User, proof: Proof | None) -> None:
    """A second factor the person has is changed only with a proof that has a code."""
    if proof is not None and proof.person_id != actor.pk:
        raise access.Forbidden("accounts.change_authenticator", actor)
    if selectors.has_second_factor(user=actor) and (proof is None or not proof.code):
        raise access.Forbidden("accounts.change_authenticator", actor)


@transaction.atomic
def start_enrolment(*, actor: User, proof: Proof | None = None) -> Authenticator:
    """A fresh, unconfirmed authenticator for the person's app to read.

    It is the pending secret between "show the QR code" and "confirm a code":
    a row whose secret is encrypted like every other, never the session, so no
    plain secret is stored anywhere. Any earlier unconfirmed one goes.

    Replacing a second factor needs the proof of this request (password and a
    code). A first enrolment has nothing to take over: the page proves the
    password, and management scripts enrol without one.
    """
    _require_proof(actor, proof)
    replacing = selectors.has_second_factor(user=actor)
    Authenticator.objects.filter(user=actor, confirmed=False).delete()
    device = Authenticator.objects.create(
        user=actor, name="authenticator", confirmed=False
    )
    record(
        actor=actor,
        action=AuditAction.SECOND_FACTOR,
        target=actor,
        details={
            "event": "enrolment_started",
            "replacing": replacing,
            "proved_with": _proved_with(proof),
        },
    )
    return device


def _proved_with(proof: Proof | None) -> str:
    if proof is None:
        return ""
    return "+".join(part for part in ("password", proof.code) if part)


@access.protected
def confirm_enrolment(
    *,
    actor: User,
    device: Authenticator,
    code: str,
    keep_session_key: str | None = None,
) -> list[str]:
    """The first code from the app proves it; returns the backup codes (once).

    The device replaces any second factor the person had; then every other
    session of theirs ends (``keep_session_key`` is the one that did it) and they
    are told. Returns [] if the code is wrong.
    """
    since = timezone.now() - timedelta(minutes=settings.PORTAL_ENROLMENT_MINUTES)
    device = (
        Authenticator.objects.select_for_update()
        .filter(pk=device.pk, user=actor, confirmed=False, created_at__gte=since)
        .first()
    )
    if device is None:
        raise access.NotVisible("accounts.change_authenticator")
    if not device.verify_token(code.strip()):
        record(
            actor=actor,
            action=AuditAction.SECOND_FACTOR,
            outcome=AuditOutcome.DENIED,
            target=actor,
            details={"event": "enrolment_code_wrong"},
        )
        return []
    replaced = selectors.has_second_factor(user=actor)
    # The old factor, and every other unconfirmed one: none may outlive this
    # confirmation, so an unconfirmed authenticator beside a second factor was
    # always started with a code (start_enrolment).
    Authenticator.objects.filter(user=actor).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_backup_codes(actor)
    record(
        actor=actor,
        action=AuditAction.SECOND_FACTOR,
        target=actor,
        details={
            "event": "replaced" if replaced else "enrolled",
            "backup_codes": len(codes),
        },
    )
    if replaced:
        _after_second_factor_change(
            actor, NoticeKind.SECOND_FACTOR_REPLACED, keep_session_key
        )
    return codes


def _new_backup_codes(person: User) -> list[str]:
    BackupCode.objects.filter(user=person).delete()
    codes = [secondfactor.new_backup_code() for _ in range(BACKUP_CODE_COUNT)]
    BackupCode.objects.bulk_create(
        BackupCode(user=person, code_hash=secondfactor.backup_code_hash(code))
        for code in codes
    )
    return codes


def _second_factor_method(person: User, code: str) -> str:
    """How the code is right ("totp", "backup_code", now used up), or ""."""
    code = code.strip().replace(" ", "")
    if not code:
        return ""
    # Locked, so two requests with the same code cannot both pass last_t.
    devices = Authenticator.objects.select_for_update().filter(
        user=person, confirmed=True
    )
    for device in devices:
        # A backup code is no TOTP code: trying it would throttle the app's codes.
        if len(code) == device.digits and code.isdigit() and device.verify_token(code):
            return "totp"
    backup = (
        BackupCode.objects.select_for_update()
        .filter(
            user=person,
            used_at__isnull=True,
            code_hash=secondfactor.backup_code_hash(code),
        )
        .first()
    )
    if backup is None:
        return ""
    backup.used_at = timezone.now()
    backup.save(update_fields=["used_at"])
    return "backup_code"


@transaction.atomic
def verify_second_factor(*, person: User, code: str) -> bool:
    """A code from the app (each accepted once) or an unused backup code."""
    method = _second_factor_method(person, code)
    record(
        actor=person,
        action=AuditAction.SECOND_FACTOR,
        outcome=AuditOutcome.ALLOWED if method else AuditOutcome.DENIED,
        target=person,
        details={"event": "verified" if method else "code_wrong", "method": method},
    )
    return bool(method)


@access.protected
def remove_second_factor(
    *, actor: User, proof: Proof | None, keep_session_key: str | None = None
) -> None:
    """Only for a person whose role does not require a second factor, and only
    with the proof of this request (password and a code)."""
    if access.can(actor, "accounts.require_second_factor"):
        raise access.Forbidden("accounts.require_second_factor", actor)
    _require_proof(actor, proof)
    if not selectors.has_second_factor(user=actor):
        return
    Authenticator.objects.filter(user=actor).delete()
    BackupCode.objects.filter(user=actor).delete()
    record(
        actor=actor,
        action=AuditAction.SECOND_FACTOR,
        target=actor,
        details={"event": "removed", "proved_with": _proved_with(proof)},
    )
    _after_second_factor_change(
        actor, NoticeKind.SECOND_FACTOR_REMOVED, keep_session_key
    )


def _after_second_factor_change(
    person: User, kind: str, keep_session_key: str | None
) -> None:
    """Whoever held another session of the person's is out, and the person knows."""
    end_all_sessions(
        actor=person,
        person=person,
        reason=SessionEnd.SECOND_FACTOR_CHANGE,
        keep_key=keep_session_key,
    )
    request = current_request.get()
    device = network.device_family(request.user_agent) if request.user_agent else ""
    _tell(person, kind, device=device[:100], address=request.client_address)


# Notices: the home page and, for a person with an address, an e-mail


def _tell(person: User, kind: str, **facts) -> SecurityNotice:
    notice = SecurityNotice.objects.create(person=person, kind=kind, **facts)
    if person.email:
        with translation.override(settings.LANGUAGE_CODE):
            subject, body = notices.email(notice)

        def send():
            try:
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])
            except OSError:
                logger.exception("Security notice %s: the e-mail failed", notice.pk)

        transaction.on_commit(send)
    return notice


@access.protected
def mark_notice_read(*, actor: User, notice: SecurityNotice) -> None:
    if notice.person_id != actor.pk:
        raise access.NotVisible("accounts.view_securitynotice", notice)
    notice = SecurityNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.read_at is not None:
        return
    notice.read_at = timezone.now()
    notice.save(update_fields=["read_at"])
    record(
        actor=actor,
        action=AuditAction.NOTICE_READ,
        target=notice,
        details={
            "old": {"read_at": None},
            "new": {"read_at": notice.read_at.isoformat()},
        },
    )
