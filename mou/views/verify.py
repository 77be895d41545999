"""The public verify page: is this PDF (or this SHA-256) an executed MOU of this portal?"""

import hashlib

from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from core.ratelimit import ratelimit_hit
from core.views_helpers import client_ip
from mou import selectors
from mou.forms_signing import VERIFY_MAX_BYTES, VerifyForm

VERIFY_PER_IP_PER_HOUR = 30
# The multipart envelope around the file is small; anything larger is refused unread.
ENVELOPE = 64 * 1024


def _page(request, form, *, result=None, problem="", status=200):
    response = render(
        request,
        "mou/verify.html",
        {"form": form, "result": result, "problem": problem, "max_mb": VERIFY_MAX_BYTES >> 20},
        status=status,
    )
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
@require_http_methods(["GET", "POST"])
def verify(request):
    """Public, no sign-in. The request's size is checked before anything reads the body
    (the CSRF check would parse a 50 MB upload), then CSRF is checked as usual."""
    if request.method == "POST":
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > VERIFY_MAX_BYTES + ENVELOPE:
            return _page(
                request,
                VerifyForm(),
                problem=f"That file is too large: an executed MOU is far smaller than "
                f"{VERIFY_MAX_BYTES >> 20} MB.",
                status=400,
            )
    return _verify(request)


@csrf_protect
def _verify(request):
    if request.method == "GET":
        return _page(request, VerifyForm())
    if not ratelimit_hit(
        scope="mou-verify", ident=client_ip(request) or "", limit=VERIFY_PER_IP_PER_HOUR
    ):
        return _page(
            request,
            VerifyForm(),
            problem="Too many checks from your address in the last hour. Try again later.",
            status=429,
        )
    form = VerifyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form, status=400)
    upload = form.cleaned_data.get("pdf")
    if upload is not None:
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        sha256, checked = digest.hexdigest(), "file"
        record = selectors.executed_pdf_by_hash(sha256=sha256)
        matched = "file" if record is not None else ""
    else:
        sha256, checked = form.cleaned_data["sha256"], "hash"
        record, matched = selectors.executed_pdf_by_any_hash(sha256=sha256)
    result = {
        "genuine": record is not None,
        "record": record,
        "sha256": sha256,
        "checked": checked,
        "matched": matched,
    }
    if record is not None:
        result["version"] = record.frozen.version
    return _page(request, VerifyForm(), result=result)
