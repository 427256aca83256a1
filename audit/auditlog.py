"""django-auditlog on the domain models: the field-level change log, and the
trail's hash chain over every diff it keeps.

auditlog keeps each row change as a LogEntry (field -> [old, new]). Its post_log
signal hands the entry to ``to_trail``, in the same transaction, which puts the
diff into the one trail in one of two ways, so that no business action appears
twice and every diff is still covered by the chain:

- Inside a business action (every ``accounts.access.protected`` service, and
  the few writes that open ``audit.field_log.business_action``), the diff is
  held; the action's next event carries it in ``details["field_log"]`` (the
  LogEntry id, the row, its old and new values). An appointment is one APPOINT
  event that carries its Appointment row, not an APPOINT and a "Created".
  A diff no event took is copied on its own when the action ends.
- Anywhere else (the back office, the shell, a data fix), the diff becomes an
  event of its own at once: CREATE, UPDATE or DELETE of the row, with details
  ``{"auditlog_entry": id, "old": {...}, "new": {...}}``.

So a LogEntry id is in exactly one event of the trail. Fields named in
PORTAL_AUDIT_MASKED_FIELDS ("app_label.model.field") are replaced by MASK in
both logs; auditlog's own mask hides only half a value.
"""

import copy

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from auditlog.signals import post_log
from django.apps import apps
from django.conf import settings
from django.db.models.signals import pre_save

from audit import field_log
from audit.context import current_request
from audit.models import AuditAction
from audit.services import MASK, record

# Model label -> fields never tracked at all.
EXCLUDED = {
    "accounts.user": ["password", "last_login"],
}
REGISTERED = [
    "accounts.user",
    "accounts.appointment",
    "accounts.onboarding",
    "accounts.parentlink",
]
KINDS = {
    LogEntry.Action.CREATE: "create",
    LogEntry.Action.UPDATE: "update",
    LogEntry.Action.DELETE: "delete",
}
COPIES = {
    "create": AuditAction.CREATE,
    "update": AuditAction.UPDATE,
    "delete": AuditAction.DELETE,
}


def mask(value) -> str:
    """AUDITLOG_MASK_CALLABLE: nothing of the value survives."""
    return MASK


def masked_fields(label: str) -> list[str]:
    prefix = f"{label}."
    return [
        name.removeprefix(prefix)
        for name in settings.PORTAL_AUDIT_MASKED_FIELDS
        if name.lower().startswith(prefix)
    ]


def register_models() -> None:
    """(Re)register every tracked model with the current settings."""
    for label in REGISTERED:
        model = apps.get_model(label)
        if auditlog.contains(model):
            auditlog.unregister(model)
        excluded = EXCLUDED.get(label, [])
        auditlog.register(
            model,
            # The model's own columns only: no reverse relations in the diff.
            include_fields=[
                f.name for f in model._meta.concrete_fields if f.name not in excluded
            ],
            exclude_fields=list(excluded),
            mask_fields=masked_fields(label),
            mask_callable="audit.auditlog.mask",
        )


def connect() -> None:
    register_models()
    pre_save.connect(
        set_actor, sender=LogEntry, dispatch_uid="audit_logentry_actor", weak=False
    )
    post_log.connect(to_trail, dispatch_uid="audit_logentry_to_trail", weak=False)


def set_actor(sender, instance, **kwargs):
    """The signed-in person made the change; cheaper than auditlog's middleware."""
    info = current_request.get()
    user = info.user
    if instance.actor_id is None and user is not None and user.is_authenticated:
        instance.actor = user
    if instance.remote_addr is None:
        instance.remote_addr = info.client_address


def to_trail(sender, instance, action, log_entry=None, changes=None, **kwargs):
    if log_entry is None or action not in KINDS:
        return
    hidden = set(masked_fields(sender._meta.label_lower))
    diff = field_log.Diff(
        entry=log_entry.pk,
        kind=KINDS[action],
        # A copy: a deleted row's instance loses its pk once the delete is done.
        target=copy.copy(instance),
        actor=log_entry.actor,
    )
    for name, (old, new) in (changes or {}).items():
        if name in hidden:
            old, new = MASK, MASK
        # A created row has no old values, a deleted one no new ones.
        if action != LogEntry.Action.CREATE:
            diff.old[name] = old
        if action != LogEntry.Action.DELETE:
            diff.new[name] = new
    if not field_log.hold(diff):
        copy_into_trail(diff)


def copy_into_trail(diff: field_log.Diff) -> None:
    """The diff as an event of its own: no business event carries it."""
    record(
        actor=diff.actor,
        action=COPIES[diff.kind],
        target=diff.target,
        details=diff.copied(),
    )
