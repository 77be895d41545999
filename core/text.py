"""Untrusted text: Markdown rendered to HTML and sanitized with nh3 (Ammonia)."""

import threading

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "u", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "h2", "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody",
    "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": set()}


def clean_text(value: str) -> str:
    """Strip characters that have no place in typed text (NUL and other controls)."""
    return "".join(ch for ch in value if ch in "\n\t" or ch >= " " and ch != "\x7f")


_converters = threading.local()


def _converter() -> md.Markdown:
    """One converter per thread, reset before each text: building one loads its extensions
    again, which cost as much as the conversion (the whole MOU converts thousands)."""
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        converter = md.Markdown(extensions=["extra", "sane_lists"], output_format="html")
        _converters.markdown = converter
    return converter


def markdown_to_html(text: str) -> SafeString:
    html = _converter().reset().convert(text or "")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitized by nh3 just above
