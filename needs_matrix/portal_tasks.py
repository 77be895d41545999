"""The matrix's portal task an action item can be tied to (registered with
core.portal_tasks; discovered by core.apps)."""

from core.portal_tasks import PortalTask, portal_task_register
from needs_matrix.selectors import assessed_category_counts


def row_filled_partner_ids(*, subject_id: int | None, partner_ids) -> set[int]:
    """Partners whose row has assessed at least one current category: the rule the
    dashboard's matrix completeness counts by."""
    counts = assessed_category_counts(partner_ids=list(partner_ids))
    return {partner_id for partner_id, n in counts.items() if n}


portal_task_register(
    PortalTask(
        key="needs_matrix.row_fill",
        label="Fill in the organization's row of the needs matrix",
        subject_model="",
        done_partner_ids=row_filled_partner_ids,
    )
)
