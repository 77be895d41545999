"""Reads shaped for the coordinator dashboard and the partner home, one module per page part.

Each function runs a fixed number of queries, whatever the number of partners: counts are
aggregates, the table is paged, and per-row extras (the last reminder) come in one query
for the page. The rules about blocks (owed, overdue, counts) are mou's: these compose
mou's selectors and querysets.
"""

from dashboard.selectors.home import (
    HOME_ITEMS,
    PartnerCard,
    PartnerHome,
    countdown,
    partner_home,
)
from dashboard.selectors.panels import (
    RECENT_EVENTS,
    SUBJECT_PAGES,
    recent_events,
)
from dashboard.selectors.summary import (
    CHART_MAX_DAYS,
    STATUS_CSS,
    DashboardSummary,
    StatusCount,
    dashboard_summary,
    days_until,
    submissions_cumulative,
)
from dashboard.selectors.table import (
    DELIVERY_LABELS,
    EMAIL_KIND_LABELS,
    dashboard_filterset,
    dashboard_rows,
    email_delivery,
    email_label,
    rows_for_export,
    rows_with_last_email,
)
from dashboard.selectors.versions import dashboard_version_pick, dashboard_versions

__all__ = [
    "CHART_MAX_DAYS",
    "DELIVERY_LABELS",
    "EMAIL_KIND_LABELS",
    "HOME_ITEMS",
    "RECENT_EVENTS",
    "STATUS_CSS",
    "SUBJECT_PAGES",
    "DashboardSummary",
    "PartnerCard",
    "PartnerHome",
    "StatusCount",
    "countdown",
    "dashboard_filterset",
    "dashboard_rows",
    "dashboard_summary",
    "dashboard_version_pick",
    "dashboard_versions",
    "days_until",
    "partner_home",
    "recent_events",
    "email_delivery",
    "email_label",
    "rows_for_export",
    "rows_with_last_email",
    "submissions_cumulative",
]
