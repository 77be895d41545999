"""Which MOU version the coordinator dashboard shows."""

from mou.models import MouVersion
from mou.selectors import versions_for_picker


def dashboard_versions() -> list[MouVersion]:
    """Every version, newest first, for the picker (one query)."""
    return versions_for_picker()


def dashboard_version_pick(*, versions: list[MouVersion], wanted: str | None) -> MouVersion | None:
    """The version asked for, else the newest open one, else the newest of all."""
    if wanted and wanted.isdigit():
        for version in versions:
            if version.pk == int(wanted):
                return version
    for version in versions:
        if version.status == MouVersion.Status.OPEN:
            return version
    return versions[0] if versions else None
