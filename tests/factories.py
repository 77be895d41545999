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


# --- needs_matrix (categories, entries) ---


# --- meetings (meetings, attendees, action items) ---
