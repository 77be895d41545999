"""Store the HTML of every existing MOU text beside its source, and of every frozen MOU
beside its record (the frozen record itself, and so its hash, is left as it was)."""

import json

from django.db import migrations

from core.services.markdown import markdown_rows_rerender
from core import text as core_text


def fill(apps, schema_editor):
    for name, fields in (
        ("MouVersion", ("shared_text",)),
        ("RoleTemplate", ("guidance", "model_text")),
        ("RoleBlock", ("role_in_partnership", "commitments", "asks_of_network", "review_comment")),
    ):
        markdown_rows_rerender(model=apps.get_model("mou", name), fields=fields)
    from mou.selectors.signing import frozen_texts_render

    FrozenMou = apps.get_model("mou", "FrozenMou")
    FrozenMouHtml = apps.get_model("mou", "FrozenMouHtml")
    for frozen in FrozenMou.objects.filter(html__isnull=True).iterator(chunk_size=100):
        FrozenMouHtml.objects.create(
            frozen=frozen,
            texts=frozen_texts_render(content=json.loads(frozen.canonical)),
            markdown_version=core_text.MARKDOWN_VERSION,
        )


class Migration(migrations.Migration):
    dependencies = [("mou", "0005_markdown_html_columns")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
