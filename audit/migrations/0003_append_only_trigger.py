"""On PostgreSQL, the database itself refuses to change or remove audit events.

UPDATE is always refused. DELETE is allowed only inside a transaction that set
`SET LOCAL portal.audit_retention = 'on'`, as audit_archive does after writing
its signed export. (TRUNCATE is left to the table's owner: the test runner
empties tables with it.) SQLite has no such trigger; there the application's
own rule and audit_verify stand guard.
"""

from django.db import migrations

INSTALL = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND coalesce(current_setting('portal.audit_retention', true), '') = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
CREATE TRIGGER audit_event_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
"""

REMOVE = """
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_append_only();
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # No parameters: the SQL's own "%" must not be read as a placeholder.
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(INSTALL)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(REMOVE)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_signed_heads_verification_archive_request_log"),
    ]

    operations = [migrations.RunPython(install, remove)]
