"""The coordinator dashboard's side panels: recent events (the needs matrix and action
item panels read needs_matrix.selectors and meetings.selectors)."""

from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, reverse

from core.models import Event
from mou.models import RoleBlock
from mou.selectors import block_version_ids

RECENT_EVENTS = 15


# Where an event's subject is shown, for the subjects whose page needs only their id.
SUBJECT_PAGES = {
    ("partnership", "partner"): "partnership:partner_detail",
    ("partnership", "workgroup"): "partnership:workgroup_detail",
    ("core", "user"): "partnership:person_detail",
    ("mou", "mouversion"): "mou:version_detail",
    ("meetings", "meeting"): "meetings:detail",
    ("meetings", "actionitem"): "meetings:item_detail",
}


EVENT_AREAS = {
    "mou": "MOU",
    "signin": "Sign-in",
    "second_factor": "Second factor",
    "action_item": "Action item",
}


def event_label(event: Event) -> str:
    """What the activity feed says of an event: its summary, or for an old row without one
    its action in words ("signin.password" → "Sign-in: password"), never the bare code."""
    if event.summary.strip():
        return event.summary
    area, _, what = event.action.partition(".")
    area = EVENT_AREAS.get(area, area.replace("_", " ").capitalize())
    return f"{area}: {what.replace('_', ' ')}" if what else area


def recent_events(*, limit: int = RECENT_EVENTS) -> list[Event]:
    """The latest events with their actor, each with ``label`` (what the feed says) and
    ``link`` to its subject's page (two queries: the events, and the version of any role
    block among them)."""
    events = list(Event.objects.select_related("actor", "subject_type")[:limit])
    block_type = ContentType.objects.get_for_model(RoleBlock)
    block_versions = block_version_ids(
        block_ids={e.subject_id for e in events if e.subject_type_id == block_type.pk}
    )
    for event in events:
        event.link = _event_link(event, block_type.pk, block_versions)
        event.label = event_label(event)
    return events


def _event_link(event: Event, block_type_id: int, block_versions: dict[int, int]) -> str:
    if event.subject_type_id is None or event.subject_id is None:
        return ""
    if event.subject_type_id == block_type_id:
        version_id = block_versions.get(event.subject_id)
        if version_id is None:
            return ""
        return reverse("mou:block", kwargs={"version_pk": version_id, "pk": event.subject_id})
    name = SUBJECT_PAGES.get((event.subject_type.app_label, event.subject_type.model))
    if name is None:
        return ""
    try:
        return reverse(name, args=[event.subject_id])
    except NoReverseMatch:
        return ""
