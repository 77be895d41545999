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
