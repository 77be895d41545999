"""The baseline page of the benchmarks: the base template rendered through the same
middleware, with the same session and user, and nothing of its own."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def baseline(request):
    if not getattr(settings, "BENCH_BASELINE", False):
        raise Http404("The baseline page exists only in benchmark runs.")
    return render(request, "base.html")
