"""Seed the needs taxonomy from the partnership's founding notes (the data and the function
are in needs_matrix.seeding, which the test suite calls too)."""

from django.db import migrations

from needs_matrix.seeding import GROUPS, categories_seed


def seed(apps, schema_editor):
    categories_seed(
        group_model=apps.get_model("needs_matrix", "CategoryGroup"),
        category_model=apps.get_model("needs_matrix", "Category"),
    )


def unseed(apps, schema_editor):
    Category = apps.get_model("needs_matrix", "Category")
    CategoryGroup = apps.get_model("needs_matrix", "CategoryGroup")
    names = [name for _, categories in GROUPS for name, _ in categories]
    # Categories with entries stay: their history matters more than a clean rollback.
    Category.objects.filter(name__in=names, entries__isnull=True).delete()
    CategoryGroup.objects.filter(
        name__in=[name for name, _ in GROUPS], categories__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("needs_matrix", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
