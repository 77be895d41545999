"""Every write about partners, people, memberships and workgroups.

Each service validates (``full_clean``) before saving, turns a database uniqueness race
into the same ``ValidationError`` a form would show, and records an event.
"""

from partnership.services.partners import (
    PARTNER_FIELDS,
    partner_create,
    partner_deactivate,
    partner_reactivate,
    partner_status_set,
    partner_update,
)
from partnership.services.people import (
    PERSON_FIELDS,
    PERSON_LOCKED,
    membership_remove,
    membership_set,
    person_change_check,
    person_create,
    person_deactivate,
    person_invite,
    person_reactivate,
    person_update,
)
from partnership.services.workgroups import (
    WORKGROUP_FIELDS,
    workgroup_create,
    workgroup_member_add,
    workgroup_member_remove,
    workgroup_partner_add,
    workgroup_partner_remove,
    workgroup_update,
)

__all__ = [
    "PARTNER_FIELDS",
    "PERSON_FIELDS",
    "PERSON_LOCKED",
    "WORKGROUP_FIELDS",
    "membership_remove",
    "membership_set",
    "partner_create",
    "partner_deactivate",
    "partner_reactivate",
    "partner_status_set",
    "partner_update",
    "person_create",
    "person_deactivate",
    "person_change_check",
    "person_invite",
    "person_reactivate",
    "person_update",
    "workgroup_create",
    "workgroup_member_add",
    "workgroup_member_remove",
    "workgroup_partner_add",
    "workgroup_partner_remove",
    "workgroup_update",
]
