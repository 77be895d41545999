"""Typed text on meeting pages sits under the page's own section headings."""

import re

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# Sanitized HTML (nh3 allows no attribute on a heading): the exact tags are all there is.
HEADING = re.compile(r"<(/?)h([2-6])>")
HEADING_LEVEL = re.compile(r"<h([2-6])>")


@register.filter
def headings_below(html: SafeString, level: int = 2) -> SafeString:
    """Shift the headings of stored Markdown HTML below a section heading of ``level``: a
    "## Notes" (or a "### Notes") typed in the notes becomes a level-3 heading the size of
    body headings, never larger than the section's own. The tags change, the text does not."""

    levels = [int(found) for found in HEADING_LEVEL.findall(str(html))]
    if not levels:
        return html
    # The highest heading typed becomes one below the section's; the others keep their
    # distance to it, so no level is skipped that the text did not skip itself.
    offset = level + 1 - min(levels)

    def shift(match: re.Match) -> str:
        new = max(level + 1, min(int(match.group(2)) + offset, 6))
        if match.group(1):
            return f"</h{new}>"
        return f'<h{new} class="fs-6 fw-semibold">'

    return mark_safe(HEADING.sub(shift, str(html)))  # noqa: S308 - only tags sanitized already
