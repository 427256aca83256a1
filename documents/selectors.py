"""Reads of the document registry. Every list is built here, with a fixed
number of queries whatever the number of rows."""

from django.core.paginator import Page, Paginator
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from accounts import access
from accounts.models import User
from documents import storage
from documents.models import (
    ActStatus,
    Attachment,
    Case,
    Copy,
    Custody,
    DestructionActItem,
    Document,
    DocumentClass,
    Journal,
    StoragePlace,
)

PAGE_SIZE = 50


def documents_visible_to(*, user: User) -> QuerySet[Document]:
    """The documents the person may see (accounts.access.DocumentPolicy)."""
    return access.visible(user, "documents.view_document", Document.objects.all())


def _open_custody() -> Prefetch:
    return Prefetch(
        "custodies",
        queryset=Custody.objects.filter(returned_at__isnull=True).select_related(
            "holder"
        ),
        to_attr="open_custodies",
    )


def _filtered(*, user: User, filters: dict) -> QuerySet[Document]:
    rows = documents_visible_to(user=user)
    if filters.get("journal"):
        rows = rows.filter(journal=filters["journal"])
    if filters.get("year"):
        rows = rows.filter(year=filters["year"])
    if filters.get("document_class"):
        rows = rows.filter(document_class=filters["document_class"])
    if filters.get("grif"):
        rows = rows.filter(grif=filters["grif"])
    if filters.get("status"):
        rows = rows.filter(status=filters["status"])
    if filters.get("correspondent"):
        rows = rows.filter(
            correspondent_folded__contains=filters["correspondent"].casefold()
        )
    if filters.get("date_from"):
        rows = rows.filter(registered_on__gte=filters["date_from"])
    if filters.get("date_to"):
        rows = rows.filter(registered_on__lte=filters["date_to"])
    if filters.get("text"):
        text = filters["text"].casefold()
        rows = rows.filter(
            Q(summary_folded__contains=text) | Q(correspondent_folded__contains=text)
        )
    return rows


def _with_relations(rows: QuerySet[Document]) -> QuerySet[Document]:
    """What a journal line shows beside the document's own fields."""
    # A destroyed document keeps its line, with the number of its act.
    act_number = (
        DestructionActItem.objects.filter(
            document=OuterRef("pk"), act__status=ActStatus.DONE
        )
        .order_by()
        .values("act__number")[:1]
    )
    return (
        rows.select_related(
            "journal", "document_class", "executor", "storage_place", "case"
        )
        .annotate(destruction_act_number=Subquery(act_number))
        .prefetch_related(_open_custody())
    )


def journal_rows(*, user: User, filters: dict) -> QuerySet[Document]:
    """The journal, filtered, every line with what it shows (prints, exports)."""
    return _with_relations(_filtered(user=user, filters=filters))


def journal_page(*, user: User, filters: dict, number) -> Page:
    """One page of the journal list.

    The page's ids are picked from the documents table alone, along the index
    that matches the journal's order, so page 1,000 costs little more than
    page 1; only those PAGE_SIZE documents are then read with their relations.
    """
    ids = _filtered(user=user, filters=filters).values_list("pk", flat=True)
    page = Paginator(ids, PAGE_SIZE).get_page(number)
    wanted = list(page.object_list)
    found = _with_relations(Document.objects.filter(pk__in=wanted)).in_bulk()
    page.object_list = [found[pk] for pk in wanted]
    return page


def document_for(*, user: User, pk: int) -> Document:
    """One document with its history, or 404 if the person may not see it."""
    document = (
        documents_visible_to(user=user)
        .select_related(
            "journal",
            "document_class",
            "executor",
            "case",
            "storage_place",
            "registered_by",
            "annulled_by",
        )
        .filter(pk=pk)
        .first()
    )
    if document is None:
        raise access.NotVisible("documents.view_document")
    return document


def history_of(*, document: Document) -> dict:
    return {
        "attachments": list(
            Attachment.objects.filter(document=document).select_related("added_by")
        ),
        "corrections": list(document.corrections.select_related("made_by")),
        "custodies": list(
            document.custodies.select_related(
                "holder", "issued_by", "return_confirmed_by"
            )
        ),
        "copies": list(
            document.copy_entries.select_related("made_by", "fate_by", "attachment")
        ),
    }


def attachment_for(*, user: User, pk: int) -> Attachment:
    return access.get_visible(
        user,
        "documents.view_document",
        Attachment.objects.select_related("document", "document__journal"),
        pk=pk,
    )


def custody_for(*, user: User, pk: int) -> Custody:
    """A custody row for its holder or for the records office."""
    return access.get_visible(
        user,
        "documents.view_custody",
        Custody.objects.select_related(
            "document", "document__journal", "holder", "issued_by"
        ),
        pk=pk,
    )


def open_custody(*, user: User, overdue_only: bool = False) -> QuerySet[Custody]:
    rows = Custody.objects.filter(returned_at__isnull=True)
    if overdue_only:
        rows = rows.filter(due_at__lt=timezone.now())
    return (
        access.visible(user, "documents.view_custody", rows)
        .select_related("document", "document__journal", "holder", "issued_by")
        .order_by("due_at", "issued_at")
    )


def custody_of(*, user: User) -> QuerySet[Custody]:
    """What the person holds now, soonest due first."""
    return (
        Custody.objects.filter(holder=user, returned_at__isnull=True)
        .select_related("document", "document__journal")
        .order_by("due_at", "issued_at")
    )


def issued_today(*, user: User) -> QuerySet[Custody]:
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    rows = Custody.objects.filter(issued_at__gte=start)
    return access.visible(user, "documents.view_custody", rows).select_related(
        "document", "document__journal", "holder"
    )


def copy_log(*, user: User) -> QuerySet[Copy]:
    return access.visible(
        user, "documents.view_copy", Copy.objects.all()
    ).select_related("document", "document__journal", "made_by", "fate_by")


def journals_for_registration(*, user: User) -> QuerySet[Journal]:
    return access.visible(
        user, "documents.register_in_journal", Journal.objects.filter(is_active=True)
    )


def receivers() -> QuerySet[User]:
    """People whose role lets them hold documents."""
    return (
        User.objects.filter(
            is_active=True,
            groups__permissions__content_type__app_label="documents",
            groups__permissions__codename="receive_document",
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def reference_lists() -> dict:
    """The lists the records officer keeps: one query each."""
    return {
        "journals": list(Journal.objects.all()),
        "classes": list(DocumentClass.objects.all()),
        "cases": list(Case.objects.all()),
        "places": list(StoragePlace.objects.all()),
    }


# The file store against the rows (healthcheck, remove_orphan_files).


def missing_files() -> list[Attachment]:
    """Attachments whose encrypted file the store lacks (shredded ones are noise
    by design and not asked for)."""
    on_disk = storage.stored_names_on_disk()
    return [
        attachment
        for attachment in Attachment.objects.filter(shredded_at__isnull=True)
        .select_related("document")
        .only("pk", "name", "stored_name", "document__number", "document__journal")
        if attachment.stored_name not in on_disk
    ]


def orphan_files() -> list[str]:
    """Stored files that no attachment names: left by a registration whose
    transaction did not commit (a killed worker, a lost connection)."""
    known = set(Attachment.objects.values_list("stored_name", flat=True))
    return storage.orphans(known=known)
