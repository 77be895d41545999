"""Helpers the partnership services share: clean input, validate, save, diff."""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from core.text import clean_text


def text_clean(value) -> str:
    return clean_text(str(value or "")).strip()


def save_validated(instance: models.Model, *, race_error: dict) -> None:
    """Validate and save; a uniqueness race lost at the database becomes ``race_error``.

    The savepoint keeps the request's transaction usable after the IntegrityError, so the
    view can still render the form with the message.
    """
    instance.full_clean()
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        raise ValidationError(race_error) from exc


def fields_apply(instance: models.Model, data: Mapping, fields: tuple[str, ...]) -> list[str]:
    """Set the given fields from ``data``; return the names of those that changed."""
    changed = []
    for field in fields:
        if field in data and getattr(instance, field) != data[field]:
            setattr(instance, field, data[field])
            changed.append(field)
    return changed
