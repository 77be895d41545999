"""role_templates_seed: the default role templates the data migration seeds, made again
only where missing, with their HTML."""

from core.text import MARKDOWN_VERSION, markdown_render
from mou.defaults import TEMPLATES
from mou.models import RoleTemplate
from mou.seeding import role_templates_seed

FIELDS = (
    "kind",
    "title",
    "guidance",
    "role_prompt",
    "commitments_prompt",
    "asks_prompt",
    "model_text",
    "guidance_html",
    "model_text_html",
    "markdown_version",
)


def defaults() -> list[tuple]:
    return list(RoleTemplate.objects.filter(version=None).order_by("pk").values_list(*FIELDS))


def test_the_migrations_made_every_default_with_its_html(db):
    rows = defaults()
    assert [row[0] for row in rows] == [data["kind"] for data in TEMPLATES]
    for row, data in zip(rows, TEMPLATES, strict=True):
        assert row[:7] == tuple(data[name] for name in FIELDS[:7])
        assert row[7:] == (
            markdown_render(data["guidance"]),
            markdown_render(data["model_text"]),
            MARKDOWN_VERSION,
        )
    assert role_templates_seed() == 0


def test_seeding_without_defaults_makes_the_migrations_rows(db):
    made_by_migrations = defaults()
    RoleTemplate.objects.filter(version=None).delete()
    assert role_templates_seed() == len(TEMPLATES)
    assert defaults() == made_by_migrations
    assert role_templates_seed() == 0


def test_seeding_again_keeps_a_coordinators_edits(db):
    RoleTemplate.objects.filter(version=None, kind="college").update(title="Higher education")
    RoleTemplate.objects.filter(version=None, kind="business").delete()
    assert role_templates_seed() == 1
    assert RoleTemplate.objects.get(version=None, kind="college").title == "Higher education"
    assert RoleTemplate.objects.filter(version=None, kind="business").count() == 1
