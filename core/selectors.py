"""Reads shaped for the home page."""

from django.db.models import Count

from core.permissions import is_coordinator, memberships


def home_for(*, user) -> dict:
    from partnership.models import Membership, Partner

    if is_coordinator(user):
        counts = dict(Partner.objects.values_list("status").annotate(n=Count("id")).order_by())
        return {"is_coordinator": True, "partner_counts": counts}
    my = (
        Membership.objects.filter(user=user, partner_id__in=list(memberships(user)))
        .select_related("partner")
        .order_by("partner__name")
    )
    return {"is_coordinator": False, "my_memberships": my}
