"""Run by tests/audit/test_append_workers.py: worker processes, each keeping
its SQLite connection between "requests" as a gunicorn worker does, append to
one audit chain at the same time. Prints a JSON summary.

Usage: python -m tests.audit.append_workers WORKERS APPENDS_EACH
(DATABASE_URL names a fresh SQLite file; DJANGO_DEBUG=1.)
"""

import json
import multiprocessing
import sys

import django


def worker(appends: int, queue) -> None:
    from django.core.signals import request_finished, request_started
    from django.db import connection, transaction

    from accounts.models import User
    from audit.models import AuditAction
    from audit.services import record

    connection.close()  # never share the parent's connection
    kept = None
    try:
        actor = User.objects.get(username="appender")
        kept = set()
        for n in range(appends):
            # One request: Django closes a connection past CONN_MAX_AGE at both
            # ends of it; a kept one stays open.
            request_started.send(sender=None)
            with transaction.atomic():
                record(actor=actor, action=AuditAction.VIEW, target_label=f"n {n}")
            kept.add(id(connection.connection))
            request_finished.send(sender=None)
    finally:
        queue.put(len(kept) if kept is not None else None)


def main(workers: int, appends: int) -> dict:
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import User
    from audit.models import AuditEvent
    from audit.services import verify_trail

    call_command("migrate", interactive=False, verbosity=0)
    User.objects.create_user("appender", password="unused-password-1")
    before = AuditEvent.objects.count()
    connection.close()
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    processes = [
        context.Process(target=worker, args=(appends, queue)) for _ in range(workers)
    ]
    for process in processes:
        process.start()
    connections_per_worker = [queue.get(timeout=300) for _ in processes]
    for process in processes:
        process.join(timeout=300)
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    return {
        "conn_max_age": settings.DATABASES["default"]["CONN_MAX_AGE"],
        "exit_codes": [process.exitcode for process in processes],
        "connections_per_worker": connections_per_worker,
        "appended": len(seqs) - before,
        "seqs_are_1_to_n": seqs == list(range(1, len(seqs) + 1)),
        "chain_ok": verify_trail().ok,
    }


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]), int(sys.argv[2]))))
