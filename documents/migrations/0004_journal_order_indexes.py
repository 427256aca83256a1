"""Indexes for the journal at district scale (issue 11, make bench).

The journal's order gets an index of its own, whole and within a journal's
year, so a page is read along an index instead of sorting the whole table.
On PostgreSQL, trigram indexes let the text search ("contains") use an index;
SQLite has none and keeps scanning.
"""

from django.conf import settings
from django.db import migrations, models

TRIGRAM_INDEXES = {
    "document_summary_trgm": "summary_folded",
    "document_correspondent_trgm": "correspondent_folded",
}


def add_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension: the database's owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON documents_document "
            f"USING gin ({column} gin_trgm_ops)"
        )


def remove_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0003_acts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="document",
            name="documents_d_registe_b81472_idx",
        ),
        migrations.RemoveIndex(
            model_name="document",
            name="documents_d_journal_8dcc1d_idx",
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(
                fields=["-registered_on", "-year", "-seq", "-id"],
                name="document_journal_order",
            ),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(
                fields=["journal", "year", "-registered_on", "-seq", "-id"],
                name="document_journal_year_order",
            ),
        ),
        migrations.RunPython(add_trigram_indexes, remove_trigram_indexes),
    ]
