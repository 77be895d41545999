"""Reads shaped for the partner, people and workgroup pages, in a constant number of queries."""

from collections.abc import Iterable, Mapping

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When

from core.models import Event, User
from core.permissions import is_coordinator
from partnership.filters import PartnerFilter, PersonFilter
from partnership.models import Membership, Partner, Workgroup

ROLE_RANK = Case(
    When(role=Membership.Role.LEAD, then=Value(0)),
    When(role=Membership.Role.EDITOR, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def partner_filterset(*, user, filters: Mapping | None) -> PartnerFilter:
    return PartnerFilter(filters or None, user=user, queryset=partner_visible(user=user))


def partner_visible(*, user) -> QuerySet[Partner]:
    """Coordinators see every partner; members see the active ones."""
    if is_coordinator(user):
        return Partner.objects.all()
    return Partner.objects.filter(status=Partner.Status.ACTIVE)


def partner_list(*, user, filters: Mapping | None = None) -> QuerySet[Partner]:
    """The directory: filtered, with how many people and leads each partner has."""
    partners = partner_filterset(user=user, filters=filters).qs
    return partners.annotate(
        people_count=Count("memberships", distinct=True),
        lead_count=Count(
            "memberships", filter=Q(memberships__role=Membership.Role.LEAD), distinct=True
        ),
    ).order_by("name", "pk")


def partner_detail(*, pk: int) -> Partner:
    """One partner with its workgroups; raises Partner.DoesNotExist."""
    return Partner.objects.prefetch_related(
        Prefetch("workgroups", queryset=Workgroup.objects.only("id", "name"))
    ).get(pk=pk)


def partner_people(*, partner: Partner) -> list[Membership]:
    """The partner's people, leads first."""
    return list(
        Membership.objects.filter(partner=partner)
        .select_related("user")
        .annotate(rank=ROLE_RANK)
        .order_by("rank", "user__full_name", "pk")
    )


def partner_leads_active(
    *, partners: Iterable[Partner | int] | QuerySet[Partner]
) -> QuerySet[Membership]:
    """The lead roles at ``partners`` (partners, their ids or a queryset) held by people
    whose account is active, each with its user: whom a partner's block, its opening and
    the executed MOU are e-mailed to. A partner without one has none (no fallback)."""
    return Membership.objects.filter(
        partner__in=partners, role=Membership.Role.LEAD, user__is_active=True
    ).select_related("user")


def memberships_of_user(*, user: User, partner_ids: Iterable[int]) -> list[Membership]:
    """The person's roles at these partners, each with its partner, by partner name."""
    return list(
        Membership.objects.filter(user=user, partner_id__in=partner_ids)
        .select_related("partner")
        .order_by("partner__name", "pk")
    )


def person_filterset(*, filters: Mapping | None) -> PersonFilter:
    return PersonFilter(filters or None, queryset=User.objects.all())


def people_list(*, filters: Mapping | None = None) -> QuerySet[User]:
    """Everyone in the portal, with their roles at partners (for coordinators)."""
    people = person_filterset(filters=filters).qs
    return people.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("partner")
            .annotate(rank=ROLE_RANK)
            .order_by("rank", "partner__name"),
        )
    ).order_by("full_name", "email", "pk")


def person_detail(*, pk: int) -> User:
    """One person with their roles and workgroups; raises User.DoesNotExist."""
    return User.objects.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("partner").order_by("partner__name"),
        ),
        Prefetch("workgroups", queryset=Workgroup.objects.only("id", "name")),
    ).get(pk=pk)


def person_invitations(*, person: User, limit: int = 5) -> list[Event]:
    """The latest invitations and sign-in links sent to the person."""
    return list(
        Event.objects.filter(
            subject_type__app_label="core",
            subject_type__model="user",
            subject_id=person.pk,
            action__in=["person.invited", "signin.link_sent"],
        )
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )


def workgroup_list() -> QuerySet[Workgroup]:
    return Workgroup.objects.annotate(
        member_count=Count("members", filter=Q(members__is_active=True), distinct=True),
        partner_count=Count("partners", distinct=True),
    ).order_by("name")


def workgroup_detail(*, pk: int, user) -> Workgroup:
    """A workgroup with its partners and active members (each with their organizations).

    Members see the active partners only, as in the directory.
    """
    partners = partner_visible(user=user).only("id", "name", "status", "kind")
    member_roles = Membership.objects.select_related("partner").filter(
        partner__in=partner_visible(user=user)
    )
    return Workgroup.objects.prefetch_related(
        Prefetch("partners", queryset=partners.order_by("name")),
        Prefetch(
            "members",
            queryset=User.objects.filter(is_active=True)
            .order_by("full_name")
            .prefetch_related(Prefetch("memberships", queryset=member_roles)),
        ),
    ).get(pk=pk)


def workgroup_partner_choices(*, workgroup: Workgroup) -> QuerySet[Partner]:
    """Partners that could still join the workgroup."""
    return (
        Partner.objects.exclude(status=Partner.Status.INACTIVE)
        .exclude(workgroups=workgroup)
        .only("id", "name")
        .order_by("name")
    )
