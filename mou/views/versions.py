"""MOU versions and role templates: list, create, edit, open."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from core.forms import errors_into_form
from core.permissions import is_coordinator
from core.services.submissions import submission_once
from core.views_helpers import form_sent_before, form_token, request_actor, require
from mou import selectors, services
from mou.exceptions import MouError
from mou.forms import RoleTemplateForm, VersionForm
from mou.models import MouVersion, RoleBlock, RoleTemplate
from mou.views.common import BLOCKS_PER_PAGE, VERSIONS_PER_PAGE, version_for
from partnership.models import Partner, PartnerKind
from partnership.selectors import partner_leads_active

# A superseded version may have been frozen before it was replaced.
SIGNING_STATUSES = (
    MouVersion.Status.FROZEN,
    MouVersion.Status.EXECUTED,
    MouVersion.Status.SUPERSEDED,
)

# Role templates change only until the version is frozen.
TEMPLATE_EDITABLE = (MouVersion.Status.DRAFT, MouVersion.Status.OPEN)

# --- versions ----------------------------------------------------------------------------


@require("mou.list")
@require_GET
def version_list(request):
    page = Paginator(selectors.versions_for_user(user=request.user), VERSIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "mou/version_list.html", {"page": page})


def _version_form_page(request, form, *, version=None, status=200):
    return render(
        request, "mou/version_form.html", {"form": form, "version": version}, status=status
    )


@require("mou.version.manage")
@require_http_methods(["GET", "POST"])
def version_create(request):
    if request.method == "GET":
        latest = MouVersion.objects.exclude(status=MouVersion.Status.DRAFT).first()
        return _version_form_page(request, VersionForm(initial={"previous": latest}))
    if earlier := form_sent_before(request):
        return redirect(earlier)
    form = VersionForm(request.POST)
    if form.is_valid():
        actor = request_actor(request)
        try:
            done = submission_once(
                token=form_token(request),
                user=request.user,
                create=lambda: services.version_create(
                    actor=actor,
                    title=form.cleaned_data["title"],
                    shared_text=form.cleaned_data["shared_text"],
                    deadline=form.cleaned_data["deadline"],
                    previous=form.cleaned_data["previous"],
                    start_from_previous=bool(form.cleaned_data.get("start_from_previous")),
                ),
                url_of=lambda version: version.get_absolute_url(),
            )
        except ValidationError as error:
            errors_into_form(form, error)
        else:
            if done.result is not None:
                messages.success(
                    request,
                    f"Draft “{done.result.title}” created. Review its role "
                    "templates, then open it to partners.",
                )
            return redirect(done.url)
    return _version_form_page(request, form, status=400)


@require("mou.version.manage")
@require_http_methods(["GET", "POST"])
def version_edit(request, pk: int):
    version = version_for(request, pk, "mou.version.manage")
    if version.status not in {MouVersion.Status.DRAFT, MouVersion.Status.OPEN}:
        messages.error(request, "This version can no longer change; make a new version instead.")
        return redirect(version)
    if request.method == "GET":
        return _version_form_page(request, VersionForm(instance=version), version=version)
    form = VersionForm(request.POST, instance=version)
    if form.is_valid():
        try:
            services.version_update(
                version=version,
                actor=request_actor(request),
                title=form.cleaned_data["title"],
                shared_text=form.cleaned_data["shared_text"],
                deadline=form.cleaned_data["deadline"],
                previous=form.cleaned_data["previous"],
            )
        except ValidationError as error:
            errors_into_form(form, error)
        except MouError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Version saved.")
            return redirect(version)
    version.refresh_from_db()
    return _version_form_page(request, form, version=version, status=400)


@require("mou.version.manage")
@require_http_methods(["GET", "POST"])
def version_delete(request, pk: int):
    version = version_for(request, pk, "mou.version.manage")
    if request.method == "POST" and version.status == MouVersion.Status.DRAFT:
        try:
            services.version_delete(version=version, actor=request_actor(request))
        except MouError as error:
            return _delete_page(request, version, problem=str(error), status=409)
        messages.success(request, f"Draft “{version.title}” deleted.")
        return redirect("mou:version_list")
    if version.status != MouVersion.Status.DRAFT:
        return _delete_page(
            request,
            version,
            problem=f"This version is {version.get_status_display().lower()}: only a draft "
            "can be deleted. Opened versions keep their blocks and history.",
            status=409,
        )
    return _delete_page(request, version)


def _delete_page(request, version, *, problem="", status=200):
    return render(
        request,
        "mou/version_delete.html",
        {"version": version, "problem": problem},
        status=status,
    )


DRAFT_PDF_STATUSES = (MouVersion.Status.DRAFT, MouVersion.Status.OPEN)


@require("mou.list")
@require_GET
def version_detail(request, pk: int):
    version = version_for(request, pk)
    context = {"version": version}
    if version.status in SIGNING_STATUSES:
        frozen = selectors.frozen_for_version(version=version)
        context.update(frozen=frozen, executed=selectors.executed_pdf_for(frozen=frozen))
    if is_coordinator(request.user):
        status = request.GET.get("status") or ""
        if status not in RoleBlock.Status.values:
            status = ""
        blocks = selectors.version_blocks(version=version, user=request.user, status=status or None)
        context.update(
            counts=selectors.version_status_counts(version=version),
            page=Paginator(blocks, BLOCKS_PER_PAGE).get_page(request.GET.get("page")),
            status=status,
            querystring=f"status={status}" if status else "",
        )
    else:
        context["my_blocks"] = selectors.blocks_of_user(version=version, user=request.user)
    if version.status in DRAFT_PDF_STATUSES:
        # The live blocks as a draft PDF, as on the whole-MOU page (frozen ones have theirs).
        context.update(
            offer_draft_pdf=True,
            draft=selectors.draft_pdf_latest(version=version, user=request.user),
        )
    return render(request, "mou/version_detail.html", context)


@require("mou.version.manage")
@require_http_methods(["GET", "POST"])
def version_open(request, pk: int):
    version = version_for(request, pk, "mou.version.manage")
    if request.method == "POST":
        try:
            blocks = services.version_open(version=version, actor=request_actor(request))
        except ValidationError as error:
            problems = [p for ps in error.message_dict.values() for p in ps]
            return _open_page(request, version, problems=problems, status=400)
        except MouError as error:
            return _open_page(request, version, problems=[str(error)], status=409)
        messages.success(
            request,
            f"“{version.title}” is open: {len(blocks)} partners have a block and their leads "
            "have been e-mailed a link to it.",
        )
        return redirect(version)
    return _open_page(request, version)


def _open_page(request, version, *, problems=(), status=200):
    active = Partner.objects.filter(status=Partner.Status.ACTIVE)
    context = {
        "version": version,
        "problems": problems,
        "partner_count": active.count(),
        "lead_count": partner_leads_active(partners=active).count(),
        "deadline_passed": version.deadline <= timezone.now(),
    }
    return render(request, "mou/version_open.html", context, status=status)


# --- role templates --------------------------------------------------------------------


@require("mou.version.manage")
@require_GET
def template_list(request, pk: int):
    version = version_for(request, pk, "mou.version.manage")
    templates = {t.kind: t for t in RoleTemplate.objects.filter(version=version)}
    rows = [(value, label, templates.get(value)) for value, label in PartnerKind.choices]
    return render(request, "mou/template_list.html", {"version": version, "rows": rows})


@require("mou.version.manage")
@require_http_methods(["GET", "POST"])
def template_edit(request, pk: int, kind: str):
    version = version_for(request, pk, "mou.version.manage")
    if kind not in PartnerKind.values:
        raise Http404("No such partner kind")
    template = RoleTemplate.objects.filter(version=version, kind=kind).first()
    kind_label = PartnerKind(kind).label
    if version.status not in TEMPLATE_EDITABLE:
        # No form at all: a frozen version's guidance is a record, not a draft.
        return render(
            request,
            "mou/template_readonly.html",
            {
                "version": version,
                "template": template,
                "kind_label": kind_label,
                "refused": request.method == "POST",
            },
            status=409 if request.method == "POST" else 200,
        )
    if request.method == "GET":
        initial = {} if template else {"title": f"{kind_label} partner"}
        form = RoleTemplateForm(instance=template, initial=initial)
        return render(
            request,
            "mou/template_form.html",
            {"version": version, "form": form, "kind_label": kind_label},
        )
    form = RoleTemplateForm(request.POST, instance=template)
    if form.is_valid():
        try:
            services.role_template_save(
                version=version,
                kind=kind,
                actor=request_actor(request),
                data=form.cleaned_data,
            )
        except ValidationError as error:
            errors_into_form(form, error)
        except MouError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Template for {kind_label.lower()} partners saved.")
            return redirect("mou:template_list", pk=version.pk)
    return render(
        request,
        "mou/template_form.html",
        {"version": version, "form": form, "kind_label": kind_label},
        status=400,
    )
