"""AuditArchive.path now holds the file's name relative to PORTAL_AUDIT_ARCHIVE_DIR.

Absolute paths inside that folder become relative, so a backup restored on
another server (where restore puts the files into its own folder) still finds
them. A path elsewhere is made absolute and stays so; a relative path was
relative to where manage.py ran, the project folder.
"""

from pathlib import Path

from django.conf import settings
from django.db import migrations


def _folder() -> Path:
    return Path(settings.PORTAL_AUDIT_ARCHIVE_DIR).absolute()


def to_relative(apps, schema_editor):
    if not settings.PORTAL_AUDIT_ARCHIVE_DIR:
        return  # an object store (PORTAL_STORAGE_URL=s3://…): names only, already
    AuditArchive = apps.get_model("audit", "AuditArchive")
    folder = _folder()
    for archive in AuditArchive.objects.all():
        path = Path(archive.path)
        if not path.is_absolute():
            path = Path(settings.BASE_DIR) / path
        try:
            stored = path.relative_to(folder).as_posix()
        except ValueError:
            stored = str(path)
        if stored != archive.path:
            archive.path = stored
            archive.save(update_fields=["path"])


def to_absolute(apps, schema_editor):
    if not settings.PORTAL_AUDIT_ARCHIVE_DIR:
        return
    AuditArchive = apps.get_model("audit", "AuditArchive")
    folder = _folder()
    for archive in AuditArchive.objects.all():
        path = str(folder / archive.path)
        if path != archive.path:
            archive.path = path
            archive.save(update_fields=["path"])


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_action_choices"),
    ]

    operations = [migrations.RunPython(to_relative, to_absolute)]
