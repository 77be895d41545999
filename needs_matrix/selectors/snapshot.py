"""The matrix as it stands, as plain data a frozen MOU version can keep for ever."""

from collections.abc import Iterable

from django.utils import timezone

from needs_matrix.models import MatrixEntry, Stance
from needs_matrix.selectors.common import (
    KIND_LABELS,
    MatrixFilters,
    categories_list,
    cell_text,
    kind_rank,
    partners_in_view,
)
from needs_matrix.selectors.coverage import CategorySummary
from needs_matrix.selectors.grid import column_groups_of
from partnership.models import Partner

SNAPSHOT_SCHEMA = 1


def matrix_snapshot(*, partner_ids: Iterable[int] | None = None) -> dict:
    """Return the matrix as a JSON-serializable dict (three queries at any size).

    ``partner_ids`` picks the partners (any status), e.g. the signatories of an MOU
    version; ``None`` means every active partner. Only current (not retired) categories
    are included; the summary is computed over the partners in the snapshot with the
    arithmetic documented in ``needs_matrix.selectors``.

    Shape (ready for an HTML or PDF appendix without computing in the template: loop over
    ``groups`` for a header row with ``span``, over ``categories`` for the column
    headers, and over each partner's ``cells``, which are aligned with ``categories``)::

        {
          "schema": 1,
          "taken_at": "2025-10-15T17:00:00+00:00",
          "legend": [{"stance": "need", "label": "Need"}, ...],
          "groups": [{"id": 1, "name": "Curriculum and instruction", "span": 7,
                      "categories": [{"id": 4, "name": "...", "description": "..."}]}],
          "categories": [{"id": 4, "name": "...", "group": "Curriculum and instruction"}],
          "partners": [{
              "id": 9, "name": "Salem-Keizer School District",
              "kind": "school_district", "kind_label": "School district",
              "cells": [{"category_id": 4, "stance": "need", "priority": "high",
                         "text": "Need · high"}],          # one per category, in order
              "entries": [{"category_id": 4, "category": "...", "stance": "need",
                           "stance_label": "Need", "priority": "high",
                           "capacity_note": "", "note": "..."}],  # stored entries only
          }],
          "summary": [{"category_id": 4, "category": "...", "group": "...",
                       "needing": 3, "contributing": 1, "coverage_percent": 33,
                       "gap": false, "thin": true, "status": "thin",
                       "status_label": "Thin"}],
          "totals": {"partners": 12, "categories": 30, "needed": 20, "gaps": 4,
                     "thin": 6},
        }

    A cell with stance ``not_assessed`` (no entry, or an entry marked so) has text "—".
    """
    categories = categories_list()
    if partner_ids is None:
        partners_qs = partners_in_view(filters=MatrixFilters())
    else:
        partners_qs = (
            Partner.objects.filter(pk__in=list(partner_ids))
            .annotate(kind_rank=kind_rank())
            .order_by("kind_rank", "name", "id")
        )
    partners = list(partners_qs.only("id", "name", "kind"))
    category_ids = [c.pk for c in categories]

    entries: dict[int, dict[int, MatrixEntry]] = {p.pk: {} for p in partners}
    if partners and categories:
        for entry in MatrixEntry.objects.filter(
            partner__in=partners_qs.order_by().values("pk"), category_id__in=category_ids
        ).only("partner_id", "category_id", "stance", "priority", "capacity_note", "note"):
            entries[entry.partner_id][entry.category_id] = entry

    summaries = {c.pk: CategorySummary(category=c) for c in categories}
    partner_data = []
    for partner in partners:
        own = entries[partner.pk]
        cells, stored = [], []
        for category in categories:
            entry = own.get(category.pk)
            stance = entry.stance if entry else Stance.NOT_ASSESSED
            priority = entry.priority if entry else ""
            cells.append(
                {
                    "category_id": category.pk,
                    "stance": stance,
                    "priority": priority,
                    "text": cell_text(stance, priority),
                }
            )
            if entry is None:
                continue
            summary = summaries[category.pk]
            summary.count(stance=stance, priority=priority)
            stored.append(
                {
                    "category_id": category.pk,
                    "category": category.name,
                    "stance": stance,
                    "stance_label": Stance(stance).label,
                    "priority": priority,
                    "capacity_note": entry.capacity_note,
                    "note": entry.note,
                }
            )
        partner_data.append(
            {
                "id": partner.pk,
                "name": partner.name,
                "kind": partner.kind,
                "kind_label": str(KIND_LABELS.get(partner.kind, partner.kind)),
                "cells": cells,
                "entries": stored,
            }
        )

    summary_data = [
        {
            "category_id": s.category.pk,
            "category": s.category.name,
            "group": s.category.group.name,
            "needing": s.needing,
            "contributing": s.contributing,
            "coverage_percent": s.coverage_percent,
            "gap": s.is_gap,
            "thin": s.is_thin,
            "status": s.status,
            "status_label": s.status_label,
        }
        for s in summaries.values()
    ]
    return {
        "schema": SNAPSHOT_SCHEMA,
        "taken_at": timezone.now().isoformat(),
        "legend": [{"stance": value, "label": str(label)} for value, label in Stance.choices],
        "groups": [
            {
                "id": cg.group.pk,
                "name": cg.group.name,
                "span": cg.span,
                "categories": [
                    {"id": c.pk, "name": c.name, "description": c.description}
                    for c in categories
                    if c.group_id == cg.group.pk
                ],
            }
            for cg in column_groups_of(categories)
        ],
        "categories": [{"id": c.pk, "name": c.name, "group": c.group.name} for c in categories],
        "partners": partner_data,
        "summary": summary_data,
        "totals": {
            "partners": len(partners),
            "categories": len(categories),
            "needed": sum(bool(s["needing"]) for s in summary_data),
            "gaps": sum(s["gap"] for s in summary_data),
            "thin": sum(s["thin"] for s in summary_data),
        },
    }
