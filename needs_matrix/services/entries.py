"""Setting a partner's stance on categories, one at a time or a whole row at once."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.actor import Actor
from core.hooks import MATRIX_ROW_SAVED, hook_run
from core.services.db import unique_race_settle
from core.services.events import event_record
from core.text import clean_text
from needs_matrix.models import Category, MatrixEntry, Stance
from needs_matrix.selectors import cell_text
from partnership.models import Partner

ENTRY_UNIQUE = ("matrix_entry_unique",)


@dataclass(frozen=True)
class EntryValues:
    """What a partner says about one category."""

    stance: str
    priority: str = ""
    capacity_note: str = ""
    note: str = ""

    def normalized(self) -> "EntryValues":
        """Drop what does not apply to the stance: a priority only for needs, a capacity
        note only for contributions."""
        needs = self.stance in (Stance.NEED, Stance.BOTH)
        contributes = self.stance in (Stance.CONTRIBUTE, Stance.BOTH)
        return EntryValues(
            stance=self.stance,
            priority=self.priority if needs else "",
            capacity_note=clean_text(self.capacity_note).strip() if contributes else "",
            note=clean_text(self.note).strip(),
        )


def _values_of(entry: MatrixEntry) -> EntryValues:
    return EntryValues(
        stance=entry.stance,
        priority=entry.priority,
        capacity_note=entry.capacity_note,
        note=entry.note,
    )


def _apply(
    *,
    partner: Partner,
    category: Category,
    entry: MatrixEntry | None,
    values: EntryValues,
    actor: Actor,
) -> MatrixEntry | None:
    """Write one entry if it changes; return it, or None when nothing was written.

    Marking "not assessed" with no note where no entry exists stores nothing: absence
    already means "not assessed". An existing entry is updated (never deleted) so its
    history reads on.
    """
    if category.is_retired:
        raise ValidationError(f"“{category.name}” is retired and can no longer be changed.")
    values = values.normalized()
    if entry is None:
        if values == EntryValues(stance=Stance.NOT_ASSESSED):
            return None
        entry = MatrixEntry(partner=partner, category=category)
    elif _values_of(entry) == values:
        return None
    entry.stance = values.stance
    entry.priority = values.priority
    entry.capacity_note = values.capacity_note
    entry.note = values.note
    entry.updated_by = actor.user
    entry.updated_at = timezone.now()
    entry._history_user = entry.updated_by
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def entry_set(
    *,
    partner: Partner,
    category: Category,
    stance: str,
    priority: str = "",
    note: str = "",
    capacity_note: str = "",
    actor: Actor,
) -> MatrixEntry | None:
    """Set one partner's stance on one category. Returns the entry, or None when there
    is none (not assessed, no note). Records a ``matrix.entry_set`` event on a change."""
    values = EntryValues(stance=stance, priority=priority, capacity_note=capacity_note, note=note)

    def write() -> tuple[MatrixEntry | None, MatrixEntry | None]:
        entry = (
            MatrixEntry.objects.select_for_update()
            .filter(partner=partner, category=category)
            .first()
        )
        written = _apply(
            partner=partner, category=category, entry=entry, values=values, actor=actor
        )
        return entry, written

    # The first stance on a category set from two pages at once: the one that loses the
    # insert runs again and updates the entry the other made.
    entry, written = unique_race_settle(
        write, model=MatrixEntry, constraints=ENTRY_UNIQUE, retries=1
    )
    if written is not None:
        event_record(
            action="matrix.entry_set",
            actor=actor,
            subject=partner,
            summary=f"{partner.name}: {category.name} → "
            f"{cell_text(written.stance, written.priority)}",
            data={
                "category_id": category.pk,
                "stance": written.stance,
                "priority": written.priority,
            },
        )
        hook_run(MATRIX_ROW_SAVED, subject=None, partner=partner, actor=actor)
    return written if written is not None else entry


@transaction.atomic
def row_save(
    *,
    partner: Partner,
    values: dict[int, EntryValues],
    actor: Actor,
) -> list[MatrixEntry]:
    """Save a whole partner row at once (one transaction, one ``matrix.row_saved`` event).

    ``values`` maps category id → EntryValues for current categories; categories left
    out are not touched. Raises ValidationError (keyed ``<field>_<category id>``) and
    saves nothing when any entry is invalid.
    """
    categories = Category.objects.current().in_bulk(list(values))
    unknown = set(values) - set(categories)
    if unknown:
        raise ValidationError("Some categories no longer exist or are retired; reload the page.")
    changed = unique_race_settle(
        lambda: _row_write(partner=partner, categories=categories, values=values, actor=actor),
        model=MatrixEntry,
        constraints=ENTRY_UNIQUE,
        retries=1,
    )
    if changed:
        event_record(
            action="matrix.row_saved",
            actor=actor,
            subject=partner,
            summary=f"{partner.name}: matrix row saved ({len(changed)} changed)",
            data={
                "changes": [
                    {"category_id": e.category_id, "stance": e.stance, "priority": e.priority}
                    for e in changed
                ]
            },
        )
        hook_run(MATRIX_ROW_SAVED, subject=None, partner=partner, actor=actor)
    return changed


def _row_write(
    *,
    partner: Partner,
    categories: dict[int, Category],
    values: dict[int, EntryValues],
    actor: Actor,
) -> list[MatrixEntry]:
    existing = {
        e.category_id: e
        for e in MatrixEntry.objects.select_for_update().filter(
            partner=partner, category_id__in=list(values)
        )
    }
    changed: list[MatrixEntry] = []
    errors: dict[str, list] = {}
    for category_id, entry_values in values.items():
        try:
            written = _apply(
                partner=partner,
                category=categories[category_id],
                entry=existing.get(category_id),
                values=entry_values,
                actor=actor,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, messages in exc.message_dict.items():
                    errors[f"{name}_{category_id}"] = messages
            else:
                errors[f"stance_{category_id}"] = exc.messages
            continue
        if written is not None:
            changed.append(written)
    if errors:
        raise ValidationError(errors)
    return changed
