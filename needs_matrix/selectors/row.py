"""One partner's row, for its page: its entries, who could help with what it needs, and
its recent changes."""

from collections import defaultdict
from dataclasses import dataclass

from needs_matrix.models import CONTRIBUTING_STANCES, Category, MatrixEntry, Stance
from needs_matrix.selectors.common import categories_list, cell_text, top_partners_per_category
from partnership.models import Partner


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
    for row in top_partners_per_category(
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
