"""Store the HTML of every existing partner's and workgroup's description beside it."""

from django.db import migrations

from core.services.markdown import markdown_rows_rerender


def fill(apps, schema_editor):
    for name in ("Partner", "Workgroup"):
        markdown_rows_rerender(model=apps.get_model("partnership", name), fields=("description",))


class Migration(migrations.Migration):
    dependencies = [("partnership", "0005_markdown_html_columns")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
