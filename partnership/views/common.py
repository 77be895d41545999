"""What the partnership pages share."""

from urllib.parse import urlencode

from django.core.paginator import Paginator

PAGE_SIZE = 25


def list_page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def querystring(request) -> str:
    """The current filters, without the page number, for the pagination links."""
    return urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])
