"""Reads the apps above use: the active leads of partners."""

from partnership.selectors import partner_leads_active
from tests import factories


def test_partner_leads_active_are_the_leads_whose_account_is_active(
    partner, other_partner, lead, editor, viewer
):
    gone = factories.MembershipFactory(partner=partner, role="lead", user__is_active=False)
    elsewhere = factories.MembershipFactory(partner=other_partner, role="lead").user
    factories.MembershipFactory(partner=factories.PartnerFactory(), role="lead")
    assert [m.user for m in partner_leads_active(partners=[partner])] == [lead]
    assert gone.user not in [m.user for m in partner_leads_active(partners=[partner])]
    both = partner_leads_active(partners=[partner.pk, other_partner.pk]).order_by("user__email")
    assert sorted(m.user.pk for m in both) == sorted([lead.pk, elsewhere.pk])
    assert partner_leads_active(partners=type(partner).objects.filter(pk=partner.pk)).count() == 1
    assert not partner_leads_active(partners=[]).exists()


def test_partner_leads_active_come_with_their_users_in_one_query(
    partner, lead, django_assert_num_queries
):
    factories.MembershipFactory(partner=partner, role="lead")
    with django_assert_num_queries(1):
        emails = [m.user.email for m in partner_leads_active(partners=[partner.pk])]
    assert lead.email in emails and len(emails) == 2
