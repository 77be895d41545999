"""categories_seed: the taxonomy the data migration seeds, made again only where missing."""

from needs_matrix.models import Category, CategoryGroup
from needs_matrix.seeding import GROUPS, categories_seed


def seeded_rows() -> tuple[list, list]:
    groups = list(
        CategoryGroup.objects.filter(name__in=[name for name, _ in GROUPS])
        .order_by("pk")
        .values_list("name", "order")
    )
    categories = list(
        Category.objects.filter(group__name__in=[name for name, _ in GROUPS])
        .order_by("pk")
        .values_list("group__name", "name", "description", "order", "retired_at")
    )
    return groups, categories


def test_the_migration_seeded_every_group_and_category(db):
    groups, categories = seeded_rows()
    assert groups == [(name, order) for order, (name, _) in enumerate(GROUPS, start=1)]
    assert categories == [
        (group, name, description, order, None)
        for group, rows in GROUPS
        for order, (name, description) in enumerate(rows, start=1)
    ]
    assert categories_seed() == 0


def test_seeding_an_empty_taxonomy_makes_the_migrations_rows_without_history(db):
    made_by_migration = seeded_rows()
    Category.objects.all().delete()
    CategoryGroup.objects.all().delete()
    Category.history.all().delete()
    assert categories_seed() == len(GROUPS) + sum(len(rows) for _, rows in GROUPS)
    assert seeded_rows() == made_by_migration
    assert not Category.history.exists()
    assert categories_seed() == 0


def test_seeding_again_keeps_a_coordinators_edits(db):
    mentors = Category.objects.get(name="Mentors")
    mentors.description, mentors.order = "Mentors from the region's employers.", 9
    mentors.save()
    CategoryGroup.objects.filter(name="Assessment").update(order=1)
    Category.objects.filter(name="Science metrics").delete()
    assert categories_seed() == 1
    mentors.refresh_from_db()
    assert (mentors.description, mentors.order) == ("Mentors from the region's employers.", 9)
    assert CategoryGroup.objects.get(name="Assessment").order == 1
    assert Category.objects.get(name="Science metrics").group.name == "Assessment"
