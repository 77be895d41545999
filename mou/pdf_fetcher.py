"""The URL fetcher WeasyPrint uses for MOU PDFs: nothing from the network.

It serves ``data:`` URIs and the project's own static files (read from disk), and refuses
every other URL. Imported only where a PDF is rendered (WeasyPrint is heavy).
"""

import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.contrib.staticfiles import finders
from weasyprint import URLFetcher


class FetchRefused(ValueError):
    pass


def _static_roots() -> list[Path]:
    roots = []
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(Path(location).resolve())
    return roots


def static_file_uri(path: str) -> str:
    """A file: URI for one of the project's static files, for use inside PDF templates."""
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(path)
    return Path(found).resolve().as_uri()


class StaticOnlyFetcher(URLFetcher):
    """Serves data: URIs and files under the static folders; refuses every other URL."""

    def __init__(self, **kwargs):
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False, **kwargs)
        self.refused: list[str] = []
        self._roots = _static_roots()

    def fetch(self, url, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(unquote(urlsplit(url).path)).resolve()
            if any(path.is_relative_to(root) for root in self._roots) and path.is_file():
                return super().fetch(url, headers)
        self.refused.append(url)
        raise FetchRefused(f"The PDF renderer fetches nothing outside the portal: {url}")


# WeasyPrint reports each rendering step at INFO; the worker's log needs only problems.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
