"""Writes to the document registry: each one checks permission, changes the data
and records the audit event in one transaction.

A business refusal ("this document is held by someone else") is a
ValidationError whose message is shown to the person; a permission refusal
is accounts.access.Forbidden (403) or NotVisible (404).
"""

import ipaddress
import logging
from dataclasses import dataclass
from datetime import date, datetime, time

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Max, Model
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from accounts import access
from accounts.models import User
from audit.models import AuditAction, AuditOutcome
from audit.services import record
from documents import selectors, stamp, storage
from documents.models import (
    SUMMARY_MAX_LENGTH,
    Attachment,
    Case,
    Copy,
    CopyFate,
    CopyMedium,
    Correction,
    Custody,
    Document,
    DocumentClass,
    DocumentStatus,
    Grif,
    Journal,
    JournalKind,
    StoragePlace,
    YearCounter,
)

logger = logging.getLogger(__name__)

# Fields a correction may change. Number, journal, year and date never change.
CORRECTABLE = (
    "document_class",
    "summary",
    "correspondent",
    "their_number",
    "their_date",
    "sheets",
    "copies",
    "executor",
    "due_on",
    "case",
    "grif",
    "storage_place",
)


class OutsideSchoolNetwork(PermissionDenied):
    """An official-use file was asked for from outside the school's networks."""


class DamagedFile(Exception):
    """A stored file failed its checks; the attempt has been recorded."""


class FileUnavailable(Exception):
    """The file can't be given out now, and nobody altered it: it is missing
    from the store, the store can't be read, or its key is not configured.
    Not a denial: nothing is recorded as refused; healthcheck names the cause."""


@dataclass(frozen=True)
class Upload:
    """An uploaded file that passed the checks: its safe name, type and bytes."""

    name: str
    content_type: str
    data: bytes
    # check_upload judged it already; one made another way (a command, an
    # import, a seed) is judged when it is stored.
    checked: bool = False


UNSTAMPABLE = gettext_lazy(
    "This PDF can't be read: it is damaged or locked with a password, so its "
    "copies could not be stamped. Save it as a PDF again (for example, print it "
    "to PDF) and attach it once more."
)


def check_upload(uploaded) -> Upload:
    """Size, then the content (type, and nothing in it that would run or
    overload whoever opens it: storage.check_content), then the name;
    storage.FileRefused says what is wrong."""
    limit = settings.PORTAL_ATTACHMENT_MAX_BYTES
    if uploaded.size > limit:
        raise storage.FileRefused(
            _("The file is too large: at most %(mb)s MB.")
            % {"mb": round(limit / 1024 / 1024, 1)}
        )
    if uploaded.size == 0:
        raise storage.FileRefused(_("The file is empty."))
    data = b"".join(uploaded.chunks())
    kind = _judge(data, name=uploaded.name or "")
    name = storage.clean_name(uploaded.name or "", extension=kind.extension)
    return Upload(name=name, content_type=kind.content_type, data=data, checked=True)


def _judge(data: bytes, *, name: str) -> storage.Kind:
    """The content's type, and nothing in it that would run or overload whoever
    opens it (storage.check_content); a PDF must also take the stamp. Every
    PDF, not only an official-use one: a document can be marked for official
    use later, and from then on its files go out only stamped. The trial copy
    is bounded like every copy (pdf_safety: pages, bytes unpacked, seconds)."""
    kind = storage.check_content(data, name=name)
    if kind.content_type == "application/pdf" and not stamp.stampable(data):
        raise storage.FileRefused(UNSTAMPABLE)
    return kind


def _details(document: Document, **extra) -> dict:
    return {
        "number": document.number,
        "journal": document.journal_id,
        "year": document.year,
        "official_use": document.is_official_use,
        **extra,
    }


def _locked(document: Document) -> Document:
    return Document.objects.select_for_update().get(pk=document.pk)


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Model):
        return f"{value} (#{value.pk})"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _check_grif(*, grif: str, storage_place: StoragePlace | None) -> None:
    if grif == Grif.OFFICIAL_USE and storage_place is None:
        raise ValidationError(
            {
                "storage_place": _(
                    "A document for official use needs its storage place "
                    "(room and cabinet)."
                )
            }
        )


def format_number(journal: Journal, *, seq: int, case: Case | None, year: int) -> str:
    if "{case}" in journal.number_format and case is None:
        raise ValidationError(
            {"case": _("This journal's numbers include the case: choose one.")}
        )
    return journal.number_format.format_map(
        {"seq": seq, "case": case.index if case else "", "year": year}
    )


# Takes the journal-year's next number and locks the counter's row until the
# transaction ends, in one statement (a select_for_update and a save would be
# two round trips, both while holding the lock that all registrations in the
# journal wait for).
TAKE_NUMBER = (
    "UPDATE documents_yearcounter SET last = last + 1 "
    "WHERE journal_id = %s AND year = %s RETURNING last"
)


def _take_number(*, journal: Journal, year: int) -> int:
    """The journal's next number in the year.

    The counter's row is the lock: registrations in one journal and year take
    their numbers one after another, so there is no duplicate and no gap.
    """
    with connection.cursor() as cursor:
        cursor.execute(TAKE_NUMBER, [journal.pk, year])
        taken = cursor.fetchone()
        if taken is None:
            # The year's first number: the journal's row serializes creating
            # the counter. NO KEY, so documents being filed in the journal
            # meanwhile (their foreign-key checks take KEY SHARE) go on.
            Journal.objects.select_for_update(no_key=True).get(pk=journal.pk)
            YearCounter.objects.get_or_create(journal=journal, year=year)
            cursor.execute(TAKE_NUMBER, [journal.pk, year])
            taken = cursor.fetchone()
    return taken[0]


TOO_LONG = ngettext_lazy(
    "Too long: at most %(limit_value)d character (now %(show_value)d).",
    "Too long: at most %(limit_value)d characters (now %(show_value)d).",
    "limit_value",
)
# The longest text each field of registration and correction takes.
TEXT_LIMITS = {
    "summary": SUMMARY_MAX_LENGTH,
    "correspondent": Document._meta.get_field("correspondent").max_length,
    "their_number": Document._meta.get_field("their_number").max_length,
    "reason": 500,
}


def _check_values(values: dict, *, registered_on: date) -> None:
    """The rules of a document's fields, for registration and correction alike,
    each refusal keyed by its field so the form shows it next to the field."""
    errors = {}
    for name, limit in TEXT_LIMITS.items():
        text = values.get(name)
        if text is not None and len(text) > limit:
            errors[name] = ValidationError(
                TOO_LONG,
                code="max_length",
                params={"limit_value": limit, "show_value": len(text)},
            )
    their_date, due_on = values.get("their_date"), values.get("due_on")
    if their_date is not None and their_date > timezone.localdate():
        errors["their_date"] = _("Their date can't be in the future.")
    if due_on is not None and due_on < registered_on:
        errors["due_on"] = _(
            "The deadline can't be before the registration date, %(date)s."
        ) % {"date": date_format(registered_on, "SHORT_DATE_FORMAT")}
    if errors:
        raise ValidationError(errors)


@storage.removed_unless_committed
@access.protected
def register_document(
    *,
    actor: User,
    journal: Journal,
    document_class: DocumentClass,
    summary: str,
    correspondent: str = "",
    their_number: str = "",
    their_date: date | None = None,
    sheets: int = 1,
    copies: int = 1,
    executor: User | None = None,
    due_on: date | None = None,
    case: Case | None = None,
    grif: str = Grif.OPEN,
    storage_place: StoragePlace | None = None,
    uploads: list[Upload] = (),
    registered_on: date | None = None,
) -> Document:
    """Take the journal's next number of the year and register the document."""
    access.require(actor, "documents.register_in_journal", journal)
    if grif == Grif.OFFICIAL_USE and not access.is_cleared(actor):
        raise access.Forbidden("documents.register_in_journal", journal)
    if not journal.is_active:
        raise ValidationError({"journal": _("This journal is closed.")})
    _check_grif(grif=grif, storage_place=storage_place)
    today = timezone.localdate()
    registered_on = registered_on or today
    if registered_on > today:
        raise ValidationError(_("A document can't be registered in the future."))
    _check_values(
        {
            "summary": summary,
            "correspondent": correspondent,
            "their_number": their_number,
            "their_date": their_date,
            "due_on": due_on,
        },
        registered_on=registered_on,
    )
    year = registered_on.year
    # Everything that does not need the number is ready before it is taken:
    # from then on, every registration in the journal waits for this commit.
    document = Document(
        journal=journal,
        year=year,
        registered_on=registered_on,
        registered_by=actor,
        document_class=document_class,
        summary=summary,
        correspondent=correspondent,
        their_number=their_number,
        their_date=their_date,
        sheets=sheets,
        copies=copies,
        executor=executor,
        due_on=due_on,
        case=case,
        grif=grif,
        storage_place=storage_place,
    )
    document.fold()
    document.seq = _take_number(journal=journal, year=year)
    document.number = format_number(journal, seq=document.seq, case=case, year=year)
    document.save(force_insert=True)
    record(
        actor=actor,
        action=AuditAction.REGISTER,
        target=document,
        details=_details(document, registered_on=registered_on.isoformat()),
    )
    for upload in uploads:
        store_attachment(actor=actor, document=document, upload=upload)
    return document


@access.protected
def correct_document(
    *, actor: User, document: Document, changes: dict, reason: str
) -> list[Correction]:
    """Change fields, keeping each old value, new value and the reason."""
    document = _locked(document)
    access.require(actor, "documents.change_document", document)
    if not document.is_registered:
        raise ValidationError(_("An annulled document can't be corrected."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the document is corrected.")})
    unknown = set(changes) - set(CORRECTABLE)
    if unknown:
        raise ValueError(f"not correctable: {sorted(unknown)}")
    # Only what changes is checked: a correction of the summary is not refused
    # for a deadline an older version of the rules let in.
    _check_values(
        {
            "reason": reason,
            **{
                field: new
                for field, new in changes.items()
                if getattr(document, field) != new
            },
        },
        registered_on=document.registered_on,
    )
    corrections = []
    for field, new in changes.items():
        old = getattr(document, field)
        if old == new:
            continue
        corrections.append(
            Correction(
                document=document,
                field=field,
                old_value=_shown(old),
                new_value=_shown(new),
                reason=reason.strip(),
                made_by=actor,
            )
        )
        setattr(document, field, new)
    if not corrections:
        raise ValidationError(_("Nothing was changed."))
    _check_grif(grif=document.grif, storage_place=document.storage_place)
    # Marking a document for official use needs the same clearance as reading it.
    access.require(actor, "documents.change_document", document)
    document.fold()
    document.save(
        update_fields=[c.field for c in corrections]
        + ["summary_folded", "correspondent_folded"]
    )
    Correction.objects.bulk_create(corrections)
    record(
        actor=actor,
        action=AuditAction.CORRECT,
        target=document,
        details=_details(
            document,
            reason=reason.strip(),
            old={c.field: c.old_value for c in corrections},
            new={c.field: c.new_value for c in corrections},
        ),
    )
    return corrections


@access.protected
def annul_document(*, actor: User, document: Document, reason: str) -> Document:
    """A mistaken registration stays in the journal, marked annulled."""
    document = _locked(document)
    access.require(actor, "documents.annul_document", document)
    if not document.is_registered:
        raise ValidationError(_("This document is already annulled."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the registration is annulled.")})
    if Custody.objects.filter(document=document, returned_at__isnull=True).exists():
        raise ValidationError(_("Take the document back before annulling it."))
    document.status = DocumentStatus.ANNULLED
    document.annul_reason = reason.strip()
    document.annulled_at = timezone.now()
    document.annulled_by = actor
    document.save(
        update_fields=["status", "annul_reason", "annulled_at", "annulled_by"]
    )
    record(
        actor=actor,
        action=AuditAction.ANNUL,
        target=document,
        details=_details(
            document,
            reason=document.annul_reason,
            old={"status": DocumentStatus.REGISTERED.value},
            new={"status": document.status},
        ),
    )
    return document


def store_attachment(*, actor: User, document: Document, upload: Upload) -> Attachment:
    """Write the file, its row and the ATTACH event, for a service that has
    already checked the actor's access and is @storage.removed_unless_committed
    (add_attachment here, execution's report with a file).

    An Upload that check_upload did not make (a command, an import, a seed) is
    judged here the same way, so no path stores what the form would refuse.
    """
    if not upload.checked:
        try:
            _judge(upload.data, name=upload.name)
        except storage.FileRefused as error:
            raise ValidationError({"files": f"{upload.name}: {error}"}) from None
    try:
        stored = storage.store(upload.data)
    except storage.Unavailable as error:
        raise ValidationError(
            {
                "files": _(
                    "The files could not be saved: the file store can't be "
                    "written (%(problem)s). Nothing was saved. Tell the "
                    "administrator and try again later."
                )
                % {"problem": error}
            }
        ) from error
    attachment = Attachment.objects.create(
        document=document,
        name=upload.name,
        content_type=upload.content_type,
        size=stored.size,
        sha256=stored.sha256,
        wrapped_key=stored.wrapped_key,
        stored_name=stored.stored_name,
        added_by=actor,
    )
    record(
        actor=actor,
        action=AuditAction.ATTACH,
        target=attachment,
        details=_details(
            document, file=upload.name, size=stored.size, sha256=stored.sha256
        ),
    )
    return attachment


@storage.removed_unless_committed
@access.protected
def add_attachment(*, actor: User, document: Document, upload: Upload) -> Attachment:
    document = _locked(document)
    access.require(actor, "documents.change_document", document)
    if not document.is_registered:
        raise ValidationError(_("Files can't be added to an annulled document."))
    return store_attachment(actor=actor, document=document, upload=upload)


@access.protected
def shred_attachment(*, actor: User, attachment: Attachment, reason: str) -> Attachment:
    """Destroy the file's key: the stored bytes can never be decrypted again."""
    access.require(actor, "documents.destroy_document", attachment.document)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the file is destroyed.")})
    attachment.wrapped_key = ""
    attachment.shredded_at = timezone.now()
    attachment.save(update_fields=["wrapped_key", "shredded_at"])
    record(
        actor=actor,
        action=AuditAction.DESTROY,
        target=attachment,
        details=_details(attachment.document, file=attachment.name, reason=reason),
    )
    return attachment


@access.protected
def record_document_view(*, actor: User, document: Document) -> None:
    """Regulation 1.5: every opening of a document page is in the trail."""
    access.require_visible(actor, "documents.view_document", document)
    record(
        actor=actor,
        action=AuditAction.VIEW,
        target=document,
        details=_details(document),
    )


def in_school_network(address: str | None) -> bool:
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in settings.PORTAL_SCHOOL_NETWORKS)


def _refuse(*, actor: User, attachment: Attachment, reason: str, address) -> None:
    # Committed on its own: the caller's refusal must not roll the record back.
    with transaction.atomic():
        record(
            actor=actor,
            action=AuditAction.DENIED,
            outcome=AuditOutcome.DENIED,
            target=attachment,
            details=_details(
                attachment.document,
                file=attachment.name,
                refused=reason,
                address=address,
            ),
        )


def _decrypted(*, actor: User, attachment: Attachment, address) -> bytes:
    try:
        return storage.read(
            stored_name=attachment.stored_name,
            wrapped_key=attachment.wrapped_key,
            sha256=attachment.sha256,
        )
    except storage.Shredded as error:
        _refuse(actor=actor, attachment=attachment, reason="shredded", address=address)
        raise DamagedFile(_("This file was destroyed.")) from error
    except storage.Damaged as error:
        _refuse(actor=actor, attachment=attachment, reason="damaged", address=address)
        raise DamagedFile(
            _(
                "The stored file does not match its checksum: it was changed or "
                "damaged. The records officer and the security officer can see "
                "this attempt in the audit trail."
            )
        ) from error
    except storage.Missing as error:
        logger.error("attachment %s: file missing from the store", attachment.pk)
        raise FileUnavailable(
            _(
                "This file is missing from the file store; the document's "
                "records are intact. The administrator can bring the file back "
                "from the latest backup: manage.py restore BACKUP --missing-files."
            )
        ) from error
    except storage.KeyNotConfigured as error:
        logger.error("attachment %s: no configured key opens it", attachment.pk)
        raise FileUnavailable(
            _(
                "This file's key can't be opened with the configured keys. "
                "Tell the administrator: manage.py healthcheck names the key "
                "that is missing."
            )
        ) from error
    except storage.Unavailable as error:
        logger.error("attachment %s: file store unreadable: %s", attachment.pk, error)
        raise FileUnavailable(
            _(
                "The file store can't be read just now (%(problem)s). Try again "
                "later; if it stays so, tell the administrator."
            )
            % {"problem": error}
        ) from error


@access.records_refusals
def read_attachment(
    *, actor: User, attachment: Attachment, address: str | None
) -> bytes:
    """The file of an open document, for a person who may see the document.

    Not one transaction: a damaged file's refusal is recorded and kept.
    """
    access.require_visible(actor, "documents.view_document", attachment)
    if attachment.document.is_official_use:
        raise ValueError("official-use files are given out only as copies")
    data = _decrypted(actor=actor, attachment=attachment, address=address)
    with transaction.atomic():
        record(
            actor=actor,
            action=AuditAction.DOWNLOAD,
            target=attachment,
            details=_details(attachment.document, file=attachment.name),
        )
    return data


def _next_copy_number(document: Document) -> int:
    last = Copy.objects.filter(document=document).aggregate(n=Max("last_number"))["n"]
    return (last or 0) + 1


@access.records_refusals
def copy_attachment(
    *, actor: User, attachment: Attachment, purpose: str, address: str | None
) -> tuple[Copy, bytes]:
    """A download of an official-use file: a numbered copy in the copy log, a PDF
    stamped on every page. Only from the school's networks (4.2.5)."""
    document = attachment.document
    access.require_visible(actor, "documents.view_document", attachment)
    if not purpose.strip():
        raise ValidationError({"purpose": _("Say what the copy is for.")})
    if not in_school_network(address):
        _refuse(
            actor=actor, attachment=attachment, reason="outside_school", address=address
        )
        raise OutsideSchoolNetwork(
            _(
                "Files of documents for official use open only inside the school's "
                "network. This attempt has been recorded."
            )
        )
    data = _decrypted(actor=actor, attachment=attachment, address=address)
    with transaction.atomic():
        document = _locked(document)
        number = _next_copy_number(document)
        made_at = timezone.now()
        if attachment.is_pdf:
            lines = stamp.copy_lines(
                copy_number=number,
                document_number=document.number,
                person=actor,
                at=made_at,
            )
            try:
                # A new file of the pages alone: no scripts, actions or
                # attached files of the stored one come with it.
                data = stamp.stamp_pdf(data, lines)
            except stamp.NotAPdf as error:
                logger.warning(
                    "attachment %s: no stamped copy: %s", attachment.pk, error
                )
                raise DamagedFile(
                    _("This PDF can't be read, so it can't be stamped.")
                ) from error
        copy = Copy.objects.create(
            document=document,
            attachment=attachment,
            made_by=actor,
            made_at=made_at,
            purpose=purpose.strip(),
            count=1,
            first_number=number,
            last_number=number,
            medium=CopyMedium.DIGITAL,
            stamped=attachment.is_pdf,
        )
        record(
            actor=actor,
            action=AuditAction.COPY,
            target=document,
            details=_details(
                document,
                file=attachment.name,
                copy_number=number,
                purpose=copy.purpose,
                stamped=copy.stamped,
                address=address,
            ),
        )
    return copy, data


@access.protected
def log_paper_copy(
    *, actor: User, document: Document, purpose: str, count: int
) -> Copy:
    document = _locked(document)
    access.require(actor, "documents.add_copy", document)
    if not document.is_registered:
        raise ValidationError(_("An annulled document is not copied."))
    if not purpose.strip():
        raise ValidationError({"purpose": _("Say what the copy is for.")})
    if count < 1:
        raise ValidationError({"count": _("At least one copy.")})
    first = _next_copy_number(document)
    copy = Copy.objects.create(
        document=document,
        made_by=actor,
        purpose=purpose.strip(),
        count=count,
        first_number=first,
        last_number=first + count - 1,
        medium=CopyMedium.PAPER,
    )
    record(
        actor=actor,
        action=AuditAction.COPY,
        target=document,
        details=_details(
            document, copy_numbers=copy.copy_numbers, purpose=copy.purpose, paper=True
        ),
    )
    return copy


@access.protected
def set_copy_fate(*, actor: User, copy: Copy, fate: str) -> Copy:
    copy = Copy.objects.select_for_update().select_related("document").get(pk=copy.pk)
    access.require(actor, "documents.change_copy", copy.document)
    if fate not in (CopyFate.RETURNED, CopyFate.DESTROYED):
        raise ValidationError({"fate": _("Choose returned or destroyed.")})
    if copy.fate != CopyFate.KEPT:
        raise ValidationError(_("This copy's fate is already recorded."))
    copy.fate = fate
    copy.fate_at = timezone.now()
    copy.fate_by = actor
    copy.save(update_fields=["fate", "fate_at", "fate_by"])
    record(
        actor=actor,
        action=AuditAction.COPY_FATE,
        target=copy.document,
        details=_details(
            copy.document,
            copy_numbers=copy.copy_numbers,
            old={"fate": CopyFate.KEPT.value},
            new={"fate": fate},
        ),
    )
    return copy


def school_day_end(moment: datetime) -> datetime:
    """The end of the school day (PORTAL_SCHOOL_DAY_END) of moment's local date."""
    hours, minutes = (int(part) for part in settings.PORTAL_SCHOOL_DAY_END.split(":"))
    local = timezone.localtime(moment)
    return timezone.make_aware(datetime.combine(local.date(), time(hours, minutes)))


def holds_overdue_official_use(person: User) -> bool:
    return Custody.objects.filter(
        holder=person,
        returned_at__isnull=True,
        due_at__lt=timezone.now(),
        document__grif=Grif.OFFICIAL_USE,
    ).exists()


@access.protected
def issue_document(
    *, actor: User, document: Document, to: User, due_at: datetime | None = None
) -> Custody:
    """Regulation 4.2.1, 4.2.4: only the records officer hands a document out."""
    document = _locked(document)
    access.require(actor, "documents.issue_document", document)
    if not document.is_registered:
        raise ValidationError(_("An annulled document can't be issued."))
    holder = (
        Custody.objects.filter(document=document, returned_at__isnull=True)
        .select_related("holder")
        .first()
    )
    if holder is not None:
        raise ValidationError(
            _("This document is held by %(person)s: take it back first.")
            % {"person": holder.holder}
        )
    if not access.can(to, "documents.receive_document"):
        raise ValidationError({"to": _("This person can't receive documents.")})
    if holds_overdue_official_use(to):
        raise ValidationError(
            {
                "to": _(
                    "This person holds an overdue document for official use and "
                    "can't receive another until it is returned."
                )
            }
        )
    now = timezone.now()
    if document.is_official_use:
        if not access.is_cleared(to):
            raise ValidationError(
                {
                    "to": _(
                        "This person has not completed onboarding and can't receive "
                        "documents for official use."
                    )
                }
            )
        due_at = school_day_end(now)
        if due_at <= now:
            raise ValidationError(
                _(
                    "The school day is over: documents for official use are issued "
                    "only when they can come back the same day."
                )
            )
    elif due_at is not None and due_at <= now:
        raise ValidationError({"due_at": _("The return time must be in the future.")})
    custody = Custody.objects.create(
        document=document, holder=to, issued_by=actor, issued_at=now, due_at=due_at
    )
    record(
        actor=actor,
        action=AuditAction.ISSUE,
        target=document,
        details=_details(
            document,
            to=to.pk,
            to_username=to.username,
            due=due_at.isoformat() if due_at else None,
        ),
    )
    return custody


def _locked_custody(custody: Custody) -> Custody:
    return (
        Custody.objects.select_for_update()
        .select_related("document", "holder")
        .get(pk=custody.pk)
    )


@access.protected
def sign_for_document(*, actor: User, custody: Custody, password: str) -> Custody:
    """The receiver's signature: they re-enter their own password."""
    custody = _locked_custody(custody)
    access.require_visible(actor, "documents.receive_document", custody)
    if custody.received_at is not None or custody.returned_at is not None:
        raise ValidationError(_("You have already signed for this document."))
    if not actor.check_password(password):
        raise ValidationError({"password": _("This is not your password. Try again.")})
    custody.received_at = timezone.now()
    custody.save(update_fields=["received_at"])
    record(
        actor=actor,
        action=AuditAction.SIGN_FOR,
        target=custody.document,
        details=_details(custody.document, custody=custody.pk),
    )
    return custody


@access.protected
def hand_back(*, actor: User, custody: Custody) -> Custody:
    """The holder says they gave the document back; the records officer confirms."""
    custody = _locked_custody(custody)
    access.require_visible(actor, "documents.receive_document", custody)
    if custody.returned_at is not None or custody.handed_back_at is not None:
        raise ValidationError(_("This document is already handed back."))
    if custody.received_at is None:
        raise ValidationError(_("Sign for the document first."))
    custody.handed_back_at = timezone.now()
    custody.save(update_fields=["handed_back_at"])
    record(
        actor=actor,
        action=AuditAction.HAND_BACK,
        target=custody.document,
        details=_details(custody.document, custody=custody.pk),
    )
    return custody


@access.protected
def confirm_return(*, actor: User, custody: Custody) -> Custody:
    """The records officer has the document back in the office."""
    custody = _locked_custody(custody)
    access.require(actor, "documents.issue_document", custody)
    if custody.returned_at is not None:
        raise ValidationError(_("This return is already confirmed."))
    custody.returned_at = timezone.now()
    custody.return_confirmed_by = actor
    custody.save(update_fields=["returned_at", "return_confirmed_by"])
    record(
        actor=actor,
        action=AuditAction.CONFIRM_RETURN,
        target=custody.document,
        details=_details(
            custody.document,
            custody=custody.pk,
            holder=custody.holder_id,
            late=bool(custody.due_at and custody.due_at < custody.returned_at),
        ),
    )
    return custody


@access.protected
def add_journal(
    *,
    actor: User,
    kind: str,
    name: str = "",
    number_format: str = "{seq}",
    code: str = "",
) -> Journal:
    access.require(actor, "documents.manage_journals")
    try:
        number_format.format_map({"seq": 1, "case": "01-01", "year": 2000})
    except (KeyError, ValueError, IndexError) as error:
        raise ValidationError(
            {"number_format": _("Use only {seq}, {case} and {year}.")}
        ) from error
    if "{seq}" not in number_format:
        raise ValidationError({"number_format": _("The format must contain {seq}.")})
    name = name.strip()
    if kind == JournalKind.OTHER and not name:
        raise ValidationError({"name": _("Name the journal, e.g. staff orders.")})
    if Journal.objects.filter(kind=kind, name__iexact=name).exists():
        raise ValidationError({"name": _("This journal already exists.")})
    code = code.strip()
    # Compared in Python: SQLite folds only Latin letters.
    taken = Journal.objects.exclude(code="").values_list("code", flat=True)
    if code and code.casefold() in {other.casefold() for other in taken}:
        raise ValidationError({"code": _("Another journal has this code.")})
    journal = Journal(
        kind=kind,
        name=name,
        code=code,
        number_format=number_format,
        position=_next_position(Journal),
    )
    journal.full_clean()
    journal.save()
    record(
        actor=actor,
        action=AuditAction.JOURNAL_OPEN,
        target=journal,
        details={
            "kind": kind,
            "name": name,
            "code": code,
            "number_format": number_format,
        },
    )
    return journal


def _next_position(model) -> int:
    return (model.objects.aggregate(n=Max("position"))["n"] or 0) + 1


@access.protected
def add_document_class(*, actor: User, code: str, name: str) -> DocumentClass:
    """A class of documents beyond the built-in ones (letter, order, ...)."""
    access.require(actor, "documents.manage_journals")
    code, name = code.strip().lower(), name.strip()
    if not name:
        raise ValidationError({"name": _("Name the document kind.")})
    if DocumentClass.objects.filter(code=code).exists():
        raise ValidationError(
            {"code": _("A document kind with this code already exists.")}
        )
    if DocumentClass.objects.filter(name__iexact=name).exists():
        raise ValidationError(
            {"name": _("A document kind with this name already exists.")}
        )
    document_class = DocumentClass(
        code=code, name=name, position=_next_position(DocumentClass)
    )
    document_class.full_clean()
    document_class.save()
    record(
        actor=actor,
        action=AuditAction.LIST_ADD,
        target=document_class,
        details={"code": code, "name": name},
    )
    return document_class


@access.protected
def add_case(
    *, actor: User, index: str, title: str, retention_years: int | None = None
) -> Case:
    """An entry of the school's list of cases; no retention period: permanent."""
    access.require(actor, "documents.manage_journals")
    index, title = index.strip(), title.strip()
    if retention_years is not None and not 1 <= retention_years <= 100:
        raise ValidationError(
            {"retention_years": _("Keep for 1 to 100 years, or leave empty.")}
        )
    if Case.objects.filter(index__iexact=index).exists():
        raise ValidationError({"index": _("A case with this index already exists.")})
    case = Case(index=index, title=title, retention_years=retention_years)
    case.full_clean()
    case.save()
    record(
        actor=actor,
        action=AuditAction.LIST_ADD,
        target=case,
        details={"index": index, "title": title, "retention_years": retention_years},
    )
    return case


@access.protected
def add_storage_place(*, actor: User, room: str, cabinet: str) -> StoragePlace:
    """A cabinet where documents for official use are kept."""
    access.require(actor, "documents.manage_journals")
    room, cabinet = room.strip(), cabinet.strip()
    if StoragePlace.objects.filter(room__iexact=room, cabinet__iexact=cabinet).exists():
        raise ValidationError(_("This storage place already exists."))
    place = StoragePlace(room=room, cabinet=cabinet)
    place.full_clean()
    place.save()
    record(
        actor=actor,
        action=AuditAction.LIST_ADD,
        target=place,
        details={"room": room, "cabinet": cabinet},
    )
    return place


@access.protected
def remove_orphan_files(*, actor: User | None) -> list[str]:
    """Remove the stored files that no attachment names (actor None: the timer).

    Such a file was written for a transaction that never committed, so its
    wrapped key was never kept: nobody can ever read it.
    """
    if actor is not None:
        access.require(actor, "office.view_system_health")
    removed = selectors.orphan_files()
    for stored_name in removed:
        storage.remove(stored_name)
    if removed:
        record(
            actor=actor,
            action=AuditAction.FILES_SWEEP,
            target_label="orphan attachment files",
            details={"files": len(removed), "names": removed[:50]},
        )
    return removed
