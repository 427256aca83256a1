"""django-auditlog's row diffs, held for the business event they belong to.

Inside a business action (every ``accounts.access.protected`` service, and the
writes that open one with ``business_action()``), a diff is not copied into the
trail as an event of its own: the next event the action records carries it in
``details["field_log"]``. Whatever no event took is copied on its own when the
action ends, still inside its transaction. See audit/auditlog.py.

Nothing here imports the audit services at load time: accounts.access uses
``business_action`` and audit.services imports accounts.access.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db.models import Model


@dataclass
class Diff:
    """One LogEntry, as the trail keeps it: each field's old and new value."""

    entry: int
    kind: str  # "create", "update" or "delete"
    target: Model
    actor: object = None
    old: dict = field(default_factory=dict)
    new: dict = field(default_factory=dict)

    def carried(self) -> dict:
        """Its line in a business event's ``field_log``."""
        return {
            "entry": self.entry,
            "target_type": self.target._meta.label_lower,
            "target_id": str(self.target.pk),
            "old": self.old,
            "new": self.new,
        }

    def copied(self) -> dict:
        """The details of its own event, when no business event carried it."""
        return {"auditlog_entry": self.entry, "old": self.old, "new": self.new}


_held: ContextVar[list[Diff] | None] = ContextVar("audit_field_log", default=None)


@contextmanager
def business_action() -> Iterator[None]:
    """Hold auditlog's diffs for the events recorded inside (see the module).

    Nested, the outermost one holds; a nested one that fails gives back what
    it took, and drops what it added: those rows went with its savepoint.
    """
    held = _held.get()
    if held is not None:
        before = list(held)
        try:
            yield
        except BaseException:
            held[:] = before
            raise
        return
    token = _held.set([])
    try:
        yield
        leftovers = take()
        if leftovers:
            from audit.auditlog import copy_into_trail

            for diff in leftovers:
                copy_into_trail(diff)
    finally:
        _held.reset(token)


def hold(diff: Diff) -> bool:
    """Keep the diff for the action's next event; False outside an action."""
    held = _held.get()
    if held is None:
        return False
    held.append(diff)
    return True


def take() -> list[Diff]:
    """The diffs held since the action's last event, for the event now recorded."""
    held = _held.get()
    if not held:
        return []
    taken = list(held)
    held.clear()
    return taken
