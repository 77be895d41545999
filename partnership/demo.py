"""The demo network: a regional STEM partnership in the Salem / Willamette Valley area.

The facts come from the partnership's own notes (September 2012: partners asked to fill
in their block of the MOU for Lita Colligan by October 15; Deb working on the needs
matrix; Salem-Keizer drafting the school district partner role) and from the breakout
summary on partnerships and alliances (workgroups on curriculum and instruction,
assessment and policy). The people are invented; e-mail addresses use example domains.

Everything is keyed by natural keys (e-mail, partner name, workgroup name) and only
written when it differs, so loading twice changes nothing.
"""

import os
from dataclasses import dataclass, field

from django.db import models

from core.models import User
from core.text import markdown_cook
from partnership.models import Membership, Partner, PartnerKind, Workgroup

DEFAULT_COORDINATOR_PASSWORD = "partnership-demo"
COORDINATOR_EMAIL = "lita.colligan@midvalleystem.example.org"

COORDINATORS = [
    {
        "email": COORDINATOR_EMAIL,
        "full_name": "Lita Colligan",
        "title": "Director, Mid-Valley STEM Hub (backbone organization)",
        "phone": "503-555-0100",
        "password": True,
        "admin": True,
    },
    {
        "email": "deb.marsh@midvalleystem.example.org",
        "full_name": "Deb Marsh",
        "title": "Partnership coordinator, Mid-Valley STEM Hub",
        "phone": "503-555-0101",
        "password": False,
        "admin": False,
    },
]

A = Partner.Status.ACTIVE
PARTNERS = [
    {
        "name": "Salem-Keizer School District",
        "kind": PartnerKind.SCHOOL_DISTRICT,
        "region": "Salem-Keizer, Marion and Polk counties",
        "website": "https://salkeiz.k12.or.us",
        "description": "Oregon's second-largest school district. Drafting the model "
        "**school district partner role** for the next version of the MOU, and piloting "
        "project-based science and math (like FIRST) in a few prototype schools.",
    },
    {
        "name": "Woodburn School District",
        "kind": PartnerKind.SCHOOL_DISTRICT,
        "region": "Woodburn, Marion County",
        "website": "https://www.woodburnsd.org",
        "description": "Wants teams of teachers learning together within and across "
        "districts, and access to mentors and STEM activities for every child.",
    },
    {
        "name": "Silver Falls School District",
        "kind": PartnerKind.SCHOOL_DISTRICT,
        "region": "Silverton, Marion County",
        "website": "https://www.silverfallssd.org",
        "description": "A rural district interested in using CTE teachers to strengthen "
        "math and science teaching, and in aligning technical math with the Common Core.",
    },
    {
        "name": "Greater Albany Public Schools",
        "kind": PartnerKind.SCHOOL_DISTRICT,
        "region": "Albany, Linn and Benton counties",
        "website": "https://www.albany.k12.or.us",
        "description": "Focused on in-school change: a robust math, science and technology "
        "curriculum at every level during the school day.",
    },
    {
        "name": "Chemeketa Community College",
        "kind": PartnerKind.COLLEGE,
        "region": "Salem",
        "website": "https://www.chemeketa.edu",
        "description": "Career and technical education pathways, dual credit and technical "
        "math; offers STEM experiences for teachers on campus.",
    },
    {
        "name": "Western Oregon University",
        "kind": PartnerKind.COLLEGE,
        "region": "Monmouth, Polk County",
        "website": "https://wou.edu",
        "description": "Preservice and teacher education programs; professional learning "
        "for in-service teachers of science and mathematics.",
    },
    {
        "name": "Mid-Valley Afterschool Alliance",
        "kind": PartnerKind.NONPROFIT,
        "region": "Marion, Polk and Yamhill counties",
        "website": "",
        "description": "Afterschool and summer STEM programs; connects families and "
        "community organizations with schools.",
    },
    {
        "name": "Gilbert House Children's Museum",
        "kind": PartnerKind.INFORMAL,
        "region": "Salem",
        "website": "",
        "description": "Hands-on science exhibits and field trips; informal education "
        "partner for family STEM nights.",
    },
    {
        "name": "Willamette Valley Manufacturing Partners",
        "kind": PartnerKind.BUSINESS,
        "region": "Willamette Valley",
        "website": "",
        "description": "Local manufacturers offering mentors, plant tours and "
        "internships, and advice on the skills their workforce needs.",
    },
    {
        "name": "Mid-Valley Education Fund",
        "kind": PartnerKind.FUNDER,
        "region": "Willamette Valley",
        "website": "",
        "description": "Community foundation supporting teacher professional learning and "
        "long-term funding for the network.",
    },
    {
        "name": "Oregon Science Teachers Association",
        "kind": PartnerKind.ASSOCIATION,
        "region": "Statewide",
        "website": "",
        "description": "Professional association of science teachers; shares best "
        "practices and helps teachers implement the science standards.",
    },
    {
        "name": "Dallas School District",
        "kind": PartnerKind.SCHOOL_DISTRICT,
        "status": Partner.Status.PROSPECTIVE,
        "region": "Dallas, Polk County",
        "website": "",
        "description": "Considering joining the network; attended the September meeting.",
    },
    {
        "name": "Valley Robotics League",
        "kind": PartnerKind.NONPROFIT,
        "status": Partner.Status.INACTIVE,
        "region": "Salem",
        "website": "",
        "description": "Ran FIRST LEGO League teams with the districts until 2011.",
    },
]

# (partner name, e-mail, full name, title, role)
PEOPLE = [
    (
        "Salem-Keizer School District",
        "maria.alvarez@salkeiz.example.org",
        "Maria Alvarez",
        "Director of Curriculum and Instruction",
        Membership.Role.LEAD,
    ),
    (
        "Salem-Keizer School District",
        "tom.becker@salkeiz.example.org",
        "Tom Becker",
        "Science TOSA",
        Membership.Role.EDITOR,
    ),
    (
        "Salem-Keizer School District",
        "janet.okafor@salkeiz.example.org",
        "Janet Okafor",
        "Assistant Superintendent",
        Membership.Role.VIEWER,
    ),
    (
        "Woodburn School District",
        "luis.ramirez@woodburn.example.org",
        "Luis Ramirez",
        "Director of Teaching and Learning",
        Membership.Role.LEAD,
    ),
    (
        "Silver Falls School District",
        "karen.holt@silverfalls.example.org",
        "Karen Holt",
        "Principal, Silverton High School",
        Membership.Role.LEAD,
    ),
    (
        "Greater Albany Public Schools",
        "david.nguyen@albany.example.org",
        "David Nguyen",
        "K-12 Math and Science Coordinator",
        Membership.Role.LEAD,
    ),
    (
        "Greater Albany Public Schools",
        "erin.walsh@albany.example.org",
        "Erin Walsh",
        "CTE Coordinator",
        Membership.Role.EDITOR,
    ),
    (
        "Chemeketa Community College",
        "robert.kim@chemeketa.example.org",
        "Robert Kim",
        "Dean of Applied Technology",
        Membership.Role.LEAD,
    ),
    (
        "Chemeketa Community College",
        "sandra.lee@chemeketa.example.org",
        "Sandra Lee",
        "Dual Credit Manager",
        Membership.Role.VIEWER,
    ),
    (
        "Western Oregon University",
        "anne.fischer@wou.example.org",
        "Anne Fischer",
        "Professor of Science Education",
        Membership.Role.LEAD,
    ),
    (
        "Mid-Valley Afterschool Alliance",
        "grace.thompson@mvaa.example.org",
        "Grace Thompson",
        "Executive Director",
        Membership.Role.LEAD,
    ),
    (
        "Gilbert House Children's Museum",
        "paul.jensen@gilberthouse.example.org",
        "Paul Jensen",
        "Education Manager",
        Membership.Role.LEAD,
    ),
    (
        "Willamette Valley Manufacturing Partners",
        "mike.oconnor@wvmp.example.org",
        "Mike O'Connor",
        "Workforce Programs Lead",
        Membership.Role.LEAD,
    ),
    (
        "Mid-Valley Education Fund",
        "susan.park@mvef.example.org",
        "Susan Park",
        "Program Officer",
        Membership.Role.LEAD,
    ),
    (
        "Oregon Science Teachers Association",
        "james.carter@osta.example.org",
        "James Carter",
        "President-elect",
        Membership.Role.LEAD,
    ),
    (
        "Dallas School District",
        "linda.morris@dallas.example.org",
        "Linda Morris",
        "Curriculum Director",
        Membership.Role.LEAD,
    ),
    (
        "Valley Robotics League",
        "kevin.brooks@vrl.example.org",
        "Kevin Brooks",
        "Volunteer Coordinator",
        Membership.Role.LEAD,
    ),
]

# The self-organized workgroups named in the breakout summary.
WORKGROUPS = [
    {
        "name": "Curriculum and instruction",
        "description": "Project-based science and math in the classroom, common practices "
        "across districts, integrating CTE, and aligning technical math with the Common "
        "Core. Products: models and toolkits other districts can adapt.",
        "partners": [
            "Salem-Keizer School District",
            "Greater Albany Public Schools",
            "Chemeketa Community College",
            "Gilbert House Children's Museum",
        ],
        "members": [
            "maria.alvarez@salkeiz.example.org",
            "tom.becker@salkeiz.example.org",
            "erin.walsh@albany.example.org",
            "robert.kim@chemeketa.example.org",
            "paul.jensen@gilberthouse.example.org",
        ],
    },
    {
        "name": "Assessment",
        "description": "Functional assessment literacy, and metrics that show how the "
        "science standards are doing and what impact the partnership has.",
        "partners": [
            "Woodburn School District",
            "Western Oregon University",
            "Oregon Science Teachers Association",
        ],
        "members": [
            "luis.ramirez@woodburn.example.org",
            "anne.fischer@wou.example.org",
            "james.carter@osta.example.org",
        ],
    },
    {
        "name": "Policy",
        "description": "Accountability for science alongside math and ELA, long-term "
        "funding, and leadership capacity when leaders turn over.",
        "partners": [
            "Silver Falls School District",
            "Mid-Valley Education Fund",
            "Mid-Valley Afterschool Alliance",
        ],
        "members": [
            "karen.holt@silverfalls.example.org",
            "susan.park@mvef.example.org",
            "grace.thompson@mvaa.example.org",
            COORDINATOR_EMAIL,
        ],
    },
]


@dataclass
class DemoNetwork:
    """What the partnership part built, for the parts other apps add (MOU, matrix, ...)."""

    coordinator: User
    coordinators: list[User] = field(default_factory=list)
    partners: dict[str, Partner] = field(default_factory=dict)
    people: dict[str, User] = field(default_factory=dict)
    workgroups: dict[str, Workgroup] = field(default_factory=dict)
    changes: int = 0


def coordinator_password() -> str:
    return os.environ.get("DEMO_COORDINATOR_PASSWORD") or DEFAULT_COORDINATOR_PASSWORD


def upsert(model: type[models.Model], *, lookup: dict, values: dict) -> tuple[models.Model, int]:
    """Get by natural key and write only what differs; returns (object, 1 if written)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**{key.removesuffix("__iexact"): v for key, v in lookup.items()}, **values)
        if isinstance(obj, User):
            obj.set_unusable_password()
        if hasattr(obj, "MARKDOWN_FIELDS"):
            markdown_cook(obj=obj)
        obj.full_clean()
        obj.save()
        return obj, 1
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if not changed:
        return obj, 0
    for name in changed:
        setattr(obj, name, values[name])
    if hasattr(obj, "MARKDOWN_FIELDS"):
        changed += markdown_cook(obj=obj, fields=changed)
    obj.full_clean()
    obj.save(update_fields=changed)
    return obj, 1


def build_coordinators(network: DemoNetwork | None = None) -> DemoNetwork:
    coordinators, changes = [], 0
    for spec in COORDINATORS:
        user, written = upsert(
            User,
            lookup={"email": spec["email"]},
            values={
                "full_name": spec["full_name"],
                "title": spec["title"],
                "phone": spec["phone"],
                "is_coordinator": True,
                "is_active": True,
                # The first coordinator may use the Django admin too.
                "is_staff": spec["admin"],
                "is_superuser": spec["admin"],
            },
        )
        changes += written
        if spec["password"] and not user.check_password(coordinator_password()):
            user.set_password(coordinator_password())
            user.save(update_fields=["password"])
            changes += 1
        coordinators.append(user)
    return DemoNetwork(coordinator=coordinators[0], coordinators=coordinators, changes=changes)


def build_partners(network: DemoNetwork) -> None:
    for spec in PARTNERS:
        values = {key: value for key, value in spec.items() if key != "name"}
        values.setdefault("status", A)
        partner, written = upsert(Partner, lookup={"name__iexact": spec["name"]}, values=values)
        network.partners[partner.name] = partner
        network.changes += written


def build_people(network: DemoNetwork) -> None:
    for partner_name, email, full_name, title, role in PEOPLE:
        person, written = upsert(
            User,
            lookup={"email": email},
            values={"full_name": full_name, "title": title, "is_active": True},
        )
        network.people[email] = person
        network.changes += written
        _, written = upsert(
            Membership,
            lookup={"user": person, "partner": network.partners[partner_name]},
            values={"role": role},
        )
        network.changes += written


def build_workgroups(network: DemoNetwork) -> None:
    everyone = {user.email: user for user in network.coordinators} | network.people
    for spec in WORKGROUPS:
        workgroup, written = upsert(
            Workgroup,
            lookup={"name__iexact": spec["name"]},
            values={"description": spec["description"]},
        )
        network.changes += written
        partners = {network.partners[name].pk for name in spec["partners"]}
        members = {everyone[email].pk for email in spec["members"]}
        missing_partners = partners - set(workgroup.partners.values_list("pk", flat=True))
        missing_members = members - set(workgroup.members.values_list("pk", flat=True))
        if missing_partners:
            workgroup.partners.add(*missing_partners)
            network.changes += len(missing_partners)
        if missing_members:
            workgroup.members.add(*missing_members)
            network.changes += len(missing_members)
        network.workgroups[workgroup.name] = workgroup


def build_network() -> DemoNetwork:
    """The partnership part of the demo, in order."""
    network = build_coordinators()
    build_partners(network)
    build_people(network)
    build_workgroups(network)
    return network


def demo_lead() -> User | None:
    """The lead whose sign-in link the banner shows."""
    partner_name, email = PEOPLE[0][0], PEOPLE[0][1]
    return User.objects.filter(
        email=email,
        is_active=True,
        memberships__partner__name=partner_name,
        memberships__partner__status=A,
    ).first()
