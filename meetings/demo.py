"""Demo meetings drawn from the partnership's own notes.

- A recent partnership meeting like the one of September 10, 2012: what partner school
  districts want from the partnership and can contribute, and the homework for all
  partners (send a draft of your block of the MOU, with the name of the leader who would
  sign), which becomes one checklist item per active partner, tied to the open MOU
  version's "submit your block" task: it shows who has really submitted.
- The in-person breakout "Partnerships and Alliances": opportunities and challenges,
  goals, actors and networks, and the pitch.
- The next partnership meeting, upcoming, which carries the open homework forward.

Partners and people are looked up by name or e-mail and skipped when missing. Meetings are
keyed by title: loading twice changes nothing.
"""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from core.actor import Actor
from core.models import User
from core.portal_tasks import portal_task
from meetings import services
from meetings.models import ActionItem, Attendance, Meeting
from partnership.models import Membership, Partner

PARTNERSHIP_MEETING = "Partnership meeting: becoming a partner school district"
BREAKOUT = "Partnerships and Alliances: in-person breakout"
NEXT_MEETING = "Partnership meeting: MOU blocks and the needs matrix"
SERIES = "Partnership meetings"
SUBMIT_TASK = "mou.block_submit"  # registered by the MOU app (mou.portal_tasks)

SCHOOL_SIDE = [
    "Salem-Keizer School District",
    "Woodburn School District",
    "Silver Falls School District",
    "Greater Albany Public Schools",
    "Dallas School District",
    "Chemeketa Community College",
    "Western Oregon University",
]
BREAKOUT_PARTNERS = [
    "Oregon Science Teachers Association",
    "Mid-Valley Afterschool Alliance",
    "Mid-Valley Education Fund",
    "Gilbert House Children's Museum",
]
DEB = "deb.marsh@midvalleystem.example.org"

PARTNERSHIP_AGENDA = """\
1. What it means to become a partner school district
2. What schools need and want from the partnership, and what they can contribute
3. The next version of the MOU, with a school district partner role as a model
4. A matrix of needs, contributions and gaps in resources
5. Homework for all partners
"""

PARTNERSHIP_NOTES = """\
We had a good discussion about what it means to become a partner school district: what
schools need and want from the partnership and what they can contribute.

**Schools want to:**

1. Bring project-based science and math (like FIRST) into the classroom
1. Be part of a network that is using common practices ("this is the way we are going
   to deliver it")
1. Be part of a community that promotes STEM education
1. Share best practices and be a learning community
1. Have a robust math, science and technology curriculum at every level during the school day
1. Pick a school or two within the district to participate as prototypes, based on where
   improvement or innovation is needed in each district
1. Engage all children in rigorous math and science
1. Teach teams of teachers within districts and with other districts
1. Study high-leverage strategies
1. Focus on in-school change
1. Engage in staff development and bring more purpose into the curriculum
1. Recognize that "teaching practice change and transformation is more than a workshop"
1. Use tools and resources to integrate into curriculum
1. Utilize CTE teachers to impact math and science teaching
1. Have a more formal integrated approach in schools
1. Align technical math with Common Core standards
1. Have access to the network's technical content
1. Create and provide "STEM experiences" for teachers
1. Have access to mentors, collaboration with other schools, STEM activities

**Next steps.** Salem-Keizer will work on the next version of the agreement, including a
school district partner role, so we will have a model; they will also contribute other
revisions to the draft MOU. The most updated version goes out in early October, to help
each organization formulate its needs and contributions. Deb is working on a matrix that
may help each partner clarify its needs, contributions and gaps in resources.

The sooner we understand what schools need and what they can contribute, the sooner we can
have a substantive discussion about how to form a STEM learning community network.
We are building the plane while flying it: thanks for your ongoing commitment to this work,
despite the ambiguity.
"""

PARTNERSHIP_DECISIONS = """\
- Every partner sends a draft of its role in the partnership (its block of the MOU) and
  names the leader who would sign the agreement.
- Salem-Keizer drafts the school district partner role as the model for other districts.
- The backbone sends the updated MOU to all partners in early October.
"""

HOMEWORK = (
    "Send a draft of your organization's role in the partnership (fill in your block of the "
    "MOU) to Lita Colligan, along with the name of the leader in your organization who would "
    "sign the agreement."
)

BREAKOUT_AGENDA = """\
1. Opportunities and challenges
2. Goals
3. Actors and actions
4. Brainstorm goals, actors and networks
5. The pitch
"""

BREAKOUT_NOTES = """\
### Opportunities and challenges

- The lack of cohesion. Partnerships around professional learning (implementing and
  amplifying) help each other figure out how to show impact: what's our language?
- Buy-in: how do we demonstrate that science is a great tool to teach ELA and math
  (K-8, elementary level)?
- Leadership turnover
- Accountability for math and ELA; science does not have the same accountability
- Lack of long-term funding
- Distributed leadership

### Goals

- Coherence from a partnerships perspective
- Supports for partnership formation at the local, state and national level: fund
  backbone organizations, build leadership capacity, and establish metrics to achieve
  goals that collectively support science standards implementation
- Teacher capacity and student experience: equitable classrooms, teacher retention,
  student engagement; student-centered, relevant and engaging

### Actors and actions

- Focus on teachers: we want teachers to be successful and confident in the science
  classroom. Create a tool for administrators so they know what they are looking at in a
  science classroom.
- Functional assessment literacy
- Identify an anchor organization
- Metrics of how the science standards are doing
- Professional learning opportunities

### Actors and networks

States; teachers (NSTA, state organizations, preservice and teacher education programs);
non-profits (Afterschool Alliance, Learning First Alliance, PTA); government (NGA,
National League of Cities); informal education and CTE; principals; students and families;
justice, civil rights and social justice organizations; funders; for-profit and hands-on
science partnerships; science professional organizations.

### The pitch

Propose the recruitment of a backbone organization dedicated to increasing equity,
coherence and capacity in the field by ensuring consistent communication and identifying
funders: strengthen connections, expand networks, share best practices and models of
partnerships, and determine what is needed to build sustainable alliances.

Begin with a period of research and analysis; organize a convening of existing and new
organizations; highlight models; form self-organized workgroups around curriculum and
instruction, assessment, policy and other topics this body identifies. Workgroup products:
adaptable models and processes, and toolkits that can be replicated locally.
"""

BREAKOUT_DECISIONS = """\
- Two-year outcome: a successful and tested process for forming partnerships and alliances.
- Form self-organized workgroups: curriculum and instruction, assessment, policy.
"""

CONCEPT_PAPER = (
    "Develop a concept paper: a concise vision and mission, anticipated goals and outcomes, "
    "and anticipated funding needs."
)


def _at(day, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=timezone.get_default_timezone())


def _partners(names: list[str]) -> list[Partner]:
    found = {p.name: p for p in Partner.objects.filter(name__in=names, status="active")}
    return [found[name] for name in names if name in found]


def _invite(meeting: Meeting, partners: list[Partner], actor: Actor, *, held: bool = True) -> None:
    for partner in partners:
        services.attendance_invite_partner(meeting=meeting, partner=partner, actor=actor)
    if not held:
        return
    # Most of the invited came; a few sent apologies.
    rows = list(meeting.attendances.order_by("id"))
    statuses = {
        row.pk: Attendance.Status.ABSENT if i % 5 == 4 else Attendance.Status.ATTENDED
        for i, row in enumerate(rows)
    }
    services.attendance_set_statuses(meeting=meeting, statuses=statuses, actor=actor)


def _partnership_meeting(today, coordinator: User | None) -> Meeting:
    actor = Actor.of(coordinator)
    day = today - timedelta(days=5)
    meeting = services.meeting_create(
        actor=actor,
        title=PARTNERSHIP_MEETING,
        kind=Meeting.Kind.NETWORK,
        series=SERIES,
        starts_at=_at(day, 15),
        ends_at=_at(day, 17),
        place="Chemeketa Community College, Salem",
        agenda=PARTNERSHIP_AGENDA,
        notes=PARTNERSHIP_NOTES,
        decisions=PARTNERSHIP_DECISIONS,
    )
    _invite(meeting, _partners(SCHOOL_SIDE), actor)
    # Tied to the open version's submit task (when the MOU demo opened one): each partner's
    # item is done when its block is submitted, so the checklist shows the real progress.
    submit = portal_task(SUBMIT_TASK)
    tied = submit is not None and submit.current_subject() is not None
    homework = services.action_item_create(
        actor=actor,
        meeting=meeting,
        description=HOMEWORK,
        owner_kind=ActionItem.OwnerKind.ALL_PARTNERS,
        due_on=day + timedelta(days=35),
        subject_label="Your organization's block of the MOU",
        subject_url="" if tied else "/mou/",
        task_key=SUBMIT_TASK if tied else "",
    )
    # Without an MOU to follow, one partner has answered by hand, so the checklist shows
    # progress.
    early = homework.children.filter(
        owner_partner__name="Chemeketa Community College", status=ActionItem.Status.OPEN
    ).first()
    if early is not None and not tied:
        lead = User.objects.filter(
            memberships__partner=early.owner_partner, memberships__role=Membership.Role.LEAD
        ).first()
        if lead is not None:
            services.action_item_complete(item=early, actor=Actor.of(lead))
    salem = Partner.objects.filter(name="Salem-Keizer School District").first()
    if salem is not None:
        services.action_item_create(
            actor=actor,
            meeting=meeting,
            description="Draft the next version of the agreement, including a school district "
            "partner role as a model, and send other revisions to the draft MOU.",
            owner_kind=ActionItem.OwnerKind.PARTNER,
            owner_partner=salem,
            due_on=day + timedelta(days=21),
        )
    if coordinator is not None:
        services.action_item_create(
            actor=actor,
            meeting=meeting,
            description="Send the most updated version of the MOU to all partners.",
            owner_kind=ActionItem.OwnerKind.PERSON,
            owner_user=coordinator,
            due_on=day + timedelta(days=25),
        )
    deb = User.objects.filter(email=DEB, is_active=True).first()
    if deb is not None:
        services.action_item_create(
            actor=actor,
            meeting=meeting,
            description="Prepare the matrix of each partner's needs, contributions and gaps "
            "in resources.",
            owner_kind=ActionItem.OwnerKind.PERSON,
            owner_user=deb,
            due_on=day + timedelta(days=25),
            subject_label="Needs matrix",
            subject_url="/matrix/",
        )
    services.meeting_notes_publish(meeting=meeting, actor=actor)
    return meeting


def _breakout(today, coordinator: User | None) -> Meeting:
    actor = Actor.of(coordinator)
    day = today - timedelta(days=12)
    meeting = services.meeting_create(
        actor=actor,
        title=BREAKOUT,
        kind=Meeting.Kind.BREAKOUT,
        series="Partnerships and Alliances",
        starts_at=_at(day, 10),
        ends_at=_at(day, 12),
        place="In person, breakout room B",
        agenda=BREAKOUT_AGENDA,
        notes=BREAKOUT_NOTES,
        decisions=BREAKOUT_DECISIONS,
    )
    _invite(meeting, _partners(BREAKOUT_PARTNERS), actor)
    if coordinator is not None:
        services.action_item_create(
            actor=actor,
            meeting=meeting,
            description=CONCEPT_PAPER,
            owner_kind=ActionItem.OwnerKind.PERSON,
            owner_user=coordinator,
            due_on=day + timedelta(days=60),
        )
    services.meeting_notes_publish(meeting=meeting, actor=actor)
    return meeting


def _next_meeting(today, coordinator: User | None) -> Meeting:
    actor = Actor.of(coordinator)
    day = today + timedelta(days=9)
    meeting = services.meeting_create(
        actor=actor,
        title=NEXT_MEETING,
        kind=Meeting.Kind.NETWORK,
        series=SERIES,
        starts_at=_at(day, 15),
        ends_at=_at(day, 17),
        place="Chemeketa Community College, Salem",
        video_url="https://meet.example.org/midvalley-stem",
        agenda="1. MOU blocks received so far, and who is still working on theirs\n"
        "2. The school district partner role drafted by Salem-Keizer\n"
        "3. First look at the needs and contributions matrix\n"
        "4. Forming workgroups: curriculum and instruction, assessment, policy\n",
    )
    _invite(meeting, _partners(SCHOOL_SIDE), actor, held=False)
    return meeting


@transaction.atomic
def load_demo_meetings() -> int:
    """Create the demo meetings that do not exist yet; returns how many were created."""
    coordinator = (
        User.objects.filter(is_coordinator=True, is_active=True)
        .order_by("date_joined", "pk")
        .first()
    )
    today = timezone.localdate()
    created = 0
    for title, build in (
        (BREAKOUT, _breakout),
        (PARTNERSHIP_MEETING, _partnership_meeting),
        (NEXT_MEETING, _next_meeting),
    ):
        if not Meeting.objects.filter(title=title).exists():
            build(today, coordinator)
            created += 1
    return created
