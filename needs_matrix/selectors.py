"""Reads shaped for the matrix pages. Every function runs a fixed number of queries,
whatever the number of partners: the grid pages partners, the summary aggregates.

Arithmetic of a category's summary (over the partners in view):

- needing: partners whose stance is "need" or "both";
- contributing: partners whose stance is "contribute" or "both";
- a partner never meets its own need: a "both" partner's need is covered only by the
  other partners' contributions, and its contribution counts only for other partners'
  needs. So a category where one "both" partner is alone is a gap, not 100 %;
- coverage: the contributors that can help some other partner ÷ needing. It may exceed
  100 % (three contributors for one need). When nobody needs the category, coverage is
  undefined (``None``, shown as "—") and the category is neither a gap nor thin: its
  status is "not needed";
- gap: some partner needs it and no other partner contributes it;
- thin: every partner that needs it has another contributor, and one of them has only one.

A partner with no entry for a category has not assessed it: it counts neither way.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import groupby

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber

from needs_matrix.models import (
    CONTRIBUTING_STANCES,
    NEEDING_STANCES,
    Category,
    CategoryGroup,
    MatrixEntry,
    Priority,
    Stance,
)
from partnership.models import Partner, PartnerKind
from partnership.permissions import memberships

GRID_PAGE_SIZE = 50
MATCHES_SHOWN = 5
KIND_LABELS = dict(PartnerKind.choices)
PRIORITY_LABELS = dict(Priority.choices)


@dataclass(frozen=True)
class MatrixFilters:
    """Which partners and categories a page shows."""

    kind: str = ""
    workgroup_id: int | None = None
    group_id: int | None = None
    include_retired: bool = False


# --- categories and partners --------------------------------------------------------


def categories_list(*, group_id: int | None = None, include_retired: bool = False) -> list:
    """Categories in display order, with their group (one query)."""
    qs = Category.objects.select_related("group")
    if not include_retired:
        qs = qs.current()
    if group_id:
        qs = qs.filter(group_id=group_id)
    return list(qs.order_by("group__order", "group__name", "order", "name"))


def groups_with_categories(*, include_retired: bool = True) -> list[CategoryGroup]:
    """Every group with its categories prefetched (two queries), for the categories page."""
    from django.db.models import Prefetch

    categories = Category.objects.order_by("order", "name")
    if not include_retired:
        categories = categories.current()
    return list(CategoryGroup.objects.prefetch_related(Prefetch("categories", queryset=categories)))


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


# --- per-category summary -------------------------------------------------------------


@dataclass
class CategorySummary:
    category: Category
    needing: int = 0
    contributing: int = 0
    high_priority: int = 0
    both: int = 0  # partners counted on both sides

    def count(self, *, stance: str, priority: str = "") -> None:
        """Count one partner's stance (for readers that walk the entries themselves)."""
        self.needing += stance in NEEDING_STANCES
        self.contributing += stance in CONTRIBUTING_STANCES
        self.both += stance == Stance.BOTH
        self.high_priority += stance in NEEDING_STANCES and priority == Priority.HIGH

    @property
    def self_only(self) -> bool:
        """The one partner that needs it is also its only possible helper among the
        contributors counted: one "both" partner cannot meet its own need."""
        return self.needing == 1 and self.both == 1

    @property
    def contributing_for_others(self) -> int:
        """Contributors that can help at least one partner other than themselves."""
        if not self.needing:
            return 0
        return self.contributing - (1 if self.self_only else 0)

    @property
    def needing_helped(self) -> int:
        """Partners in need that at least one other partner can help."""
        if not self.contributing:
            return 0
        # Only a "both" partner can be its category's only contributor and need it too.
        if self.contributing == 1 and self.both:
            return self.needing - 1
        return self.needing

    @property
    def fewest_helpers(self) -> int:
        """Other partners contributing, for the needing partner with the fewest."""
        if not self.needing:
            return 0
        return self.contributing - (1 if self.both else 0)

    @property
    def coverage(self) -> float | None:
        if not self.needing:
            return None
        return self.contributing_for_others / self.needing

    @property
    def coverage_percent(self) -> int | None:
        coverage = self.coverage
        return None if coverage is None else round(coverage * 100)

    @property
    def is_gap(self) -> bool:
        return self.needing > 0 and self.fewest_helpers == 0

    @property
    def is_thin(self) -> bool:
        return self.needing > 0 and self.fewest_helpers == 1

    @property
    def status(self) -> str:
        if not self.needing:
            return "not_needed"
        if self.is_gap:
            return "gap"
        if self.is_thin:
            return "thin"
        return "covered"

    @property
    def status_css(self) -> str:
        return "status-" + self.status.replace("_", "-")

    @property
    def status_label(self) -> str:
        return {
            "not_needed": "Not needed",
            "gap": "Gap",
            "thin": "Thin",
            "covered": "Covered",
        }[self.status]


def category_summaries(*, partners: QuerySet, categories: list[Category]) -> list[CategorySummary]:
    """One aggregate query: needing, contributing and high-priority counts per category."""
    summaries = {c.pk: CategorySummary(category=c) for c in categories}
    if not summaries:
        return []
    rows = (
        MatrixEntry.objects.filter(
            partner__in=partners.order_by().values("pk"), category_id__in=list(summaries)
        )
        .values("category_id")
        .annotate(
            needing=Count("id", filter=Q(stance__in=NEEDING_STANCES)),
            contributing=Count("id", filter=Q(stance__in=CONTRIBUTING_STANCES)),
            high=Count("id", filter=Q(stance__in=NEEDING_STANCES, priority=Priority.HIGH)),
            both=Count("id", filter=Q(stance=Stance.BOTH)),
        )
        .order_by()
    )
    for row in rows:
        summary = summaries[row["category_id"]]
        summary.needing = row["needing"]
        summary.contributing = row["contributing"]
        summary.high_priority = row["high"]
        summary.both = row["both"]
    return [summaries[c.pk] for c in categories]


# --- the grid -------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    stance: str
    priority: str = ""

    @property
    def assessed(self) -> bool:
        return self.stance != Stance.NOT_ASSESSED

    @property
    def text(self) -> str:
        return cell_text(self.stance, self.priority)

    @property
    def css(self) -> str:
        return f"cell-{self.stance.replace('_', '-')}"


NOT_ASSESSED_CELL = Cell(stance=Stance.NOT_ASSESSED)


def cell_text(stance: str, priority: str = "") -> str:
    """The words a cell shows; colour only repeats them."""
    if stance == Stance.NEED:
        return f"Need · {priority}" if priority else "Need"
    if stance == Stance.BOTH:
        return f"Both · {priority}" if priority else "Both"
    if stance == Stance.CONTRIBUTE:
        return "Contributes"
    return "—"


@dataclass
class GridRow:
    partner: Partner
    cells: list[tuple[Category, Cell]]


@dataclass
class GridRowGroup:
    kind: str
    label: str
    rows: list[GridRow]


@dataclass
class ColumnGroup:
    group: CategoryGroup
    span: int


@dataclass
class Grid:
    categories: list[Category]
    column_groups: list[ColumnGroup]
    row_groups: list[GridRowGroup]
    page: Page
    summaries: list[CategorySummary]
    partner_count: int

    @property
    def column_count(self) -> int:
        return len(self.categories) + 1


def column_groups_of(categories: list[Category]) -> list[ColumnGroup]:
    return [
        ColumnGroup(group=group, span=len(list(items)))
        for group, items in groupby(categories, key=lambda c: c.group)
    ]


def matrix_grid(
    *, filters: MatrixFilters, page_number: int | str | None = 1, per_page: int = GRID_PAGE_SIZE
) -> Grid:
    """The grid for one page of partners: rows grouped by partner kind, columns grouped
    by category group, and the per-category summary over every partner in view.

    Queries: categories, partner count, the page of partners, their entries, the summary.
    """
    categories = categories_list(group_id=filters.group_id, include_retired=filters.include_retired)
    partners = partners_in_view(filters=filters)
    paginator = Paginator(partners.only("id", "name", "kind"), per_page)
    page = paginator.get_page(page_number)
    page_partners = list(page.object_list)

    cells: dict[tuple[int, int], Cell] = {}
    if page_partners and categories:
        entries = MatrixEntry.objects.filter(
            partner_id__in=[p.pk for p in page_partners],
            category_id__in=[c.pk for c in categories],
        ).values_list("partner_id", "category_id", "stance", "priority")
        for partner_id, category_id, stance, priority in entries:
            cells[(partner_id, category_id)] = Cell(stance=stance, priority=priority)

    row_groups = []
    for kind, members in groupby(page_partners, key=lambda p: p.kind):
        rows = [
            GridRow(
                partner=p,
                cells=[(c, cells.get((p.pk, c.pk), NOT_ASSESSED_CELL)) for c in categories],
            )
            for p in members
        ]
        row_groups.append(GridRowGroup(kind=kind, label=KIND_LABELS.get(kind, kind), rows=rows))

    return Grid(
        categories=categories,
        column_groups=column_groups_of(categories),
        row_groups=row_groups,
        page=page,
        summaries=category_summaries(partners=partners, categories=categories),
        partner_count=paginator.count,
    )


# --- the summary page -----------------------------------------------------------------


@dataclass
class HeatRow:
    category: Category
    counts: list[tuple[str, int, int]]  # (kind label, partners needing, heat level 0-4)
    total: int


@dataclass
class HeatMap:
    kinds: list[tuple[str, str]]  # (kind, label) columns that have any gap
    rows: list[HeatRow]


@dataclass
class Match:
    summary: CategorySummary
    needing: list[tuple[str, str]] = field(default_factory=list)  # (partner name, priority)
    contributing: list[str] = field(default_factory=list)

    @property
    def more_needing(self) -> int:
        return self.summary.needing_helped - len(self.needing)

    @property
    def more_contributing(self) -> int:
        return self.summary.contributing_for_others - len(self.contributing)


@dataclass
class MatrixSummary:
    summaries: list[CategorySummary]
    heat_map: HeatMap
    matches: list[Match]
    partner_count: int
    gap_count: int
    thin_count: int
    needed_count: int

    @property
    def by_group(self) -> list[tuple[CategoryGroup, list[CategorySummary]]]:
        return [
            (group, list(items))
            for group, items in groupby(self.summaries, key=lambda s: s.category.group)
        ]


def heat_level(count: int, highest: int) -> int:
    if count <= 0 or highest <= 0:
        return 0
    return max(1, min(4, -(-count * 4 // highest)))


def gap_heat_map(*, partners: QuerySet, summaries: list[CategorySummary]) -> HeatMap:
    """Partners of each kind whose need no other partner contributes (one query).

    In a gap category either nobody contributes (every partner in need counts), or the
    only contributor is a "both" partner (it helps the others; its own need counts)."""
    by_id = {s.category.pk: s for s in summaries}
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    # One query whenever there are categories, gaps or not: the page's query count does
    # not depend on the data.
    if by_id:
        rows = (
            MatrixEntry.objects.filter(
                partner__in=partners.order_by().values("pk"),
                category_id__in=list(by_id),
                stance__in=NEEDING_STANCES,
            )
            .values("category_id", "partner__kind", "stance")
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in rows:
            summary = by_id[row["category_id"]]
            if not summary.is_gap:
                continue
            if summary.contributing and row["stance"] != Stance.BOTH:
                continue  # met by the one "both" contributor
            per_kind = counts[row["category_id"]]
            per_kind[row["partner__kind"]] = per_kind.get(row["partner__kind"], 0) + row["n"]
    kinds = [
        (value, label)
        for value, label in PartnerKind.choices
        if any(value in per_kind for per_kind in counts.values())
    ]
    highest = max((n for per_kind in counts.values() for n in per_kind.values()), default=0)
    heat_rows = [
        HeatRow(
            category=s.category,
            counts=[
                (
                    label,
                    counts[s.category.pk].get(value, 0),
                    heat_level(counts[s.category.pk].get(value, 0), highest),
                )
                for value, label in kinds
            ],
            total=s.needing - s.needing_helped,
        )
        for s in summaries
        if s.is_gap
    ]
    return HeatMap(kinds=kinds, rows=heat_rows)


def _top_partners_per_category(
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


def suggested_matches(
    *, partners: QuerySet, summaries: list[CategorySummary], limit: int = MATCHES_SHOWN
) -> list[Match]:
    """For each category where some partner needs what another partner contributes: who
    needs it (high priority first) and who can contribute it, so the coordinator can
    introduce them. A partner is never matched with itself: a "both" partner is listed as
    needing only when someone else contributes, and as contributing only when someone
    else needs. Two queries; at most ``limit`` names each way, with a count of the rest."""
    matches = {
        s.category.pk: Match(summary=s)
        for s in summaries
        if s.needing_helped and s.contributing_for_others
    }
    ids = list(matches)
    for row in _top_partners_per_category(
        partners=partners,
        category_ids=ids,
        stances=NEEDING_STANCES,
        limit=limit,
        by_priority=True,
        both_in=[i for i in ids if matches[i].summary.contributing >= 2],
    ):
        matches[row["category_id"]].needing.append(
            (row["partner__name"], PRIORITY_LABELS.get(row["priority"], ""))
        )
    for row in _top_partners_per_category(
        partners=partners,
        category_ids=ids,
        stances=CONTRIBUTING_STANCES,
        limit=limit,
        both_in=[i for i in ids if matches[i].summary.needing >= 2],
    ):
        matches[row["category_id"]].contributing.append(row["partner__name"])
    return [matches[i] for i in ids]


def matrix_summary(*, filters: MatrixFilters) -> MatrixSummary:
    """Everything the summary page shows; a fixed number of queries at any size."""
    categories = categories_list(group_id=filters.group_id, include_retired=filters.include_retired)
    partners = partners_in_view(filters=filters)
    summaries = category_summaries(partners=partners, categories=categories)
    return MatrixSummary(
        summaries=summaries,
        heat_map=gap_heat_map(partners=partners, summaries=summaries),
        matches=suggested_matches(partners=partners, summaries=summaries),
        partner_count=partners.count(),
        gap_count=sum(s.is_gap for s in summaries),
        thin_count=sum(s.is_thin for s in summaries),
        needed_count=sum(bool(s.needing) for s in summaries),
    )


# --- one partner's row ----------------------------------------------------------------


@dataclass(frozen=True)
class RowChange:
    when: object
    who: str
    category: str
    text: str
    assessed: bool


@dataclass
class PartnerRow:
    partner: Partner
    categories: list[Category]
    entries: dict[int, MatrixEntry]  # by category id, current categories only
    retired_entries: list[MatrixEntry]
    helpers: dict[int, list[str]]  # category id → other partners contributing it
    recent_changes: list[RowChange]


def partner_row(*, partner: Partner, recent: int = 10) -> PartnerRow:
    """A partner's row for its page: current categories, its entries, the entries it
    keeps on retired categories, who could contribute what it needs, recent changes."""
    categories = categories_list()
    current_ids = {c.pk for c in categories}
    entries: dict[int, MatrixEntry] = {}
    retired: list[MatrixEntry] = []
    for entry in (
        MatrixEntry.objects.filter(partner=partner)
        .select_related("category__group", "updated_by")
        .order_by("category__group__order", "category__order", "category__name")
    ):
        if entry.category_id in current_ids:
            entries[entry.category_id] = entry
        else:
            retired.append(entry)

    needed = [cid for cid, e in entries.items() if e.needs]
    helpers: dict[int, list[str]] = defaultdict(list)
    others = Partner.objects.filter(status=Partner.Status.ACTIVE).exclude(pk=partner.pk)
    for row in _top_partners_per_category(
        partners=others, category_ids=needed, stances=CONTRIBUTING_STANCES, limit=3
    ):
        helpers[row["category_id"]].append(row["partner__name"])

    changes = [
        RowChange(
            when=record.history_date,
            who=record.history_user.full_name if record.history_user else "",
            category=record.category.name if record.category else "",
            text=cell_text(record.stance, record.priority),
            assessed=record.stance != Stance.NOT_ASSESSED,
        )
        for record in MatrixEntry.history.filter(partner_id=partner.pk)
        .select_related("history_user", "category")
        .order_by("-history_date", "-history_id")[:recent]
    ]
    return PartnerRow(
        partner=partner,
        categories=categories,
        entries=entries,
        retired_entries=retired,
        helpers=dict(helpers),
        recent_changes=changes,
    )


# --- one partner's row history --------------------------------------------------------

ROW_HISTORY_PER_PAGE = 50
HISTORY_FIELDS = (
    ("stance", "Stance"),
    ("priority", "Priority"),
    ("capacity_note", "What it can contribute"),
    ("note", "Note"),
)


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class RowHistoryItem:
    when: object
    who: str
    category: str
    action: str  # "set", "changed" or "removed"
    changes: list[FieldChange]


def _field_text(name: str, value: str | None) -> str:
    if name == "stance":
        return "" if value is None else dict(Stance.choices).get(value, value)
    if name == "priority":
        return PRIORITY_LABELS.get(value or "", "")
    return value or ""


def row_history_records(*, partner: Partner) -> QuerySet:
    """Every saved state of the partner's entries, newest first, each with the state
    before it (window functions over each category's history: one query per page, no
    query per record)."""
    from django.db.models.functions import Lag

    before = {
        f"before_{name}": Window(
            Lag(name),
            partition_by=[F("category_id")],
            order_by=[F("history_date").asc(), F("history_id").asc()],
        )
        for name, _ in HISTORY_FIELDS
    }
    return (
        MatrixEntry.history.filter(partner_id=partner.pk)
        .select_related("history_user", "category")
        .annotate(**before)
        .order_by("-history_date", "-history_id")
    )


def row_history_items(records) -> list[RowHistoryItem]:
    """Who changed what, when, in words, for a page of ``row_history_records``."""
    items = []
    for record in records:
        created = record.history_type == "+"
        changes = []
        for name, label in HISTORY_FIELDS:
            after = _field_text(name, getattr(record, name))
            previous = None if created else getattr(record, f"before_{name}")
            before = _field_text(name, previous)
            if record.history_type == "-":
                after = ""
            if after != before:
                changes.append(FieldChange(label=label, before=before, after=after))
        items.append(
            RowHistoryItem(
                when=record.history_date,
                who=record.history_user.full_name if record.history_user else "",
                category=record.category.name if record.category else "",
                action={"+": "set", "-": "removed"}.get(record.history_type, "changed"),
                changes=changes,
            )
        )
    return items


def entries_for_export(*, filters: MatrixFilters | None = None) -> QuerySet:
    """Every stored entry of the partners and categories the filters select (active
    partners, current categories unless retired ones are asked for), in a stable order."""
    filters = filters or MatrixFilters()
    categories = Category.objects.all() if filters.include_retired else Category.objects.current()
    if filters.group_id:
        categories = categories.filter(group_id=filters.group_id)
    return (
        MatrixEntry.objects.filter(
            partner__in=partners_in_view(filters=filters).order_by().values("pk"),
            category__in=categories.values("pk"),
        )
        .select_related("partner", "category")
        .order_by("partner__name", "category__group__order", "category__order", "category__name")
    )
