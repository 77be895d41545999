"""Plausible matrix rows for the demo network (partnership's demo partners, by name).

``load_demo_matrix()`` is idempotent: it only adds an entry where a partner has none for
that category, so running it again, or after someone changed a row, changes nothing.
Partners or categories that do not exist are skipped.
"""

from core.actor import Actor
from needs_matrix.models import Category, MatrixEntry
from needs_matrix.services import entry_set
from partnership.models import Partner

NEED, CONTRIBUTE, BOTH = "need", "contribute", "both"

# partner name → [(category name, stance, priority, capacity note, note)]
DEMO_ROWS: dict[str, list[tuple[str, str, str, str, str]]] = {
    "Salem-Keizer School District": [
        ("Project-based science and math", NEED, "high", "", "FIRST teams in every middle school"),
        ("Mentors", NEED, "high", "", "Robotics and engineering mentors"),
        ("Technical math aligned with the Common Core", NEED, "medium", "", ""),
        ("Science metrics", NEED, "medium", "", "How are the new science standards doing?"),
        (
            "Collaboration with other schools",
            CONTRIBUTE,
            "",
            "Hosts visits to our two prototype schools",
            "",
        ),
        (
            "Teacher professional learning and staff development",
            BOTH,
            "medium",
            "District PD days open to partner teachers",
            "",
        ),
    ],
    "Woodburn School District": [
        ("STEM experiences for teachers", NEED, "high", "", ""),
        ("Mentors", NEED, "high", "", "Bilingual mentors especially"),
        ("Assessment literacy", NEED, "medium", "", ""),
        ("Long-term funding", NEED, "high", "", ""),
        (
            "Collaboration with other schools",
            CONTRIBUTE,
            "",
            "Dual-language STEM units to share",
            "",
        ),
    ],
    "Silver Falls School District": [
        ("Project-based science and math", NEED, "medium", "", ""),
        ("Tools and resources to integrate into curriculum", NEED, "high", "", ""),
        ("Access to the network's technical content", NEED, "high", "", ""),
        ("Leadership capacity", NEED, "low", "", "Two principals new this year"),
    ],
    "Greater Albany Public Schools": [
        ("Rigorous math and science curriculum at every level", NEED, "high", "", ""),
        ("High-leverage teaching strategies", NEED, "medium", "", ""),
        ("Science metrics", NEED, "high", "", ""),
        (
            "Teams of teachers within and across districts",
            CONTRIBUTE,
            "",
            "Grade-level science teams meet monthly; partners welcome",
            "",
        ),
    ],
    "Chemeketa Community College": [
        (
            "CTE teachers to strengthen math and science teaching",
            CONTRIBUTE,
            "",
            "CTE faculty for co-teaching in high schools",
            "",
        ),
        (
            "Technical math aligned with the Common Core",
            CONTRIBUTE,
            "",
            "Faculty who built the technical math sequence",
            "",
        ),
        (
            "Access to the network's technical content",
            CONTRIBUTE,
            "",
            "Manufacturing and health-science lab content",
            "",
        ),
        ("Long-term funding", NEED, "medium", "", ""),
    ],
    "Western Oregon University": [
        (
            "Teacher professional learning and staff development",
            CONTRIBUTE,
            "",
            "Summer institute; graduate credit",
            "",
        ),
        ("High-leverage teaching strategies", CONTRIBUTE, "", "Research-practice partnership", ""),
        (
            "Prototype schools for improvement or innovation",
            NEED,
            "medium",
            "",
            "Placements for pre-service teachers",
        ),
    ],
    "Mid-Valley Afterschool Alliance": [
        ("STEM activities for students", CONTRIBUTE, "", "Afterschool clubs at 30 sites", ""),
        ("Mentors", CONTRIBUTE, "", "Volunteer mentor network of about 40 people", ""),
        ("Equipment and materials", NEED, "medium", "", ""),
    ],
    "Gilbert House Children's Museum": [
        ("STEM experiences for teachers", CONTRIBUTE, "", "Museum educator workshops", ""),
        ("Project-based science and math", CONTRIBUTE, "", "Design-challenge kits on loan", ""),
        ("Funder connections and grant writing", NEED, "high", "", ""),
    ],
    "Willamette Valley Manufacturing Partners": [
        ("Mentors", CONTRIBUTE, "", "Engineers as mentors for FIRST teams", ""),
        (
            "STEM experiences for teachers",
            CONTRIBUTE,
            "",
            "Summer externships in member plants",
            "",
        ),
        ("Equipment and materials", CONTRIBUTE, "", "Surplus tools and sensors", ""),
        ("CTE teachers to strengthen math and science teaching", NEED, "high", "", ""),
    ],
    "Mid-Valley Education Fund": [
        ("Long-term funding", CONTRIBUTE, "", "Three-year grants up to $50,000", ""),
        ("Funder connections and grant writing", CONTRIBUTE, "", "Convenes regional funders", ""),
        ("Showing the partnership's impact", NEED, "high", "", "Needed for renewals"),
    ],
    "Oregon Science Teachers Association": [
        (
            "Teacher professional learning and staff development",
            CONTRIBUTE,
            "",
            "Fall conference strands",
            "",
        ),
        ("Learning community and shared best practices", CONTRIBUTE, "", "", ""),
        ("Science accountability and policy", CONTRIBUTE, "", "Policy committee", ""),
        ("Science metrics", NEED, "medium", "", ""),
    ],
}


def load_demo_matrix() -> int:
    """Add the demo rows that are missing; return how many entries were created."""
    partners = {p.name: p for p in Partner.objects.filter(name__in=list(DEMO_ROWS))}
    categories = {c.name: c for c in Category.objects.current()}
    existing = set(
        MatrixEntry.objects.filter(partner__in=partners.values()).values_list(
            "partner_id", "category_id"
        )
    )
    created = 0
    for partner_name, rows in DEMO_ROWS.items():
        partner = partners.get(partner_name)
        if partner is None:
            continue
        for category_name, stance, priority, capacity_note, note in rows:
            category = categories.get(category_name)
            if category is None or (partner.pk, category.pk) in existing:
                continue
            entry_set(
                partner=partner,
                category=category,
                stance=stance,
                priority=priority,
                capacity_note=capacity_note,
                note=note,
                actor=Actor.system(),
            )
            created += 1
    return created
