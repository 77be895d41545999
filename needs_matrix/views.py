"""The matrix pages: grid, summary, a partner's row, categories, exports and import."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import errors_into_form
from core.permissions import user_may
from core.text import possessive
from core.views_helpers import check, request_actor, require
from needs_matrix import exports, selectors, services
from needs_matrix.forms import (
    CategoryForm,
    CategoryGroupForm,
    MatrixFilterForm,
    MatrixImportForm,
    RowForm,
    row_field_of,
)
from needs_matrix.models import Category, CategoryGroup
from needs_matrix.services.importing import MAX_PROBLEMS_LISTED, MatrixImportInvalid
from partnership.models import Partner

LEGEND = [
    ("cell-need", "Need · high", "needs it, with its priority"),
    ("cell-contribute", "Contributes", "can contribute it"),
    ("cell-both", "Both · medium", "needs it and can contribute it"),
    ("cell-not-assessed", "—", "not assessed (not the same as “no”)"),
]


def _filter_status(form: MatrixFilterForm) -> int:
    """400 when a filter value is not understood: the page says which, shows the form
    again and leaves that value out (as the dashboard does)."""
    return 400 if form.problems() else 200


@require_GET
@require("matrix.view")
def grid(request):
    form = MatrixFilterForm(request.GET or None)
    data = selectors.matrix_grid(filters=form.filters(), page_number=request.GET.get("page"))
    return render(
        request,
        "needs_matrix/matrix_grid.html",
        {
            "form": form,
            "grid": data,
            "page": data.page,
            "querystring": form.querystring(),
            "legend": LEGEND,
            "own_partners": selectors.own_partners(user=request.user),
        },
        status=_filter_status(form),
    )


@require_GET
@require("matrix.view")
def summary(request):
    form = MatrixFilterForm(request.GET or None, with_retired=False)
    data = selectors.matrix_summary(filters=form.filters())
    return render(
        request,
        "needs_matrix/matrix_summary.html",
        {"form": form, "summary": data, "querystring": form.querystring()},
        status=_filter_status(form),
    )


@require_http_methods(["GET", "POST"])
@require("matrix.view")
def row_edit(request, partner_pk: int):
    partner = get_object_or_404(Partner, pk=partner_pk)
    check(request, "matrix.row_view", partner)
    row = selectors.partner_row(partner=partner)
    may_edit = user_may(request.user, "matrix.row_edit", partner)
    if request.method == "POST":
        check(request, "matrix.row_edit", partner)
        form = RowForm(request.POST, row=row)
        if form.is_valid():
            try:
                changed = services.row_save(
                    partner=partner, values=form.values(), actor=request_actor(request)
                )
            except ValidationError as exc:
                errors_into_form(form, exc, field_of=row_field_of)
            else:
                if changed:
                    messages.success(
                        request,
                        f"Saved {len(changed)} change{'s' if len(changed) != 1 else ''} "
                        f"to {possessive(partner.name)} row.",
                    )
                else:
                    messages.info(request, "Nothing had changed.")
                return redirect("needs_matrix:row_edit", partner_pk=partner.pk)
        status = 400
    else:
        form = RowForm(row=row)
        status = 200
    return render(
        request,
        "needs_matrix/row_edit.html",
        {"partner": partner, "row": row, "form": form, "may_edit": may_edit},
        status=status,
    )


@require_GET
@require("matrix.view")
def row_history(request, partner_pk: int):
    partner = get_object_or_404(Partner, pk=partner_pk)
    check(request, "matrix.row_view", partner)
    page = Paginator(
        selectors.row_history_records(partner=partner), selectors.ROW_HISTORY_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "needs_matrix/row_history.html",
        {"partner": partner, "page": page, "items": selectors.row_history_items(page)},
    )


# --- categories (coordinator) ---------------------------------------------------------


@require_GET
@require("matrix.manage")
def category_list(request):
    return render(
        request,
        "needs_matrix/category_list.html",
        {"groups": selectors.groups_with_categories()},
    )


@require_http_methods(["GET", "POST"])
@require("matrix.manage")
def category_create(request):
    initial = {}
    if request.GET.get("group"):
        initial["group"] = request.GET["group"]
    form = CategoryForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                category = services.category_create(
                    actor=request_actor(request), **form.cleaned_data
                )
            except ValidationError as exc:  # the same name saved at the same moment
                form.add_error(None, exc)
            else:
                messages.success(request, f"Category “{category.name}” created.")
                return redirect("needs_matrix:category_list")
        return _category_form(request, form, None, status=400)
    return _category_form(request, form, None)


@require_http_methods(["GET", "POST"])
@require("matrix.manage")
def category_edit(request, pk: int):
    category = get_object_or_404(Category, pk=pk)
    form = CategoryForm(request.POST or None, instance=category)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.category_update(
                    category=category, actor=request_actor(request), **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"Category “{category.name}” saved.")
                return redirect("needs_matrix:category_list")
        return _category_form(request, form, category, status=400)
    return _category_form(request, form, category)


def _category_form(request, form, category, status=200):
    return render(
        request,
        "needs_matrix/category_form.html",
        {"form": form, "category": category},
        status=status,
    )


@require_POST
@require("matrix.manage")
def category_retire(request, pk: int):
    category = get_object_or_404(Category, pk=pk)
    services.category_retire(category=category, actor=request_actor(request))
    messages.success(request, f"“{category.name}” is retired. Its entries and history are kept.")
    return redirect("needs_matrix:category_list")


@require_POST
@require("matrix.manage")
def category_restore(request, pk: int):
    category = get_object_or_404(Category, pk=pk)
    services.category_restore(category=category, actor=request_actor(request))
    messages.success(request, f"“{category.name}” is back in the matrix.")
    return redirect("needs_matrix:category_list")


@require_http_methods(["GET", "POST"])
@require("matrix.manage")
def group_create(request):
    return _group_form(request, None)


@require_http_methods(["GET", "POST"])
@require("matrix.manage")
def group_edit(request, pk: int):
    return _group_form(request, get_object_or_404(CategoryGroup, pk=pk))


def _group_form(request, group):
    form = CategoryGroupForm(request.POST or None, instance=group)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actor = request_actor(request)
                if group is None:
                    group = services.group_create(actor=actor, **form.cleaned_data)
                else:
                    services.group_update(group=group, actor=actor, **form.cleaned_data)
            except ValidationError as exc:  # the same name saved at the same moment
                form.add_error(None, exc)
            else:
                messages.success(request, f"Category group “{group.name}” saved.")
                return redirect("needs_matrix:category_list")
        status = 400
    return render(
        request, "needs_matrix/group_form.html", {"form": form, "group": group}, status=status
    )


# --- exports and import (coordinator) -------------------------------------------------


def _stamp() -> str:
    return timezone.localdate().isoformat()


def _export_form(request) -> tuple[MatrixFilterForm, HttpResponse | None]:
    """The page's filters for an export; a value not understood refuses the file (400)
    rather than export something else than what the coordinator asked for."""
    form = MatrixFilterForm(request.GET or None)
    problems = form.problems()
    if problems:
        return form, HttpResponse(
            "These filters cannot be used: " + "; ".join(problems),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    return form, None


@require_GET
@require("matrix.manage")
def export_csv(request):
    form, refused = _export_form(request)
    if refused:
        return refused
    response = StreamingHttpResponse(
        exports.matrix_csv_lines(filters=form.filters(), applied=form.applied()),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="needs-matrix-{_stamp()}.csv"'
    return response


@require_GET
@require("matrix.manage")
def export_xlsx(request):
    form, refused = _export_form(request)
    if refused:
        return refused
    response = HttpResponse(
        exports.matrix_xlsx_bytes(filters=form.filters(), applied=form.applied()),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="needs-matrix-{_stamp()}.xlsx"'
    return response


@require_http_methods(["GET", "POST"])
@require("matrix.manage")
def import_csv(request):
    form = MatrixImportForm(request.POST or None, request.FILES or None)
    problems = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = services.matrix_import_csv(
                    file=form.cleaned_data["file"], actor=request_actor(request)
                )
            except MatrixImportInvalid as exc:
                problems = exc.problems
            else:
                messages.success(
                    request,
                    f"Imported {result.rows} rows: {result.created} new, {result.updated} "
                    f"changed, {result.unchanged} unchanged.",
                )
                return redirect(reverse("needs_matrix:summary"))
        status = 400
    return render(
        request,
        "needs_matrix/import_form.html",
        {
            "form": form,
            "problems": problems[:MAX_PROBLEMS_LISTED],
            "more_problems": max(0, len(problems) - MAX_PROBLEMS_LISTED),
        },
        status=status,
    )
