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


@register.simple_tag
def form_token():
    """A hidden one-time token: the form's second submission finds the first one's result."""
    from django.utils.html import format_html

    from core.services.submissions import FORM_TOKEN_FIELD, form_token_new

    return format_html(
        '<input type="hidden" name="{}" value="{}">', FORM_TOKEN_FIELD, form_token_new()
    )
