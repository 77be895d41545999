from django import template

from core.permissions import user_may
from core.text import markdown_to_html

register = template.Library()


@register.filter
def markdown(text: str):
    return markdown_to_html(text)


@register.simple_tag(takes_context=True)
def may(context, action: str, obj=None) -> bool:
    return user_may(context["request"].user, action, obj)
