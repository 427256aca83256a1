"""Acts of the records office (regulation 4.1): destruction of documents whose
retention ended.

The records officer drafts the act with its commission; each member confirms
it by re-entering their password; the principal approves it, and in the same
transaction the documents are marked destroyed and their files crypto-shredded.
Every step is recorded in the audit trail.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import F, Max, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import access
from accounts.models import AppointedRole, Appointment, User
from accounts.services import appoint
from audit.models import AuditAction
from audit.services import record
from documents.models import (
    ActStatus,
    Attachment,
    CommissionMember,
    Copy,
    CopyFate,
    Custody,
    DestructionAct,
    DestructionActItem,
    Document,
    DocumentStatus,
    HandOverAct,
)

MIN_COMMISSION = 3


def destroyable_from(document: Document) -> int | None:
    """The first year in which the document may be destroyed: 1 January after
    its retention ends. None: kept permanently (or no case)."""
    if document.case is None or document.case.retention_years is None:
        return None
    return document.year + document.case.retention_years + 1


def refusal(document: Document, *, today: date | None = None) -> str | None:
    """Why the document can't go on a destruction act, or None."""
    today = today or timezone.localdate()
    if document.status == DocumentStatus.DESTROYED:
        return _("%(document)s is already destroyed.") % {"document": document}
    first_year = destroyable_from(document)
    if first_year is None or first_year > today.year:
        return _("The retention of %(document)s has not ended.") % {
            "document": document
        }
    if Custody.objects.filter(document=document, returned_at__isnull=True).exists():
        return _("%(document)s is in someone's custody: take it back first.") % {
            "document": document
        }
    return None


def eligible_documents(*, today: date | None = None) -> QuerySet[Document]:
    """Documents whose retention ended, not destroyed and not held by anyone."""
    today = today or timezone.localdate()
    held = Custody.objects.filter(returned_at__isnull=True).values("document")
    return (
        Document.objects.exclude(status=DocumentStatus.DESTROYED)
        .exclude(pk__in=held)
        .annotate(first_year=F("year") + F("case__retention_years") + 1)
        .filter(first_year__lte=today.year)
        .select_related("journal", "case")
        .order_by("journal", "year", "seq")
    )


def commission_candidates() -> QuerySet[User]:
    """Staff who may sit on a commission: people who may hold documents."""
    return (
        User.objects.filter(
            is_active=True,
            groups__permissions__content_type__app_label="documents",
            groups__permissions__codename="receive_document",
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def _act_details(act: DestructionAct, **extra) -> dict:
    return {"number": act.number, "status": act.status, **extra}


@access.protected
def draft_destruction_act(
    *, actor: User, documents: list[Document], members: list[User]
) -> DestructionAct:
    access.require(actor, "documents.add_destructionact")
    if not documents:
        raise ValidationError({"documents": _("Choose the documents to destroy.")})
    members = list({m.pk: m for m in members}.values())
    if len(members) < MIN_COMMISSION:
        raise ValidationError(
            {"members": _("The commission needs at least three members.")}
        )
    allowed = set(commission_candidates().values_list("pk", flat=True))
    if any(m.pk not in allowed for m in members):
        raise ValidationError(
            {"members": _("Only active staff can sit on the commission.")}
        )
    locked = list(
        Document.objects.select_for_update(of=("self",))
        .filter(pk__in=[d.pk for d in documents])
        .select_related("journal", "case")
    )
    seen = set(
        access.visible(actor, "documents.view_document", Document.objects.all())
        .filter(pk__in=[d.pk for d in locked])
        .values_list("pk", flat=True)
    )
    for document in locked:
        if document.pk not in seen:
            raise access.NotVisible("documents.view_document", document)
    problems = [p for p in (refusal(d) for d in locked) if p]
    if problems:
        raise ValidationError({"documents": problems})
    year = timezone.localdate().year
    last = DestructionAct.objects.select_for_update().filter(year=year)
    seq = (last.aggregate(n=Max("seq"))["n"] or 0) + 1
    act = DestructionAct.objects.create(
        year=year, seq=seq, number=f"{seq}/{year}", drafted_by=actor
    )
    DestructionActItem.objects.bulk_create(
        DestructionActItem(act=act, document=d) for d in locked
    )
    CommissionMember.objects.bulk_create(
        CommissionMember(act=act, person=m) for m in members
    )
    record(
        actor=actor,
        action=AuditAction.ACT_DRAFT,
        target=act,
        details=_act_details(
            act,
            documents=[d.pk for d in locked],
            members=[m.pk for m in members],
        ),
    )
    return act


def _locked_act(act: DestructionAct) -> DestructionAct:
    return DestructionAct.objects.select_for_update().get(pk=act.pk)


@access.protected
def confirm_destruction_act(
    *, actor: User, act: DestructionAct, password: str
) -> CommissionMember:
    """A commission member's signature. Confirming twice changes nothing."""
    act = _locked_act(act)
    access.require_visible(actor, "documents.confirm_destructionact", act)
    member = CommissionMember.objects.get(act=act, person=actor)
    if member.confirmed_at is not None:
        return member
    if not act.is_draft:
        raise ValidationError(_("This act is already approved."))
    if not actor.check_password(password):
        raise ValidationError({"password": _("This is not your password. Try again.")})
    member.confirmed_at = timezone.now()
    member.save(update_fields=["confirmed_at"])
    record(
        actor=actor,
        action=AuditAction.ACT_SIGN,
        target=act,
        details=_act_details(act, commission_member=actor.pk),
    )
    return member


def _shred(*, actor: User, attachment: Attachment, act: DestructionAct) -> None:
    # The same operation as documents.services.shred_attachment, done under the
    # principal's approval of the act rather than the records officer's permission.
    attachment.wrapped_key = ""
    attachment.shredded_at = timezone.now()
    attachment.save(update_fields=["wrapped_key", "shredded_at"])
    record(
        actor=actor,
        action=AuditAction.DESTROY,
        target=attachment,
        details={"file": attachment.name, "act": act.number},
    )


@access.protected
def approve_destruction_act(
    *, actor: User, act: DestructionAct, password: str
) -> DestructionAct:
    """The principal's approval: the documents are destroyed now, or none is."""
    act = _locked_act(act)
    access.require(actor, "documents.approve_destructionact", act)
    if not act.is_draft:
        raise ValidationError(_("This act is already approved."))
    if act.members.filter(confirmed_at__isnull=True).exists():
        raise ValidationError(_("Every commission member must confirm the act first."))
    if not actor.check_password(password):
        raise ValidationError({"password": _("This is not your password. Try again.")})
    documents = list(
        Document.objects.select_for_update(of=("self",))
        .filter(destruction_items__act=act)
        .select_related("journal", "case")
    )
    problems = [p for p in (refusal(d) for d in documents) if p]
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    act.status = ActStatus.DONE
    act.approved_by = actor
    act.approved_at = now
    act.save(update_fields=["status", "approved_by", "approved_at"])
    record(
        actor=actor, action=AuditAction.APPROVE, target=act, details=_act_details(act)
    )
    for document in documents:
        document.status = DocumentStatus.DESTROYED
        document.save(update_fields=["status"])
        record(
            actor=actor,
            action=AuditAction.DESTROY,
            target=document,
            details={"number": document.number, "act": act.number},
        )
        for attachment in Attachment.objects.filter(
            document=document, shredded_at__isnull=True
        ):
            _shred(actor=actor, attachment=attachment, act=act)
    return act


@access.protected
def record_act_print(*, actor: User, act: DestructionAct) -> None:
    access.require_visible(actor, "documents.view_destructionact", act)
    record(actor=actor, action=AuditAction.PRINT, target=act, details=_act_details(act))


# Hand-over of the records office (regulation 4.2.6)


def hand_over_lines(act: HandOverAct) -> list[Document]:
    """Every document by journal, with its place, open custody and kept copies."""
    return list(
        Document.objects.filter(pk__in=act.document_ids)
        .select_related("journal", "storage_place", "case")
        .prefetch_related(
            Prefetch(
                "custodies",
                queryset=Custody.objects.filter(
                    returned_at__isnull=True
                ).select_related("holder"),
                to_attr="open_custodies",
            ),
            Prefetch(
                "copy_entries",
                queryset=Copy.objects.filter(fate=CopyFate.KEPT),
                to_attr="outstanding_copies",
            ),
        )
        .order_by("journal", "year", "seq")
    )


def missing_from(act: HandOverAct) -> int:
    """How many documents were registered after the act's list was built."""
    return Document.objects.exclude(pk__in=act.document_ids).count()


def _current_records_officer() -> User | None:
    current = Appointment.objects.filter(
        role=AppointedRole.RECORDS_OFFICER, ends_on__isnull=True
    ).first()
    return current.person if current else None


def _hand_over_details(act: HandOverAct, **extra) -> dict:
    return {
        "outgoing": act.outgoing_id,
        "incoming": act.incoming_id,
        "order_number": act.order_number,
        "documents": len(act.document_ids),
        **extra,
    }


@access.protected
def draft_hand_over_act(
    *,
    actor: User,
    incoming: User,
    order_number: str,
    order_date: date,
    starts_on: date,
) -> HandOverAct:
    access.require(actor, "documents.add_handoveract")
    outgoing = _current_records_officer()
    if outgoing is None:
        raise ValidationError(_("Nobody holds the records officer's appointment."))
    if incoming.pk == outgoing.pk:
        raise ValidationError(
            {"incoming": _("This person already holds this appointment.")}
        )
    if not access.can(incoming, "accounts.undergo_onboarding"):
        raise ValidationError(
            {"incoming": _("Only an active employee can be appointed.")}
        )
    if not order_number.strip():
        raise ValidationError({"order_number": _("Give the order's number.")})
    if HandOverAct.objects.filter(completed_at__isnull=True).exists():
        raise ValidationError(_("Another hand-over act is not completed yet."))
    act = HandOverAct.objects.create(
        outgoing=outgoing,
        incoming=incoming,
        order_number=order_number.strip(),
        order_date=order_date,
        starts_on=starts_on,
        drafted_by=actor,
        document_ids=list(Document.objects.values_list("pk", flat=True)),
    )
    record(
        actor=actor,
        action=AuditAction.ACT_DRAFT,
        target=act,
        details=_hand_over_details(act),
    )
    return act


def _locked_hand_over(act: HandOverAct) -> HandOverAct:
    return HandOverAct.objects.select_for_update().get(pk=act.pk)


@access.protected
def refresh_hand_over_act(*, actor: User, act: HandOverAct) -> HandOverAct:
    """Rebuild the list; the confirmations given so far no longer hold."""
    act = _locked_hand_over(act)
    access.require(actor, "documents.add_handoveract", act)
    if act.is_complete:
        raise ValidationError(_("This act is already completed."))
    listed = len(act.document_ids)
    withdrawn = [
        part
        for part in ("outgoing", "incoming", "principal")
        if getattr(act, f"{part}_confirmed_at")
    ]
    act.document_ids = list(Document.objects.values_list("pk", flat=True))
    act.refreshed_at = timezone.now()
    act.outgoing_confirmed_at = act.incoming_confirmed_at = None
    act.principal_confirmed_at = act.principal = None
    act.save()
    record(
        actor=actor,
        action=AuditAction.ACT_REFRESH,
        target=act,
        details=_hand_over_details(
            act,
            confirmations_withdrawn=withdrawn,
            old={"documents": listed},
            new={"documents": len(act.document_ids)},
        ),
    )
    return act


def principal_confirmation_holds(act: HandOverAct) -> bool:
    """A principal's confirmation holds while they may confirm hand-overs; once
    they may not (the role moved on), it lapses and the principal confirms
    again."""
    return act.principal_id is not None and access.can(
        act.principal, "documents.confirm_handoveract", act
    )


def _lapsed_principal(act: HandOverAct) -> int | None:
    """Clears a lapsed principal's confirmation; returns whose it was."""
    if act.principal_id is None or principal_confirmation_holds(act):
        return None
    lapsed = act.principal_id
    act.principal = act.principal_confirmed_at = None
    return lapsed


def hand_over_parts(act: HandOverAct, person: User) -> list[str]:
    """Which confirmations this person gives: outgoing, incoming, principal."""
    parts = []
    if person.pk == act.outgoing_id:
        parts.append("outgoing")
    if person.pk == act.incoming_id:
        parts.append("incoming")
    if access.can(person, "documents.confirm_handoveract", act):
        parts.append("principal")
    return parts


@access.protected
def confirm_hand_over_act(
    *, actor: User, act: HandOverAct, password: str
) -> HandOverAct:
    """One signature. The third one makes the appointment, in this transaction."""
    act = _locked_hand_over(act)
    parts = hand_over_parts(act, actor)
    if not parts:
        raise access.NotVisible("documents.view_handoveract", act)
    lapsed = _lapsed_principal(act)
    if act.is_complete or all(getattr(act, f"{p}_confirmed_at") for p in parts):
        return act  # confirming twice is harmless
    missing = missing_from(act)
    if missing:
        raise ValidationError(
            ngettext(
                "%(count)s document was registered after the act was drafted: "
                "refresh the act first.",
                "%(count)s documents were registered after the act was drafted: "
                "refresh the act first.",
                missing,
            )
            % {"count": missing}
        )
    if not actor.check_password(password):
        raise ValidationError({"password": _("This is not your password. Try again.")})
    now = timezone.now()
    for part in parts:
        if getattr(act, f"{part}_confirmed_at") is None:
            setattr(act, f"{part}_confirmed_at", now)
            if part == "principal":
                act.principal = actor
    completes = bool(
        act.outgoing_confirmed_at
        and act.incoming_confirmed_at
        and act.principal_confirmed_at
    )
    # The signature that completes the act is the hand-over itself.
    record(
        actor=actor,
        action=AuditAction.HAND_OVER if completes else AuditAction.ACT_SIGN,
        target=act,
        details=_hand_over_details(
            act,
            confirmed_as=parts,
            **({"principal_confirmation_lapsed": lapsed} if lapsed else {}),
        ),
    )
    if completes:
        act.completed_at = now
        act.save()
        # The appointment the act was for, in the name of the principal who
        # confirmed it (whoever signed last); refused, and everything above
        # rolled back, if it can't be made.
        appoint(
            actor=act.principal,
            person=act.incoming,
            role=AppointedRole.RECORDS_OFFICER,
            starts_on=act.starts_on,
            order_number=act.order_number,
            order_date=act.order_date,
            replace_current=True,
            hand_over=act,
        )
    else:
        act.save()
    return act
