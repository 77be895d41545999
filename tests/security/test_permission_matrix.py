"""Every address of the portal × every kind of visitor, against ONE table of outcomes.

The addresses come from the URL resolver itself (through every include), so a new view
without a row here fails ("add a row for …"). Each address is requested with GET, and
with an empty POST, as each role in ``ROLES`` (tests/security/conftest.py): anonymous, a
signed-in person with no partner, the viewer, editor and lead of ANOTHER partner and of
the RIGHT partner (the one that owns the block, row, item or signature in the address), a
browser holding only a signing leader's link, and a coordinator. Never a 500.

Outcome classes:
- ``ok``: the view did its work: 2xx, a redirect that is not to a sign-in page, or for a
  POST a 400/409 (the empty form or the object's state was refused by the view's own
  logic, after the permission check);
- ``login``: a redirect to the sign-in page (the portal's or the admin's);
- ``403``, ``404``: refused, or the object is not found for this visitor;
- ``refused``: a method the view does not take: 405, or refused earlier (login/403/404).

Each request runs in a savepoint that is rolled back, so one role's POST (a removal, a
submission) never changes what the next role sees. The development mailbox is checked
with DEV_MAILBOX off, as in production (tests/security/test_headers.py checks that
production turns it off).
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.actor import Actor
from core.models import User
from mou import services as mou_services
from mou.models import RoleBlock, SignatureRequest
from needs_matrix.models import MatrixEntry
from tests import factories
from tests.security.conftest import COMPLETE, OTHER_FROZEN, ROLES, World, _accept, _block

pytestmark = pytest.mark.django_db

FORGED = "forged-token-0123456789abcdefghijklmnopqrstuv"

# --- who --------------------------------------------------------------------------------

ANONYMOUS = {"anonymous", "signer"}
COORDINATOR = {"coordinator"}
OWN = {"viewer", "editor", "lead", "coordinator"}  # the right partner's people
WRITERS = {"editor", "lead"}
MEMBERS = OWN | {"other_viewer", "other_editor", "other_lead"}
SIGNED_IN = MEMBERS | {"no_partner"}
EVERYONE = set(ROLES)
OTHER_SIDE = {"other_viewer", "other_editor", "other_lead", "coordinator"}


def expect(ok: set[str], *, anonymous: str = "login", others: str = "403", **special) -> dict:
    """Outcome per role: ``ok`` for the roles in ``ok``, ``anonymous`` for visitors with no
    session, ``others`` for the rest; ``special`` overrides single roles."""
    out = {}
    for role in ROLES:
        if role in special:
            out[role] = special[role]
        elif role in ok:
            out[role] = "ok"
        elif role in ANONYMOUS:
            out[role] = anonymous
        else:
            out[role] = others
    return out


def everyone(outcome: str) -> dict:
    return dict.fromkeys(ROLES, outcome)


REFUSED = everyone("refused")


@dataclass(frozen=True)
class Row:
    """get/post: the outcome per role; ``None``: the view does not take that method."""

    get: dict | None
    post: dict | None = None
    kwargs: Callable[[World, str], dict] = lambda w, role: {}


def pk(attr: str) -> Callable[[World, str], dict]:
    return lambda w, role: {"pk": _get(w, attr).pk}


def _get(w: World, dotted: str):
    value = w
    for part in dotted.split("."):
        value = getattr(value, part)
    return value


def block_kwargs(w: World, role: str) -> dict:
    return {"version_pk": w.block.version_id, "pk": w.block.pk}


def signing_kwargs(w: World, role: str) -> dict:
    # The link is the credential: only the browser holding it gets in; anyone else (even a
    # coordinator, even the signer's own colleagues) guessing an address gets a 404.
    return {"token": w.signing_token if role == "signer" else FORGED}


def coordinator_only(*, get=True, post=True) -> Row:
    page = expect(COORDINATOR)
    return Row(get=page if get else None, post=page if post else None)


# --- THE table ----------------------------------------------------------------------------

TABLE: dict[str, Row] = {
    # home and dashboard
    "home": Row(get=expect(SIGNED_IN)),
    "dashboard:index": coordinator_only(post=False),
    "dashboard:export_csv": coordinator_only(post=False),
    "dashboard:export_xlsx": coordinator_only(post=False),
    "dashboard:remind": Row(get=None, post=expect(COORDINATOR), kwargs=pk("block")),
    # Asks before a second reminder within a day; with none recent it goes back (a redirect).
    "dashboard:remind_confirm": Row(get=expect(COORDINATOR), kwargs=pk("block")),
    "dashboard:remind_all": coordinator_only(),
    # signing in
    "accounts:login": Row(get=everyone("ok"), post=everyone("ok")),
    # Signing out ends on the sign-in page, for everyone.
    "accounts:logout": Row(get=None, post=everyone("login")),
    "accounts:link_request": Row(get=everyone("ok"), post=everyone("ok")),
    "accounts:link_renew": Row(get=None, post=everyone("ok")),
    # A sign-in link signs in whoever holds it (that is what it is for); GET changes nothing else.
    "accounts:link": Row(get=everyone("ok"), kwargs=lambda w, role: {"token": w.signin_token}),
    "accounts:reminder_settings": Row(get=expect(SIGNED_IN), post=expect(SIGNED_IN)),
    # the development mailbox does not exist when DEV_MAILBOX is off (production)
    "dev:mailbox": Row(get=everyone("404")),
    "dev:mailbox_detail": Row(get=everyone("404"), kwargs=pk("message")),
    "dev:mailbox_html": Row(get=everyone("404"), kwargs=pk("message")),
    # partners, people, workgroups
    "partnership:partner_list": Row(get=expect(MEMBERS)),
    "partnership:partner_create": coordinator_only(),
    "partnership:partner_detail": Row(get=expect(MEMBERS), kwargs=pk("partner")),
    "partnership:partner_edit": Row(
        get=expect(COORDINATOR), post=expect(COORDINATOR), kwargs=pk("partner")
    ),
    "partnership:partner_status": Row(get=None, post=expect(COORDINATOR), kwargs=pk("partner")),
    "partnership:partner_person_add": Row(
        get=expect(COORDINATOR), post=expect(COORDINATOR), kwargs=pk("partner")
    ),
    "partnership:membership_role": Row(
        get=None,
        post=expect(COORDINATOR),
        kwargs=lambda w, role: {"pk": w.partner.pk, "membership_pk": w.membership.pk},
    ),
    "partnership:membership_remove": Row(
        get=None,
        post=expect(COORDINATOR),
        kwargs=lambda w, role: {"pk": w.partner.pk, "membership_pk": w.membership.pk},
    ),
    "partnership:person_list": coordinator_only(post=False),
    "partnership:person_create": coordinator_only(),
    "partnership:person_detail": Row(
        get=expect(COORDINATOR),
        post=expect(COORDINATOR),
        kwargs=lambda w, role: {"pk": w.people["lead"].pk},
    ),
    **{
        f"partnership:person_{action}": Row(
            get=None,
            post=expect(COORDINATOR),
            kwargs=lambda w, role: {"pk": w.people["lead"].pk},
        )
        for action in ("deactivate", "reactivate", "invite")
    },
    "partnership:workgroup_list": Row(get=expect(MEMBERS)),
    "partnership:workgroup_create": coordinator_only(),
    "partnership:workgroup_detail": Row(get=expect(MEMBERS), kwargs=pk("workgroup")),
    "partnership:workgroup_edit": Row(
        get=expect(COORDINATOR), post=expect(COORDINATOR), kwargs=pk("workgroup")
    ),
    "partnership:workgroup_member_add": Row(
        get=None, post=expect(COORDINATOR), kwargs=pk("workgroup")
    ),
    "partnership:workgroup_member_remove": Row(
        get=None,
        post=expect(COORDINATOR),
        kwargs=lambda w, role: {"pk": w.workgroup.pk, "user_pk": w.people["lead"].pk},
    ),
    "partnership:workgroup_partner_add": Row(
        get=None, post=expect(COORDINATOR), kwargs=pk("workgroup")
    ),
    "partnership:workgroup_partner_remove": Row(
        get=None,
        post=expect(COORDINATOR),
        kwargs=lambda w, role: {"pk": w.workgroup.pk, "partner_pk": w.partner.pk},
    ),
    # MOU versions and templates
    "mou:version_list": Row(get=expect(MEMBERS)),
    "mou:version_create": coordinator_only(),
    "mou:version_detail": Row(get=expect(MEMBERS), kwargs=pk("version")),
    "mou:version_edit": Row(
        get=expect(COORDINATOR), post=expect(COORDINATOR), kwargs=pk("version")
    ),
    "mou:version_open": Row(
        get=expect(COORDINATOR), post=expect(COORDINATOR), kwargs=pk("draft_version")
    ),
    "mou:version_delete": Row(
        get=expect(COORDINATOR), post=expect(COORDINATOR), kwargs=pk("draft_version")
    ),
    "mou:version_reminders": Row(
        get=expect(COORDINATOR), post=expect(COORDINATOR), kwargs=pk("version")
    ),
    "mou:template_list": Row(get=expect(COORDINATOR), kwargs=pk("version")),
    "mou:template_edit": Row(
        get=expect(COORDINATOR),
        post=expect(COORDINATOR),
        kwargs=lambda w, role: {"pk": w.version.pk, "kind": w.partner.kind},
    ),
    # a block: its partner's people read it, its leads and editors write it, coordinators review
    "mou:block": Row(get=expect(OWN), kwargs=block_kwargs),
    "mou:block_save": Row(get=None, post=expect(WRITERS), kwargs=block_kwargs),
    "mou:block_autosave": Row(get=None, post=expect(WRITERS), kwargs=block_kwargs),
    "mou:block_submit": Row(get=None, post=expect(WRITERS), kwargs=block_kwargs),
    "mou:block_conflict_resolve": Row(get=None, post=expect(WRITERS), kwargs=block_kwargs),
    "mou:block_request_changes": Row(get=None, post=expect(COORDINATOR), kwargs=block_kwargs),
    "mou:block_accept": Row(get=None, post=expect(COORDINATOR), kwargs=block_kwargs),
    "mou:block_extension": Row(get=None, post=expect(COORDINATOR), kwargs=block_kwargs),
    "mou:block_history": Row(get=expect(OWN), kwargs=block_kwargs),
    "mou:block_diff": Row(get=expect(OWN), kwargs=block_kwargs),
    # the whole document and its draft PDF: the network reads along once a version is open
    "mou:document": Row(get=expect(MEMBERS), kwargs=pk("version")),
    "mou:document_pdf": Row(get=expect(MEMBERS), post=expect(MEMBERS), kwargs=pk("version")),
    # A draft PDF is rendered for the person who asked for it (the lead here) and holds what
    # they may read: it is theirs alone; to anyone else in the network it does not exist.
    "mou:document_pdf_status": Row(
        get=expect({"lead"}, others="404", no_partner="403"),
        kwargs=lambda w, role: {"pk": w.version.pk, "draft_pk": w.draft_pdf.pk},
    ),
    "mou:document_pdf_download": Row(
        get=expect({"lead"}, others="404", no_partner="403"),
        kwargs=lambda w, role: {"pk": w.version.pk, "draft_pk": w.draft_pdf.pk},
    ),
    # signing: the coordinator runs the round; the signing link alone opens the signing page
    "mou:version_freeze": Row(
        get=expect(COORDINATOR), post=expect(COORDINATOR), kwargs=pk("version")
    ),
    "mou:signatures": Row(get=expect(COORDINATOR), kwargs=pk("frozen_version")),
    "mou:signature_remind": Row(
        get=None,
        post=expect(COORDINATOR),
        kwargs=lambda w, role: {"pk": w.frozen_version.pk, "signature_pk": w.signature.pk},
    ),
    # The executed PDF: coordinators and the people of the partners that signed it (the
    # other partner was left out of that version).
    "mou:executed_pdf": Row(get=expect(OWN), kwargs=pk("executed_version")),
    "mou:sign": Row(
        get=expect({"signer"}, anonymous="404", others="404"),
        post=expect({"signer"}, anonymous="404", others="404"),
        kwargs=signing_kwargs,
    ),
    "mou:sign_decline": Row(
        get=None, post=expect({"signer"}, anonymous="404", others="404"), kwargs=signing_kwargs
    ),
    "mou:sign_hand_over": Row(
        get=None, post=expect({"signer"}, anonymous="404", others="404"), kwargs=signing_kwargs
    ),
    "mou:sign_copy": Row(
        get=expect({"signer"}, anonymous="404", others="404"), kwargs=signing_kwargs
    ),
    "mou:sign_done": Row(get=everyone("ok")),
    # The public verify page.
    "verify:page": Row(get=everyone("ok"), post=everyone("ok")),
    # needs matrix: the grid is the network's; a row page is its partner's (and coordinators')
    "needs_matrix:grid": Row(get=expect(MEMBERS)),
    "needs_matrix:summary": Row(get=expect(MEMBERS)),
    "needs_matrix:row_edit": Row(
        get=expect(OWN),
        post=expect(WRITERS | COORDINATOR),
        kwargs=lambda w, role: {"partner_pk": w.partner.pk},
    ),
    # a row's history: the same people as the row page, read only
    "needs_matrix:row_history": Row(
        get=expect(OWN), kwargs=lambda w, role: {"partner_pk": w.partner.pk}
    ),
    "needs_matrix:category_list": coordinator_only(post=False),
    "needs_matrix:category_create": coordinator_only(),
    "needs_matrix:category_edit": Row(
        get=expect(COORDINATOR), post=expect(COORDINATOR), kwargs=pk("category")
    ),
    "needs_matrix:category_retire": Row(get=None, post=expect(COORDINATOR), kwargs=pk("category")),
    "needs_matrix:category_restore": Row(get=None, post=expect(COORDINATOR), kwargs=pk("category")),
    "needs_matrix:group_create": coordinator_only(),
    "needs_matrix:group_edit": Row(
        get=expect(COORDINATOR), post=expect(COORDINATOR), kwargs=pk("group")
    ),
    # exports carry every partner's notes: coordinators only
    "needs_matrix:export_csv": coordinator_only(post=False),
    "needs_matrix:export_xlsx": coordinator_only(post=False),
    "needs_matrix:import": coordinator_only(),
    # meetings
    "meetings:list": Row(get=expect(MEMBERS)),
    "meetings:create": coordinator_only(),
    "meetings:search": Row(get=expect(MEMBERS)),
    "meetings:my_items": Row(get=expect(SIGNED_IN)),
    "meetings:calendar": Row(get=expect(MEMBERS), post=expect(MEMBERS)),
    # The secret calendar address is the credential: no session needed, nothing changes.
    "meetings:calendar_feed": Row(
        get=everyone("ok"), kwargs=lambda w, role: {"token": w.calendar_token}
    ),
    "meetings:detail": Row(get=expect(MEMBERS), kwargs=pk("meeting")),
    "meetings:edit": Row(get=expect(COORDINATOR), post=expect(COORDINATOR), kwargs=pk("meeting")),
    "meetings:publish": Row(get=None, post=expect(COORDINATOR), kwargs=pk("meeting")),
    "meetings:send_notes": Row(get=None, post=expect(COORDINATOR), kwargs=pk("meeting")),
    "meetings:ics": Row(get=expect(MEMBERS), kwargs=pk("meeting")),
    "meetings:attendance": Row(
        get=expect(COORDINATOR), post=expect(COORDINATOR), kwargs=pk("meeting")
    ),
    "meetings:attendance_add": Row(get=None, post=expect(COORDINATOR), kwargs=pk("meeting")),
    "meetings:attendance_add_guest": Row(get=None, post=expect(COORDINATOR), kwargs=pk("meeting")),
    "meetings:attendance_invite_partner": Row(
        get=None, post=expect(COORDINATOR), kwargs=pk("meeting")
    ),
    "meetings:attendance_remove": Row(
        get=None,
        post=expect(COORDINATOR),
        kwargs=lambda w, role: {"pk": w.meeting.pk, "attendance_pk": w.attendance.pk},
    ),
    "meetings:attachment_upload": Row(get=None, post=expect(COORDINATOR), kwargs=pk("meeting")),
    "meetings:attachment_download": Row(get=expect(MEMBERS), kwargs=pk("attachment")),
    "meetings:attachment_delete": Row(get=None, post=expect(COORDINATOR), kwargs=pk("attachment")),
    "meetings:item_create": Row(
        get=expect(COORDINATOR), post=expect(COORDINATOR), kwargs=pk("meeting")
    ),
    "meetings:item_create_standalone": coordinator_only(),
    "meetings:item_detail": Row(get=expect(MEMBERS), kwargs=pk("item")),
    "meetings:item_edit": Row(get=expect(COORDINATOR), post=expect(COORDINATOR), kwargs=pk("item")),
    # A partner's item is ticked by that partner's leads and editors (and coordinators).
    "meetings:item_complete": Row(get=None, post=expect(WRITERS | COORDINATOR), kwargs=pk("item")),
    "meetings:item_reopen": Row(get=None, post=expect(WRITERS | COORDINATOR), kwargs=pk("item")),
    # The Django admin is for staff accounts only (none of these roles is staff).
    "admin:index": Row(get=everyone("login")),
    # allauth's names for the portal's own sign-in and sign-out (the same views)
    "account_login": Row(get=everyone("ok"), post=everyone("ok")),
    "account_logout": Row(get=None, post=everyone("login")),
    # allauth's pages of the second factor, for one's own account only
    # Partner people have no password to confirm (403): the second factor is for staff.
    "account_reauthenticate": coordinator_only(),
    "mfa_index": Row(get=expect(SIGNED_IN)),
    # The code step needs a sign-in under way (none here): back to the sign-in page, or
    # home for someone already signed in.
    "mfa_authenticate": Row(get=expect(SIGNED_IN), post=expect(SIGNED_IN)),
    "mfa_reauthenticate": coordinator_only(),
    "mfa_activate_totp": coordinator_only(),
    "mfa_deactivate_totp": Row(get=expect(SIGNED_IN), post=expect(SIGNED_IN)),
    # Nobody here has recovery codes yet: 404 (tests/core/test_second_factor.py shows them).
    "mfa_view_recovery_codes": Row(get=expect(set(), others="404")),
    "mfa_generate_recovery_codes": coordinator_only(),
    "mfa_download_recovery_codes": Row(get=expect(set(), others="404")),
    # A coordinator resets ANOTHER coordinator's second factor (here one who has none: 409).
    "second_factor_reset": Row(
        get=expect(COORDINATOR),
        post=expect(COORDINATOR),
        kwargs=lambda w, role: {"pk": _second_coordinator(w).pk},
    ),
}


def _second_coordinator(w: World):
    from tests import factories

    if not hasattr(w, "_second_coordinator"):
        object.__setattr__(w, "_second_coordinator", factories.UserFactory(is_coordinator=True))
    return w._second_coordinator


# --- the walk -----------------------------------------------------------------------------


def url_names() -> list[tuple[str, str]]:
    """(name, route) of every URL pattern, through every include; of the admin only its
    index (its internals are Django's and need a staff account)."""
    found = []

    def walk(patterns, prefix: str, namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                if route.startswith("admin/") and name != "admin:index":
                    continue
                found.append((name, route))

    walk(get_resolver().url_patterns, "", None)
    return found


LOGIN_PATHS = (urlsplit(resolve_url(settings.LOGIN_URL)).path, "/admin/login/")


def outcome(response, method: str) -> str:
    status = response.status_code
    if status >= 500:
        return str(status)
    if 300 <= status < 400:
        path = urlsplit(response["Location"]).path
        return "login" if path in LOGIN_PATHS else "ok"
    if 200 <= status < 300:
        return "ok"
    if method == "post" and status in (400, 409):
        return "ok"
    return str(status)


def matches(expected: str, got: str) -> bool:
    if expected == "refused":
        return got in {"405", "login", "403", "404"}
    return expected == got


def request_as(
    world: World, role: str, method: str, path: str, signer_path: str
) -> tuple[str, str]:
    client = Client()
    user = world.people[role]
    if user is not None:
        client.force_login(user)
    if role == "signer":
        # A browser that has opened its signing link, and nothing else.
        assert client.get(signer_path).status_code == 200
    cache.clear()  # rate limits would otherwise count across roles
    try:
        with transaction.atomic():
            response = getattr(client, method)(path)
            transaction.set_rollback(True)
    except Exception as error:  # the test client re-raises what the view raised
        return f"500 ({type(error).__name__}: {error})", ""
    return outcome(response, method), body_text(response)


ALL_URLS = url_names()


def test_every_row_names_an_existing_url():
    stale = sorted(set(TABLE) - {name for name, _ in ALL_URLS})
    assert not stale, f"rows for URL names that no longer exist: {stale}"


@pytest.mark.parametrize(("name", "route"), ALL_URLS, ids=[name for name, _ in ALL_URLS])
def test_permission_matrix(world, settings, name, route):
    """The outcome of every address for every role, and that no answer (page, fragment,
    file, redirect) shows a role a marker in MARKERS that is not theirs."""
    settings.DEV_MAILBOX = False
    assert name, f"the URL pattern {route!r} has no name: name it, then add a row for it"
    row = TABLE.get(name)
    assert row is not None, (
        f"add a row for {name!r} ({route}) to TABLE in tests/security/test_permission_matrix.py"
    )
    signer_path = reverse("mou:sign", kwargs={"token": world.signing_token})
    problems = []
    for method, expected in (("get", row.get or REFUSED), ("post", row.post or REFUSED)):
        for role in ROLES:
            path = reverse(name, kwargs=row.kwargs(world, role))
            got, body = request_as(world, role, method, path, signer_path)
            if not matches(expected[role], got):
                problems.append(
                    f"{method.upper()} {path} as {role}: expected {expected[role]}, got {got}"
                )
            problems += [
                f"{method.upper()} {path} as {role} shows {key} ({text!r}), which is not theirs"
                for key, text in leaked(world, role, body)
            ]
    assert not problems, "\n".join(problems)


# --- what a page shows ------------------------------------------------------------------
#
# The network of conftest gets text and contact details nobody could type by accident, each
# with its AUDIENCE: the roles that may read it anywhere. Every answer of every address in
# the walk above (pages, fragments, files, POST answers) is searched for every marker whose
# audience leaves the role out: a new page is covered the day it gets its URL. SHOWN then
# says where each marker must appear, so a page cannot pass by showing nothing.

# The right partner's block of the open version: a draft.
OWN_DRAFT = {
    "role_in_partnership": "Own-draft-marker-q7Zt: engineers visit classrooms.",
    "contact_name": "Olive Own",
    "contact_email": "own.contact.q7zt@example.net",
    "contact_phone": "503-555-0181",
    "signing_leader_name": "Owen Own",
    "signing_leader_title": "Superintendent",
    "signing_leader_email": "own.leader.q7zt@example.net",
}
# The other partner's block of the open version: submitted, not accepted.
OTHER_SUBMITTED = {
    **COMPLETE,
    "role_in_partnership": "Other-submitted-marker-K2vw: dual-credit math.",
    "contact_email": "other.contact.k2vw@example.net",
    "contact_phone": "503-555-0182",
    "signing_leader_email": "other.leader.k2vw@example.net",
}
# A third partner's block of the open version: accepted.
THIRD_ACCEPTED = {
    **COMPLETE,
    "role_in_partnership": "Third-accepted-marker-M4pr: pre-service teachers.",
    "contact_email": "third.contact.m4pr@example.net",
    "contact_phone": "503-555-0183",
    "signing_leader_email": "third.leader.m4pr@example.net",
}
LEAD_PHONE = "503-555-0170"
OTHER_LEAD_PHONE = "503-555-0171"
SIGNED = MEMBERS | {"signer"}  # every reader of the frozen agreement

# key: (the marker, or how to find it in the world; its audience)
MARKERS: dict[str, tuple[str | Callable[[World], str], set[str]]] = {
    "own draft text": ("Own-draft-marker-q7Zt", OWN),
    "own contact e-mail": (OWN_DRAFT["contact_email"], OWN),
    "own contact phone": (OWN_DRAFT["contact_phone"], OWN),
    "own signing leader e-mail": (OWN_DRAFT["signing_leader_email"], OWN),
    "other's submitted text": ("Other-submitted-marker-K2vw", OTHER_SIDE),
    "other's contact e-mail": (OTHER_SUBMITTED["contact_email"], OTHER_SIDE),
    "other's contact phone": (OTHER_SUBMITTED["contact_phone"], OTHER_SIDE),
    "other's signing leader e-mail": (OTHER_SUBMITTED["signing_leader_email"], OTHER_SIDE),
    "third's accepted text": ("Third-accepted-marker-M4pr", MEMBERS),
    "third's contact e-mail": (THIRD_ACCEPTED["contact_email"], COORDINATOR),
    "third's contact phone": (THIRD_ACCEPTED["contact_phone"], COORDINATOR),
    "third's signing leader e-mail": (THIRD_ACCEPTED["signing_leader_email"], COORDINATOR),
    # the frozen version: both partners accepted and signing
    "frozen text": (COMPLETE["role_in_partnership"], SIGNED),
    "frozen: own contact e-mail": (COMPLETE["contact_email"], OWN | {"signer"}),
    "frozen: own contact phone": (COMPLETE["contact_phone"], OWN | {"signer"}),
    "frozen: own signing leader e-mail": (COMPLETE["signing_leader_email"], OWN | {"signer"}),
    "frozen: other's contact e-mail": (OTHER_FROZEN["contact_email"], OTHER_SIDE),
    "frozen: other's contact phone": (OTHER_FROZEN["contact_phone"], OTHER_SIDE),
    "frozen: other's signing leader e-mail": (OTHER_FROZEN["signing_leader_email"], OTHER_SIDE),
    # the needs matrix: a row's notes are its partner's (the grid shows stances only)
    "own matrix note": ("Own-matrix-note-H3cw", OWN),
    "other's matrix note": ("Other-matrix-note-P9ds", OTHER_SIDE),
    "other's capacity note": ("Other-capacity-note-P9ds", OTHER_SIDE),
    # a meeting's notes and decisions are a draft for coordinators until published
    "draft meeting notes": ("Schools want project-based science.", COORDINATOR),
    "draft meeting decisions": ("Each partner drafts its MOU block", COORDINATOR),
    # what the coordinator asked the other partner to change
    "review comment to the other partner": ("Other-review-comment-T5xb", OTHER_SIDE),
    # people
    "lead's e-mail": (lambda w: w.people["lead"].email, OWN),
    "lead's phone": (LEAD_PHONE, OWN),
    "other lead's e-mail": (lambda w: w.people["other_lead"].email, OTHER_SIDE),
    "other lead's phone": (OTHER_LEAD_PHONE, OTHER_SIDE),
}


def marker_text(world: World, key: str) -> str:
    text = MARKERS[key][0]
    return text(world) if callable(text) else text


@pytest.fixture
def world(world: World) -> World:
    """conftest's network with the markers typed where they belong, through the services."""
    coordinator = world.people["coordinator"]
    lead, other_lead = world.people["lead"], world.people["other_lead"]
    world.block = mou_services.block_save_draft(
        block=world.block,
        actor=Actor.of(lead),
        data=OWN_DRAFT,
        expected_revision=world.block.revision,
    )
    other = _block(world.version, world.other_partner)
    other = mou_services.block_save_draft(
        block=other,
        actor=Actor.of(other_lead),
        data=OTHER_SUBMITTED,
        expected_revision=other.revision,
    )
    mou_services.block_submit(
        block=other, actor=Actor.of(other_lead), expected_revision=other.revision
    )
    # A partner that joined after the version opened, its block written and accepted.
    third = factories.PartnerFactory(name="Oregon State University", kind="college")
    third_lead = factories.MembershipFactory(partner=third, role="lead").user
    RoleBlock.objects.create(version=world.version, partner=third)
    _accept(_block(world.version, third), third_lead, coordinator, THIRD_ACCEPTED)
    # The coordinator sends the other partner's block back with a comment; it is submitted
    # again, so it stays unaccepted and keeps the comment in its review trail.
    other = RoleBlock.objects.select_related("version", "partner").get(pk=other.pk)
    other = mou_services.block_request_changes(
        block=other,
        actor=Actor.of(coordinator),
        comment="Other-review-comment-T5xb: name a contact.",
    )
    mou_services.block_submit(
        block=other, actor=Actor.of(other_lead), expected_revision=other.revision
    )
    MatrixEntry.objects.filter(partner=world.partner).update(note="Own-matrix-note-H3cw")
    MatrixEntry.objects.filter(partner=world.other_partner).update(
        note="Other-matrix-note-P9ds", capacity_note="Other-capacity-note-P9ds"
    )
    User.objects.filter(pk=lead.pk).update(phone=LEAD_PHONE)
    User.objects.filter(pk=other_lead.pk).update(phone=OTHER_LEAD_PHONE)
    return world


def body_text(response) -> str:
    """What the answer shows, as text: a streamed or file answer is read out."""
    if getattr(response, "streaming", False):
        data = b"".join(response.streaming_content)
    else:
        data = response.content
    return data.decode("utf-8", errors="replace")


def leaked(world: World, role: str, body: str) -> list[tuple[str, str]]:
    """The markers in ``body`` that ``role`` may not read."""
    out = []
    for key, (_, audience) in MARKERS.items():
        if role in audience:
            continue
        text = marker_text(world, key)
        if text in body:
            out.append((key, text))
    return out


@dataclass(frozen=True)
class Shown:
    """A page and, per marker, the roles that must find it there; every other role of
    ROLES outside the marker's audience must not."""

    name: str
    kwargs: Callable[[World, str], dict]
    markers: dict[str, set[str]]


# The whole MOU of the open version: own block in any status, other partners' once
# accepted, other organizations' e-mail addresses and phones for coordinators only.
OPEN_DOCUMENT = {
    "own draft text": OWN,
    "own contact e-mail": OWN,
    "own contact phone": OWN,
    "own signing leader e-mail": OWN,
    "other's submitted text": OTHER_SIDE,
    "other's contact e-mail": OTHER_SIDE,
    "other's contact phone": OTHER_SIDE,
    "other's signing leader e-mail": OTHER_SIDE,
    "third's accepted text": MEMBERS,
    "third's contact e-mail": COORDINATOR,
    "third's contact phone": COORDINATOR,
    "third's signing leader e-mail": COORDINATOR,
}
SHOWN: list[Shown] = [
    Shown("mou:document", pk("version"), OPEN_DOCUMENT),
    # Frozen: the page shows the frozen record, the signed document's twin (one document for
    # every party): every member reads every included block, nobody's e-mail or phone.
    Shown("mou:document", pk("frozen_version"), {"frozen text": MEMBERS}),
    # The signing link: the whole frozen agreement, nobody's e-mail address or phone.
    Shown("mou:sign", signing_kwargs, {"frozen text": {"signer"}}),
    Shown(
        "mou:block",
        block_kwargs,
        {"own draft text": OWN, "own contact e-mail": OWN, "own contact phone": OWN},
    ),
    Shown(
        "mou:block",
        lambda w, role: {
            "version_pk": w.version.pk,
            "pk": RoleBlock.objects.get(version=w.version, partner=w.other_partner).pk,
        },
        {"other's submitted text": OTHER_SIDE, "review comment to the other partner": OTHER_SIDE},
    ),
    Shown(
        "needs_matrix:row_edit",
        lambda w, role: {"partner_pk": w.partner.pk},
        {"own matrix note": OWN},
    ),
    Shown(
        "needs_matrix:row_edit",
        lambda w, role: {"partner_pk": w.other_partner.pk},
        {"other's matrix note": OTHER_SIDE, "other's capacity note": OTHER_SIDE},
    ),
    Shown(
        "meetings:detail",
        pk("meeting"),
        {"draft meeting notes": COORDINATOR, "draft meeting decisions": COORDINATOR},
    ),
    Shown(
        "partnership:partner_detail",
        pk("partner"),
        {"lead's e-mail": OWN, "lead's phone": OWN},
    ),
    Shown(
        "partnership:partner_detail",
        pk("other_partner"),
        {"other lead's e-mail": OTHER_SIDE, "other lead's phone": OTHER_SIDE},
    ),
]


def _shown_problems(world: World, markers: dict[str, set[str]], role: str, body: str, where: str):
    problems = []
    for key, must in markers.items():
        text, audience = marker_text(world, key), MARKERS[key][1]
        if role in must and text not in body:
            problems.append(f"{where} as {role}: {key} ({text!r}) is missing")
        if role not in audience and text in body:
            problems.append(f"{where} as {role}: shows {key} ({text!r}), which is not theirs")
    return problems


@pytest.mark.parametrize("shown", SHOWN, ids=[f"{s.name}-{i}" for i, s in enumerate(SHOWN)])
def test_shared_pages_show_each_role_what_is_theirs(world, shown):
    signer_path = reverse("mou:sign", kwargs={"token": world.signing_token})
    problems = []
    for role in ROLES:
        path = reverse(shown.name, kwargs=shown.kwargs(world, role))
        got, body = request_as(world, role, "get", path, signer_path)
        if any(role in must for must in shown.markers.values()):
            assert got == "ok", f"GET {path} as {role}: {got}"
        problems += _shown_problems(world, shown.markers, role, body, f"GET {path}")
    assert not problems, "\n".join(problems)


def test_the_draft_pdf_holds_what_its_requester_reads_on_the_page(world):
    """The draft PDF is the page's twin, rendered for the person who asked for it."""
    from mou.services.pdf import document_pdf_html

    problems = []
    for role in ROLES:
        html = document_pdf_html(version=world.version, viewer=world.people[role])
        problems += _shown_problems(world, OPEN_DOCUMENT, role, html, "the draft PDF")
    assert not problems, "\n".join(problems)


def test_the_executed_pdf_shows_no_partys_e_mail_or_phone(world):
    """One executed PDF goes to every party (each partner's people, every signer): it holds
    every included block, and no marker some of its readers may not read."""
    from mou.services.executed import executed_pdf_html

    frozen = world.frozen_version.frozen
    requests = SignatureRequest.objects.filter(frozen=frozen).order_by("role", "pk")
    for signature in sorted(requests, key=lambda r: r.is_countersignature):
        mou_services.signature_sign(
            signature=signature,
            name=signature.signer_name,
            title="Signer",
            consent=True,
            actor=Actor.system(),
        )
    html = executed_pdf_html(frozen=frozen)
    assert COMPLETE["role_in_partnership"] in html and COMPLETE["signing_leader_name"] in html
    readers = SIGNED | OTHER_SIDE
    shown = [
        key
        for key, (_, audience) in MARKERS.items()
        if not readers <= audience and marker_text(world, key) in html
    ]
    assert not shown, f"the executed PDF shows {shown}"


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/static/css/portal.css", 200),
        ("/static/js/mou.js", 200),
        ("/static/../manage.py", 404),
        ("/static/%2e%2e/config/settings/base.py", 404),
        ("/static/..%2fmanage.py", 404),
        ("/media/", 404),
        ("/var/portal.sqlite3", 404),
        ("/.env", 404),
    ],
)
def test_static_files_are_public_and_nothing_beside_them_is(client, path, status):
    """Static files (served by whitenoise, outside the URL resolver) need no session; no
    path reaches the code, the settings, uploads or the database file."""
    response = client.get(path)
    assert response.status_code == status
    if status == 200:
        assert response["X-Content-Type-Options"] == "nosniff"
