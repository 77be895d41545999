"""A synthetic partnership network of N partners, built with bulk inserts.

At the default 5,000 partners it holds what DESIGN.md "Scale" promises to stay fast at:
100 categories, 20,000 people, an open MOU version with blocks in every status, a frozen
version, 2,000 meetings and 50,000 action items. Smaller networks are scaled in
proportion (with small floors, so even 10 partners have every shape: each block status,
needs and contributions, upcoming and past meetings, open, done and overdue items).

    python -m bench.generate --partners 5000   # into the database DATABASE_URL names

The data is deterministic for a given N and seed. The generator writes into an empty,
migrated database; it refuses one that already has partners.
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import asdict, dataclass
from datetime import datetime

from bench.generate.sizes import DEFAULT_PARTNERS, Sizes

__all__ = ["DEFAULT_PARTNERS", "Generated", "Sizes", "network_generate", "statistics_refresh"]


@dataclass
class Generated:
    sizes: Sizes
    seconds: float
    rows: dict[str, int]


def network_generate(
    *, partners: int = DEFAULT_PARTNERS, seed: int = 1, now: datetime | None = None
) -> Generated:
    """Fill an empty, migrated database with a network of ``partners`` partners."""
    from django.db import transaction

    from bench.generate.builder import Builder
    from partnership.models import Partner

    if Partner.objects.exists():
        raise RuntimeError("The database already has partners: generate into an empty one.")
    started = time.perf_counter()
    sizes = Sizes.for_partners(partners)
    with transaction.atomic():
        builder = Builder(sizes=sizes, seed=seed, now=now)
        builder.build()
    # The builder bulk-creates rows past the services: store their HTML as the services
    # (and the migrations, for rows that existed before) would, so pages read it.
    from core.services.markdown import markdown_stale_rerender

    markdown_stale_rerender()
    statistics_refresh()
    return Generated(sizes=sizes, seconds=time.perf_counter() - started, rows=builder.rows)


def statistics_refresh() -> None:
    """On PostgreSQL, refresh the planner's statistics, as autovacuum does soon after a
    bulk load in production (without it the planner takes 5,000 partners for a handful).
    SQLite gathers no statistics unless told to, and a portal on SQLite is never told."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--partners", type=int, default=DEFAULT_PARTNERS)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    result = network_generate(partners=args.partners, seed=args.seed)
    print(f"{args.partners} partners in {result.seconds:.1f} s: {asdict(result.sizes)}")
    print(", ".join(f"{k} {v}" for k, v in result.rows.items()))
    return 0
