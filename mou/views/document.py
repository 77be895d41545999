"""The whole MOU as a page, and its draft PDF."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core.views_helpers import request_actor, require
from mou import selectors, services
from mou.models import DraftPdf, MouVersion
from mou.views.common import version_for

# --- the whole MOU and its draft PDF -----------------------------------------------------


@require("mou.list")
@require_GET
def document(request, pk: int):
    version = version_for(request, pk)
    frozen = _frozen_record(version)
    if frozen is not None:
        # What was frozen is what is (being) signed: show that record, not the live blocks.
        return render(
            request,
            "mou/document_frozen.html",
            {
                "version": version,
                "frozen": frozen,
                "mou": selectors.signing_document(frozen=frozen),
                "executed": selectors.executed_pdf_for(frozen=frozen),
            },
        )
    return render(
        request, "mou/document.html", selectors.document_for(version=version, viewer=request.user)
    )


def _frozen_record(version):
    if version.status in (MouVersion.Status.DRAFT, MouVersion.Status.OPEN):
        return None
    return selectors.frozen_for_version(version=version)


@require("mou.list")
@require_http_methods(["GET", "POST"])
def document_pdf(request, pk: int):
    version = version_for(request, pk)
    if request.method == "POST":
        draft = services.draft_pdf_request(version=version, actor=request_actor(request))
        return (
            redirect("mou:document_pdf", pk=version.pk)
            if not request.htmx
            else render(request, "mou/_pdf_status.html", {"version": version, "draft": draft})
        )
    draft = selectors.draft_pdf_latest(version=version, user=request.user)
    return render(request, "mou/document_pdf.html", {"version": version, "draft": draft})


@require("mou.list")
@require_GET
def document_pdf_status(request, pk: int, draft_pk: int):
    version = version_for(request, pk)
    # A draft holds what its requester may read: it is theirs alone.
    draft = get_object_or_404(DraftPdf, pk=draft_pk, version=version, requested_by=request.user)
    return render(request, "mou/_pdf_status.html", {"version": version, "draft": draft})


@require("mou.list")
@require_GET
def document_pdf_download(request, pk: int, draft_pk: int):
    version = version_for(request, pk)
    draft = get_object_or_404(
        DraftPdf,
        pk=draft_pk,
        version=version,
        requested_by=request.user,
        status=DraftPdf.Status.READY,
    )
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
