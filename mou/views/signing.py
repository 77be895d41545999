"""Freezing a version, the coordinator's view of its signing round, the signing page a
signing link opens, and the executed PDF's download."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import errors_into_form
from core.services import reminders as engine
from core.views_helpers import check, request_actor, require
from mou import selectors, services
from mou.exceptions import MouError, OutOfOrder, SigningClosed
from mou.forms_signing import DeclineForm, FreezeForm, HandOverForm, SignForm
from mou.models import MouVersion, SignatureRequest
from mou.rules import LinkProblem, coordinator_contact, signing_link_problem
from mou.services.signing import signature_consent_text
from mou.views.common import version_for

# --- freeze ----------------------------------------------------------------------------------


def _freeze_page(request, version, form, candidates, *, problems=(), status=200):
    return render(
        request,
        "mou/version_freeze.html",
        {
            "version": version,
            "form": form,
            "problems": problems,
            "backbone_organization": settings.BACKBONE_ORGANIZATION,
            **candidates,
        },
        status=status,
    )


@require("mou.version.manage")
@require_http_methods(["GET", "POST"])
def version_freeze(request, pk: int):
    version = version_for(request, pk, "mou.version.manage")
    candidates = selectors.freeze_candidates(version=version)
    if request.method == "GET":
        # Three weeks to sign, closing at the end of a working day, is the usual round.
        closes = timezone.localtime(timezone.now() + timedelta(days=21)).replace(
            hour=17, minute=0, second=0, microsecond=0
        )
        form = FreezeForm(
            not_accepted=candidates["not_accepted"],
            initial={"countersigner_user": request.user, "signing_deadline": closes},
        )
        return _freeze_page(request, version, form, candidates)
    form = FreezeForm(request.POST, not_accepted=candidates["not_accepted"])
    if not form.is_valid():
        return _freeze_page(request, version, form, candidates, status=400)
    try:
        frozen = services.version_freeze(
            version=version,
            actor=request_actor(request),
            signing_deadline=form.cleaned_data["signing_deadline"],
            countersigner=form.countersigner(),
            leave_out=form.cleaned_data["leave_out"],
        )
    except ValidationError as error:
        errors_into_form(form, error)
        return _freeze_page(request, version, form, candidates, status=400)
    except MouError as error:
        return _freeze_page(request, version, form, candidates, problems=[str(error)], status=409)
    partners = len(frozen.partner_ids)
    messages.success(
        request,
        f"“{version.title}” is frozen. {partners} signing leader{'s' if partners != 1 else ''} "
        "have been e-mailed a personal signing link.",
    )
    return redirect("mou:signatures", pk=version.pk)


# --- the coordinator's view of the round -------------------------------------------------------


@require("mou.list")
@require_GET
def signatures(request, pk: int):
    version = version_for(request, pk, "mou.signatures.view")
    frozen = selectors.frozen_for_version(version=version)
    if frozen is None:
        raise Http404("This version has not been frozen.")
    requests = selectors.signature_requests(frozen=frozen)
    waiting = any(
        r.is_countersignature and selectors.countersignature_waiting(signature=r)
        for r in requests
        if r.status == SignatureRequest.Status.PENDING
    )
    context = {
        "version": version,
        "frozen": frozen,
        "requests": requests,
        "progress": selectors.signing_progress(requests=requests),
        "countersignature_waiting": waiting,
        "audit": selectors.signature_audit(frozen=frozen),
        "executed": selectors.executed_pdf_for(frozen=frozen),
    }
    return render(request, "mou/signatures.html", context)


@require("mou.list")
@require_POST
def signature_remind(request, pk: int, signature_pk: int):
    version = version_for(request, pk, "mou.signatures.view")
    signature = get_object_or_404(
        SignatureRequest.objects.select_related("frozen__version"),
        pk=signature_pk,
        frozen__version=version,
    )
    try:
        sent = engine.reminder_send_now(
            source="mou.signature",
            subject=signature,
            actor=request_actor(request),
            confirmed=request.POST.get("confirm") == "yes",
        )
    except engine.RecentlyReminded as recent:
        return render(
            request,
            "mou/signature_remind_confirm.html",
            {"version": version, "signature": signature, "last_at": recent.last_at},
            status=409,
        )
    except engine.ManualLimitReached as error:
        messages.error(request, str(error))
        return redirect("mou:signatures", pk=version.pk)
    if sent:
        messages.success(request, f"Reminder sent to {signature.signer_email}.")
    else:
        messages.info(request, f"No reminder is due for {signature.signer_name} now.")
    return redirect("mou:signatures", pk=version.pk)


@require("mou.list")
@require_GET
def executed_pdf(request, pk: int):
    version = get_object_or_404(MouVersion, pk=pk)
    frozen = selectors.frozen_for_version(version=version)
    if frozen is None:
        raise Http404("This version has not been frozen.")
    check(request, "mou.executed.download", frozen)
    record = selectors.executed_pdf_for(frozen=frozen)
    if record is None or not record.file:
        raise Http404("The executed PDF is not ready yet.")
    response = FileResponse(
        record.file.open("rb"),
        as_attachment=True,
        filename=f"MOU v{version.number} executed.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- the signing page (the signing link is the credential: no sign-in) -------------------------


def _private(response):
    # The token is in the address: no caches, no search engines, and no Referer to other
    # sites ("no-referrer" would make browsers send "Origin: null" and fail the CSRF check).
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def _problem_page(request, problem, *, link=None, token=""):
    context = {"problem": problem}
    if link is not None:
        # A used link still gives its signer their copy, until it expires.
        context.update(
            copy=selectors.signer_copy(link=link),
            signed=link.request.status == SignatureRequest.Status.SIGNED,
            token=token,
            expires_at=link.expires_at,
            contact=coordinator_contact(link.request.frozen),
        )
    return _private(render(request, "mou/sign_problem.html", context, status=problem.status))


def _sign_page(request, token, link, *, forms=None, problems=(), status=200):
    signature = link.request
    frozen = signature.frozen
    consent = signature_consent_text(signature=signature)
    forms = forms or {}
    context = {
        "token": token,
        "signature": signature,
        "mou": selectors.signing_document(frozen=frozen),
        "waiting": selectors.countersignature_waiting(signature=signature),
        "problems": problems,
        "sign_form": forms.get("sign")
        or SignForm(
            consent_text=consent,
            signer_name=signature.signer_name,
            organization=signature.organization,
        ),
        "decline_form": forms.get("decline") or DeclineForm(),
        "handover_form": forms.get("handover") or HandOverForm(),
        "open_panel": next(iter(forms), ""),
    }
    return _private(render(request, "mou/sign_page.html", context, status=status))


def _resolve(token: str):
    link = selectors.signing_link_find(token=token)
    return link, signing_link_problem(link)


@require_http_methods(["GET", "POST"])
def sign(request, token: str):
    link, problem = _resolve(token)
    if problem is not None:
        return _problem_page(request, problem, link=link, token=token)
    signature = link.request
    actor = request_actor(request)
    if request.method == "GET":
        services.signature_opened(signature=signature, actor=actor)
        return _sign_page(request, token, link)
    form = SignForm(
        request.POST,
        consent_text=signature_consent_text(signature=signature),
        signer_name=signature.signer_name,
        organization=signature.organization,
    )
    if not form.is_valid():
        return _sign_page(request, token, link, forms={"sign": form}, status=400)
    return _act(
        request,
        token,
        link,
        form,
        "sign",
        lambda: services.signature_sign(
            signature=signature,
            name=form.cleaned_data["name"],
            title=form.cleaned_data["title"],
            consent=form.cleaned_data["consent"],
            on_behalf=form.cleaned_data["on_behalf"],
            on_behalf_reason=form.cleaned_data["on_behalf_reason"],
            actor=actor,
        ),
        f"Thank you. You have signed for {signature.organization}. Everyone who signs "
        "receives the executed MOU by e-mail once the last signature is in.",
    )


@require_POST
def sign_decline(request, token: str):
    link, problem = _resolve(token)
    if problem is not None:
        return _problem_page(request, problem)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return _sign_page(request, token, link, forms={"decline": form}, status=400)
    signature = link.request
    return _act(
        request,
        token,
        link,
        form,
        "decline",
        lambda: services.signature_decline(
            signature=signature, reason=form.cleaned_data["reason"], actor=request_actor(request)
        ),
        f"You have declined to sign for {signature.organization}. The coordinator has been "
        "told, with your reason.",
    )


@require_POST
def sign_hand_over(request, token: str):
    link, problem = _resolve(token)
    if problem is not None:
        return _problem_page(request, problem)
    form = HandOverForm(request.POST)
    if not form.is_valid():
        return _sign_page(request, token, link, forms={"handover": form}, status=400)
    signature = link.request
    return _act(
        request,
        token,
        link,
        form,
        "handover",
        lambda: services.signature_hand_over(
            signature=signature,
            name=form.cleaned_data["name"],
            title=form.cleaned_data["title"],
            email=form.cleaned_data["email"],
            actor=request_actor(request),
        ),
        f"Handed over: {form.cleaned_data['name']} has been e-mailed their own signing link. "
        "Your link no longer works.",
    )


def _act(request, token, link, form, panel, action, success: str):
    try:
        action()
    except ValidationError as error:
        errors_into_form(form, error)
        return _sign_page(request, token, link, forms={panel: form}, status=400)
    except OutOfOrder as error:
        return _sign_page(request, token, link, problems=[str(error)], status=409)
    except SigningClosed:
        link.request.refresh_from_db()
        link.request.frozen.version.refresh_from_db()
        problem = signing_link_problem(link)
        if problem is None:
            raise
        return _problem_page(request, problem)
    messages.success(request, success)
    return redirect("mou:sign_done")


@require_GET
def sign_copy(request, token: str):
    """The signer's copy of the executed MOU, through their own link, until it expires."""
    link = selectors.signing_link_find(token=token)
    copy = selectors.signer_copy(link=link) if link is not None else None
    if copy is None:
        _, problem = _resolve(token)
        if problem is None:  # not signed yet: the copy comes after signing
            return redirect("mou:sign", token=token)
        return _problem_page(request, problem)
    if copy.executed is None or not copy.executed.file:
        return _problem_page(
            request,
            LinkProblem(
                404,
                "Your copy is being prepared",
                "The executed MOU is made once every signatory has signed; it is e-mailed to "
                "you then, and this link downloads it.",
            ),
            link=link,
            token=token,
        )
    version = link.request.frozen.version
    response = FileResponse(
        copy.executed.file.open("rb"),
        as_attachment=True,
        filename=f"MOU v{version.number} executed.pdf",
        content_type="application/pdf",
    )
    return _private(response)


@require_GET
def sign_done(request):
    return _private(render(request, "mou/sign_done.html"))
