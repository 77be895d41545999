from django import template

from core.permissions import user_may
from core.services.signin import link_signs_in
from core.text import markdown_cooked, moment_short, possessive
from core.validators import link_is_safe

register = template.Library()


@register.filter
def cooked(obj, field: str):
    """The HTML of ``obj``'s Markdown ``field``, stored (and sanitized) when it was saved:
    ``{{ role_block|cooked:"commitments" }}``. Pages never convert Markdown themselves."""
    return markdown_cooked(obj=obj, field=field)


@register.filter(name="possessive")
def possessive_filter(name, apostrophe: str = "'") -> str:
    """``{{ partner.name|possessive }}``: "Lincoln High's", "Partners'" (escaped as usual);
    ``{{ partner.name|possessive:"’" }}`` with a typographic apostrophe."""
    return possessive(name, apostrophe)


@register.filter
def short_moment(value) -> str:
    """``{{ deadline|short_moment }}``: "Oct 15, 5:00 PM PDT", in the network's time zone."""
    return moment_short(value)


@register.filter
def safe_link(url: str) -> str:
    """The stored link if a browser would open it on the web or on this site as written;
    "" otherwise (a link saved before links were checked), so the page shows it as text."""
    return url if link_is_safe(url) else ""


@register.simple_tag(takes_context=True)
def may(context, action: str, obj=None) -> bool:
    return user_may(context["request"].user, action, obj)


@register.filter
def signs_in_by_link(user) -> bool:
    """Whether links e-mailed to ``user`` sign them in (not for coordinators and staff)."""
    return link_signs_in(user)


@register.simple_tag
def form_token():
    """A hidden one-time token: the form's second submission finds the first one's result."""
    from django.utils.html import format_html

    from core.services.submissions import FORM_TOKEN_FIELD, form_token_new

    return format_html(
        '<input type="hidden" name="{}" value="{}">', FORM_TOKEN_FIELD, form_token_new()
    )
