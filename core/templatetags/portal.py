from django import template

from core.permissions import user_may
from core.services.signin import link_signs_in
from core.text import markdown_to_html

register = template.Library()


@register.filter
def markdown(text: str):
    return markdown_to_html(text)


@register.simple_tag(takes_context=True)
def may(context, action: str, obj=None) -> bool:
    return user_may(context["request"].user, action, obj)


@register.filter
def signs_in_by_link(user) -> bool:
    """Whether links e-mailed to ``user`` sign them in (not for coordinators and staff)."""
    return link_signs_in(user)
