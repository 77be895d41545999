"""The coordinator's taxonomy: groups and categories; retiring keeps entries and history."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core.actor import Actor
from core.services.db import instance_lock_apply, unique_race_settle
from core.services.events import event_record
from core.text import clean_text
from needs_matrix.models import Category, CategoryGroup


def _next_order(qs) -> int:
    return (qs.aggregate(m=Max("order"))["m"] or 0) + 1


def _save_unique(instance: Category | CategoryGroup, *, constraint: str, **save) -> None:
    """Save; a name taken by a concurrent request at the same moment is refused with the
    message the form gives a sequential duplicate (the model's constraint check)."""
    unique_race_settle(
        lambda: instance.save(**save),
        model=type(instance),
        constraints=(constraint,),
        check=instance.validate_constraints,
    )


@transaction.atomic
def group_create(*, name: str, order: int | None = None, actor: Actor) -> CategoryGroup:
    group = CategoryGroup(
        name=clean_text(name).strip(),
        order=order if order is not None else _next_order(CategoryGroup.objects.all()),
    )
    group.full_clean()
    _save_unique(group, constraint="matrix_group_name_ci_unique")
    event_record(
        action="matrix.group_created",
        actor=actor,
        subject=group,
        summary=f"Category group “{group.name}” created",
    )
    return group


@transaction.atomic
def group_update(
    *,
    group: CategoryGroup,
    name: str,
    order: int | None,
    actor: Actor,
) -> CategoryGroup:
    values = {"name": clean_text(name).strip()}
    if order is not None:
        values["order"] = order
    changed = instance_lock_apply(group, values, against_stored=True)
    group.full_clean()
    _save_unique(group, constraint="matrix_group_name_ci_unique", update_fields=changed)
    event_record(
        action="matrix.group_updated",
        actor=actor,
        subject=group,
        summary=f"Category group “{group.name}” updated",
    )
    return group


def _history_user(category: Category, actor: Actor) -> None:
    category._history_user = actor.user


@transaction.atomic
def category_create(
    *,
    group: CategoryGroup,
    name: str,
    description: str = "",
    order: int | None = None,
    actor: Actor,
) -> Category:
    category = Category(
        group=group,
        name=clean_text(name).strip(),
        description=clean_text(description).strip(),
        order=order if order is not None else _next_order(group.categories.all()),
    )
    category.full_clean()
    _history_user(category, actor)
    _save_unique(category, constraint="matrix_category_name_ci_unique")
    event_record(
        action="matrix.category_created",
        actor=actor,
        subject=category,
        summary=f"Category “{category.name}” created in {group.name}",
    )
    return category


@transaction.atomic
def category_update(
    *,
    category: Category,
    group: CategoryGroup,
    name: str,
    description: str,
    order: int | None,
    actor: Actor,
) -> Category:
    if order is None:
        order = (
            category.order if group.pk == category.group_id else _next_order(group.categories.all())
        )
    # Only what this form changes: a retirement saved meanwhile stays.
    changed = instance_lock_apply(
        category,
        {
            "group": group,
            "name": clean_text(name).strip(),
            "description": clean_text(description).strip(),
            "order": order,
        },
        against_stored=True,
    )
    category.full_clean()
    _history_user(category, actor)
    _save_unique(category, constraint="matrix_category_name_ci_unique", update_fields=changed)
    event_record(
        action="matrix.category_updated",
        actor=actor,
        subject=category,
        summary=f"Category “{category.name}” updated",
    )
    return category


@transaction.atomic
def category_retire(*, category: Category, actor: Actor) -> Category:
    """Hide a category from editing and from the grid; its entries and history stay."""
    if category.is_retired:
        return category
    category.retired_at = timezone.now()
    _history_user(category, actor)
    category.save(update_fields=["retired_at"])
    event_record(
        action="matrix.category_retired",
        actor=actor,
        subject=category,
        summary=f"Category “{category.name}” retired",
    )
    return category


@transaction.atomic
def category_restore(*, category: Category, actor: Actor) -> Category:
    if not category.is_retired:
        return category
    category.retired_at = None
    _history_user(category, actor)
    category.save(update_fields=["retired_at"])
    event_record(
        action="matrix.category_restored",
        actor=actor,
        subject=category,
        summary=f"Category “{category.name}” restored",
    )
    return category
