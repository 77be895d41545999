"""A block's history and the differences between revisions."""

from django.core.paginator import Paginator
from django.db.models import Max
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.views_helpers import require
from mou import selectors, services
from mou.forms import DiffForm
from mou.models import RoleBlock
from mou.views.blocks import block_for
from mou.views.common import HISTORY_PER_PAGE

# --- history and differences ------------------------------------------------------------


@require("mou.list")
@require_GET
def block_history(request, version_pk: int, pk: int):
    block = block_for(request, version_pk, pk)
    page = Paginator(selectors.block_history(block=block), HISTORY_PER_PAGE).get_page(
        request.GET.get("page")
    )
    revisions = sorted(set(block.history.values_list("revision", flat=True)))
    return render(
        request,
        "mou/block_history.html",
        {
            "role_block": block,
            "version": block.version,
            "partner": block.partner,
            "page": page,
            "reviews": selectors.block_reviews(block=block),
            "revision_numbers": revisions,
            "fold_minutes": int(services.DRAFT_FOLD_WINDOW.total_seconds() // 60),
        },
    )


@require("mou.list")
@require_GET
def block_diff(request, version_pk: int, pk: int):
    block = block_for(request, version_pk, pk)
    form = DiffForm(request.GET)
    if not form.is_valid():
        return render(
            request,
            "mou/block_diff.html",
            {"role_block": block, "version": block.version, "form": form, "bad_request": True},
            status=400,
        )
    new = form.cleaned_data["new"]
    new = block.revision if new is None else new
    old = form.cleaned_data["old"]
    if old == "":
        old = max(new - 1, 0)
    new_snapshot = selectors.block_snapshot(block=block, revision=new)
    if new_snapshot is None:
        raise Http404("No such revision")
    if old == "previous":
        if block.carried_over_from is None:
            raise Http404("This block has no previous version")
        diffs = selectors.snapshot_diff(
            old={n: getattr(block.carried_over_from, n) for n in RoleBlock.CONTENT_FIELDS},
            new=new_snapshot,
        )
        old_label = f"{block.carried_over_from.version.title}"
    else:
        old_snapshot = selectors.block_snapshot(block=block, revision=old)
        if old_snapshot is None:
            raise Http404("No such revision")
        diffs = selectors.snapshot_diff(old=old_snapshot, new=new_snapshot)
        old_label = f"revision {old}"
    revisions = list(range(block.history.aggregate(n=Max("revision"))["n"] + 1))
    return render(
        request,
        "mou/block_diff.html",
        {
            "role_block": block,
            "version": block.version,
            "partner": block.partner,
            "diffs": diffs,
            "old": old,
            "new": new,
            "old_label": old_label,
            "revisions": revisions,
            "changed_count": sum(1 for d in diffs if d.changed),
            "form": form,
        },
    )
