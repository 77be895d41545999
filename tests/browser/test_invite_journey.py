"""Journey: the coordinator adds a partner and invites its lead; the lead follows the
e-mailed link from the mailbox and lands on the partner page, signed in."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from core.models import OutboxMessage
from partnership.models import Membership, Partner
from tests import factories

PASSWORD = "a-long-coordinator-passphrase"


def test_coordinator_invites_a_lead_who_lands_on_the_partner_page(
    page, browser, live_server, axe, settings
):
    # E-mailed links are built from SITE_URL: point it at this test server.
    settings.SITE_URL = live_server.url
    coordinator = factories.UserFactory(
        email="lita@example.org", full_name="Lita Colligan", is_coordinator=True
    )
    coordinator.set_password(PASSWORD)
    coordinator.save()

    # The coordinator signs in with a password.
    page.goto(live_server.url + reverse("accounts:login"))
    axe(page)
    password_form = page.locator(
        "section", has=page.get_by_role("heading", name=re.compile("Coordinators"))
    )
    password_form.get_by_label("E-mail").fill("lita@example.org")
    password_form.get_by_label("Password").fill(PASSWORD)
    password_form.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    # ... adds a partner,
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Partners", exact=True
    ).click()
    page.get_by_role("link", name="Add partner").click()
    expect(page.get_by_role("heading", name="Add a partner")).to_be_visible()
    axe(page)
    page.get_by_role("textbox", name="Name").fill("Woodburn School District")
    page.get_by_label("Kind").select_option(label="School district")
    page.get_by_label("Region").fill("Woodburn, Marion County")
    page.get_by_label("Website").fill("https://www.woodburnsd.org")
    page.get_by_label("Description").fill("Teams of teachers *learning together*.")
    page.get_by_role("button", name="Add partner").click()
    expect(page.get_by_role("heading", name="Woodburn School District", level=1)).to_be_visible()
    partner = Partner.objects.get(name="Woodburn School District")
    assert page.url == live_server.url + reverse("partnership:partner_detail", args=[partner.pk])

    # ... and adds its lead, with an invitation.
    page.get_by_role("link", name="Add a person").first.click()
    axe(page)
    page.get_by_label("E-mail address").fill("Luis.Ramirez@Example.org")
    page.get_by_role("textbox", name="Name").fill("Luis Ramirez")
    page.get_by_label("Job title").fill("Director of Teaching and Learning")
    page.get_by_label("Role").select_option("lead")
    expect(page.get_by_label("Send an invitation now")).to_be_checked()
    page.get_by_role("button", name="Add person").click()
    expect(
        page.get_by_text("An invitation is on its way to luis.ramirez@example.org")
    ).to_be_visible()
    expect(page.get_by_role("cell", name="luis.ramirez@example.org")).to_be_visible()
    axe(page)
    assert Membership.objects.get(user__email="luis.ramirez@example.org").role == "lead"
    message = OutboxMessage.objects.get(kind="invitation")
    assert message.status == OutboxMessage.Status.SENT

    # The lead, in a browser of their own, opens the invitation from the mailbox.
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        lead_page = context.new_page()
        lead_page.goto(live_server.url + reverse("dev:mailbox"))
        axe(lead_page)
        lead_page.get_by_role(
            "link", name=re.compile("Invitation .* Woodburn School District")
        ).click()
        expect(lead_page.get_by_role("heading", level=1)).to_contain_text(
            "Woodburn School District"
        )
        lead_page.locator(".mailbox-body").get_by_role("link").first.click()

        expect(
            lead_page.get_by_role("heading", name="Woodburn School District", level=1)
        ).to_be_visible()
        assert lead_page.url == live_server.url + reverse(
            "partnership:partner_detail", args=[partner.pk]
        )
        expect(lead_page.get_by_text("Luis Ramirez").first).to_be_attached()
        expect(lead_page.get_by_role("cell", name="luis.ramirez@example.org")).to_be_visible()
        # On a phone the navigation is folded away; it shows who is signed in.
        lead_page.get_by_role("button", name="Show navigation").click()
        expect(lead_page.get_by_role("button", name="Sign out")).to_be_visible()
        expect(lead_page.get_by_role("navigation", name="Main")).to_contain_text("Luis Ramirez")
        # The lead sees the people, but managing them is the coordinator's job.
        expect(lead_page.get_by_role("link", name="Edit profile")).to_have_count(0)
        axe(lead_page)
    finally:
        context.close()
