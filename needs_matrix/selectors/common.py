"""What every matrix page shares: the filters, the categories and partners in view (in
display order), and the words a cell shows."""

from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber

from needs_matrix.models import Category, MatrixEntry, Priority, Stance
from partnership.models import Partner, PartnerKind
from partnership.permissions import memberships

KIND_LABELS = dict(PartnerKind.choices)
PRIORITY_LABELS = dict(Priority.choices)


@dataclass(frozen=True)
class MatrixFilters:
    """Which partners and categories a page shows."""

    kind: str = ""
    workgroup_id: int | None = None
    group_id: int | None = None
    include_retired: bool = False


def categories_list(*, group_id: int | None = None, include_retired: bool = False) -> list:
    """Categories in display order, with their group (one query)."""
    qs = Category.objects.select_related("group")
    if not include_retired:
        qs = qs.current()
    if group_id:
        qs = qs.filter(group_id=group_id)
    return list(qs.order_by("group__order", "group__name", "order", "name"))


def kind_rank() -> Case:
    """Order partner kinds as PartnerKind lists them, not alphabetically by code."""
    return Case(
        *[When(kind=value, then=Value(i)) for i, value in enumerate(PartnerKind.values)],
        default=Value(len(PartnerKind.values)),
        output_field=IntegerField(),
    )


def partners_in_view(*, filters: MatrixFilters) -> QuerySet:
    """Active partners matching the filters, grouped by kind then by name."""
    qs = Partner.objects.filter(status=Partner.Status.ACTIVE)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.workgroup_id:
        qs = qs.filter(workgroups__id=filters.workgroup_id)
    return qs.annotate(kind_rank=kind_rank()).order_by("kind_rank", "name", "id")


def own_partners(*, user) -> list[Partner]:
    """The partners whose row this user works on (none for coordinators without a role)."""
    ids = list(memberships(user))
    if not ids:
        return []
    return list(Partner.objects.filter(pk__in=ids).only("id", "name").order_by("name"))


def cell_text(stance: str, priority: str = "") -> str:
    """The words a cell shows; colour only repeats them."""
    if stance == Stance.NEED:
        return f"Need · {priority}" if priority else "Need"
    if stance == Stance.BOTH:
        return f"Both · {priority}" if priority else "Both"
    if stance == Stance.CONTRIBUTE:
        return "Contributes"
    return "—"


def top_partners_per_category(
    *,
    partners: QuerySet,
    category_ids: list[int],
    stances,
    limit: int,
    by_priority: bool = False,
    both_in: list[int] | None = None,
) -> list[dict]:
    """At most ``limit`` entries per category, by name or high priority first (a window
    function: one query). ``both_in``: when given, a "both" stance counts only in these
    categories (elsewhere that partner would be matched with itself)."""
    if not category_ids:
        return []
    stance_q = Q(stance__in=stances)
    if both_in is not None:
        stance_q = Q(stance__in=[s for s in stances if s != Stance.BOTH]) | Q(
            stance=Stance.BOTH, category_id__in=both_in
        )
    priority_rank = Case(
        When(priority=Priority.HIGH, then=Value(0)),
        When(priority=Priority.MEDIUM, then=Value(1)),
        When(priority=Priority.LOW, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return list(
        MatrixEntry.objects.filter(
            stance_q,
            partner__in=partners.order_by().values("pk"),
            category_id__in=category_ids,
        )
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("category_id")],
                order_by=[
                    *([priority_rank.asc()] if by_priority else []),
                    F("partner__name").asc(),
                    F("id").asc(),
                ],
            )
        )
        .filter(rank__lte=limit)
        .values("category_id", "partner__name", "priority", "rank")
        .order_by("category_id", "rank")
    )
