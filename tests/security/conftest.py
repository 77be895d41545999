"""A whole small network to aim requests at: two partners with people in every role, MOU
versions in every state that has pages (open, frozen with a signing link, executed), a
meeting with an attachment and action items, matrix rows, a workgroup and a calendar feed.

Built with the real services where there is one; the executed PDF and the draft PDF are
stored directly (rendering them is tested elsewhere and would make every test slow).
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.actor import Actor
from core.models import OutboxMessage, User
from core.services.signin import signin_link_make
from meetings import services as meeting_services
from meetings.models import ActionItem, Attachment, Attendance, Meeting
from mou import services as mou_services
from mou.models import DraftPdf, ExecutedPdf, MouVersion, RoleBlock, SignatureRequest
from needs_matrix.models import Category, CategoryGroup
from partnership.models import Membership, Partner, Workgroup
from tests import factories

COORDINATOR_PASSWORD = "coordinator-password-for-tests"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
COMPLETE = {
    "role_in_partnership": "We pilot project-based science in two middle schools.",
    "commitments": "Two teacher teams, release time for six days, classroom space.",
    "asks_of_network": "STEM experiences for teachers and a mentor for each team.",
    "contact_name": "Dana Reyes",
    "contact_email": "dana.reyes@example.org",
    "contact_phone": "503-555-0100",
    "signing_leader_name": "Christy Perry",
    "signing_leader_title": "Superintendent",
    "signing_leader_email": "superintendent@example.org",
}
# The other partner's block of the frozen version: its own contact details, so a page that
# shows them to the wrong reader can be told apart from one showing the right partner's.
OTHER_FROZEN = {
    **COMPLETE,
    "contact_email": "registrar.frozen@example.edu",
    "contact_phone": "971-555-0142",
    "signing_leader_email": "president@example.org",
}
# Who makes the request. "signer" is a browser with no session holding a signing link.
ROLES = (
    "anonymous",
    "no_partner",
    "other_viewer",
    "other_editor",
    "other_lead",
    "viewer",
    "editor",
    "lead",
    "signer",
    "coordinator",
)


@dataclass
class World:
    people: dict[str, User | None]
    partner: Partner
    other_partner: Partner
    membership: Membership  # the right partner's viewer's membership
    workgroup: Workgroup
    version: MouVersion  # open, blocks for both partners
    draft_version: MouVersion
    block: RoleBlock  # the right partner's block of the open version
    frozen_version: MouVersion  # frozen, signatures pending
    signature: SignatureRequest  # the right partner's signing leader's request
    signing_token: str
    executed_version: MouVersion  # every signature in, executed PDF stored
    draft_pdf: DraftPdf
    meeting: Meeting
    attendance: Attendance
    attachment: Attachment
    item: ActionItem  # the right partner's part of the homework for all partners
    person_item: ActionItem  # the right partner's lead's own item
    category: Category
    group: CategoryGroup
    calendar_token: str
    signin_token: str
    message: OutboxMessage
    extra: dict = field(default_factory=dict)


def _accept(block: RoleBlock, user: User, coordinator: User, data: dict) -> RoleBlock:
    block = mou_services.block_save_draft(
        block=block, actor=Actor.of(user), data=data, expected_revision=block.revision
    )
    block = mou_services.block_submit(
        block=block, actor=Actor.of(user), expected_revision=block.revision
    )
    return mou_services.block_accept(block=block, actor=Actor.of(coordinator))


def _version(coordinator: User, title: str, days: int) -> MouVersion:
    return mou_services.version_create(
        actor=Actor.of(coordinator),
        title=title,
        shared_text="## Purpose\n\nWe build a STEM learning community.\n",
        deadline=timezone.now() + timedelta(days=days),
    )


def _opened(coordinator: User, title: str, days: int) -> MouVersion:
    version = _version(coordinator, title, days)
    mou_services.version_open(version=version, actor=Actor.of(coordinator))
    version.refresh_from_db()
    return version


def _block(version: MouVersion, partner: Partner) -> RoleBlock:
    return RoleBlock.objects.select_related("version", "partner").get(
        version=version, partner=partner
    )


def _countersigner(coordinator: User) -> mou_services.Countersigner:
    return mou_services.Countersigner(
        name=coordinator.full_name, title="Director", email=coordinator.email
    )


def _executed(coordinator, partner, other_partner, lead) -> MouVersion:
    """A version signed by the right partner and countersigned; the other partner was left
    out. Its executed PDF is stored as the render task would store it."""
    version = _opened(coordinator, "MOU 2025", 20)
    _accept(_block(version, partner), lead, coordinator, COMPLETE)
    frozen = mou_services.version_freeze(
        version=version,
        actor=Actor.of(coordinator),
        signing_deadline=timezone.now() + timedelta(days=10),
        countersigner=_countersigner(coordinator),
        leave_out=[other_partner.pk],
    )
    for role in (SignatureRequest.Role.PARTNER, SignatureRequest.Role.COUNTERSIGNER):
        signature = SignatureRequest.objects.get(frozen=frozen, role=role)
        mou_services.signature_sign(
            signature=signature,
            name=signature.signer_name,
            title="Signer",
            consent=True,
            actor=Actor.system(),
        )
    record = ExecutedPdf(
        frozen=frozen,
        sha256=hashlib.sha256(PDF + b"executed").hexdigest(),
        size=len(PDF),
        executed_at=timezone.now(),
    )
    record.file.save("executed.pdf", ContentFile(PDF), save=False)
    record.save()
    MouVersion.objects.filter(pk=version.pk).update(status=MouVersion.Status.EXECUTED)
    version.refresh_from_db()
    return version


def _frozen(coordinator, partner, other_partner, lead, other_lead):
    version = _opened(coordinator, "MOU 2026", 20)
    _accept(_block(version, partner), lead, coordinator, COMPLETE)
    _accept(
        _block(version, other_partner),
        other_lead,
        coordinator,
        OTHER_FROZEN,
    )
    frozen = mou_services.version_freeze(
        version=version,
        actor=Actor.of(coordinator),
        signing_deadline=timezone.now() + timedelta(days=10),
        countersigner=_countersigner(coordinator),
    )
    signature = SignatureRequest.objects.get(frozen=frozen, partner=partner)
    link = mou_services.signing_link_issue(signature=signature)
    version.refresh_from_db()
    return version, signature, link.rstrip("/").rsplit("/", 1)[-1]


def _meeting(coordinator, partner, other_partner, lead):
    tz = ZoneInfo(settings.TIME_ZONE)
    start = datetime.now(tz).replace(microsecond=0) + timedelta(days=3)
    meeting = meeting_services.meeting_create(
        actor=Actor.of(coordinator),
        title="Partnership meeting",
        kind="network",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="Salem, Room 101",
        agenda="1. What schools want\n2. Homework",
        notes="Schools want project-based science.",
        decisions="- Each partner drafts its MOU block",
    )
    attendance = meeting_services.attendance_add(
        meeting=meeting, user=lead, partner=partner, status="invited", actor=Actor.of(coordinator)
    )
    attachment = meeting_services.attachment_add(
        meeting=meeting,
        upload=SimpleUploadedFile("notes.pdf", PDF, content_type="application/pdf"),
        actor=Actor.of(coordinator),
    )
    homework = meeting_services.action_item_create(
        actor=Actor.of(coordinator),
        meeting=meeting,
        description="Send a draft of your block",
        owner_kind=ActionItem.OwnerKind.ALL_PARTNERS,
        due_on=date.today() + timedelta(days=30),
    )
    item = homework.children.get(owner_partner=partner)
    person_item = meeting_services.action_item_create(
        actor=Actor.of(coordinator),
        meeting=meeting,
        description="Bring the district's calendar",
        owner_kind=ActionItem.OwnerKind.PERSON,
        owner_user=lead,
        due_on=date.today() + timedelta(days=20),
    )
    return meeting, attendance, attachment, item, person_item


@pytest.fixture
def world(db) -> World:
    coordinator = factories.UserFactory(is_coordinator=True, full_name="Lita Coordinator")
    coordinator.set_password(COORDINATOR_PASSWORD)
    coordinator.save(update_fields=["password"])
    partner = factories.PartnerFactory(name="Salem-Keizer School District")
    other_partner = factories.PartnerFactory(name="Chemeketa Community College", kind="college")
    people: dict[str, User | None] = {
        "anonymous": None,
        "signer": None,
        "no_partner": factories.UserFactory(full_name="Nadia Nobody"),
        "coordinator": coordinator,
    }
    memberships = {}
    for prefix, org in (("", partner), ("other_", other_partner)):
        for role in ("viewer", "editor", "lead"):
            m = factories.MembershipFactory(partner=org, role=role)
            memberships[prefix + role] = m
            people[prefix + role] = m.user
    lead, other_lead = people["lead"], people["other_lead"]

    executed_version = _executed(coordinator, partner, other_partner, lead)
    frozen_version, signature, signing_token = _frozen(
        coordinator, partner, other_partner, lead, other_lead
    )
    version = _opened(coordinator, "MOU 2027", 30)
    block = _block(version, partner)
    block = mou_services.block_save_draft(
        block=block,
        actor=Actor.of(lead),
        data={"role_in_partnership": "Engineers visit classrooms."},
        expected_revision=block.revision,
    )
    draft_version = _version(coordinator, "MOU 2028", 60)
    draft_pdf = DraftPdf(version=version, status=DraftPdf.Status.READY, requested_by=lead)
    draft_pdf.file.save("draft.pdf", ContentFile(PDF), save=False)
    draft_pdf.sha256 = hashlib.sha256(PDF).hexdigest()
    draft_pdf.save()

    workgroup = factories.WorkgroupFactory(name="Curriculum and instruction")
    workgroup.partners.add(partner)
    workgroup.members.add(lead)

    group = factories.CategoryGroupFactory(name="Security test group")
    category = factories.CategoryFactory(group=group, name="Mentors for teachers")
    factories.MatrixEntryFactory(partner=partner, category=category, stance="need")
    factories.MatrixEntryFactory(partner=other_partner, category=category, stance="contribute")

    meeting, attendance, attachment, item, person_item = _meeting(
        coordinator, partner, other_partner, lead
    )
    calendar_token = meeting_services.calendar_feed_create(user=lead, actor=Actor.of(lead))
    signin_url = signin_link_make(user=lead, next_path=block.get_absolute_url())
    return World(
        people=people,
        partner=partner,
        other_partner=other_partner,
        membership=memberships["viewer"],
        workgroup=workgroup,
        version=version,
        draft_version=draft_version,
        block=block,
        frozen_version=frozen_version,
        signature=signature,
        signing_token=signing_token,
        executed_version=executed_version,
        draft_pdf=draft_pdf,
        meeting=meeting,
        attendance=attendance,
        attachment=attachment,
        item=item,
        person_item=person_item,
        category=category,
        group=group,
        calendar_token=calendar_token,
        signin_token=signin_url.rstrip("/").rsplit("/", 1)[-1],
        message=OutboxMessage.objects.order_by("pk").first(),
    )
