"""One partner's row history: every saved state of its entries, in words."""

from dataclasses import dataclass

from django.db.models import F, QuerySet, Window
from django.db.models.functions import Lag

from needs_matrix.models import MatrixEntry, Stance
from needs_matrix.selectors.common import PRIORITY_LABELS
from partnership.models import Partner

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
