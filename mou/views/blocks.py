"""The block editor: read, save, autosave, submit; and the coordinator's review."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from core.forms import errors_into_form
from core.permissions import user_may
from core.text import possessive
from core.views_helpers import check, request_actor, require
from mou import selectors, services
from mou.exceptions import EditingClosed, MouError, NotAllowed, StaleRevision
from mou.forms import (
    AcceptForm,
    BlockForm,
    ConflictResolveForm,
    ExtensionForm,
    RequestChangesForm,
)
from mou.models import RoleBlock
from mou.rules import block_closed_reason, block_missing_fields, field_label, network_zone

# --- the block editor --------------------------------------------------------------------


def block_for(request, version_pk: int, pk: int, action: str = "mou.block.view") -> RoleBlock:
    block = selectors.block_for_page(version_pk=version_pk, pk=pk)
    if block is None:
        raise Http404("No such block in this version")
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
        "history_count": selectors.block_history_count(block=block),
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
    block = block_for(request, version_pk, pk)
    extra = {}
    if user_may(request.user, "mou.block.review", block):
        seen = block.seen_by.filter(user=request.user).first()
        if seen is not None and seen.revision < block.revision:
            extra["changed_since"] = seen
        services.block_mark_seen(block=block, actor=request_actor(request))
    return _editor(request, block, **extra)


def _conflict(request, block, error: StaleRevision, *, fragment: bool, again: bool = False):
    rows = selectors.conflict_rows(block=error.block, submitted=error.submitted)
    context = {
        "role_block": error.block,
        "version": block.version,
        "partner": block.partner,
        "rows": rows,
        "error": str(error),
        "again": again,
        "may_resolve": bool(error.submitted),
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
    block = block_for(request, version_pk, pk, "mou.block.write")
    template = selectors.block_template(block=block)
    form = BlockForm(request.POST, instance=block, template=template)
    if not form.is_valid():
        return _editor(request, block, form=form, status=400)
    try:
        services.block_save_draft(
            block=block,
            actor=request_actor(request),
            data=form.data_for_service(),
            expected_revision=form.cleaned_data["revision"],
        )
    except StaleRevision as error:
        return _conflict(request, block, error, fragment=False)
    except ValidationError as error:
        errors_into_form(form, error)
        return _editor(request, block, form=form, status=400)
    except (EditingClosed, NotAllowed) as error:
        return _editor(request, block, form=form, status=403, refused=str(error))
    messages.success(request, "Draft saved.")
    return redirect(block)


@require("mou.list")
@require_POST
def block_autosave(request, version_pk: int, pk: int):
    """htmx autosave: answers with a small status fragment."""
    block = block_for(request, version_pk, pk, "mou.block.write")
    form = BlockForm(request.POST, instance=block)
    errors = None
    if form.is_valid():
        try:
            saved = services.block_save_draft(
                block=block,
                actor=request_actor(request),
                data=form.data_for_service(),
                expected_revision=form.cleaned_data["revision"],
            )
        except StaleRevision as error:
            return _conflict(request, block, error, fragment=True)
        except ValidationError as error:
            errors_into_form(form, error)
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
                    "history_count": selectors.block_history_count(block=saved),
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
    block = block_for(request, version_pk, pk, "mou.block.write")
    template = selectors.block_template(block=block)
    form = BlockForm(request.POST, instance=block, template=template)
    if not form.is_valid():
        return _editor(request, block, form=form, status=400)
    actor = request_actor(request)
    try:
        saved = services.block_save_draft(
            block=block,
            actor=actor,
            data=form.data_for_service(),
            expected_revision=form.cleaned_data["revision"],
        )
        services.block_submit(block=saved, actor=actor, expected_revision=saved.revision)
    except StaleRevision as error:
        return _conflict(request, block, error, fragment=False)
    except ValidationError as error:
        current = RoleBlock.objects.select_related("version", "partner").get(pk=block.pk)
        data = request.POST.copy()
        data["revision"] = str(current.revision)
        form = BlockForm(data, instance=current, template=template)
        form.is_valid()
        errors_into_form(form, error)
        failed = [(name, field_label(name)) for name in error.message_dict if name in form.fields]
        return _editor(
            request,
            block_for(request, version_pk, pk),
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


@require("mou.list")
@require_POST
def block_conflict_resolve(request, version_pk: int, pk: int):
    """After a conflict: keep the person's own text (all of it, or the fields they chose)
    over the current text. First a confirmation showing what is lost, then the save; both
    check the revision the choice was made against, so a save in between is never
    overwritten unseen: it makes a new conflict page instead."""
    block = block_for(request, version_pk, pk, "mou.block.write")
    form = ConflictResolveForm(request.POST)
    if not form.is_valid() or not form.submitted():
        return _editor(
            request,
            block,
            status=400,
            refused="Your choice could not be read, so nothing was saved. "
            "Reload the block and try again.",
        )
    submitted = form.submitted()
    expected = form.cleaned_data["revision"]
    if block.revision != expected:
        return _conflict(
            request, block, StaleRevision(block, submitted), fragment=False, again=True
        )
    mine = form.kept_mine()
    if form.cleaned_data["step"] == "confirm":
        return _conflict_confirm(request, block, form, submitted=submitted, mine=mine)
    try:
        services.block_save_draft(
            block=block,
            actor=request_actor(request),
            data={name: submitted[name] for name in mine},
            expected_revision=expected,
        )
    except StaleRevision as error:
        return _conflict(request, block, error, fragment=False, again=True)
    except ValidationError as error:
        return _conflict_confirm(
            request, block, form, submitted=submitted, mine=mine, problems=error, status=400
        )
    except (EditingClosed, NotAllowed) as error:
        return _editor(request, block, status=403, refused=str(error))
    messages.success(
        request,
        "Your text is saved over the other one." if mine else "The current text is kept.",
    )
    return redirect(block)


def _conflict_confirm(request, block, form, *, submitted, mine, problems=None, status=200):
    rows = selectors.conflict_rows(block=block, submitted=submitted)
    differing = [row for row in rows if row.differs]
    context = {
        "role_block": block,
        "version": block.version,
        "partner": block.partner,
        "rows": rows,
        "lost": [row for row in differing if row.name in mine],
        "kept_labels": ", ".join(f"“{row.label}”" for row in differing if row.name not in mine),
        "choices": {name: ("mine" if name in mine else "theirs") for name in submitted},
        "keep": form.cleaned_data.get("keep") or "all",
        "problems": _problem_list(problems) if problems is not None else [],
    }
    return render(request, "mou/block_conflict_confirm.html", context, status=status)


def _problem_list(error: ValidationError) -> list[str]:
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    return [
        f"{field_label(name) if name in RoleBlock.CONTENT_FIELDS else 'The block'}: {message}"
        for name, messages_ in error.message_dict.items()
        for message in messages_
    ]


# --- review --------------------------------------------------------------------------------


def _review_refused(request, block, error: MouError, **forms):
    status = 403 if isinstance(error, NotAllowed) else 409
    return _editor(request, block, status=status, refused=str(error), **forms)


def _review_action(request, version_pk: int, pk: int, *, form_class, form_name: str, act, done):
    """A coordinator's review step on a block: the form is checked, ``act(block, actor,
    cleaned_data)`` calls the service, and ``done(block)`` is the message on success. A
    refusal shows on the editor with its status; bad input keeps the form open, 400."""
    block = block_for(request, version_pk, pk, "mou.block.review")
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(block, request_actor(request), form.cleaned_data)
        except ValidationError as error:
            errors_into_form(form, error)
        except MouError as error:
            return _review_refused(request, block, error, **{form_name: form})
        else:
            messages.success(request, done(block))
            return redirect(block)
    return _editor(request, block, status=400, review_open=True, **{form_name: form})


@require("mou.list")
@require_POST
def block_request_changes(request, version_pk: int, pk: int):
    return _review_action(
        request,
        version_pk,
        pk,
        form_class=RequestChangesForm,
        form_name="request_changes_form",
        act=lambda block, actor, data: services.block_request_changes(
            block=block, actor=actor, comment=data["comment"]
        ),
        done=lambda block: f"Changes requested; {possessive(block.partner.name)} leads are told.",
    )


@require("mou.list")
@require_POST
def block_accept(request, version_pk: int, pk: int):
    return _review_action(
        request,
        version_pk,
        pk,
        form_class=AcceptForm,
        form_name="accept_form",
        act=lambda block, actor, data: services.block_accept(
            block=block, actor=actor, comment=data["comment"]
        ),
        done=lambda block: f"{possessive(block.partner.name)} block is accepted.",
    )


@require("mou.list")
@require_POST
def block_extension(request, version_pk: int, pk: int):
    return _review_action(
        request,
        version_pk,
        pk,
        form_class=ExtensionForm,
        form_name="extension_form",
        act=lambda block, actor, data: services.block_extension_grant(
            block=block, actor=actor, until=data["until"], comment=data["comment"]
        ),
        done=lambda block: f"{block.partner} may edit its block until the new date.",
    )
