"""Sentences the dashboard says to the coordinator, with proper plurals."""

from django.utils.text import get_text_list

from core.services.reminders import BulkReminders


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _partners(subjects) -> str:
    names = [str(getattr(s, "partner", s)) for s in subjects]
    if len(names) > 5:
        return f"{', '.join(names[:5])} and {len(names) - 5} more"
    return get_text_list(names, "and")


def remind_all_report(result: BulkReminders) -> str:
    """What "remind all pending" did, in a sentence or three."""
    sent_to = result.fresh + (result.recent if result.included_recent else [])
    parts = [
        f"Sent {_count(result.sent, 'reminder', 'reminders')} to the people of "
        f"{_count(len(sent_to), 'partner', 'partners')}."
        if result.sent
        else "No reminder was sent."
    ]
    if result.recent and not result.included_recent:
        parts.append(
            f"Left out {_count(len(result.recent), 'partner', 'partners')} reminded in the last "
            f"24 hours: {_partners(d.subject for d in result.recent)}."
        )
    if result.at_limit:
        parts.append(f"{_partners(result.at_limit)} already had two reminders by hand today.")
    if result.nobody:
        parts.append(
            f"{_partners(result.nobody)} {'has' if len(result.nobody) == 1 else 'have'} "
            "no lead to remind."
        )
    return " ".join(parts)
