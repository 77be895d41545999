"""Who may see and change the needs matrix.

- The grid and the summary are open to every member of the network (coordinators and
  anyone with a role at an active partner).
- A partner's row page is for that partner's own people (viewers read it, leads and
  editors edit it) and for coordinators. People of other partners read the row in the
  grid but get 403 on the row page, for reading and for writing.
- Categories, exports (they carry every partner's notes) and the CSV import are the
  coordinator's.
"""

from core.permissions import is_coordinator, rule
from partnership.permissions import is_network_member, partner_role

EDITING_ROLES = {"lead", "editor"}


@rule("matrix.view")
def matrix_view(user, obj) -> bool:
    return is_network_member(user)


@rule("matrix.row_view")
def matrix_row_view(user, partner) -> bool:
    return is_coordinator(user) or partner_role(user, partner.pk) is not None


@rule("matrix.row_edit")
def matrix_row_edit(user, partner) -> bool:
    return is_coordinator(user) or partner_role(user, partner.pk) in EDITING_ROLES


@rule("matrix.manage")
def matrix_manage(user, obj) -> bool:
    return is_coordinator(user)
