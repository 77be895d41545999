"""Helpers the partnership services share: clean input, validate, save."""

from collections.abc import Callable, Iterable

from django.db import models

from core.services.db import unique_race_settle
from core.text import clean_text


def text_clean(value) -> str:
    return clean_text(str(value or "")).strip()


def save_validated(
    instance: models.Model,
    *,
    constraints: Iterable[str],
    check: Callable[[], object],
    update_fields: Iterable[str] | None = None,
) -> None:
    """Validate and save; a uniqueness race lost at the database on one of ``constraints``
    raises what ``check`` (the sequential duplicate check) raises, so the view can still
    render the form with the message.

    ``update_fields``: an edit writes only what it changed, so a field another person
    changed meanwhile (a partner's status, a person's deactivation) is not written back.
    """
    instance.full_clean()
    fields = list(update_fields) if update_fields is not None else None
    unique_race_settle(
        lambda: instance.save(update_fields=fields),
        model=type(instance),
        constraints=constraints,
        check=check,
    )
