"""The MOU part of the demo: last year's executed version, and an open version, following
it, with blocks in every state.

Built with the real services (opening e-mails the leads through the outbox, drafts are
saved, submitted and reviewed as people would; the earlier version is frozen, signed by
every signing leader and countersigned, and its PDF rendered by the render service), after
the partnership part of the demo. Idempotent: what exists is left alone.
"""

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from core.actor import Actor
from core.models import User
from mou import services
from mou.models import MouVersion, RoleBlock, SignatureRequest
from mou.rules import network_zone
from mou.seeding import role_templates_seed
from partnership.models import Membership, Partner

TITLE = "Mid-Valley STEM Partnership MOU 2026–27"

SHARED_TEXT = """\
## Purpose

The partners of the Mid-Valley STEM Partnership agree to work together as a STEM learning
community network: to bring rigorous, project-based mathematics, science and technology into
every school day, to share the practices that work, and to support teachers in changing
their practice, which "is more than a workshop".

## Principles

- **Common practices.** Partners use the practices the network agrees on, and say so when
  they adapt them.
- **Prototype schools first.** Each district starts with one or two schools, chosen where
  improvement or innovation is most needed, and shares what it learns.
- **Equity.** Every child takes part in rigorous mathematics and science.
- **Shared measures.** Partners agree on how to show impact, and report on it together.
- **Distributed leadership.** Workgroups on curriculum and instruction, assessment and policy
  carry the work between meetings.

## Terms

1. This memorandum runs for the school year 2026–27 and may be renewed by a new version.
2. Each partner's block below states its role, what it commits and contributes, and what it
   asks of the network. Each block is part of this memorandum.
3. The Mid-Valley STEM Hub, as backbone organization, convenes the partners, keeps the
   needs and contributions matrix, and reports to the partners each quarter.
4. The memorandum creates no financial obligation; funding is agreed separately.
5. A partner may withdraw with 60 days' written notice to the backbone organization.
"""

BLOCKS = {
    "Salem-Keizer School District": {
        "state": "draft",
        "data": {
            "role_in_partnership": (
                "As a partner school district, Salem-Keizer will:\n\n"
                "- pick two middle schools as prototypes, where improvement in math is most "
                "needed;\n"
                "- bring project-based science and math (FIRST LEGO League) into the school "
                "day;\n"
                "- build teacher teams within the district and with Woodburn and Silver Falls."
            ),
            "commitments": "Two teacher teams, six release days per teacher, classroom space.",
            "contact_name": "Maria Alvarez",
            "contact_email": "maria.alvarez@salkeiz.example.org",
        },
    },
    "Woodburn School District": {
        "state": "submitted",
        "data": {
            "role_in_partnership": (
                "Woodburn will focus on in-school change at Woodburn Wellness, Business and "
                "Sports School, with CTE teachers joining the math and science teams."
            ),
            "commitments": (
                "- A CTE and math teacher team of four\n- Data on course taking by English "
                "learners\n- Hosting one network meeting a year"
            ),
            "asks_of_network": "Mentors for the teacher team and STEM experiences for teachers.",
            "contact_name": "Luis Ramirez",
            "contact_email": "luis.ramirez@woodburn.example.org",
            "contact_phone": "503-555-0140",
            "signing_leader_name": "Dr. Elena Ortiz",
            "signing_leader_title": "Superintendent",
            "signing_leader_email": "superintendent@woodburn.example.org",
        },
    },
    "Silver Falls School District": {
        "state": "changes_requested",
        "comment": "Please name the prototype school and say how many teachers take part.",
        "data": {
            "role_in_partnership": "Silver Falls will pilot STEM experiences in one school.",
            "commitments": "Teacher time for professional learning.",
            "asks_of_network": "Access to the network's technical content.",
            "contact_name": "Karen Holt",
            "contact_email": "karen.holt@silverfalls.example.org",
            "signing_leader_name": "Andy Bellando",
            "signing_leader_title": "Superintendent",
            "signing_leader_email": "superintendent@silverfalls.example.org",
        },
    },
    "Greater Albany Public Schools": {
        "state": "accepted",
        "data": {
            "role_in_partnership": (
                "Greater Albany will align technical math with the Common Core standards in "
                "its two high schools and share the aligned units with the network."
            ),
            "commitments": "A math coordinator at 0.2 FTE and summer curriculum days.",
            "asks_of_network": "Review of the aligned units by college faculty.",
            "contact_name": "David Nguyen",
            "contact_email": "david.nguyen@albany.example.org",
            "signing_leader_name": "Melissa Goff",
            "signing_leader_title": "Superintendent",
            "signing_leader_email": "superintendent@albany.example.org",
        },
    },
    "Chemeketa Community College": {
        "state": "submitted",
        "data": {
            "role_in_partnership": (
                "Chemeketa will offer dual-credit math pathways and open its labs for "
                "teacher STEM experiences."
            ),
            "commitments": "Faculty time for two summer institutes; lab space on Saturdays.",
            "asks_of_network": "A contact at each partner district for dual-credit planning.",
            "contact_name": "Program Director",
            "contact_email": "stem@chemeketa.example.org",
            "signing_leader_name": "Jessica Howard",
            "signing_leader_title": "President",
            "signing_leader_email": "president@chemeketa.example.org",
        },
    },
    "Western Oregon University": {
        "state": "draft",
        "data": {
            "role_in_partnership": (
                "Western Oregon will place pre-service teachers with the prototype schools."
            ),
        },
    },
}


EXECUTED_TITLE = "Mid-Valley STEM Partnership MOU 2025–26"

# Last year's blocks, accepted, signed and executed.
EXECUTED_BLOCKS = {
    "Woodburn School District": {
        "role_in_partnership": (
            "Woodburn pilots project-based math with CTE teachers at Woodburn Wellness, "
            "Business and Sports School."
        ),
        "commitments": "A teacher team of three and two release days per teacher.",
        "asks_of_network": "A mentor for the teacher team.",
        "contact_name": "Luis Ramirez",
        "contact_email": "luis.ramirez@woodburn.example.org",
        "signing_leader_name": "Dr. Elena Ortiz",
        "signing_leader_title": "Superintendent",
        "signing_leader_email": "superintendent@woodburn.example.org",
    },
    "Greater Albany Public Schools": {
        "role_in_partnership": "Greater Albany aligns technical math with the Common Core.",
        "commitments": "A math coordinator at 0.2 FTE.",
        "asks_of_network": "Review of the aligned units by college faculty.",
        "contact_name": "David Nguyen",
        "contact_email": "david.nguyen@albany.example.org",
        "signing_leader_name": "Melissa Goff",
        "signing_leader_title": "Superintendent",
        "signing_leader_email": "superintendent@albany.example.org",
    },
    "Chemeketa Community College": {
        "role_in_partnership": "Chemeketa opens its labs for teacher STEM experiences.",
        "commitments": "Faculty time for one summer institute.",
        "asks_of_network": "A contact at each partner district for dual-credit planning.",
        "contact_name": "Program Director",
        "contact_email": "stem@chemeketa.example.org",
        "signing_leader_name": "Jessica Howard",
        "signing_leader_title": "President",
        "signing_leader_email": "president@chemeketa.example.org",
    },
}


def demo_deadline(today: date | None = None) -> datetime:
    """October 15, 23:59 in the network's time zone: this year's if still ahead, else next."""
    zone = network_zone()
    today = today or timezone.localdate(timezone=zone)
    deadline = datetime(today.year, 10, 15, 23, 59, tzinfo=zone)
    if deadline <= timezone.now():
        deadline = datetime(today.year + 1, 10, 15, 23, 59, tzinfo=zone)
    return deadline


def _writer(partner: Partner) -> User | None:
    membership = (
        Membership.objects.filter(
            partner=partner,
            role__in=[Membership.Role.LEAD, Membership.Role.EDITOR],
            user__is_active=True,
        )
        .select_related("user")
        .order_by("-role", "pk")
        .first()
    )
    return membership.user if membership else None


def _play(block: RoleBlock, spec: dict, coordinator: User | None) -> None:
    writer = _writer(block.partner)
    if writer is None:
        return
    as_writer = Actor.of(writer)
    block = services.block_save_draft(
        block=block, actor=as_writer, data=spec["data"], expected_revision=block.revision
    )
    if spec["state"] == "draft":
        return
    block = services.block_submit(block=block, actor=as_writer)
    if coordinator is None or spec["state"] == "submitted":
        return
    as_coordinator = Actor.of(coordinator)
    if spec["state"] == "accepted":
        services.block_accept(block=block, actor=as_coordinator, comment="Thank you.")
    elif spec["state"] == "changes_requested":
        services.block_request_changes(block=block, actor=as_coordinator, comment=spec["comment"])


def _accept(block: RoleBlock, data: dict, coordinator: User) -> bool:
    writer = _writer(block.partner)
    if writer is None:
        return False
    as_writer = Actor.of(writer)
    block = services.block_save_draft(
        block=block, actor=as_writer, data=data, expected_revision=block.revision
    )
    block = services.block_submit(block=block, actor=as_writer)
    services.block_accept(block=block, actor=Actor.of(coordinator), comment="Thank you.")
    return True


def load_demo_executed(coordinator: User | None) -> MouVersion | None:
    """Last year's version, frozen, signed by everyone and executed (once)."""
    existing = MouVersion.objects.filter(title=EXECUTED_TITLE).first()
    if existing is not None or coordinator is None:
        return existing
    from needs_matrix.demo import load_demo_matrix

    load_demo_matrix()  # so the frozen appendix shows the network's needs
    now = timezone.now()
    actor = Actor.of(coordinator)
    version = services.version_create(
        actor=actor,
        title=EXECUTED_TITLE,
        shared_text=SHARED_TEXT.replace("2026–27", "2025–26"),
        deadline=now + timedelta(hours=1),
    )
    services.version_open(version=version, actor=actor)
    included = set()
    for block in RoleBlock.objects.filter(version=version).select_related("version", "partner"):
        data = EXECUTED_BLOCKS.get(block.partner.name)
        if data is not None and _accept(block, data, coordinator):
            included.add(block.partner_id)
    if not included:
        return version
    left_out = RoleBlock.objects.filter(version=version).exclude(partner_id__in=included)
    frozen = services.version_freeze(
        version=version,
        actor=actor,
        signing_deadline=now + timedelta(days=14),
        countersigner=services.Countersigner(
            name=coordinator.full_name,
            title=coordinator.title or "Executive Director",
            email=coordinator.email,
        ),
        leave_out=list(left_out.values_list("partner_id", flat=True)),
    )
    requests = SignatureRequest.objects.filter(frozen=frozen).order_by("-role", "organization")
    for signature in requests:
        services.signature_sign(
            signature=signature,
            name=signature.signer_name,
            title=signature.signer_title or "Executive Director",
            consent=True,
            actor=Actor.system(),  # each signer, through their link: no account, no address
        )
    services.executed_pdf_render(frozen_id=frozen.pk, actor=Actor.system())
    version.refresh_from_db()
    return version


def load_demo_mou(network=None) -> MouVersion:
    """Create the demo MOU versions (once). ``network`` is the partnership demo's
    ``DemoNetwork`` when called from ``load_demo``; without it the first coordinator acts."""
    coordinator = getattr(network, "coordinator", None) or (
        User.objects.filter(is_coordinator=True, is_active=True).order_by("pk").first()
    )
    existing = MouVersion.objects.filter(title=TITLE).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        role_templates_seed()
        executed = load_demo_executed(coordinator)
        actor = Actor.of(coordinator) if coordinator is not None else Actor.system()
        version = services.version_create(
            actor=actor,
            title=TITLE,
            shared_text=SHARED_TEXT,
            deadline=demo_deadline(),
            previous=executed,
        )
        services.version_open(version=version, actor=actor)
        blocks = RoleBlock.objects.filter(version=version).select_related("version", "partner")
        for block in blocks:
            spec = BLOCKS.get(block.partner.name)
            if spec is not None:
                _play(block, spec, coordinator)
        if network is not None:
            network.changes += 1
    return version
