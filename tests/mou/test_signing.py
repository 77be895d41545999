"""Freezing a version and its signing round, service by service, with a frozen clock."""

import hashlib
import json
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db.models.deletion import ProtectedError

from core.actor import Actor
from core.models import Event, OutboxMessage
from core.tokens import token_hash
from mou import services
from mou.exceptions import (
    EditingClosed,
    ImmutableRecord,
    NotAllowed,
    OutOfOrder,
    SigningClosed,
    TransitionNotAllowed,
)
from mou.models import FrozenMou, MouVersion, RoleBlock, SignatureRequest, SigningLink
from mou.rules import signing_link_problem
from mou.selectors import signing_link_find
from needs_matrix.services import entry_set
from tests import factories
from tests.mou.conftest import (
    COMPLETE,
    OTHER,
    accepted,
    fill,
    network_time,
    request_of,
    submitted,
    token_for,
    token_of,
)

pytestmark = pytest.mark.django_db

NOW = network_time(2031, 9, 1, 9, 30)
SALEM = "Salem-Keizer School District"
CHEMEKETA = "Chemeketa Community College"
BACKBONE = "Mid-Valley STEM Hub"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def web_actor(ip="203.0.113.7", agent="Mozilla/5.0 (Signing test)"):
    """A signer through their link: not signed in, from an address and a browser."""
    return Actor.of(None, ip=ip, user_agent=agent)


def sign(signature, name="Christy Perry", title="Superintendent", **kwargs):
    kwargs.setdefault("actor", Actor.system())
    return services.signature_sign(
        signature=signature, name=name, title=title, consent=True, **kwargs
    )


def sign_partners(frozen):
    sign(request_of(frozen, SALEM))
    sign(request_of(frozen, CHEMEKETA), name="Jessica Howard", title="President")


# --- freeze -------------------------------------------------------------------------------------


def test_freeze_is_refused_while_a_partner_has_no_accepted_block_and_names_it(
    version, block, other_block, lead, other_lead, coordinator, signing_deadline, countersigner
):
    accepted(block, lead, coordinator)
    submitted(other_block, other_lead)
    with pytest.raises(ValidationError) as refused:
        services.version_freeze(
            version=version,
            actor=Actor.of(coordinator),
            signing_deadline=signing_deadline,
            countersigner=countersigner,
        )
    assert CHEMEKETA in str(refused.value.message_dict["leave_out"])
    assert "leave them out" in str(refused.value.message_dict["leave_out"])
    version.refresh_from_db()
    assert version.status == MouVersion.Status.OPEN
    assert not FrozenMou.objects.exists() and not SignatureRequest.objects.exists()
    assert not OutboxMessage.objects.filter(kind="mou_sign_request").exists()


def test_a_partner_left_out_explicitly_is_recorded_and_not_asked_to_sign(
    version, block, other_block, lead, other_lead, coordinator, signing_deadline, countersigner
):
    accepted(block, lead, coordinator)
    fill(other_block, other_lead)
    frozen = services.version_freeze(
        version=version,
        actor=Actor.of(coordinator),
        signing_deadline=signing_deadline,
        countersigner=countersigner,
        leave_out=[other_block.partner_id],
    )
    assert frozen.partner_ids == [block.partner_id]
    assert frozen.content["left_out"] == [
        {
            "id": other_block.partner_id,
            "name": CHEMEKETA,
            "kind_label": "College or university",
            "block_status": "draft",
            "block_status_label": "Draft",
        }
    ]
    event = Event.objects.get(action="mou.version_frozen")
    assert event.actor == coordinator
    assert event.data["left_out"][0]["name"] == CHEMEKETA
    assert event.data["content_sha256"] == frozen.content_sha256
    organizations = set(
        SignatureRequest.objects.filter(frozen=frozen).values_list("organization", flat=True)
    )
    assert organizations == {SALEM, BACKBONE}


def test_freeze_refuses_a_past_deadline_a_non_coordinator_and_a_version_not_open(
    version, block, lead, coordinator, countersigner, signing_deadline
):
    accepted(block, lead, coordinator)
    kwargs = {"version": version, "countersigner": countersigner, "leave_out": [0]}
    with pytest.raises(ValidationError) as past:
        services.version_freeze(actor=Actor.of(coordinator), signing_deadline=NOW, **kwargs)
    assert "future" in str(past.value)
    with pytest.raises(NotAllowed):
        services.version_freeze(actor=Actor.of(lead), signing_deadline=signing_deadline, **kwargs)
    with pytest.raises(ValidationError) as nobody:
        services.version_freeze(
            actor=Actor.of(coordinator),
            signing_deadline=signing_deadline,
            countersigner=services.Countersigner(name="", title="", email="not-an-address"),
            version=version,
        )
    assert set(nobody.value.message_dict) == {"countersigner_name", "countersigner_email"}
    draft = services.version_create(
        actor=Actor.of(coordinator), title="Draft", shared_text="", deadline=version.deadline
    )
    with pytest.raises(TransitionNotAllowed):
        services.version_freeze(
            version=draft,
            actor=Actor.of(coordinator),
            signing_deadline=signing_deadline,
            countersigner=countersigner,
        )


def test_the_frozen_record_holds_everything_the_document_shows_as_canonical_json(
    version, block, other_block, lead, other_lead, coordinator, signing_deadline, countersigner
):
    category = factories.CategoryFactory(name="Teacher STEM experiences")
    entry_set(
        partner=block.partner,
        category=category,
        actor=Actor.of(lead),
        stance="need",
        priority="high",
        note="Two summer weeks",
    )
    accepted(block, lead, coordinator)
    accepted(other_block, other_lead, coordinator, OTHER)
    frozen = services.version_freeze(
        version=version,
        actor=Actor.of(coordinator),
        signing_deadline=signing_deadline,
        countersigner=countersigner,
    )
    canonical = frozen.canonical
    assert frozen.content_sha256 == hashlib.sha256(canonical.encode()).hexdigest()
    assert canonical == json.dumps(
        json.loads(canonical), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    content = frozen.content
    assert content["version"]["shared_text"] == version.shared_text
    assert content["version"]["title"] == version.title
    assert content["backbone"] == {
        "organization": BACKBONE,
        "countersigner": {
            "name": coordinator.full_name,
            "title": "Executive Director",
            "email": coordinator.email,
        },
    }
    salem, chemeketa = sorted(content["partners"], key=lambda p: p["name"], reverse=True)
    assert salem["name"] == SALEM and salem["kind_label"] == "School district"
    assert chemeketa["kind"] == "college"
    for name in RoleBlock.CONTENT_FIELDS:
        assert salem["block"][name] == COMPLETE[name]
        assert chemeketa["block"][name] == OTHER[name]
    assert salem["signing_leader"] == {
        "name": "Christy Perry",
        "title": "Superintendent",
        "email": "superintendent@example.org",
    }
    matrix = content["matrix"]
    assert [p["name"] for p in matrix["partners"]] == [SALEM, CHEMEKETA]
    (need,) = matrix["partners"][0]["entries"]
    assert need["category"] == "Teacher STEM experiences" and need["note"] == "Two summer weeks"
    assert content["signing_deadline"] == signing_deadline.isoformat()


def test_the_same_content_gives_the_same_hash_whatever_the_key_order():
    from mou.services.freezing import canonical_json, content_hash

    one = canonical_json({"b": [1, {"y": "é", "x": 2}], "a": "text"})
    two = canonical_json({"a": "text", "b": [1, {"x": 2, "y": "é"}]})
    assert one == two == '{"a":"text","b":[1,{"x":2,"y":"é"}]}'
    assert content_hash(one) == hashlib.sha256(one.encode()).hexdigest()


# --- nothing in a frozen version changes ---------------------------------------------------------


def test_services_refuse_every_change_to_a_frozen_version(
    frozen, version, block, lead, coordinator
):
    with pytest.raises(TransitionNotAllowed):
        services.version_update(
            version=version,
            actor=Actor.of(coordinator),
            title="Changed",
            shared_text="Changed",
            deadline=version.deadline,
        )
    with pytest.raises(TransitionNotAllowed):
        services.role_template_save(
            version=version, kind="college", actor=Actor.of(coordinator), data={"title": "x"}
        )
    block.refresh_from_db()
    with pytest.raises(EditingClosed):
        services.block_save_draft(
            block=block,
            actor=Actor.of(lead),
            data={"commitments": "More"},
            expected_revision=block.revision,
        )
    with pytest.raises(TransitionNotAllowed):
        services.block_request_changes(
            block=block, actor=Actor.of(coordinator), comment="Change it"
        )
    with pytest.raises(TransitionNotAllowed):
        services.version_freeze(
            version=version,
            actor=Actor.of(coordinator),
            signing_deadline=NOW + timedelta(days=3),
            countersigner=services.Countersigner(name="x", title="", email="x@example.org"),
        )
    block.refresh_from_db()
    assert block.commitments == COMPLETE["commitments"]


def test_the_frozen_record_refuses_save_update_and_delete(frozen, version):
    canonical, digest = frozen.canonical, frozen.content_sha256
    frozen.canonical = "{}"
    with pytest.raises(ImmutableRecord):
        frozen.save()
    with pytest.raises(ImmutableRecord):
        frozen.delete()
    with pytest.raises(ImmutableRecord):
        FrozenMou.objects.filter(pk=frozen.pk).update(canonical="{}")
    with pytest.raises(ImmutableRecord):
        FrozenMou.objects.filter(pk=frozen.pk).delete()
    with pytest.raises(ProtectedError):
        MouVersion.objects.filter(pk=version.pk).delete()
    stored = FrozenMou.objects.get(pk=frozen.pk)
    assert (stored.canonical, stored.content_sha256) == (canonical, digest)


def test_a_change_is_a_new_version_which_withdraws_the_unsigned_requests(
    frozen, version, coordinator, client
):
    sign(request_of(frozen, SALEM))
    pending = request_of(frozen, CHEMEKETA)
    token = token_for(pending)
    successor = services.version_create(
        actor=Actor.of(coordinator),
        title="Amended",
        shared_text="Amended terms",
        deadline=version.deadline,
        previous=version,
    )
    services.version_open(version=successor, actor=Actor.of(coordinator))
    version.refresh_from_db()
    pending.refresh_from_db()
    assert version.status == MouVersion.Status.SUPERSEDED
    assert pending.status == SignatureRequest.Status.VOID
    assert request_of(frozen, SALEM).status == SignatureRequest.Status.SIGNED
    assert client.get(f"/mou/sign/{token}/").status_code == 410


# --- requests, links and tokens -----------------------------------------------------------------


def test_freezing_e_mails_each_partner_signer_a_personal_link_and_not_yet_the_countersigner(
    frozen, settings, coordinator, django_capture_on_commit_callbacks
):
    messages = OutboxMessage.objects.filter(kind="mou_sign_request").order_by("to_email")
    assert [m.to_email for m in messages] == [
        "president@example.edu",
        "superintendent@example.org",
    ]
    for message in messages:
        assert f"{settings.SITE_URL}/mou/sign/" in message.body_text
        assert "/accounts/link/" not in message.body_text
    assert not OutboxMessage.objects.filter(to_email=coordinator.email).exists()
    counter = SignatureRequest.objects.get(frozen=frozen, role="countersigner")
    assert counter.sent_at is None and counter.signer_email == coordinator.email
    sent = Event.objects.filter(action="mou.signature_sent")
    assert sent.count() == 2


def test_tokens_are_random_stored_only_as_hashes_and_expire_at_the_signing_deadline(
    frozen, signing_deadline
):
    tokens = [token_of(m.body_text) for m in OutboxMessage.objects.filter(kind="mou_sign_request")]
    assert len(set(tokens)) == 2 and all(len(t) >= 43 for t in tokens)
    stored = set(SigningLink.objects.values_list("token_hash", flat=True))
    assert stored == {token_hash(t) for t in tokens}
    for token in tokens:
        assert token not in stored
        assert not SignatureRequest.objects.filter(consent_text__contains=token).exists()
        link = signing_link_find(token=token)
        assert link.expires_at == signing_deadline
        assert signing_link_problem(link) is None
    with time_machine.travel(signing_deadline - timedelta(seconds=1), tick=False):
        assert signing_link_problem(signing_link_find(token=tokens[0])) is None
    with time_machine.travel(signing_deadline, tick=False):
        problem = signing_link_problem(signing_link_find(token=tokens[0]))
        assert problem.status == 410 and "expired" in problem.title
        with pytest.raises(SigningClosed):
            sign(signing_link_find(token=tokens[0]).request)
    assert signing_link_find(token=tokens[0][:-1] + "x") is None
    assert signing_link_problem(None).status == 404


# --- signing, declining, handing over -------------------------------------------------------


def test_signing_stores_the_typed_name_title_exact_consent_and_where_it_came_from(frozen):
    signature = request_of(frozen, SALEM)
    signed = sign(signature, name="  Christy  Perry ", title="Superintendent", actor=web_actor())
    assert signed.status == SignatureRequest.Status.SIGNED
    assert signed.signed_name == "Christy  Perry"
    assert signed.signed_title == "Superintendent"
    assert signed.decided_at == NOW
    assert signed.signed_ip == "203.0.113.7"
    assert signed.signed_user_agent == "Mozilla/5.0 (Signing test)"
    assert signed.consent_text.startswith("I have read the whole memorandum")
    assert frozen.content_sha256 in signed.consent_text and SALEM in signed.consent_text
    event = Event.objects.get(action="mou.signature_signed")
    assert (event.ip_address, event.user_agent) == ("203.0.113.7", "Mozilla/5.0 (Signing test)")
    assert event.data["consent_text"] == signed.consent_text
    with pytest.raises(SigningClosed):
        sign(signature)


def test_signing_needs_a_name_a_title_and_explicit_consent(frozen):
    signature = request_of(frozen, SALEM)
    with pytest.raises(ValidationError) as refused:
        services.signature_sign(
            signature=signature, name=" ", title="", consent=False, actor=Actor.system()
        )
    assert set(refused.value.message_dict) == {"name", "title", "consent"}
    signature.refresh_from_db()
    assert signature.status == SignatureRequest.Status.PENDING


def test_the_backbone_countersigns_only_after_every_partner_whatever_link_is_used(
    frozen, coordinator
):
    counter = SignatureRequest.objects.get(frozen=frozen, role="countersigner")
    token = token_for(counter)  # a link the countersigner should not have yet
    with pytest.raises(OutOfOrder):
        sign(signing_link_find(token=token).request, name="Lita Coordinator", title="Director")
    with pytest.raises(OutOfOrder):
        services.signature_decline(signature=counter, reason="Too early", actor=Actor.system())
    sign(request_of(frozen, SALEM))
    with pytest.raises(OutOfOrder):
        sign(counter, name="Lita Coordinator", title="Director")
    assert not OutboxMessage.objects.filter(to_email=coordinator.email).exists()
    sign(request_of(frozen, CHEMEKETA), name="Jessica Howard", title="President")
    (invitation,) = OutboxMessage.objects.filter(
        to_email=coordinator.email, kind="mou_sign_request"
    )
    assert "Every partner has signed" in invitation.body_text
    counter.refresh_from_db()
    assert counter.sent_at == NOW
    signed = sign(counter, name="Lita Coordinator", title="Director")
    assert signed.status == SignatureRequest.Status.SIGNED


def test_declining_needs_a_reason_and_tells_the_coordinators(frozen, coordinator):
    signature = request_of(frozen, CHEMEKETA)
    with pytest.raises(ValidationError):
        services.signature_decline(signature=signature, reason="   ", actor=Actor.system())
    declined = services.signature_decline(
        signature=signature, reason="Our board has not approved it.", actor=web_actor()
    )
    assert declined.status == SignatureRequest.Status.DECLINED
    (told,) = OutboxMessage.objects.filter(kind="mou_sign_declined")
    assert told.to_email == coordinator.email
    assert "Our board has not approved it." in told.body_text
    assert Event.objects.get(action="mou.signature_declined").ip_address == "203.0.113.7"
    with pytest.raises(SigningClosed):
        sign(signature)


def test_handing_over_voids_the_old_request_and_e_mails_a_new_link(frozen, client):
    signature = request_of(frozen, SALEM)
    old_token = token_for(signature)
    with pytest.raises(ValidationError):
        services.signature_hand_over(
            signature=signature,
            name="Deputy",
            title="",
            email=signature.signer_email,
            actor=Actor.system(),
        )
    successor = services.signature_hand_over(
        signature=signature,
        name="Iton Udosenata",
        title="Deputy Superintendent",
        email="Deputy@Example.org",
        actor=web_actor(),
    )
    signature.refresh_from_db()
    assert signature.status == SignatureRequest.Status.HANDED_OVER
    assert successor.replaces == signature and successor.status == SignatureRequest.Status.PENDING
    assert successor.signer_email == "deputy@example.org"
    message = OutboxMessage.objects.get(to_email="deputy@example.org")
    assert "has handed over to you" in message.body_text
    new_token = token_of(message.body_text)
    response = client.get(f"/mou/sign/{old_token}/")
    assert response.status_code == 410 and b"Handed over" in response.content
    assert client.get(f"/mou/sign/{new_token}/").status_code == 200
    event = Event.objects.get(action="mou.signature_handed_over")
    assert event.data["to"]["email"] == "deputy@example.org"
    assert event.ip_address == "203.0.113.7"
    sign(successor, name="Iton Udosenata", title="Deputy Superintendent")


def test_opening_the_page_records_an_audit_event_and_changes_nothing_else(frozen, client):
    signature = request_of(frozen, SALEM)
    token = token_for(signature)
    before = (
        list(SignatureRequest.objects.values()),
        list(SigningLink.objects.values()),
        OutboxMessage.objects.count(),
    )
    for _ in range(3):
        response = client.get(
            f"/mou/sign/{token}/", REMOTE_ADDR="198.51.100.4", HTTP_USER_AGENT="Scanner/1.0"
        )
        assert response.status_code == 200
    after = (
        list(SignatureRequest.objects.values()),
        list(SigningLink.objects.values()),
        OutboxMessage.objects.count(),
    )
    assert before == after
    (opened,) = Event.objects.filter(action="mou.signature_opened")
    assert (opened.ip_address, opened.user_agent) == ("198.51.100.4", "Scanner/1.0")
    client.get(f"/mou/sign/{token}/", REMOTE_ADDR="198.51.100.5", HTTP_USER_AGENT="Mail/2")
    assert Event.objects.filter(action="mou.signature_opened").count() == 2
