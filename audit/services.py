"""Writing to the audit trail: record() (the one call every app makes), signing
the head, verifying the chain and archiving old events."""

import contextlib
import hashlib
import json
import os
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Min, Model
from django.utils import timezone

from accounts import access
from accounts.models import User
from audit import chain, field_log, signing
from audit.context import current_request
from audit.models import (
    AuditAction,
    AuditArchive,
    AuditEvent,
    AuditOutcome,
    SignedHead,
    VerificationRun,
)
from school_portal import stores

# Any key of details containing one of these is masked: the trail never holds
# a password, a token, a secret or the plaintext of an encrypted field.
SECRET_WORDS = ("password", "token", "secret", "otp", "pin", "key")
MASK = "***"
# pg_advisory_xact_lock key that serializes appends ("audit" in ASCII).
APPEND_LOCK = 0x6175646974
LOCK_THE_CHAIN = f"SELECT pg_advisory_xact_lock({APPEND_LOCK})"
# The chain's last link: a backward scan of the unique index on seq, one row.
# Plain SQL: building it as a QuerySet cost more than running it.
LAST_LINK = "SELECT seq, entry_hash FROM audit_auditevent ORDER BY seq DESC LIMIT 1"


def record(
    *,
    actor: User | None,
    action: AuditAction,
    target: Model | None = None,
    outcome: AuditOutcome = AuditOutcome.ALLOWED,
    details: dict | None = None,
    target_label: str = "",
    at: datetime | None = None,
) -> AuditEvent:
    """Append one event, inside the caller's transaction, chained to the last one.

    ``details`` has the one shape AuditEvent describes. Inside a business action
    the event also carries the row diffs django-auditlog logged since the
    action's last event (``field_log``, audit/auditlog.py).
    ``at`` is for seeding demo data only; every real event happens now.
    """
    details = dict(details or {})
    diffs = field_log.take()
    if diffs:
        details["field_log"] = [diff.carried() for diff in diffs]
    request = current_request.get()
    event = AuditEvent(
        at=at or timezone.now(),
        actor=actor if actor is not None and actor.pk else None,
        actor_label=actor.get_username() if actor is not None else "",
        actor_roles=_roles(actor),
        action=action,
        outcome=outcome,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=(target_label or (str(target) if target is not None else ""))[
            :200
        ],
        client_address=request.client_address,
        user_agent=request.user_agent[:300],
        request_id=request.request_id,
        details=_masked(details),
    )
    # No savepoint: an event that cannot be written fails the caller's whole
    # transaction, and the append costs two round trips fewer.
    with transaction.atomic(savepoint=False):
        last_seq, last_hash = _locked_head()
        event.seq = last_seq + 1
        event.prev_hash = last_hash
        event.entry_hash = chain.entry_hash(last_hash, event)
        _insert(event)
    return event


@access.protected
def sign_head(*, actor: User | None) -> SignedHead:
    """Sign the chain's head with Ed25519; actor None is the daily timer.

    The signing is itself an event, and that event is the head that is signed.
    """
    if actor is not None:
        access.require(actor, "audit.view_audit_report")
    event = record(
        actor=actor, action=AuditAction.SIGN_HEAD, target_label="audit trail"
    )
    signed_at = timezone.now()
    return SignedHead.objects.create(
        seq=event.seq,
        entry_hash=event.entry_hash,
        signed_at=signed_at,
        signature=signing.sign(
            signing.head_message(event.seq, event.entry_hash, signed_at)
        ),
        signed_by=actor,
    )


def verify_trail(
    *, batch_size: int = 2000, kept_head: signing.KeptHead | None = None
) -> VerificationRun:
    """Recompute the whole chain, in batches, and keep the result.

    ``kept_head``: a head kept outside the database (a head file or code); the
    chain must still hold it, so a tail cut together with its signed heads shows.
    """
    anchor = AuditArchive.objects.order_by("-last_seq").first()
    start_seq, start_hash = (
        (anchor.last_seq + 1, anchor.last_hash) if anchor else (1, chain.GENESIS)
    )
    # The heads are read before the events, so every head is inside what is read.
    heads = list(SignedHead.objects.filter(seq__gte=start_seq))
    forged = sorted(
        head.seq
        for head in heads
        if not signing.is_valid(
            signing.head_message(head.seq, head.entry_hash, head.signed_at),
            head.signature,
        )
    )
    result = chain.verify(
        AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size),
        start_seq=start_seq,
        start_hash=start_hash,
        signed_heads={
            **{h.seq: h.entry_hash for h in heads if h.seq not in forged},
            # An archived head can't be checked here: its events left the table.
            **(
                {kept_head.seq: kept_head.hash_prefix}
                if kept_head and kept_head.seq >= start_seq
                else {}
            ),
        },
    )
    if result.ok and forged:
        result = chain.Result(
            False, result.events_checked, forged[0], chain.BAD_SIGNATURE
        )
    return VerificationRun.objects.create(
        ok=result.ok,
        first_broken_seq=result.first_broken_seq,
        events_checked=result.events_checked,
        problem=result.problem,
    )


class ArchiveFailed(Exception):
    """The export could not be written; nothing was removed."""


def audit_archive_dir() -> Path | None:
    """The folder of the audit archive store; None for an object store."""
    store = stores.get(stores.AUDIT_ARCHIVE)
    return Path(store.location) if stores.is_local(store) else None


def stored_path(path: Path | str) -> str:
    """What AuditArchive.path holds: the name in the audit archive store (so a
    backup restored on another server still finds the file), or the absolute
    path of an export written elsewhere (``--directory``)."""
    if isinstance(path, str) and not Path(path).is_absolute():
        return path
    path = Path(path).absolute()
    folder = audit_archive_dir()
    if folder is None:
        return str(path)
    try:
        return path.relative_to(folder.absolute()).as_posix()
    except ValueError:
        return str(path)


def _is_elsewhere(archive: AuditArchive) -> bool:
    return Path(archive.path).is_absolute()


def archive_file(archive: AuditArchive) -> Path | str:
    """Where the export is: a path on this machine, or its place in the
    object store (for a person to read)."""
    folder = audit_archive_dir()
    if _is_elsewhere(archive) or folder is not None:
        # An absolute path stays itself when joined.
        return (folder or Path("/")) / archive.path
    return str(archive_sources(archive)[0])


def archive_files(archive: AuditArchive) -> list[Path]:
    """The export and its signature as paths on this machine (a file store)."""
    path = Path(archive_file(archive))
    return [path, _signature_of(path)]


def archive_sources(archive: AuditArchive) -> list[stores.Source]:
    """The export and its signature, wherever they are: what a backup carries."""
    if _is_elsewhere(archive):
        path = Path(archive.path)
        return [
            stores.Source(name=path.name, path=path),
            stores.Source(name=path.name + ".sig", path=_signature_of(path)),
        ]
    return [
        stores.Source(name=archive.path, store=stores.AUDIT_ARCHIVE),
        stores.Source(name=archive.path + ".sig", store=stores.AUDIT_ARCHIVE),
    ]


def _signature_of(path: Path) -> Path:
    return path.with_name(path.name + ".sig")


@transaction.atomic
def archive_events(
    *, before: datetime, directory: Path | None = None
) -> AuditArchive | None:
    """Export the events older than ``before`` to a signed JSON-lines file, then
    remove them. None when there is nothing to archive.

    Only a prefix of the chain is removed, and never the last event, so the
    chain goes on; the archive row anchors what remains. If anything after the
    export fails, the transaction rolls back and the files are removed.
    """
    folder = audit_archive_dir()
    # The store's own folder given as a folder: named relative to it all the same.
    if folder and directory and Path(directory).absolute() == folder.absolute():
        directory = None
    _lock_the_chain()
    last_seq = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    if last_seq is None:
        return None
    first_kept = AuditEvent.objects.filter(at__gte=before).aggregate(s=Min("seq"))["s"]
    upto = min(first_kept or last_seq, last_seq) - 1
    events = AuditEvent.objects.filter(seq__lte=upto).order_by("seq")
    first = events.values_list("seq", flat=True).first()
    if first is None:
        return None
    path, sha256, count, last_hash = _export(events, directory, first, upto)
    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL portal.audit_retention = 'on'")
        events.delete()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL portal.audit_retention = 'off'")
        archive = AuditArchive.objects.create(
            before=before,
            first_seq=first,
            last_seq=upto,
            last_hash=last_hash,
            events=count,
            path=stored_path(path),
            sha256=sha256,
        )
        record(
            actor=None,
            action=AuditAction.ARCHIVE,
            target=archive,
            details={"first_seq": first, "last_seq": upto, "events": count},
        )
    except BaseException:
        _remove_export(path)
        raise
    return archive


def _remove_export(path: Path | str) -> None:
    if isinstance(path, str):
        for name in (path, path + ".sig"):
            with contextlib.suppress(stores.Unreachable, stores.NotFound):
                stores.delete(stores.AUDIT_ARCHIVE, name)
        return
    for leftover in (path, _signature_of(path)):
        with contextlib.suppress(OSError):
            leftover.unlink(missing_ok=True)


def _export(events, directory: Path | None, first: int, last: int):
    """Write the events and the .sig file: into the audit archive store
    (directory None) or the folder given; on any failure leave no file behind.
    Returns (a path, or the name in the store), sha256, count, last hash."""
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
    name = f"audit-{first}-{last}-{stamp}.jsonl"
    if directory is None:
        return _export_to_store(events, name)
    path = Path(directory).absolute() / name
    try:
        Path(directory).mkdir(parents=True, exist_ok=True)
        with path.open("wb") as out:
            digest, count, last_hash = _write_events(events, out)
        sig = _signature(name, digest, count)
        with _signature_of(path).open("w", encoding="utf-8") as out:
            out.write(sig.decode())
            out.flush()
            os.fsync(out.fileno())
    except OSError as error:
        _remove_export(path)
        raise ArchiveFailed(str(error)) from error
    return path, digest, count, last_hash


def _export_to_store(events, name: str):
    """Through a private temporary file, then into the store: the file is
    whole before the store has its name."""
    written = False
    try:
        with tempfile.TemporaryFile() as out:
            digest, count, last_hash = _write_events(events, out)
            out.seek(0)
            stores.write_new(stores.AUDIT_ARCHIVE, name, out)
            written = True
        stores.write_new(
            stores.AUDIT_ARCHIVE, name + ".sig", _signature(name, digest, count)
        )
    except (OSError, stores.Unreachable) as error:
        if written:
            _remove_export(name)
        raise ArchiveFailed(str(error)) from error
    return name, digest, count, last_hash


def _write_events(events, out) -> tuple[str, int, str]:
    digest = hashlib.sha256()
    count, last_hash = 0, ""
    for event in events.iterator(chunk_size=2000):
        line = json.loads(chain.canonical(event))
        line |= {"prev_hash": event.prev_hash, "entry_hash": event.entry_hash}
        data = json.dumps(line, sort_keys=True, ensure_ascii=False).encode()
        out.write(data + b"\n")
        digest.update(data + b"\n")
        count += 1
        last_hash = event.entry_hash
    out.flush()
    os.fsync(out.fileno())
    return digest.hexdigest(), count, last_hash


def _signature(name: str, sha256: str, count: int) -> bytes:
    message = f"school-portal audit archive|{name}|{sha256}"
    sig = {
        "file": name,
        "sha256": sha256,
        "events": count,
        "message": message,
        "signature": signing.sign(message.encode()),
        "public_key": signing.public_key_text(),
    }
    return (json.dumps(sig, indent=2) + "\n").encode()


def default_retention_cutoff() -> datetime:
    return timezone.now() - timedelta(days=settings.PORTAL_AUDIT_RETENTION_DAYS)


def _lock_the_chain() -> None:
    # On SQLite every write transaction already holds the database's one write
    # lock (transaction_mode IMMEDIATE), which serializes appends by itself.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(LOCK_THE_CHAIN)


def _locked_head() -> tuple[int, str]:
    """The chain's last (seq, entry_hash), read under the append lock."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One round trip for both. Under READ COMMITTED each statement of
            # the string takes its own snapshot, so the SELECT runs after the
            # lock is granted and sees the head the previous holder committed.
            # No parameters: two statements go as one simple query.
            cursor.execute(f"{LOCK_THE_CHAIN}; {LAST_LINK}")
        else:
            cursor.execute(LAST_LINK)  # SQLite: see _lock_the_chain
        return cursor.fetchone() or (0, chain.GENESIS)


# Every column but the id, in the model's order; the INSERT is written once,
# from the model's own column names (hence the noqa).
_COLUMNS = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
_INSERT = "INSERT INTO audit_auditevent ({}) VALUES ({}) RETURNING id".format(  # noqa: S608
    ", ".join(f.column for f in _COLUMNS), ", ".join(["%s"] * len(_COLUMNS))
)


def _insert(event: AuditEvent) -> None:
    """event.save(force_insert=True), without the ORM's work per call.

    Each value is prepared by its field exactly as save() would; only the
    building of the SQL is skipped. No receiver listens to AuditEvent's
    pre_save or post_save: nothing else may hook into an append.
    """
    params = [
        f.get_db_prep_save(f.pre_save(event, add=True), connection) for f in _COLUMNS
    ]
    with connection.cursor() as cursor:
        cursor.execute(_INSERT, params)
        event.pk = cursor.fetchone()[0]
    event._state.adding = False
    event._state.db = connection.alias


def _roles(actor: User | None) -> list[str]:
    if actor is None or not actor.pk:
        return []
    from accounts import selectors

    return [role.value for role in selectors.roles_of(user=actor)]


def _masked(details):
    """Every value under a secret-sounding key, at any depth, is MASK."""
    if isinstance(details, list):
        return [_masked(item) for item in details]
    if not isinstance(details, dict):
        return details
    return {
        key: MASK
        if any(word in key.lower() for word in SECRET_WORDS)
        else _masked(value)
        for key, value in details.items()
    }
