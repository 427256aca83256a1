from django.db import migrations

JOURNALS = [("incoming", 1), ("outgoing", 2), ("orders", 3)]
CLASSES = ["letter", "order", "directive", "act", "certificate", "other"]


def create(apps, schema_editor):
    Journal = apps.get_model("documents", "Journal")
    DocumentClass = apps.get_model("documents", "DocumentClass")
    for kind, position in JOURNALS:
        if not Journal.objects.filter(kind=kind, name="").exists():
            Journal.objects.create(kind=kind, position=position)
    for position, code in enumerate(CLASSES, start=1):
        DocumentClass.objects.get_or_create(code=code, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_registry")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
