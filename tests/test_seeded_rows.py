"""The suite's seeded rows (tests/conftest.py): after the flush that ends a transactional
test, the database holds the rows the data migrations made, as they made them."""

from django.core.management import call_command

from mou.models import RoleTemplate
from needs_matrix.models import Category, CategoryGroup


def seeded() -> dict[str, list]:
    return {
        "groups": list(CategoryGroup.objects.order_by("pk").values_list("name", "order")),
        "categories": list(
            Category.objects.order_by("pk").values_list(
                "group__name", "name", "description", "order"
            )
        ),
        "templates": list(
            RoleTemplate.objects.filter(version=None)
            .order_by("pk")
            .values_list(
                "kind",
                "title",
                "guidance",
                "guidance_html",
                "role_prompt",
                "commitments_prompt",
                "asks_prompt",
                "model_text",
                "model_text_html",
                "markdown_version",
            )
        ),
    }


def test_a_flush_leaves_the_rows_the_migrations_seed(transactional_db):
    before = seeded()
    assert len(before["categories"]) == 31 and len(before["templates"]) == 4
    CategoryGroup.objects.create(name="Made by this test", order=99)
    call_command("flush", interactive=False, verbosity=0, reset_sequences=False)
    assert seeded() == before
    assert not Category.history.exists()
