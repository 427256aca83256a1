"""The document registry: journals, registered documents, files, custody, copies.

Regulation 4.1-4.3 and 1.4-1.5. Rows here are changed only by
documents/services.py, which records every change in the audit trail.
"""

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase

from accounts.fields import FernetTokenField


class JournalKind(models.TextChoices):
    INCOMING = "incoming", _("Incoming documents")
    OUTGOING = "outgoing", _("Outgoing documents")
    ORDERS = "orders", _("Orders")
    OTHER = "other", _("Other journal")


class Journal(models.Model):
    """A registration journal; numbers restart on 1 January of each year."""

    kind = models.CharField(_("kind"), max_length=16, choices=JournalKind.choices)
    name = models.CharField(
        _("name"),
        max_length=200,
        blank=True,
        help_text=_("Only for a journal of another kind, e.g. staff orders."),
    )
    number_format = models.CharField(
        _("number format"),
        max_length=50,
        default="{seq}",
        help_text=_("{seq} is the number in the year, {case} the case index."),
    )
    # Tells incoming № 11 from outgoing № 11 where several journals meet.
    code = models.CharField(
        _("short code"),
        max_length=8,
        blank=True,
        help_text=_("Shown before the number, e.g. Ord-11; empty: by the kind."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("journal")
        verbose_name_plural = _("journals")
        ordering = ["position", "pk"]
        permissions = [
            ("register_in_journal", _("Can register documents in the journal")),
            ("manage_journals", _("Can keep journals, classes, cases and places")),
        ]

    def __str__(self):
        # The enum's label, not get_kind_display(), which rebuilds a dict of
        # the choices on every call: a journal page names 50 journals.
        return self.name or str(JournalKind(self.kind).label)

    @property
    def short_code(self) -> str:
        """The journal's own code, else one in the reader's language."""
        if self.code:
            return self.code
        if self.kind == JournalKind.OTHER:
            return self.name[:3].capitalize()
        return str(JOURNAL_CODES[self.kind])


# Translators: short codes put before a document's number (ky: Кир, Чыг, Буй;
# ru: Вх, Исх, Пр).
JOURNAL_CODES = {
    JournalKind.INCOMING: pgettext_lazy("journal code", "In"),
    JournalKind.OUTGOING: pgettext_lazy("journal code", "Out"),
    JournalKind.ORDERS: pgettext_lazy("journal code", "Ord"),
}


class YearCounter(models.Model):
    """The last number taken in a journal in a year. Locked while a number is taken."""

    journal = models.ForeignKey(Journal, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["journal", "year"], name="one_counter_per_journal_year"
            )
        ]

    def __str__(self):
        return f"{self.journal} {self.year}: {self.last}"


# Labels of the classes every school has; others are named by the records officer.
BUILTIN_CLASSES = {
    "letter": _("Letter"),
    "order": _("Order"),
    "directive": _("Directive"),
    "act": _("Act"),
    "certificate": _("Certificate"),
    "other": _("Other"),
}


class DocumentClass(models.Model):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("document kind")
        verbose_name_plural = _("document kinds")
        ordering = ["position", "pk"]

    def __str__(self):
        return str(BUILTIN_CLASSES.get(self.code, self.name or self.code))


class Case(models.Model):
    """An entry of the school's list of cases (номенклатура дел)."""

    index = models.CharField(_("index"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=300)
    retention_years = models.PositiveSmallIntegerField(
        _("retention, years"),
        null=True,
        blank=True,
        help_text=_("Empty: kept permanently."),
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["index"]

    def __str__(self):
        return f"{self.index} {self.title}"


class StoragePlace(models.Model):
    """A cabinet in a secure room, where "for official use" documents are kept."""

    room = models.CharField(_("room"), max_length=50)
    cabinet = models.CharField(_("cabinet"), max_length=50)

    class Meta:
        verbose_name = _("storage place")
        verbose_name_plural = _("storage places")
        ordering = ["room", "cabinet"]
        constraints = [
            models.UniqueConstraint(fields=["room", "cabinet"], name="one_place")
        ]

    def __str__(self):
        return gettext("room %(room)s, cabinet %(cabinet)s") % {
            "room": self.room,
            "cabinet": self.cabinet,
        }


class Grif(models.TextChoices):
    OPEN = "open", pgettext_lazy("grif", "Open")
    OFFICIAL_USE = "official_use", _("For official use")


class DocumentStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    ANNULLED = "annulled", _("Annulled")
    # A status: the audit action and the copy's fate say "Destroyed" too, in
    # other words in Kyrgyz and Russian.
    DESTROYED = "destroyed", pgettext_lazy("document status", "Destroyed")


# The summary is a TextField, so the database sets no limit: registration and
# correction keep it to what a journal line and a printed page can carry.
SUMMARY_MAX_LENGTH = 2000


class Document(models.Model):
    journal = models.ForeignKey(
        Journal, verbose_name=_("journal"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    seq = models.PositiveIntegerField(_("number in the year"))
    number = models.CharField(_("number"), max_length=50)
    registered_on = models.DateField(_("registered on"))
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    document_class = models.ForeignKey(
        DocumentClass,
        verbose_name=_("document kind"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    summary = models.TextField(_("summary"))
    correspondent = models.CharField(
        _("correspondent"),
        max_length=300,
        blank=True,
        help_text=_("From whom (incoming) or to whom (outgoing)."),
    )
    their_number = models.CharField(_("their number"), max_length=50, blank=True)
    their_date = models.DateField(_("their date"), null=True, blank=True)
    sheets = models.PositiveIntegerField(_("sheets"), default=1)
    copies = models.PositiveIntegerField(_("copies"), default=1)
    executor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("executor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    grif = models.CharField(
        _("grif"), max_length=16, choices=Grif.choices, default=Grif.OPEN
    )
    storage_place = models.ForeignKey(
        StoragePlace,
        verbose_name=_("storage place"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DocumentStatus.choices,
        default=DocumentStatus.REGISTERED,
    )
    # Case-folded copies for searching: SQLite folds only ASCII letters.
    summary_folded = models.TextField(editable=False, default="")
    correspondent_folded = models.CharField(max_length=300, editable=False, default="")
    annul_reason = models.TextField(_("reason for annulment"), blank=True)
    annulled_at = models.DateTimeField(_("annulled"), null=True, blank=True)
    annulled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("annulled by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-registered_on", "-year", "-seq", "-pk"]
        permissions = [
            ("issue_document", _("Can issue documents against signature")),
            ("annul_document", _("Can annul a registration")),
            ("grant_document", _("Can let one person see one document")),
            ("destroy_document", _("Can crypto-shred the files of a document")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["journal", "year", "seq"], name="one_number_per_journal_year"
            ),
            models.CheckConstraint(
                condition=~Q(grif="official_use") | Q(storage_place__isnull=False),
                name="official_use_needs_a_storage_place",
            ),
        ]
        # The journal's order, whole and within one journal's year: a page is
        # read along an index, never sorted from the whole table.
        indexes = [
            models.Index(
                fields=["-registered_on", "-year", "-seq", "-id"],
                name="document_journal_order",
            ),
            models.Index(
                fields=["journal", "year", "-registered_on", "-seq", "-id"],
                name="document_journal_year_order",
            ),
        ]

    def __str__(self):
        return f"{self.journal} № {self.display_number}"

    def fold(self) -> None:
        """Refresh the search copies of summary and correspondent."""
        self.summary_folded = self.summary.casefold()
        self.correspondent_folded = self.correspondent.casefold()

    @property
    def is_official_use(self) -> bool:
        return self.grif == Grif.OFFICIAL_USE

    @property
    def is_registered(self) -> bool:
        return self.status == DocumentStatus.REGISTERED

    # The journal list shows these on every line: the enums' labels are
    # looked up directly (get_FOO_display rebuilds the choices on each call).
    @property
    def status_label(self) -> str:
        return str(DocumentStatus(self.status).label)

    @property
    def grif_label(self) -> str:
        return str(Grif(self.grif).label)

    @property
    def display_number(self) -> str:
        if not self.is_official_use:
            return self.number
        # Translators: the number of a "for official use" document with its mark
        # (ky: КПҮ, ru: ДСП).
        return gettext("%(number)s FOU") % {"number": self.number}

    @property
    def coded_number(self) -> str:
        """The number with its journal's code, for lists of several journals."""
        return f"{self.journal.short_code}-{self.display_number}"


class DocumentUserObjectPermission(UserObjectPermissionBase):
    """A permission on one document, given to one person (django-guardian)."""

    content_object = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )


class JournalUserObjectPermission(UserObjectPermissionBase):
    """A permission on one journal, given to one person (django-guardian)."""

    content_object = models.ForeignKey(
        Journal, on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )


class Correction(models.Model):
    document = models.ForeignKey(
        Document,
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    field = models.CharField(_("field"), max_length=50)
    old_value = models.TextField(_("old value"), blank=True)
    new_value = models.TextField(_("new value"), blank=True)
    reason = models.TextField(_("reason"))
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("corrected by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    made_at = models.DateTimeField(_("corrected"), default=timezone.now)

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["made_at", "pk"]

    def __str__(self):
        return f"{self.document}: {self.field}"

    @property
    def field_label(self) -> str:
        """The corrected field as the registration form names it, not its code."""
        try:
            return capfirst(Document._meta.get_field(self.field).verbose_name)
        except FieldDoesNotExist:
            return self.field

    def shown(self, value: str) -> str:
        """A grif is stored by its code; the reader sees its label."""
        if self.field == "grif" and value in Grif.values:
            return str(Grif(value).label)
        return value

    @property
    def old_shown(self) -> str:
        return self.shown(self.old_value)

    @property
    def new_shown(self) -> str:
        return self.shown(self.new_value)


class Attachment(models.Model):
    """A file of a document, encrypted at rest with its own data key."""

    document = models.ForeignKey(
        Document,
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    # The file's own AES key, encrypted with the master key. Emptied to
    # crypto-shred the file: without it the stored bytes are noise.
    wrapped_key = FernetTokenField(blank=True)
    stored_name = models.CharField(max_length=64, unique=True, editable=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)
    shredded_at = models.DateTimeField(_("shredded"), null=True, blank=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["added_at", "pk"]

    def __str__(self):
        return self.name

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"

    @property
    def is_official_use(self) -> bool:
        return self.document.is_official_use


class Custody(models.Model):
    """A document handed to a person against signature (4.2.1)."""

    document = models.ForeignKey(
        Document,
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="custodies",
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    due_at = models.DateTimeField(_("due back"), null=True, blank=True)
    # The receiver's signature: they re-entered their password at this time.
    received_at = models.DateTimeField(_("signed for"), null=True, blank=True)
    handed_back_at = models.DateTimeField(_("handed back"), null=True, blank=True)
    returned_at = models.DateTimeField(_("return confirmed"), null=True, blank=True)
    return_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("return confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("custody")
        verbose_name_plural = _("custody")
        ordering = ["-issued_at", "-pk"]
        permissions = [("receive_document", _("Can receive documents in custody"))]
        constraints = [
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(returned_at__isnull=True),
                name="one_holder_per_document",
            )
        ]
        indexes = [models.Index(fields=["holder", "returned_at"])]

    def __str__(self):
        return f"{self.document} → {self.holder}"

    @property
    def is_open(self) -> bool:
        return self.returned_at is None

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at is not None and self.due_at < timezone.now()


class CopyMedium(models.TextChoices):
    PAPER = "paper", _("Paper")
    DIGITAL = "digital", _("Digital")


class CopyFate(models.TextChoices):
    KEPT = "kept", pgettext_lazy("copy fate", "Kept")
    RETURNED = "returned", pgettext_lazy("copy fate", "Returned")
    DESTROYED = "destroyed", pgettext_lazy("copy fate", "Destroyed")


class Copy(models.Model):
    """An entry of the copy log (4.1): paper copies and every digital download
    of an official-use file."""

    document = models.ForeignKey(
        Document,
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="copy_entries",
    )
    attachment = models.ForeignKey(
        Attachment,
        verbose_name=_("file"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    made_at = models.DateTimeField(_("made"), default=timezone.now)
    purpose = models.CharField(_("purpose"), max_length=300)
    count = models.PositiveSmallIntegerField(_("number of copies"), default=1)
    first_number = models.PositiveIntegerField(_("first copy number"))
    last_number = models.PositiveIntegerField(_("last copy number"))
    medium = models.CharField(_("medium"), max_length=8, choices=CopyMedium.choices)
    stamped = models.BooleanField(_("stamped"), default=False)
    fate = models.CharField(
        _("fate"), max_length=10, choices=CopyFate.choices, default=CopyFate.KEPT
    )
    fate_at = models.DateTimeField(_("fate recorded"), null=True, blank=True)
    fate_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("fate recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("copy")
        verbose_name_plural = _("copy log")
        ordering = ["-made_at", "-pk"]

    def __str__(self):
        return f"{self.document}: {self.copy_numbers}"

    @property
    def copy_numbers(self) -> str:
        if self.first_number == self.last_number:
            return str(self.first_number)
        return f"{self.first_number}–{self.last_number}"


# Acts of the records office (regulation 4.1: destruction)


class ActStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("act status", "Draft")
    DONE = "done", pgettext_lazy("act status", "Approved and carried out")


class DestructionAct(models.Model):
    """Documents whose retention ended, destroyed by the principal's approval
    after a commission of at least three staff confirmed the list."""

    year = models.PositiveSmallIntegerField(_("year"))
    seq = models.PositiveIntegerField(_("number in the year"))
    number = models.CharField(_("number"), max_length=20, unique=True)
    status = models.CharField(
        _("status"), max_length=8, choices=ActStatus.choices, default=ActStatus.DRAFT
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    drafted_at = models.DateTimeField(_("drafted"), default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)

    class Meta:
        verbose_name = _("destruction act")
        verbose_name_plural = _("destruction acts")
        ordering = ["-year", "-seq"]
        permissions = [("approve_destructionact", _("Can approve destruction acts"))]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "seq"], name="one_destruction_act_number"
            )
        ]

    def __str__(self):
        return gettext("Destruction act № %(number)s") % {"number": self.number}

    @property
    def is_draft(self) -> bool:
        return self.status == ActStatus.DRAFT


class DestructionActItem(models.Model):
    act = models.ForeignKey(
        DestructionAct, on_delete=models.CASCADE, related_name="items"
    )
    document = models.ForeignKey(
        Document,
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="destruction_items",
    )

    class Meta:
        ordering = ["document__journal", "document__year", "document__seq"]
        constraints = [
            models.UniqueConstraint(
                fields=["act", "document"], name="document_once_per_act"
            )
        ]

    def __str__(self):
        return f"{self.act}: {self.document}"


class CommissionMember(models.Model):
    """A member of a destruction act's commission; confirmed_at is their
    signature (they re-entered their password)."""

    act = models.ForeignKey(
        DestructionAct, on_delete=models.CASCADE, related_name="members"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["act", "person"], name="member_once_per_act"
            )
        ]

    def __str__(self):
        return f"{self.act}: {self.person}"


class HandOverAct(models.Model):
    """Regulation 4.2.6: the acceptance-transfer act when the records officer is
    replaced. The appointment takes effect when the outgoing officer, the
    incoming officer and the principal have all confirmed it."""

    outgoing = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("outgoing records officer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    incoming = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("incoming records officer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    order_number = models.CharField(_("order number"), max_length=50)
    order_date = models.DateField(_("order date"))
    starts_on = models.DateField(_("from"))
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    drafted_at = models.DateTimeField(_("drafted"), default=timezone.now)
    # The documents the act lists, by primary key, as of its last refresh.
    document_ids = models.JSONField(default=list, editable=False)
    refreshed_at = models.DateTimeField(_("list built"), default=timezone.now)
    outgoing_confirmed_at = models.DateTimeField(null=True, blank=True)
    incoming_confirmed_at = models.DateTimeField(null=True, blank=True)
    principal_confirmed_at = models.DateTimeField(null=True, blank=True)
    principal = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("principal"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("hand-over act")
        verbose_name_plural = _("hand-over acts")
        ordering = ["-drafted_at", "-pk"]
        permissions = [
            ("confirm_handoveract", _("Can confirm hand-over acts as the principal"))
        ]

    def __str__(self):
        return gettext("Hand-over act %(outgoing)s → %(incoming)s") % {
            "outgoing": self.outgoing,
            "incoming": self.incoming,
        }

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None
