"""django-auditlog on the domain models, its entries copied into our one trail.

auditlog keeps field diffs (LogEntry); its post_log signal turns each entry into
an AuditEvent in the same transaction, so the hash chain covers every change.
Fields named in PORTAL_AUDIT_MASKED_FIELDS ("app_label.model.field") are
replaced by MASK in both places; auditlog's own mask hides only half a value.
"""

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from auditlog.signals import post_log
from django.apps import apps
from django.conf import settings
from django.db.models.signals import pre_save

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
ACTIONS = {
    LogEntry.Action.CREATE: AuditAction.CREATE,
    LogEntry.Action.UPDATE: AuditAction.UPDATE,
    LogEntry.Action.DELETE: AuditAction.DELETE,
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
    if log_entry is None or action not in ACTIONS:
        return
    hidden = set(masked_fields(sender._meta.label_lower))
    diff = {
        field: [MASK, MASK] if field in hidden else values
        for field, values in (changes or {}).items()
    }
    record(
        actor=log_entry.actor,
        action=ACTIONS[action],
        target=instance,
        details={"changes": diff, "auditlog_entry": log_entry.pk},
    )
