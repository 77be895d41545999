"""Throwaway databases for benchmark runs, one per network size, on the engine the
portal runs on: SQLite files under ``var/bench/`` by default, or databases next to the one
DATABASE_URL names (``<name>_bench_<label>``) on PostgreSQL. The portal's own database is
never touched.

An empty database is migrated once; each size is a copy of it (a file copy on SQLite,
``CREATE DATABASE ... TEMPLATE`` on PostgreSQL), so no size pays for the migrations.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SQLITE_SUFFIXES = ("", "-wal", "-shm", "-journal")


@dataclass
class Databases:
    """Names and creates the bench databases for one engine."""

    url: str  # the portal's DATABASE_URL ("" for the embedded SQLite default)
    folder: Path = ROOT / "var" / "bench"

    @property
    def engine(self) -> str:
        scheme = urlsplit(self.url).scheme if self.url else "sqlite"
        if scheme.startswith("postgres") or scheme in ("pgsql", "postgis"):
            return "postgresql"
        if scheme.startswith("sqlite"):
            return "sqlite"
        raise ValueError(f"The benchmarks run on SQLite or PostgreSQL, not {scheme!r}.")

    # --- names -------------------------------------------------------------------------

    def url_for(self, label: str) -> str:
        if self.engine == "sqlite":
            return f"sqlite:///{self._sqlite_path(label)}"
        parts = urlsplit(self.url)
        return urlunsplit(parts._replace(path="/" + self._pg_name(label)))

    def _sqlite_path(self, label: str) -> Path:
        return self.folder / f"{label}.sqlite3"

    def _pg_name(self, label: str) -> str:
        base = urlsplit(self.url).path.lstrip("/") or "portal"
        return f"{base}_bench_{label}"

    # --- life cycle --------------------------------------------------------------------

    def drop(self, label: str) -> None:
        if self.engine == "sqlite":
            for suffix in SQLITE_SUFFIXES:
                Path(f"{self._sqlite_path(label)}{suffix}").unlink(missing_ok=True)
            return
        self._pg_admin(f'DROP DATABASE IF EXISTS "{self._pg_name(label)}" WITH (FORCE)')

    def create_migrated(self, label: str) -> str:
        """A new, migrated, empty database; returns its URL."""
        self.drop(label)
        if self.engine == "sqlite":
            self.folder.mkdir(parents=True, exist_ok=True)
        else:
            self._pg_admin(f'CREATE DATABASE "{self._pg_name(label)}"')
        url = self.url_for(label)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env=child_env(url),
            check=True,
        )
        if self.engine == "sqlite":
            # Fold the write-ahead log into the file, so a copy of the file is whole.
            with sqlite3.connect(self._sqlite_path(label)) as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                conn.execute("PRAGMA journal_mode=DELETE")
        return url

    def clone(self, source: str, label: str) -> str:
        """A copy of database ``source`` (nobody may be connected to it); returns its URL."""
        self.drop(label)
        if self.engine == "sqlite":
            shutil.copyfile(self._sqlite_path(source), self._sqlite_path(label))
        else:
            self._pg_admin(
                f'CREATE DATABASE "{self._pg_name(label)}" TEMPLATE "{self._pg_name(source)}"'
            )
        return self.url_for(label)

    def version(self) -> str:
        if self.engine == "sqlite":
            return f"SQLite {sqlite3.sqlite_version}"
        return "PostgreSQL " + self._pg_admin("SHOW server_version", fetch=True).split(" ")[0]

    def _pg_admin(self, sql: str, *, fetch: bool = False) -> str:
        import psycopg2

        parts = urlsplit(self.url)
        conn = psycopg2.connect(
            dbname="postgres",
            user=parts.username or None,
            password=parts.password or None,
            host=parts.hostname or None,
            port=parts.port or None,
        )
        try:
            conn.autocommit = True
            with conn.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchone()[0] if fetch else ""
        finally:
            conn.close()


def child_env(database_url: str) -> dict[str, str]:
    """The environment of a measurement process: bench settings on one bench database."""
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    env["DATABASE_URL"] = database_url
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("PYTHONHASHSEED", "0")
    return env
