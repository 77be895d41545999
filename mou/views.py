"""MOU pages: parse the request, call one service or selector, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.permissions import is_coordinator, user_may
from core.views_helpers import check, require
from mou import selectors, services
from mou.exceptions import EditingClosed, MouError, NotAllowed, StaleRevision
from mou.forms import (
    AcceptForm,
    BlockForm,
    DiffForm,
    ExtensionForm,
    RequestChangesForm,
    RoleTemplateForm,
    VersionForm,
)
from mou.models import DraftPdf, MouVersion, RoleBlock, RoleTemplate
from mou.rules import block_closed_reason, block_missing_fields, field_label, network_zone
from partnership.models import Membership, Partner, PartnerKind

BLOCKS_PER_PAGE = 50
VERSIONS_PER_PAGE = 20
HISTORY_PER_PAGE = 50


def _version(request, pk: int, action: str = "mou.version.view") -> MouVersion:
    version = get_object_or_404(MouVersion.objects.select_related("previous"), pk=pk)
    check(request, action, version)
    return version


def _apply_errors(form, error: ValidationError) -> None:
    for name, problems in error.message_dict.items():
        target = name if name in form.fields else None
        for problem in problems:
            form.add_error(target, problem)


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
    form = VersionForm(request.POST)
    if form.is_valid():
        try:
            version = services.version_create(
                user=request.user,
                title=form.cleaned_data["title"],
                shared_text=form.cleaned_data["shared_text"],
                deadline=form.cleaned_data["deadline"],
                previous=form.cleaned_data["previous"],
                request=request,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                f"Draft “{version.title}” created. Review its role "
                "templates, then open it to partners.",
            )
            return redirect(version)
    return _version_form_page(request, form, status=400)


@require("mou.version.manage")
@require_http_methods(["GET", "POST"])
def version_edit(request, pk: int):
    version = _version(request, pk, "mou.version.manage")
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
                user=request.user,
                title=form.cleaned_data["title"],
                shared_text=form.cleaned_data["shared_text"],
                deadline=form.cleaned_data["deadline"],
                previous=form.cleaned_data["previous"],
                request=request,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        except MouError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Version saved.")
            return redirect(version)
    version.refresh_from_db()
    return _version_form_page(request, form, version=version, status=400)


@require("mou.list")
@require_GET
def version_detail(request, pk: int):
    version = _version(request, pk)
    context = {"version": version}
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
    return render(request, "mou/version_detail.html", context)


@require("mou.version.manage")
@require_http_methods(["GET", "POST"])
def version_open(request, pk: int):
    version = _version(request, pk, "mou.version.manage")
    if request.method == "POST":
        try:
            blocks = services.version_open(version=version, user=request.user, request=request)
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
        "lead_count": Membership.objects.filter(
            partner__in=active, role=Membership.Role.LEAD, user__is_active=True
        ).count(),
        "deadline_passed": version.deadline <= timezone.now(),
    }
    return render(request, "mou/version_open.html", context, status=status)


# --- role templates --------------------------------------------------------------------


@require("mou.version.manage")
@require_GET
def template_list(request, pk: int):
    version = _version(request, pk, "mou.version.manage")
    templates = {t.kind: t for t in RoleTemplate.objects.filter(version=version)}
    rows = [(value, label, templates.get(value)) for value, label in PartnerKind.choices]
    return render(request, "mou/template_list.html", {"version": version, "rows": rows})


@require("mou.version.manage")
@require_http_methods(["GET", "POST"])
def template_edit(request, pk: int, kind: str):
    version = _version(request, pk, "mou.version.manage")
    if kind not in PartnerKind.values:
        raise Http404("No such partner kind")
    template = RoleTemplate.objects.filter(version=version, kind=kind).first()
    kind_label = PartnerKind(kind).label
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
                user=request.user,
                data=form.cleaned_data,
                request=request,
            )
        except ValidationError as error:
            _apply_errors(form, error)
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


# --- the block editor --------------------------------------------------------------------


def _block(request, version_pk: int, pk: int, action: str = "mou.block.view") -> RoleBlock:
    block = selectors.block_for_page(version_pk=version_pk, pk=pk)
    check(request, action, block)
    return block


def _editor_context(request, block: RoleBlock, *, form=None, **extra) -> dict:
    template = selectors.block_template(block=block)
    may_write = user_may(request.user, "mou.block.write", block)
    closed = block_closed_reason(block)
    reviewer = user_may(request.user, "mou.block.review", block)
    if form is None:
        form = BlockForm(instance=block, initial={"revision": block.revision}, template=template)
    context = {
        "role_block": block,
        "version": block.version,
        "partner": block.partner,
        "template": template,
        "form": form,
        "may_write": may_write,
        "editable": may_write and closed is None,
        "closed_reason": closed,
        "reviewer": reviewer,
        "reviews": selectors.block_reviews(block=block),
        "missing": [field_label(name) for name in block_missing_fields(block)],
        "previous_block": block.carried_over_from,
        "request_changes_form": RequestChangesForm(),
        "accept_form": AcceptForm(),
        "extension_form": ExtensionForm(),
        "deadline_passed": timezone.now() > block.effective_deadline,
        "extended": block.effective_deadline != block.version.deadline,
        "sections": _sections(form),
    }
    context.update(extra)
    return context


def _sections(form) -> list[tuple[str, str, list]]:
    return [
        ("role", "Role in the partnership", [form[n] for n in RoleBlock.TEXT_FIELDS]),
        ("contact", "Point of contact", [form[n] for n in RoleBlock.CONTACT_FIELDS]),
        (
            "leader",
            "Signing leader: who in your organization would sign the agreement",
            [form[n] for n in RoleBlock.LEADER_FIELDS],
        ),
    ]


def _editor(request, block, *, status=200, **extra):
    return render(
        request, "mou/block_editor.html", _editor_context(request, block, **extra), status=status
    )


@require("mou.list")
@require_GET
def block_editor(request, version_pk: int, pk: int):
    block = _block(request, version_pk, pk)
    extra = {}
    if user_may(request.user, "mou.block.review", block):
        seen = block.seen_by.filter(user=request.user).first()
        if seen is not None and seen.revision < block.revision:
            extra["changed_since"] = seen
        services.block_mark_seen(block=block, user=request.user)
    return _editor(request, block, **extra)


def _conflict(request, block, error: StaleRevision, *, fragment: bool):
    rows = selectors.conflict_rows(block=error.block, submitted=error.submitted)
    context = {
        "role_block": error.block,
        "version": block.version,
        "partner": block.partner,
        "rows": rows,
        "error": str(error),
    }
    template = "mou/_conflict.html" if fragment else "mou/block_conflict.html"
    response = render(request, template, context, status=409)
    if fragment:
        response["HX-Trigger"] = "mou-conflict"
        response["HX-Retarget"] = "#conflict-area"
        response["HX-Reswap"] = "innerHTML"
    return response


@require("mou.list")
@require_POST
def block_save(request, version_pk: int, pk: int):
    """The editor's "Save draft" button (works without script)."""
    block = _block(request, version_pk, pk, "mou.block.write")
    template = selectors.block_template(block=block)
    form = BlockForm(request.POST, instance=block, template=template)
    if not form.is_valid():
        return _editor(request, block, form=form, status=400)
    try:
        services.block_save_draft(
            block=block,
            user=request.user,
            data=form.data_for_service(),
            expected_revision=form.cleaned_data["revision"],
            request=request,
        )
    except StaleRevision as error:
        return _conflict(request, block, error, fragment=False)
    except ValidationError as error:
        _apply_errors(form, error)
        return _editor(request, block, form=form, status=400)
    except (EditingClosed, NotAllowed) as error:
        return _editor(request, block, form=form, status=403, refused=str(error))
    messages.success(request, "Draft saved.")
    return redirect(block)


@require("mou.list")
@require_POST
def block_autosave(request, version_pk: int, pk: int):
    """htmx autosave: answers with a small status fragment."""
    block = _block(request, version_pk, pk, "mou.block.write")
    form = BlockForm(request.POST, instance=block)
    errors = None
    if form.is_valid():
        try:
            saved = services.block_save_draft(
                block=block,
                user=request.user,
                data=form.data_for_service(),
                expected_revision=form.cleaned_data["revision"],
                request=request,
            )
        except StaleRevision as error:
            return _conflict(request, block, error, fragment=True)
        except ValidationError as error:
            _apply_errors(form, error)
            errors = form.errors
        except (EditingClosed, NotAllowed) as error:
            response = render(
                request, "mou/_autosave_status.html", {"refused": str(error)}, status=403
            )
            response["HX-Trigger"] = "mou-closed"
            return response
        else:
            return render(
                request,
                "mou/_autosave_status.html",
                {
                    "role_block": saved,
                    "saved_at": timezone.localtime(
                        saved.last_edited_at or timezone.now(), network_zone()
                    ),
                    "changed": saved.revision != form.cleaned_data["revision"],
                },
            )
    return render(
        request,
        "mou/_autosave_status.html",
        {"errors": _error_list(errors or form.errors, form)},
        status=400,
    )


def _error_list(errors, form) -> list[tuple[str, str]]:
    rows = []
    for name, problems in errors.items():
        label = form.fields[name].label if name in form.fields else ""
        section = (
            "Signing leader"
            if name.startswith("signing_leader")
            else ("Contact" if name.startswith("contact") else "")
        )
        rows.extend((f"{section} {label}".strip().lower().capitalize(), p) for p in problems)
    return rows


@require("mou.list")
@require_POST
def block_submit(request, version_pk: int, pk: int):
    """Save what is in the form, then submit it for review."""
    block = _block(request, version_pk, pk, "mou.block.write")
    template = selectors.block_template(block=block)
    form = BlockForm(request.POST, instance=block, template=template)
    if not form.is_valid():
        return _editor(request, block, form=form, status=400)
    try:
        saved = services.block_save_draft(
            block=block,
            user=request.user,
            data=form.data_for_service(),
            expected_revision=form.cleaned_data["revision"],
            request=request,
        )
        services.block_submit(
            block=saved, user=request.user, expected_revision=saved.revision, request=request
        )
    except StaleRevision as error:
        return _conflict(request, block, error, fragment=False)
    except ValidationError as error:
        current = RoleBlock.objects.select_related("version", "partner").get(pk=block.pk)
        data = request.POST.copy()
        data["revision"] = str(current.revision)
        form = BlockForm(data, instance=current, template=template)
        form.is_valid()
        _apply_errors(form, error)
        failed = [(name, field_label(name)) for name in error.message_dict if name in form.fields]
        return _editor(
            request,
            selectors.block_for_page(version_pk=version_pk, pk=pk),
            form=form,
            status=400,
            submit_failed=True,
            failed_fields=failed,
        )
    except (EditingClosed, NotAllowed) as error:
        return _editor(request, block, form=form, status=403, refused=str(error))
    messages.success(
        request,
        "Thank you: your block is submitted for review. The coordinator "
        "will accept it or ask for changes.",
    )
    return redirect(block)


# --- review --------------------------------------------------------------------------------


def _review_refused(request, block, error: MouError, **forms):
    status = 403 if isinstance(error, NotAllowed) else 409
    return _editor(request, block, status=status, refused=str(error), **forms)


@require("mou.list")
@require_POST
def block_request_changes(request, version_pk: int, pk: int):
    block = _block(request, version_pk, pk, "mou.block.review")
    form = RequestChangesForm(request.POST)
    if form.is_valid():
        try:
            services.block_request_changes(
                block=block,
                user=request.user,
                comment=form.cleaned_data["comment"],
                request=request,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        except MouError as error:
            return _review_refused(request, block, error, request_changes_form=form)
        else:
            messages.success(request, f"Changes requested; {block.partner}'s leads are told.")
            return redirect(block)
    return _editor(request, block, status=400, request_changes_form=form, review_open=True)


@require("mou.list")
@require_POST
def block_accept(request, version_pk: int, pk: int):
    block = _block(request, version_pk, pk, "mou.block.review")
    form = AcceptForm(request.POST)
    if form.is_valid():
        try:
            services.block_accept(
                block=block,
                user=request.user,
                comment=form.cleaned_data["comment"],
                request=request,
            )
        except MouError as error:
            return _review_refused(request, block, error, accept_form=form)
        messages.success(request, f"{block.partner}'s block is accepted.")
        return redirect(block)
    return _editor(request, block, status=400, accept_form=form, review_open=True)


@require("mou.list")
@require_POST
def block_extension(request, version_pk: int, pk: int):
    block = _block(request, version_pk, pk, "mou.block.review")
    form = ExtensionForm(request.POST)
    if form.is_valid():
        try:
            services.block_extension_grant(
                block=block,
                user=request.user,
                until=form.cleaned_data["until"],
                comment=form.cleaned_data["comment"],
                request=request,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        except MouError as error:
            return _review_refused(request, block, error, extension_form=form)
        else:
            messages.success(request, f"{block.partner} may edit its block until the new date.")
            return redirect(block)
    return _editor(request, block, status=400, extension_form=form, review_open=True)


# --- history and differences ------------------------------------------------------------


@require("mou.list")
@require_GET
def block_history(request, version_pk: int, pk: int):
    block = _block(request, version_pk, pk)
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
        },
    )


@require("mou.list")
@require_GET
def block_diff(request, version_pk: int, pk: int):
    block = _block(request, version_pk, pk)
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


# --- the whole MOU and its draft PDF -----------------------------------------------------


@require("mou.list")
@require_GET
def document(request, pk: int):
    version = _version(request, pk)
    return render(request, "mou/document.html", selectors.document_for(version=version))


@require("mou.list")
@require_http_methods(["GET", "POST"])
def document_pdf(request, pk: int):
    version = _version(request, pk)
    if request.method == "POST":
        draft = services.draft_pdf_request(version=version, user=request.user, request=request)
        return (
            redirect("mou:document_pdf", pk=version.pk)
            if not request.htmx
            else render(request, "mou/_pdf_status.html", {"version": version, "draft": draft})
        )
    draft = selectors.draft_pdf_latest(version=version)
    return render(request, "mou/document_pdf.html", {"version": version, "draft": draft})


@require("mou.list")
@require_GET
def document_pdf_status(request, pk: int, draft_pk: int):
    version = _version(request, pk)
    draft = get_object_or_404(DraftPdf, pk=draft_pk, version=version)
    return render(request, "mou/_pdf_status.html", {"version": version, "draft": draft})


@require("mou.list")
@require_GET
def document_pdf_download(request, pk: int, draft_pk: int):
    version = _version(request, pk)
    draft = get_object_or_404(DraftPdf, pk=draft_pk, version=version, status=DraftPdf.Status.READY)
    if not draft.file:
        raise Http404("The file is missing")
    response = FileResponse(
        draft.file.open("rb"),
        as_attachment=True,
        filename=f"MOU v{version.number} draft.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response
