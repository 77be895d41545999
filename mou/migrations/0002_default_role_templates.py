"""Seed the network's default role templates (texts in mou.defaults)."""

from django.db import migrations

from mou.defaults import TEMPLATES


def add_templates(apps, schema_editor):
    RoleTemplate = apps.get_model("mou", "RoleTemplate")
    for data in TEMPLATES:
        RoleTemplate.objects.get_or_create(
            version=None, kind=data["kind"], defaults={k: v for k, v in data.items() if k != "kind"}
        )


def remove_templates(apps, schema_editor):
    RoleTemplate = apps.get_model("mou", "RoleTemplate")
    RoleTemplate.objects.filter(version=None, kind__in=[t["kind"] for t in TEMPLATES]).delete()


class Migration(migrations.Migration):
    dependencies = [("mou", "0001_initial")]

    operations = [migrations.RunPython(add_templates, remove_templates)]
