"""The partner home: each of the person's partners' current block, and their action items."""

from dataclasses import dataclass
from datetime import datetime

from dashboard.selectors.summary import STATUS_CSS
from meetings.models import ActionItem
from meetings.selectors import action_items_for_user
from mou.models import RoleBlock
from mou.selectors import blocks_current_of_partners
from needs_matrix.selectors import assessed_category_counts, current_category_count
from partnership.models import Membership, Partner
from partnership.permissions import memberships
from partnership.selectors import memberships_of_user

HOME_ITEMS = 10


@dataclass
class PartnerCard:
    membership: Membership
    block: RoleBlock | None
    assessed_categories: int
    countdown: str = ""
    overdue: bool = False

    @property
    def partner(self) -> Partner:
        return self.membership.partner

    @property
    def role(self) -> str:
        return self.membership.role

    @property
    def status_css(self) -> str:
        return STATUS_CSS.get(self.block.status, "") if self.block else ""

    @property
    def may_write(self) -> bool:
        return self.role in (Membership.Role.LEAD, Membership.Role.EDITOR)


@dataclass
class PartnerHome:
    cards: list[PartnerCard]
    items: list[ActionItem]
    more_items: bool
    categories: int


def countdown(*, deadline: datetime, now: datetime) -> tuple[str, bool]:
    """('3 days, 4 hours left' | '5 hours left' | 'overdue by 2 days', overdue?)."""
    delta = deadline - now
    if delta.total_seconds() >= 0:
        days, hours = delta.days, delta.seconds // 3600
        if days == 0:
            minutes = delta.seconds // 60
            if hours == 0:
                return f"{minutes} minute{'s' if minutes != 1 else ''} left", False
            return f"{hours} hour{'s' if hours != 1 else ''} left", False
        return (
            f"{days} day{'s' if days != 1 else ''}, {hours} hour{'s' if hours != 1 else ''} left",
            False,
        )
    late = now - deadline
    if late.days == 0:
        hours = max(1, late.seconds // 3600)
        return f"overdue by {hours} hour{'s' if hours != 1 else ''}", True
    return f"overdue by {late.days} day{'s' if late.days != 1 else ''}", True


def partner_home(*, user, now: datetime) -> PartnerHome:
    """For each active partner the person belongs to: the block of the current version (the
    newest open, frozen or executed one), its countdown, and how much of the needs matrix
    row is filled in; then the person's open action items. Five queries at most."""
    partner_ids = list(memberships(user))
    if not partner_ids:
        return PartnerHome(cards=[], items=[], more_items=False, categories=0)
    member_rows = memberships_of_user(user=user, partner_ids=partner_ids)
    blocks = blocks_current_of_partners(partner_ids=partner_ids)
    assessed = assessed_category_counts(partner_ids=partner_ids)
    cards = []
    for membership in member_rows:
        block = blocks.get(membership.partner_id)
        card = PartnerCard(
            membership=membership,
            block=block,
            assessed_categories=assessed.get(membership.partner_id, 0),
        )
        if block is not None:
            block.partner = membership.partner
            if block.version.is_open and block.is_owed:
                card.countdown, card.overdue = countdown(deadline=block.effective_deadline, now=now)
        cards.append(card)
    items = list(action_items_for_user(user=user)[: HOME_ITEMS + 1])
    return PartnerHome(
        cards=cards,
        items=items[:HOME_ITEMS],
        more_items=len(items) > HOME_ITEMS,
        categories=current_category_count(),
    )
