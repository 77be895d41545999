"""Bringing stored Markdown HTML up to the current renderer (``manage.py markdown_rerender``
and the data migrations that first filled the ``_html`` columns)."""

from collections.abc import Callable, Iterable

from django.apps import apps
from django.db import models, transaction

from core import text as core_text
from core.text import markdown_render

# Stored HTML that does not live in ``<field>_html`` columns (the frozen MOU's texts): each
# app registers a function that re-renders its stale rows in batches and returns how many.
_rerenderers: dict[str, Callable[..., int]] = {}


def markdown_rerenderer_register(name: str, rerender: Callable[..., int]) -> None:
    _rerenderers[name] = rerender


def markdown_rows_rerender(
    *, model: type[models.Model], fields: Iterable[str], batch_size: int = 500
) -> int:
    """Render the ``fields`` of every row of ``model`` whose stored HTML is older than the
    current renderer (or was never made), ``batch_size`` rows per transaction. Returns the
    number of rows written. Works on migration (historical) models too."""
    fields = tuple(fields)
    columns = [f"{name}_html" for name in fields] + ["markdown_version"]
    done, last_pk = 0, 0
    while True:
        with transaction.atomic():
            # Locked, so a text saved meanwhile is not given the HTML of what it was before.
            batch = list(
                model._base_manager.select_for_update()
                .filter(pk__gt=last_pk)
                .exclude(markdown_version=core_text.MARKDOWN_VERSION)
                .order_by("pk")
                .only("pk", *fields)[:batch_size]
            )
            if not batch:
                return done
            for row in batch:
                for name in fields:
                    setattr(row, f"{name}_html", markdown_render(getattr(row, name)))
                row.markdown_version = core_text.MARKDOWN_VERSION
            model._base_manager.bulk_update(batch, columns)
        done += len(batch)
        last_pk = batch[-1].pk


def markdown_models() -> list[type[models.Model]]:
    """Every installed model that stores Markdown HTML beside its source."""
    return [model for model in apps.get_models() if getattr(model, "MARKDOWN_FIELDS", None)]


def markdown_stale_rerender(*, batch_size: int = 500) -> dict[str, int]:
    """Re-render every stale row of every Markdown model; {label: rows written}."""
    written = {
        model._meta.label: markdown_rows_rerender(
            model=model, fields=model.MARKDOWN_FIELDS, batch_size=batch_size
        )
        for model in markdown_models()
    }
    for name, rerender in _rerenderers.items():
        written[name] = rerender(batch_size=batch_size)
    return written
