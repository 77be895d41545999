"""Searching meetings, notes and action items."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.views_helpers import require
from meetings import selectors
from meetings.forms import SearchForm


@require_GET
@require("meeting.list")
def search(request):
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    results = selectors.meetings_search(user=request.user, query=query)
    return render(
        request,
        "meetings/search.html",
        {"form": form, "query": query, **results},
        status=200 if form.is_valid() or not request.GET else 400,
    )
