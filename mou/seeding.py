"""The network's default role templates (their texts are in mou.defaults): seeded by the
data migration 0002_default_role_templates, again when a version is created and finds none,
by the demo, and by the test suite after a transactional test has emptied the database."""

from django.db import models

from core.text import MARKDOWN_VERSION, markdown_render
from mou.defaults import TEMPLATES


def role_templates_seed(*, role_template_model: type[models.Model] | None = None) -> int:
    """Create the default template (no version) of each kind in TEMPLATES that has none;
    return how many were created. A default that is there is left as the coordinator
    edited it.

    The migration passes its historical model (apps.get_model); without it the current
    one is used. A model from before the HTML columns gets the texts only (a later
    migration renders them, as for every other row); one with them gets the HTML too."""
    if role_template_model is None:
        from mou.models import RoleTemplate

        role_template_model = RoleTemplate
    fields = {field.name for field in role_template_model._meta.concrete_fields}
    have = set(role_template_model.objects.filter(version=None).values_list("kind", flat=True))
    created = 0
    for data in TEMPLATES:
        if data["kind"] in have:
            continue
        defaults = {name: value for name, value in data.items() if name != "kind"}
        if "markdown_version" in fields:
            for name in [name for name in data if f"{name}_html" in fields]:
                defaults[f"{name}_html"] = markdown_render(data[name])
            defaults["markdown_version"] = MARKDOWN_VERSION
        _, was_created = role_template_model.objects.get_or_create(
            version=None, kind=data["kind"], defaults=defaults
        )
        created += was_created
    return created
