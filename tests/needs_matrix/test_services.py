"""Writing entries and rows, categories, history and events."""

import pytest
from django.core.exceptions import ValidationError

from core.actor import Actor
from core.models import Event
from needs_matrix.models import Category, CategoryGroup, MatrixEntry
from needs_matrix.services import (
    EntryValues,
    category_create,
    category_restore,
    category_retire,
    category_update,
    entry_set,
    group_create,
    row_save,
)
from tests import factories


@pytest.fixture
def categories(db):
    group = factories.CategoryGroupFactory(name="Service tests")
    return [factories.CategoryFactory(group=group, name=f"Svc {i}") for i in range(3)]


def test_entry_set_creates_updates_and_records_events_and_history(partner, lead, categories):
    category = categories[0]
    entry = entry_set(
        partner=partner,
        category=category,
        stance="need",
        priority="high",
        note="For grades 6-8",
        actor=Actor.of(lead),
    )
    assert (entry.stance, entry.priority, entry.note, entry.updated_by) == (
        "need",
        "high",
        "For grades 6-8",
        lead,
    )
    entry = entry_set(
        partner=partner,
        category=category,
        stance="contribute",
        priority="high",
        capacity_note="Two engineers a month",
        actor=Actor.of(lead),
    )
    # A priority only applies to a need: it is dropped for a contribution.
    assert (entry.stance, entry.priority, entry.capacity_note) == (
        "contribute",
        "",
        "Two engineers a month",
    )
    history = list(entry.history.order_by("history_date"))
    assert [h.stance for h in history] == ["need", "contribute"]
    assert all(h.history_user == lead for h in history)
    assert Event.objects.filter(action="matrix.entry_set", subject_id=partner.pk).count() == 2


def test_entry_set_without_change_writes_nothing(partner, lead, categories):
    entry_set(
        partner=partner, category=categories[0], stance="need", priority="low", actor=Actor.of(lead)
    )
    entry_set(
        partner=partner, category=categories[0], stance="need", priority="low", actor=Actor.of(lead)
    )
    assert MatrixEntry.history.filter(partner_id=partner.pk).count() == 1
    assert Event.objects.filter(action="matrix.entry_set").count() == 1


def test_not_assessed_stores_nothing_new_but_updates_an_existing_entry(partner, lead, categories):
    assert (
        entry_set(
            partner=partner, category=categories[0], stance="not_assessed", actor=Actor.of(lead)
        )
        is None
    )
    assert not MatrixEntry.objects.exists()
    entry_set(
        partner=partner, category=categories[0], stance="need", priority="low", actor=Actor.of(lead)
    )
    entry = entry_set(
        partner=partner, category=categories[0], stance="not_assessed", actor=Actor.of(lead)
    )
    assert entry.stance == "not_assessed" and entry.priority == ""
    assert entry.history.count() == 2


def test_need_requires_a_priority(partner, lead, categories):
    with pytest.raises(ValidationError) as info:
        entry_set(partner=partner, category=categories[0], stance="need", actor=Actor.of(lead))
    assert "priority" in info.value.message_dict
    assert not MatrixEntry.objects.exists()


def test_bad_stance_is_refused(partner, lead, categories):
    with pytest.raises(ValidationError):
        entry_set(partner=partner, category=categories[0], stance="maybe", actor=Actor.of(lead))


def test_retired_category_cannot_be_set(partner, lead, coordinator, categories):
    category_retire(category=categories[0], actor=Actor.of(coordinator))
    with pytest.raises(ValidationError):
        entry_set(
            partner=partner, category=categories[0], stance="contribute", actor=Actor.of(lead)
        )


def test_row_save_writes_changes_in_one_event(partner, lead, categories):
    a, b, c = categories
    changed = row_save(
        partner=partner,
        values={
            a.pk: EntryValues(stance="need", priority="high"),
            b.pk: EntryValues(stance="both", priority="low", capacity_note="Lab space"),
            c.pk: EntryValues(stance="not_assessed"),
        },
        actor=Actor.of(lead),
    )
    assert len(changed) == 2
    stored = {e.category_id: e for e in MatrixEntry.objects.filter(partner=partner)}
    assert set(stored) == {a.pk, b.pk}
    assert stored[b.pk].capacity_note == "Lab space"
    event = Event.objects.get(action="matrix.row_saved")
    assert event.actor == lead and len(event.data["changes"]) == 2


def test_row_save_is_all_or_nothing(partner, lead, categories):
    a, b, _ = categories
    with pytest.raises(ValidationError) as info:
        row_save(
            partner=partner,
            values={
                a.pk: EntryValues(stance="need", priority="high"),
                b.pk: EntryValues(stance="need"),  # no priority
            },
            actor=Actor.of(lead),
        )
    assert f"priority_{b.pk}" in info.value.message_dict
    assert not MatrixEntry.objects.exists()
    assert not Event.objects.filter(action="matrix.row_saved").exists()


def test_row_save_refuses_retired_categories(partner, lead, coordinator, categories):
    category_retire(category=categories[0], actor=Actor.of(coordinator))
    with pytest.raises(ValidationError):
        row_save(
            partner=partner,
            values={categories[0].pk: EntryValues(stance="contribute")},
            actor=Actor.of(lead),
        )


def test_retired_category_keeps_entries_and_history_and_can_be_restored(
    partner, lead, coordinator, categories
):
    entry = entry_set(
        partner=partner,
        category=categories[0],
        stance="need",
        priority="high",
        actor=Actor.of(lead),
    )
    category_retire(category=categories[0], actor=Actor.of(coordinator))
    categories[0].refresh_from_db()
    assert categories[0].is_retired
    assert MatrixEntry.objects.filter(pk=entry.pk, stance="need").exists()
    assert entry.history.count() == 1
    assert categories[0] not in Category.objects.current()
    assert Event.objects.filter(action="matrix.category_retired").exists()
    category_restore(category=categories[0], actor=Actor.of(coordinator))
    categories[0].refresh_from_db()
    assert not categories[0].is_retired
    assert [h.retired_at is None for h in categories[0].history.order_by("history_date")] == [
        True,
        False,
        True,
    ]


def test_category_create_and_update(coordinator, assessment_group):
    group = group_create(name="Outreach", actor=Actor.of(coordinator))
    first = category_create(group=group, name="Family nights", actor=Actor.of(coordinator))
    second = category_create(
        group=group, name="Newsletters", description="x", actor=Actor.of(coordinator)
    )
    assert (first.order, second.order) == (1, 2)
    other = assessment_group
    category_update(
        category=second,
        group=other,
        name="Family newsletters",
        description="Monthly",
        order=9,
        actor=Actor.of(coordinator),
    )
    second.refresh_from_db()
    assert (second.group, second.name, second.order) == (other, "Family newsletters", 9)
    assert Event.objects.filter(action__startswith="matrix.category").count() == 3


def test_category_names_are_unique_ignoring_case(coordinator, mentors, assessment_group):
    group = assessment_group
    with pytest.raises(ValidationError) as info:
        category_create(group=group, name="MENTORS", actor=Actor.of(coordinator))
    assert "already exists" in str(info.value)


def test_seeded_taxonomy_comes_from_the_notes(db):
    groups = list(CategoryGroup.objects.values_list("name", flat=True))
    assert groups[:7] == [
        "Curriculum and instruction",
        "Professional learning",
        "Mentoring and STEM experiences",
        "Technical content and tools",
        "Leadership and policy",
        "Funding and resources",
        "Assessment",
    ]
    names = set(Category.objects.values_list("name", flat=True))
    for expected in [
        "Project-based science and math",
        "Mentors",
        "Teacher professional learning and staff development",
        "Access to the network's technical content",
        "CTE teachers to strengthen math and science teaching",
        "Technical math aligned with the Common Core",
        "STEM experiences for teachers",
        "Tools and resources to integrate into curriculum",
        "Collaboration with other schools",
        "Rigorous math and science curriculum at every level",
        "High-leverage teaching strategies",
        "Assessment literacy",
        "Science metrics",
        "Long-term funding",
        "Leadership capacity",
    ]:
        assert expected in names


def test_empty_order_means_at_the_end_and_is_kept_on_update(coordinator):
    group = group_create(name="Ordering", actor=Actor.of(coordinator))
    first = category_create(group=group, name="First", order=None, actor=Actor.of(coordinator))
    second = category_create(group=group, name="Second", order=None, actor=Actor.of(coordinator))
    assert (first.order, second.order) == (1, 2)
    category_update(
        category=first,
        group=group,
        name="First!",
        description="",
        order=None,
        actor=Actor.of(coordinator),
    )
    first.refresh_from_db()
    assert first.order == 1
    later = group_create(name="Later", order=None, actor=Actor.of(coordinator))
    assert later.order > group.order
