from django import template

from core.permissions import user_may
from core.text import markdown_cooked

register = template.Library()


@register.filter
def cooked(obj, field: str):
    """The HTML of ``obj``'s Markdown ``field``, stored (and sanitized) when it was saved:
    ``{{ role_block|cooked:"commitments" }}``. Pages never convert Markdown themselves."""
    return markdown_cooked(obj=obj, field=field)


@register.simple_tag(takes_context=True)
def may(context, action: str, obj=None) -> bool:
    return user_may(context["request"].user, action, obj)
