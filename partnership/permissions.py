"""Who may see and change partners, people and workgroups."""

from core.permissions import is_coordinator, rule


def memberships(user) -> dict[int, str]:
    """{partner id: role} for the user's memberships in active partners, cached per user
    object (one query per request)."""
    cached = getattr(user, "_portal_memberships", None)
    if cached is None:
        from partnership.models import Membership, Partner

        cached = dict(
            Membership.objects.filter(user=user, partner__status=Partner.Status.ACTIVE).values_list(
                "partner_id", "role"
            )
        )
        user._portal_memberships = cached
    return cached


def partner_role(user, partner_id: int | None) -> str | None:
    if partner_id is None or not user.is_authenticated:
        return None
    return memberships(user).get(partner_id)


def is_network_member(user) -> bool:
    """Coordinators and anyone with a role at an active partner."""
    return is_coordinator(user) or bool(memberships(user))


def sees_partner_private(user, partner_id: int | None) -> bool:
    """Coordinators and the partner's own people: who may read what a partner has not had
    accepted yet, and the personal contact details (e-mail addresses, phone numbers) it
    typed. Everyone else in the network sees a partner's accepted work and names only."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return is_coordinator(user) or partner_role(user, partner_id) is not None


@rule("network.view")
def _network_view(user, obj) -> bool:
    return is_network_member(user)


@rule("partner.list")
def partner_list(user, obj) -> bool:
    return is_network_member(user)


@rule("partner.view")
def partner_view(user, partner) -> bool:
    # The directory is open to every member of the network; inactive and prospective
    # partners are visible to coordinators and to their own people.
    if is_coordinator(user):
        return True
    if partner.status == partner.Status.ACTIVE:
        return is_network_member(user)
    return False


@rule("partner.manage")
def partner_manage(user, partner) -> bool:
    return is_coordinator(user)


@rule("partner.see_contacts")
def partner_see_contacts(user, partner) -> bool:
    return is_coordinator(user) or partner_role(user, partner.pk) is not None


@rule("person.manage")
def person_manage(user, person) -> bool:
    return is_coordinator(user)


@rule("workgroup.view")
def workgroup_view(user, workgroup) -> bool:
    return is_network_member(user)


@rule("workgroup.manage")
def workgroup_manage(user, workgroup) -> bool:
    return is_coordinator(user)
