"""Untrusted text: Markdown rendered to HTML with markdown-it-py and sanitized with nh3.

Markdown is converted when it is saved, never when it is read: each model with Markdown
fields lists them in ``MARKDOWN_FIELDS`` and keeps ``<field>_html`` beside each source with
one ``markdown_version``. The services call ``markdown_cook`` before they save; templates
show ``markdown_cooked`` (the ``cooked`` filter), which renders again only for a row written
by an older renderer, until ``manage.py markdown_rerender`` has brought it up to date.
"""

import threading
from collections.abc import Iterable
from zoneinfo import ZoneInfo

import nh3
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext
from markdown_it import MarkdownIt

# Bump when the parser, its options or the allow-list change: every stored HTML made by an
# older renderer is then stale (shown by rendering on read) until markdown_rerender runs.
# 0 is a row never rendered; 1 was Python-Markdown.
MARKDOWN_VERSION = 2

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "u", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "h2", "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody",
    "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": set()}


def clean_text(value: str) -> str:
    """Strip characters that have no place in typed text (NUL and other controls)."""
    return "".join(ch for ch in value if ch in "\n\t" or ch >= " " and ch != "\x7f")


_parsers = threading.local()


def _any_link(url: str) -> bool:
    # nh3's url_schemes is the one rule for addresses: it drops a bad href, keeping the words.
    return True


def _parser() -> MarkdownIt:
    """One parser per thread. CommonMark has no super-linear case in markdown-it (its
    authors run the spec's pathological inputs; ``make bench`` times ours).

    As before, typed HTML is read inline (``<b>`` stays bold) and reaches the page only
    through nh3's allow-list below; there are no raw HTML blocks, so a line that starts
    with a tag is still Markdown. Every link is made and nh3 alone decides its address
    (a ``javascript:`` link keeps its words and loses its href), as before. Tables are on
    as before; no linkify: bare URLs stayed text before."""
    parser = getattr(_parsers, "markdown", None)
    if parser is None:
        parser = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
        parser.enable("table")
        parser.disable("html_block")
        parser.validateLink = _any_link
        _parsers.markdown = parser
    return parser


def markdown_render(text: str) -> str:
    """Sanitized HTML of ``text``. Costly on purpose only once: call it when saving."""
    html = _parser().render(text or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def markdown_to_html(text: str) -> SafeString:
    return mark_safe(markdown_render(text))  # noqa: S308 - sanitized by nh3


def markdown_html_field(source: str) -> models.TextField:
    """The column that keeps a Markdown field's sanitized HTML, written by the services."""
    return models.TextField(
        f"{source} (HTML)", blank=True, editable=False, help_text=f"Rendered from {source}."
    )


def markdown_version_field() -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        "Markdown renderer version",
        default=0,
        editable=False,
        help_text="The renderer that made the stored HTML; older ones are re-rendered.",
    )


def markdown_cook(*, obj: models.Model, fields: Iterable[str] | None = None) -> list[str]:
    """Render ``fields`` (all of the model's ``MARKDOWN_FIELDS`` when None, or when the row
    was rendered by an older renderer) into their ``_html`` columns and stamp the version.
    Returns the columns written, for ``update_fields``."""
    names = tuple(obj.MARKDOWN_FIELDS)
    if fields is not None and obj.markdown_version == MARKDOWN_VERSION:
        names = tuple(name for name in names if name in set(fields))
    for name in names:
        setattr(obj, f"{name}_html", markdown_render(getattr(obj, name)))
    obj.markdown_version = MARKDOWN_VERSION
    return [f"{name}_html" for name in names] + ["markdown_version"]


def markdown_cooked(*, obj: models.Model, field: str) -> SafeString:
    """The stored HTML of ``obj.<field>``, sanitized when it was saved; for a row stored by
    an older renderer (or never rendered), the text rendered now."""
    if field not in obj.MARKDOWN_FIELDS:
        raise ValueError(f"{type(obj).__name__}.{field} is not a Markdown field")
    if obj.markdown_version == MARKDOWN_VERSION:
        return mark_safe(getattr(obj, f"{field}_html"))  # noqa: S308 - sanitized at save
    return markdown_to_html(getattr(obj, field))


def duration_words(seconds: int) -> str:
    """A link's lifetime as a person says it: "7 days", "1 day", "36 hours", "1 hour"."""
    days, rest = divmod(int(seconds), 86400)
    if days and not rest:
        return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
    hours = max(1, round(seconds / 3600))
    return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}


def people_count(n: int) -> str:
    """ "1 person", "3 people"."""
    return ngettext("%(n)d person", "%(n)d people", n) % {"n": n}


def possessive(name, apostrophe: str = "'") -> str:
    """A name made possessive as English writes it: "Lincoln High's", "Partners'",
    "St. James'" (a name ending in s takes the apostrophe alone). ``apostrophe`` is the
    mark the surrounding text uses (' or ’)."""
    name = str(name)
    if not name:
        return name
    return name + (apostrophe if name[-1] in "sS" else apostrophe + "s")


def moment_short(value) -> str:
    """A moment as a subject line says it, in the network's time zone and with the zone's
    abbreviation: "Oct 15, 5:00 PM PDT" (never the zone's long name)."""
    if value is None:
        return ""
    local = timezone.localtime(value, ZoneInfo(settings.TIME_ZONE))
    return date_format(local, "M j, g:i A T")


def shortened(text, limit: int) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis, for a subject line."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
