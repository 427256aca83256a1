"""Account security writes: each one a transaction with its audit event."""

import secrets
from importlib import import_module

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import access
from accounts.models import (
    BackupCode,
    Incident,
    IncidentStatus,
    KnownDevice,
    User,
    UserSession,
)
from accounts.security import calendar, network, secondfactor
from audit.models import AuditAction, AuditOutcome
from audit.services import record

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


@transaction.atomic
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
    end_all_sessions(actor=actor, person=actor, reason=SessionEnd.BREACH_REPORT)
    record(
        actor=actor,
        action=AuditAction.BREACH_REPORT,
        target=incident,
        details={"due": incident.due_at.isoformat()},
    )
    return incident


@transaction.atomic
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
        action=AuditAction.UPDATE,
        target=incident,
        details={"status": [IncidentStatus.OPEN, IncidentStatus.CLOSED]},
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
def unlock(*, actor: User, username: str, address: str) -> int:
    access.require(actor, "accounts.unlock_account")
    removed, _detail = AccessAttempt.objects.filter(
        username=username, ip_address=address
    ).delete()
    record(
        actor=actor,
        action=AuditAction.UNLOCK,
        target=User.objects.filter(username=username).first(),
        target_label=username,
        details={"username": username, "address": address, "attempts": removed},
    )
    return removed


# Passwords


@transaction.atomic
def change_password(
    *, actor: User, new_password: str, current_session_key: str | None
) -> None:
    """The person's own change: every other session ends (replayed cookies fail)."""
    actor.set_password(new_password)
    actor.must_change_password = False
    actor.save(update_fields=["password", "must_change_password"])
    end_all_sessions(
        actor=actor,
        person=actor,
        reason=SessionEnd.PASSWORD_CHANGE,
        keep_key=current_session_key,
    )
    record(actor=actor, action=AuditAction.PASSWORD_CHANGE, target=actor)


def _require_may_reset(actor: User, person: User) -> None:
    access.require(actor, "accounts.reset_password", person)
    # A temporary password for an officer's account is a way into everything
    # the officer sees: only those who may reset such accounts get it.
    if person.has_perm("accounts.require_second_factor") or person.is_superuser:
        access.require(actor, "accounts.reset_privileged_password", person)


@transaction.atomic
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
    end_all_sessions(actor=actor, person=person, reason=SessionEnd.PASSWORD_RESET)
    AccessAttempt.objects.filter(username=person.get_username()).delete()
    record(
        actor=actor,
        action=AuditAction.PASSWORD_RESET,
        target=person,
        details={"method": "temporary_password"},
    )
    return temporary


@transaction.atomic
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
def set_password_from_link(*, person: User, new_password: str) -> None:
    """The link's owner sets a new password; the link and every session die."""
    person.set_password(new_password)
    person.must_change_password = False
    person.save(update_fields=["password", "must_change_password"])
    end_all_sessions(actor=person, person=person, reason=SessionEnd.PASSWORD_RESET)
    AccessAttempt.objects.filter(username=person.get_username()).delete()
    record(
        actor=person,
        action=AuditAction.PASSWORD_CHANGE,
        target=person,
        details={"via": "reset_link"},
    )


# Second factor


@transaction.atomic
def start_enrolment(*, actor: User) -> TOTPDevice:
    """A fresh, unconfirmed authenticator; any earlier unconfirmed one goes."""
    TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
    return TOTPDevice.objects.create(user=actor, name="authenticator", confirmed=False)


@transaction.atomic
def confirm_enrolment(*, actor: User, device: TOTPDevice, code: str) -> list[str]:
    """The first code from the app proves it; returns the backup codes (once).

    Returns [] if the code is wrong.
    """
    if device.user_id != actor.pk or device.confirmed:
        raise access.NotVisible("otp_totp.change_totpdevice", device)
    if not device.verify_token(code.strip()):
        record(
            actor=actor,
            action=AuditAction.SECOND_FACTOR,
            outcome=AuditOutcome.DENIED,
            target=actor,
            details={"event": "enrolment_code_wrong"},
        )
        return []
    TOTPDevice.objects.filter(user=actor, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_backup_codes(actor)
    record(
        actor=actor,
        action=AuditAction.SECOND_FACTOR,
        target=actor,
        details={"event": "enrolled", "backup_codes": len(codes)},
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


@transaction.atomic
def verify_second_factor(*, person: User, code: str) -> bool:
    """A code from the app (each accepted once) or an unused backup code."""
    code = code.strip().replace(" ", "")
    method = ""
    # Locked, so two requests with the same code cannot both pass last_t.
    devices = TOTPDevice.objects.select_for_update().filter(user=person, confirmed=True)
    for device in devices:
        if device.verify_token(code):
            method = "totp"
            break
    if not method:
        backup = (
            BackupCode.objects.select_for_update()
            .filter(
                user=person,
                used_at__isnull=True,
                code_hash=secondfactor.backup_code_hash(code),
            )
            .first()
        )
        if backup is not None:
            backup.used_at = timezone.now()
            backup.save(update_fields=["used_at"])
            method = "backup_code"
    record(
        actor=person,
        action=AuditAction.SECOND_FACTOR,
        outcome=AuditOutcome.ALLOWED if method else AuditOutcome.DENIED,
        target=person,
        details={"event": "verified" if method else "code_wrong", "method": method},
    )
    return bool(method)


@transaction.atomic
def remove_second_factor(*, actor: User) -> None:
    """Only for a person whose role does not require a second factor."""
    if actor.has_perm("accounts.require_second_factor"):
        raise access.Forbidden("accounts.require_second_factor", actor)
    TOTPDevice.objects.filter(user=actor).delete()
    BackupCode.objects.filter(user=actor).delete()
    record(
        actor=actor,
        action=AuditAction.SECOND_FACTOR,
        target=actor,
        details={"event": "removed"},
    )
