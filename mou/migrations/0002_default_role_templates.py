"""Seed the network's default role templates (texts in mou.defaults, the function in
mou.seeding, which the test suite calls too)."""

from django.db import migrations

from mou.defaults import TEMPLATES
from mou.seeding import role_templates_seed


def add_templates(apps, schema_editor):
    role_templates_seed(role_template_model=apps.get_model("mou", "RoleTemplate"))


def remove_templates(apps, schema_editor):
    RoleTemplate = apps.get_model("mou", "RoleTemplate")
    RoleTemplate.objects.filter(version=None, kind__in=[t["kind"] for t in TEMPLATES]).delete()


class Migration(migrations.Migration):
    dependencies = [("mou", "0001_initial")]

    operations = [migrations.RunPython(add_templates, remove_templates)]
