"""The needs taxonomy the network starts from, from the partnership's founding notes: what
schools said they need and can contribute, and the national breakout on partnerships and
alliances.

The data migration (0002_seed_categories) seeds it through categories_seed, and the test
suite seeds it again after a transactional test has emptied the database."""

from django.db import models

GROUPS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Curriculum and instruction",
        [
            (
                "Project-based science and math",
                (
                    "Bringing project-based science and math, like FIRST robotics, into the "
                    "classroom."
                ),
            ),
            (
                "Rigorous math and science curriculum at every level",
                (
                    "A robust math, science and technology curriculum at every level during the "
                    "school day, engaging all children."
                ),
            ),
            (
                "Integrated STEM approach in schools",
                "A more formal, integrated approach to STEM across subjects within a school.",
            ),
            (
                "Technical math aligned with the Common Core",
                "Aligning technical (CTE) math with Common Core standards.",
            ),
            (
                "Common practices for delivering STEM",
                (
                    "Being part of a network that uses common practices: “this is the way we are "
                    "going to deliver it”."
                ),
            ),
            (
                "Prototype schools for improvement or innovation",
                (
                    "Choosing a school or two within a district to participate as prototypes, "
                    "where improvement or innovation is needed."
                ),
            ),
            (
                "Science as a way to teach ELA and math",
                (
                    "Showing that science is a great tool for teaching English language arts and "
                    "math, K-8."
                ),
            ),
        ],
    ),
    (
        "Professional learning",
        [
            (
                "Teacher professional learning and staff development",
                (
                    "Staff development that brings more purpose into the curriculum; practice "
                    "change is more than a workshop."
                ),
            ),
            (
                "CTE teachers to strengthen math and science teaching",
                (
                    "Using career and technical education teachers to impact math and science "
                    "teaching."
                ),
            ),
            (
                "High-leverage teaching strategies",
                "Studying and adopting high-leverage strategies for in-school change.",
            ),
            (
                "Teams of teachers within and across districts",
                "Teaching teams of teachers within a district and with other districts.",
            ),
            (
                "Classroom observation tool for administrators",
                (
                    "A tool so administrators know what they are looking at in the science "
                    "classroom."
                ),
            ),
            (
                "Teacher capacity and retention",
                (
                    "Supporting teachers to be successful and confident in the science classroom,"
                    " and to stay."
                ),
            ),
        ],
    ),
    (
        "Mentoring and STEM experiences",
        [
            (
                "Mentors",
                "Access to mentors from industry, higher education and the community.",
            ),
            (
                "STEM experiences for teachers",
                (
                    "Creating and providing STEM experiences (externships, labs, site visits) for"
                    " teachers."
                ),
            ),
            (
                "STEM activities for students",
                "Hands-on STEM activities, competitions and experiences for students.",
            ),
            (
                "Collaboration with other schools",
                "Collaboration and exchange with other schools and districts.",
            ),
            (
                "Learning community and shared best practices",
                (
                    "Being part of a learning community that shares best practices and promotes "
                    "STEM education."
                ),
            ),
        ],
    ),
    (
        "Technical content and tools",
        [
            (
                "Access to the network's technical content",
                "Access to the technical content and expertise held by partners in the network.",
            ),
            (
                "Tools and resources to integrate into curriculum",
                "Tools and resources teachers can integrate into the curriculum.",
            ),
            (
                "Adaptable models and toolkits",
                "Models, processes and toolkits that can be replicated at the local level.",
            ),
        ],
    ),
    (
        "Leadership and policy",
        [
            (
                "Leadership capacity",
                "Building leadership capacity, and continuity through leadership turnover.",
            ),
            (
                "Distributed leadership",
                "Leadership shared across teachers, schools and partner organizations.",
            ),
            (
                "Science accountability and policy",
                (
                    "Advancing accountability for science alongside math and ELA, and coherent "
                    "policy."
                ),
            ),
            (
                "Shared vision and coherence",
                "A shared vision and coherence across the partnership and its partners.",
            ),
        ],
    ),
    (
        "Funding and resources",
        [
            (
                "Long-term funding",
                "Sustained, long-term funding for partnership work.",
            ),
            (
                "Funder connections and grant writing",
                (
                    "A clearinghouse for funding: identifying funders and writing proposals "
                    "together."
                ),
            ),
            (
                "Equipment and materials",
                "Classroom equipment, kits and materials for hands-on STEM.",
            ),
        ],
    ),
    (
        "Assessment",
        [
            (
                "Assessment literacy",
                "Functional assessment literacy for teachers and leaders.",
            ),
            (
                "Science metrics",
                "Metrics of how science standards implementation is doing.",
            ),
            (
                "Showing the partnership's impact",
                "Help figuring out how to measure and show impact, in a shared language.",
            ),
        ],
    ),
]


def categories_seed(
    *,
    group_model: type[models.Model] | None = None,
    category_model: type[models.Model] | None = None,
) -> int:
    """Create the groups and categories of GROUPS that are missing, found by name; return
    how many rows were created. A row that is there already is left as it is, so a
    coordinator's edits (a renamed description, another order) survive a second run.

    The migration passes its historical models (apps.get_model); without them the current
    ones are used. Rows are inserted in bulk, so no history entry is written for them (the
    migration writes none either) and a run costs a few queries."""
    if group_model is None or category_model is None:
        from needs_matrix.models import Category, CategoryGroup

        group_model = group_model or CategoryGroup
        category_model = category_model or Category
    groups = {
        group.name: group
        for group in group_model.objects.filter(name__in=[name for name, _ in GROUPS])
    }
    new_groups = [
        group_model(name=name, order=order)
        for order, (name, _) in enumerate(GROUPS, start=1)
        if name not in groups
    ]
    groups.update({group.name: group for group in group_model.objects.bulk_create(new_groups)})
    names = [name for _, categories in GROUPS for name, _ in categories]
    have = set(category_model.objects.filter(name__in=names).values_list("name", flat=True))
    new_categories = [
        category_model(group=groups[group_name], name=name, description=description, order=order)
        for group_name, categories in GROUPS
        for order, (name, description) in enumerate(categories, start=1)
        if name not in have
    ]
    category_model.objects.bulk_create(new_categories)
    return len(new_groups) + len(new_categories)
