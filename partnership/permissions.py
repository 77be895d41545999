"""Who may see and change partners, people and workgroups."""

from core.permissions import is_coordinator, is_network_member, partner_role, rule


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
