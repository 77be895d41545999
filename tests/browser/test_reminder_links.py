"""Journey 3 in Chromium: a reminder's link opens the block signed in; an expired link
leads to a new link that works."""

from datetime import timedelta

from django.utils import timezone

from core.models import OutboxMessage
from core.services import reminders
from core.services.signin import signin_link_make
from mou.models import MouVersion, RoleBlock
from tests import factories


def open_newest_message_link(page, live_server, subject_part):
    page.goto(live_server.url + "/dev/mailbox/")
    page.get_by_role("link", name=subject_part).first.click()
    page.locator(".mailbox-body a[href*='/accounts/link/']").first.click()


def test_reminder_link_opens_the_block_and_an_expired_link_renews(
    page, browser, live_server, settings, axe
):
    settings.SITE_URL = live_server.url
    version = MouVersion.objects.create(
        number=1,
        title="Partnership MOU 2026",
        status=MouVersion.Status.OPEN,
        deadline=timezone.now() + timedelta(days=1, hours=3),
    )
    partner = factories.PartnerFactory(name="Silver Falls School District")
    lead = factories.MembershipFactory(partner=partner, role="lead").user
    block = RoleBlock.objects.create(version=version, partner=partner)

    assert reminders.reminders_sweep().by_source["mou.block"] == 1
    assert OutboxMessage.objects.get(to_email=lead.email).status == "sent"

    open_newest_message_link(page, live_server, "Silver Falls School District")
    page.wait_for_url(live_server.url + block.get_absolute_url())
    assert page.get_by_role("button", name="Sign out").is_visible()
    assert "Silver Falls School District" in page.locator("h1").inner_text()
    axe(page)

    # A link from an old reminder, past its expiry, in a browser with no session.
    expired = signin_link_make(
        user=lead,
        next_path=block.get_absolute_url(),
        expires_at=timezone.now() - timedelta(hours=1),
    )
    other = browser.new_context()
    stale = other.new_page()
    stale.goto(expired)
    assert stale.get_by_role("heading", name="This link has expired").is_visible()
    axe(stale)
    stale.get_by_role("button", name="E-mail me a new link").click()
    assert stale.get_by_role("heading", name="Check your e-mail").is_visible()
    open_newest_message_link(stale, live_server, "Your sign-in link")
    stale.wait_for_url(live_server.url + block.get_absolute_url())
    assert stale.get_by_role("button", name="Sign out").is_visible()
    other.close()
