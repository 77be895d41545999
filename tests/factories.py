"""factory_boy factories shared by the whole suite."""

import factory
from django.contrib.auth.hashers import make_password

from core.models import User
from partnership.models import Membership, Partner, Workgroup


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    title = "Director"
    # People of partners sign in with e-mailed links: no usable password.
    password = factory.LazyFunction(lambda: make_password(None))


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partner Organization {n}")
    kind = "school_district"
    status = Partner.Status.ACTIVE
    region = "Willamette Valley"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    partner = factory.SubFactory(PartnerFactory)
    role = Membership.Role.LEAD


class WorkgroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workgroup

    name = factory.Sequence(lambda n: f"Workgroup {n}")


# --- mou (MOU versions, role templates, role blocks) ---


def _in_a_month():
    from datetime import timedelta

    from django.utils import timezone

    return timezone.now() + timedelta(days=30)


class MouVersionFactory(factory.django.DjangoModelFactory):
    """A draft version; open it with mou.services.version_open to get blocks."""

    class Meta:
        model = "mou.MouVersion"

    number = factory.Sequence(lambda n: n + 1000)
    title = factory.Sequence(lambda n: f"Partnership MOU {2026 + n}")
    shared_text = "## Purpose\n\nWe work together on STEM learning.\n"
    deadline = factory.LazyFunction(_in_a_month)


class RoleTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "mou.RoleTemplate"

    version = factory.SubFactory(MouVersionFactory)
    kind = "school_district"
    title = "School district partner"
    guidance = "Say what your schools will do."
    role_prompt = "What will you do?"


class RoleBlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "mou.RoleBlock"

    version = factory.SubFactory(MouVersionFactory, status="open")
    partner = factory.SubFactory(PartnerFactory)


# --- needs_matrix (categories, entries) ---


class CategoryGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "needs_matrix.CategoryGroup"

    name = factory.Sequence(lambda n: f"Category group {n}")
    order = factory.Sequence(lambda n: 100 + n)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "needs_matrix.Category"

    group = factory.SubFactory(CategoryGroupFactory)
    name = factory.Sequence(lambda n: f"Test category {n}")
    order = factory.Sequence(lambda n: n)


class MatrixEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "needs_matrix.MatrixEntry"

    partner = factory.SubFactory(PartnerFactory)
    category = factory.SubFactory(CategoryFactory)
    stance = "need"
    priority = factory.LazyAttribute(lambda o: "medium" if o.stance in ("need", "both") else "")


# --- meetings (meetings, attendees, action items) ---


def _meeting_start():
    from datetime import timedelta

    from django.utils import timezone

    return (timezone.now() + timedelta(days=7)).replace(microsecond=0)


def _hours_after(start, hours: int):
    from datetime import timedelta

    return start + timedelta(hours=hours)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.Meeting"

    title = factory.Sequence(lambda n: f"Partnership meeting {n}")
    kind = "network"
    starts_at = factory.LazyFunction(_meeting_start)
    ends_at = factory.LazyAttribute(lambda o: _hours_after(o.starts_at, 2))
    place = "Salem, Room 101"
    agenda = "1. Welcome\n2. Partner roles"


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.Attendance"

    meeting = factory.SubFactory(MeetingFactory)
    user = factory.SubFactory(UserFactory)
    status = "invited"


class ActionItemFactory(factory.django.DjangoModelFactory):
    """A person's item; use meetings.services.action_item_create for all-partner items."""

    class Meta:
        model = "meetings.ActionItem"

    meeting = factory.SubFactory(MeetingFactory)
    description = factory.Sequence(lambda n: f"Follow up on point {n}")
    owner_kind = "person"
    owner_user = factory.SubFactory(UserFactory)
