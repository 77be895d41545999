"""The dashboard's table of blocks (django-tables2), one row per partner.

Sorting and filtering belong to the FilterSet (dashboard.filters), so the page and the
exports agree; the table only renders a page of rows that already carry their last e-mail.
"""

from dataclasses import dataclass
from datetime import datetime

import django_tables2 as tables
from django.http import QueryDict
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from dashboard.filters import DEFAULT_SORT
from dashboard.selectors import email_delivery, email_label
from mou.models import RoleBlock
from mou.reminders import block_remind_refusal
from mou.rules import network_zone

# The sort each header asks for on a first click; a second click reverses it.
HEADER_SORTS = {
    "partner": "partner",
    "kind": "kind",
    "status": "status",
    "last_edited": "-last_edited",
    "submitted": "-submitted",
}
DELIVERY_BADGES = {
    "sent": "text-bg-success",
    "queued": "text-bg-secondary",
    "failed, retrying": "text-bg-warning",
    "failed": "text-bg-danger",
}


def _when(value: datetime | None) -> str:
    """'Nov 5, 16:52' this year, 'Nov 5, 2025, 16:52' another year (network time)."""
    if value is None:
        return ""
    zone = network_zone()
    local = timezone.localtime(value, zone)
    year = "" if local.year == timezone.localtime(timezone.now(), zone).year else f" {local.year},"
    return f"{local:%b} {local.day},{year} {local:%H:%M}"


def _labelled(label: str, **extra) -> dict:
    return {"td": {"data-label": label, **extra}}


@dataclass(frozen=True)
class SortHeader:
    column: tables.columns.BoundColumn
    url: str
    aria_sort: str


class BlockTable(tables.Table):
    partner = tables.Column(
        verbose_name="Partner",
        accessor="partner__name",
        orderable=False,
        attrs={"td": {"class": "fw-semibold"}},
    )
    kind = tables.Column(
        verbose_name="Kind", accessor="partner__kind", orderable=False, attrs=_labelled("Kind")
    )
    status = tables.Column(verbose_name="Status", orderable=False, attrs=_labelled("Status"))
    last_edited = tables.Column(
        verbose_name="Last edited",
        accessor="last_edited_at",
        orderable=False,
        empty_values=(),
        attrs=_labelled("Last edited"),
    )
    submitted = tables.Column(
        verbose_name="Submitted",
        accessor="submitted_at",
        orderable=False,
        empty_values=(),
        attrs=_labelled("Submitted"),
    )
    signing_leader = tables.Column(
        verbose_name="Signing leader",
        accessor="signing_leader_name",
        orderable=False,
        empty_values=(),
        attrs=_labelled("Signing leader"),
    )
    last_email = tables.Column(
        verbose_name="Last e-mail",
        accessor="pk",
        orderable=False,
        empty_values=(),
        attrs=_labelled("Last e-mail"),
    )
    actions = tables.Column(
        verbose_name="Actions",
        accessor="pk",
        orderable=False,
        empty_values=(),
        attrs={"td": {"class": "text-nowrap", "data-label": "Actions"}},
    )

    class Meta:
        model = RoleBlock
        fields = ()
        template_name = "dashboard/_table.html"
        attrs = {"class": "table table-sm align-middle table-stack dashboard-table mb-0"}
        row_attrs = {"id": lambda record: f"block-{record.pk}"}
        empty_text = "No partner matches these filters."
        show_footer = False

    def __init__(
        self,
        data,
        *,
        request,
        now: datetime,
        params: QueryDict | None = None,
        sort: str = DEFAULT_SORT,
        back: str = "",
        caption: str = "",
        **kwargs,
    ):
        super().__init__(data, **kwargs)
        self.request = request
        self.now = now
        self.sort = sort
        self.back = back
        self.caption = caption or "Partners and their blocks"
        self.params = params if params is not None else QueryDict(mutable=True)

    # --- headers --------------------------------------------------------------------------

    @property
    def sort_headers(self) -> list[SortHeader]:
        headers = []
        current = self.sort.lstrip("-")
        for column in self.columns:
            first = HEADER_SORTS.get(column.name)
            if first is None:
                headers.append(SortHeader(column=column, url="", aria_sort=""))
                continue
            key = first.lstrip("-")
            if key == current:
                wanted = key if self.sort.startswith("-") else f"-{key}"
                aria = "descending" if self.sort.startswith("-") else "ascending"
            else:
                wanted, aria = first, ""
            params = self.params.copy()
            params.pop("page", None)
            params["sort"] = wanted
            headers.append(SortHeader(column=column, url=f"?{params.urlencode()}", aria_sort=aria))
        return headers

    # --- cells ----------------------------------------------------------------------------

    def render_partner(self, record: RoleBlock):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("partnership:partner_detail", args=[record.partner_id]),
            record.partner.name,
        )

    def render_kind(self, record: RoleBlock):
        return record.partner.get_kind_display()

    def render_status(self, record: RoleBlock):
        badge = format_html(
            '<span class="badge status-badge block-status-{}">{}</span>',
            record.status.replace("_", "-"),
            record.get_status_display(),
        )
        if record.is_overdue(now=self.now):
            return format_html(
                '{} <span class="badge text-bg-danger status-badge">Overdue</span>', badge
            )
        if record.extension_until and record.extension_until > record.version.deadline:
            return format_html(
                '{} <span class="small text-body-secondary d-block">extended to {}</span>',
                badge,
                _when(record.extension_until),
            )
        return badge

    def render_last_edited(self, record: RoleBlock):
        if record.last_edited_at is None:
            return format_html('<span class="text-body-secondary">{}</span>', "Never")
        who = record.last_edited_by
        if who is None:
            return _when(record.last_edited_at)
        return format_html(
            '{}<span class="small text-body-secondary d-block">by {}</span>',
            _when(record.last_edited_at),
            who.full_name or who.email,
        )

    def render_submitted(self, record: RoleBlock):
        if record.submitted_at is None:
            return format_html('<span class="text-body-secondary">{}</span>', "Not yet")
        return _when(record.submitted_at)

    def render_signing_leader(self, record: RoleBlock):
        if not record.signing_leader_name:
            return format_html('<span class="badge text-bg-warning">{}</span>', "Not named")
        if not getattr(record, "leader_confirmed", True):
            return format_html(
                '{}<span class="small text-body-secondary d-block">{}</span>'
                '<span class="badge text-bg-light border d-inline-block">{}</span>',
                record.signing_leader_name,
                record.signing_leader_title,
                "Carried over, not confirmed yet",
            )
        return format_html(
            '{}<span class="small text-body-secondary d-block">{}</span>',
            record.signing_leader_name,
            record.signing_leader_title,
        )

    def render_last_email(self, record: RoleBlock):
        last = getattr(record, "last_email", None)
        if last is None:
            return format_html('<span class="text-body-secondary">{}</span>', "None yet")
        delivery = email_delivery(last)
        return format_html(
            '{}<span class="small d-block">{} <span class="badge {}">{}</span></span>',
            email_label(last),
            _when(last.created_at),
            DELIVERY_BADGES.get(delivery.split(" (")[0], "text-bg-light border"),
            delivery,
        )

    def render_actions(self, record: RoleBlock):
        open_link = format_html(
            '<a class="btn btn-sm btn-outline-primary" href="{}">Open<span '
            'class="visually-hidden"> the block of {}</span></a>',
            record.get_absolute_url(),
            record.partner.name,
        )
        if block_remind_refusal(record) is not None:
            return open_link
        return format_html(
            '{} <form class="d-inline" method="post" action="{}" data-hx-post="{}" '
            'data-hx-target="closest tr" data-hx-swap="outerHTML" '
            'data-hx-disabled-elt="find button">'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<input type="hidden" name="next" value="{}">'
            '<button type="submit" class="btn btn-sm btn-outline-secondary">Remind now'
            '<span class="visually-hidden"> {}</span></button></form>',
            open_link,
            reverse("dashboard:remind", args=[record.pk]),
            reverse("dashboard:remind", args=[record.pk]),
            get_token(self.request),
            self.back,
            record.partner.name,
        )
