"""Store the HTML of every existing meeting's agenda, notes and decisions beside them."""

from django.db import migrations

from core.services.markdown import markdown_rows_rerender


def fill(apps, schema_editor):
    markdown_rows_rerender(
        model=apps.get_model("meetings", "Meeting"), fields=("agenda", "notes", "decisions")
    )


class Migration(migrations.Migration):
    dependencies = [("meetings", "0003_markdown_html_columns")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
