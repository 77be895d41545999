"""Races that only the database can settle.

Two requests that both check "is this name free?" both see yes; the unique constraint lets
one insert win and fails the other with an IntegrityError. Unhandled, that is a 500 and, in
a request wrapped in ATOMIC_REQUESTS, a broken transaction. ``unique_race_settle`` runs the
write in a savepoint so the request stays usable, recognizes the one constraint it was told
about (any other IntegrityError is a bug and propagates), and then either runs the write
again (an upsert that now finds the winner's row, a number allocated anew) or answers with
the ValidationError a sequential duplicate gets.

Under PostgreSQL's READ COMMITTED the losing insert waits for the winner to commit, so a
statement run after the savepoint is rolled back sees the winner's row.
"""

from collections.abc import Callable, Iterable, Mapping
from functools import cache
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction

T = TypeVar("T")

RACE_LOST = "Someone else saved the same thing at the same moment. Reload the page and check."


def unique_race_settle(
    write: Callable[[], T],
    *,
    model: type[models.Model],
    constraints: Iterable[str],
    check: Callable[[], object] | None = None,
    retries: int = 0,
) -> T:
    """Run ``write`` in a savepoint and settle a lost race on one of ``constraints``.

    ``constraints`` are names of the model's ``UniqueConstraint``s or of its unique fields.
    On such a violation ``write`` runs again up to ``retries`` times; when the race is still
    lost, ``check`` (the test that refuses a sequential duplicate, which now sees the row
    that won) raises its ValidationError; failing that, the constraint's own message or a
    general one is raised.
    """
    names = tuple(constraints)
    for attempt in range(retries + 1):
        try:
            with transaction.atomic():
                return write()
        except IntegrityError as error:
            if not unique_violated(error, model=model, constraints=names):
                raise
            if attempt < retries:
                continue
            if check is not None:
                check()
            raise ValidationError(_violation_message(model, names)) from error
    raise AssertionError("unreachable")  # pragma: no cover


def unique_violated(
    error: IntegrityError, *, model: type[models.Model], constraints: Iterable[str]
) -> bool:
    """Whether ``error`` is a violation of one of the named unique constraints of ``model``."""
    diag = getattr(error.__cause__, "diag", None)
    if diag is not None:  # PostgreSQL names the constraint
        violated = diag.constraint_name
        return any(violated in _postgres_names(model, name) for name in constraints)
    # SQLite: "UNIQUE constraint failed: index 'name'" for an index on expressions,
    # "UNIQUE constraint failed: table.a, table.b" for one on columns.
    message = str(error)
    if not message.startswith("UNIQUE constraint failed: "):
        return False
    failed = message.removeprefix("UNIQUE constraint failed: ").strip()
    for name in constraints:
        columns = _columns(model, name)
        if columns is None and failed == f"index '{name}'":
            return True
        table = model._meta.db_table
        if columns is not None and {c.strip() for c in failed.split(",")} == {
            f"{table}.{column}" for column in columns
        }:
            return True
    return False


def _constraint(model: type[models.Model], name: str) -> models.UniqueConstraint | None:
    for constraint in model._meta.constraints:
        if constraint.name == name and isinstance(constraint, models.UniqueConstraint):
            return constraint
    return None


def _columns(model: type[models.Model], name: str) -> tuple[str, ...] | None:
    """The columns a constraint or unique field covers; None for one on expressions."""
    constraint = _constraint(model, name)
    if constraint is None:
        return (model._meta.get_field(name).column,)
    if not constraint.fields:
        return None
    return tuple(model._meta.get_field(field).column for field in constraint.fields)


@cache
def _postgres_names(model: type[models.Model], name: str) -> frozenset[str]:
    if _constraint(model, name) is not None:
        return frozenset({name})
    # A unique field's constraint is named by PostgreSQL or by a migration: look it up.
    column = model._meta.get_field(name).column
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return frozenset(n for n, c in found.items() if c["unique"] and c["columns"] == [column])


def _violation_message(model: type[models.Model], names: tuple[str, ...]) -> dict | str:
    """The constraint's own message, on its field when it covers one, else a general one."""
    for name in names:
        constraint = _constraint(model, name)
        if constraint is None:
            return {name: [RACE_LOST]}
        if constraint.violation_error_message in (
            None,
            constraint.default_violation_error_message,
        ):
            continue
        fields = list(constraint.fields) or [
            part.name
            for expression in constraint.expressions
            for part in expression.flatten()
            if isinstance(part, models.F)
        ]
        message = str(constraint.violation_error_message)
        return {fields[0]: [message]} if len(fields) == 1 else message
    return RACE_LOST


def instance_lock_apply(
    instance: models.Model, values: Mapping[str, object], *, against_stored: bool = False
) -> list[str]:
    """Re-read ``instance`` under a row lock, then set on it only the ``values`` that differ
    from what it held when the caller loaded it; return their names.

    A page posts every field it shows; the fields this person did not change must not write
    back what they read, or a change another person made in the meantime (a partner ticking
    an item done, a coordinator deactivating someone) is silently undone. Save with
    ``update_fields`` set to the returned names. Call inside a transaction.

    ``against_stored``: compare with the row as stored now instead; for an instance a
    ModelForm has already changed in memory, which no longer holds what was loaded.
    """
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    instance.refresh_from_db(from_queryset=type(instance)._base_manager.select_for_update())
    if against_stored:
        changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    return changed
