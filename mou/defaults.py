"""The network's default role templates, led by the model "school district partner" role
that the partnership's notes asked for ("a school district partner role, so we will have a
model"). New MOU versions copy these; coordinators edit the copies."""

GUIDANCE = """\
Each partner drafts its own block of the MOU: its role in the partnership, what it commits
and contributes, what it asks of the network, a point of contact, and **the leader in your
organization who would sign the agreement**.

- Write in plain language; a short paragraph or list per question is enough.
- Say what your organization will really do in the coming year, not everything it could do.
- A draft is welcome: it saves as you type, and you can come back to it until the deadline.
"""

SCHOOL_DISTRICT_GUIDANCE = (
    GUIDANCE
    + """
A district's block tells the network what its schools want from the partnership and what
they can contribute. The model role below was written with a partner district; start from
it and change what does not fit.
"""
)

SCHOOL_DISTRICT_MODEL = """\
As a partner school district we will:

- pick one or two schools as prototypes, where improvement or innovation is most needed,
  and focus on in-school change during the school day;
- bring project-based science and math (such as FIRST) into classrooms, using the
  practices the network agrees on ("this is the way we are going to deliver it");
- build teams of teachers within the district and with other districts, and give them
  time for staff development that is more than a workshop;
- involve CTE teachers in math and science teaching and align technical math with the
  Common Core standards;
- share best practices with the other partners as a learning community.

We ask the network for access to its technical content, STEM experiences for teachers,
mentors, and collaboration with other schools.
"""

TEMPLATES = [
    {
        "kind": "school_district",
        "title": "School district partner",
        "guidance": SCHOOL_DISTRICT_GUIDANCE,
        "role_prompt": "What will your district do as a partner? Which schools take part first, "
        "and why those?",
        "commitments_prompt": "What will you commit and contribute: teacher teams, release "
        "time, classrooms, CTE staff, data on what changes?",
        "asks_prompt": "What do your schools need from the network: curriculum and tools, "
        "STEM experiences for teachers, mentors, collaboration with other districts?",
        "model_text": SCHOOL_DISTRICT_MODEL,
    },
    {
        "kind": "college",
        "title": "College or university partner",
        "guidance": GUIDANCE,
        "role_prompt": "What will your college do as a partner: programs, faculty, "
        "pre-service teacher education?",
        "commitments_prompt": "What will you contribute: faculty time, technical content, "
        "facilities, dual-credit pathways?",
        "asks_prompt": "What do you need from the network: access to schools, data, shared events?",
        "model_text": "",
    },
    {
        "kind": "nonprofit",
        "title": "Non-profit partner",
        "guidance": GUIDANCE,
        "role_prompt": "What will your organization do as a partner, and for whom?",
        "commitments_prompt": "What will you contribute: programs, volunteers, convening, "
        "funding connections?",
        "asks_prompt": "What do you need from the network?",
        "model_text": "",
    },
    {
        "kind": "business",
        "title": "Business or industry partner",
        "guidance": GUIDANCE,
        "role_prompt": "What will your company do as a partner?",
        "commitments_prompt": "What will you contribute: mentors, internships, site visits, "
        "equipment, funding?",
        "asks_prompt": "What do you need from the network: a contact at each school, "
        "recognition, a pipeline of students?",
        "model_text": "",
    },
]
