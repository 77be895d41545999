"""The dashboard pages through the test client: who may see them, what they show, the
exports and "remind now"."""

import csv
import io
import json
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.actor import Actor
from core.models import Event, OutboxMessage, Reminder
from dashboard import views
from dashboard.exports import COLUMNS
from mou import services
from mou.models import MouVersion
from tests import factories
from tests.dashboard.test_selectors import NAMES

pytestmark = pytest.mark.django_db

INDEX = "/dashboard/"


def remind_url(block) -> str:
    return reverse("dashboard:remind", args=[block.pk])


def csv_lines(response) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


def csv_rows(response) -> list[list[str]]:
    """The header and the rows, without the note lines above them."""
    return [row for row in csv_lines(response) if not (row and row[0].startswith("# "))]


def xlsx_rows(response) -> list[list]:
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return [list(row) for row in book["Blocks"].iter_rows(values_only=True)]


# --- who may see what --------------------------------------------------------------------------


@pytest.mark.parametrize("url", [INDEX, "/dashboard/export.csv", "/dashboard/export.xlsx", "/"])
def test_anonymous_people_go_to_sign_in(client, network, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_anonymous_remind_goes_to_sign_in_and_sends_nothing(client, network):
    response = client.post(remind_url(network.blocks["draft"]))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not Reminder.objects.exists()


@pytest.mark.parametrize("who", ["lead", "editor", "viewer", "other_lead", "nobody"])
@pytest.mark.parametrize("url", [INDEX, "/dashboard/export.csv", "/dashboard/export.xlsx"])
def test_partner_people_get_403_on_the_dashboard(request, client_for, network, who, url):
    user = request.getfixturevalue(who)
    assert client_for(user).get(url).status_code == 403


@pytest.mark.parametrize("who", ["lead", "editor", "other_lead"])
def test_partner_people_get_403_on_remind(request, client_for, network, who):
    user = request.getfixturevalue(who)
    response = client_for(user).post(remind_url(network.blocks["changes"]))
    assert response.status_code == 403
    assert not Reminder.objects.exists()


def test_remind_is_a_post(client_for, coordinator, network):
    assert client_for(coordinator).get(remind_url(network.blocks["draft"])).status_code == 405


# --- the page ----------------------------------------------------------------------------------


def test_coordinator_sees_the_counts_chart_panels_and_rows(client_for, coordinator, network):
    response = client_for(coordinator).get(INDEX)
    assert response.status_code == 200
    page = response.content.decode()
    summary = response.context["summary"]
    assert (summary.done, summary.total, summary.signing_leader_named) == (2, 6, 3)
    assert 'role="img"' in page and "Submissions over time" in page
    assert "Needs matrix completeness" in page and 'href="/matrix/"' in page
    assert "/meetings/my-items/?scope=network" in page
    assert "Recent activity" in page
    for name in NAMES.values():
        assert name.replace("'", "&#x27;") in page
    # Open is offered on every row; remind only where a block is still owed.
    assert page.count(">Remind now<") == 4
    assert network.blocks["accepted"].get_absolute_url() in page
    assert remind_url(network.blocks["accepted"]) not in page


def test_filters_reach_the_page_and_the_count(client_for, coordinator, network):
    response = client_for(coordinator).get(INDEX, {"kind": "college"})
    assert [b.partner.name for b in response.context["page"].object_list] == [
        NAMES["submitted"],
        NAMES["accepted"],
    ]
    assert "Showing 1–2 of 2 partners matching the filters" in response.content.decode()


def test_sort_headers_toggle_and_say_which_way(client_for, coordinator, network):
    response = client_for(coordinator).get(INDEX, {"sort": "-partner"})
    page = response.content.decode()
    assert 'aria-sort="descending"' in page
    assert f"?sort=partner&amp;version={network.version.pk}" in page


def test_an_invalid_filter_is_a_400_with_the_form_error(client_for, coordinator, network):
    response = client_for(coordinator).get(INDEX, {"status": "finished"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_the_newest_open_version_is_the_default_and_others_can_be_picked(
    client_for, coordinator, network
):
    later = services.version_create(
        actor=Actor.of(coordinator),
        title="Next year's MOU",
        shared_text="Text",
        deadline=network.deadline + timedelta(days=365),
    )
    client = client_for(coordinator)
    # The newer version is a draft: the open one stays the default.
    assert client.get(INDEX).context["version"] == network.version
    picked = client.get(INDEX, {"version": later.pk})
    assert picked.status_code == 200 and picked.context["version"] == later
    assert picked.context["summary"].total == 0
    assert client.get(INDEX, {"version": 99999}).status_code == 404
    assert client.get(INDEX, {"version": "x"}).status_code == 404


def test_with_no_version_the_page_says_what_to_do(client_for, coordinator):
    response = client_for(coordinator).get(INDEX)
    assert response.status_code == 200
    assert "Create an MOU version" in response.content.decode()


# --- exports -----------------------------------------------------------------------------------


def test_csv_holds_exactly_the_filtered_rows_of_every_page(
    client_for, coordinator, network, monkeypatch
):
    monkeypatch.setattr(views, "ROWS_PER_PAGE", 2)
    client = client_for(coordinator)
    page = client.get(INDEX, {"status": "not_started"})
    assert len(page.context["page"].object_list) == 2
    everything = client.get(INDEX)
    assert everything.context["page"].paginator.num_pages == 3

    response = client.get("/dashboard/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="mou-v1-blocks-' in response["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0] == COLUMNS
    assert [r[0] for r in rows[1:]] == sorted(NAMES.values())


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"kind": "college"}, ["submitted", "accepted"]),
        ({"status": "not_started"}, ["not_started", "extended"]),
        ({"q": "salem"}, ["changes"]),
        ({"sort": "status", "kind": "college"}, ["submitted", "accepted"]),
        ({"sort": "-partner", "status": "not_started"}, ["extended", "not_started"]),
    ],
)
def test_csv_and_xlsx_follow_the_filters_and_the_sort(
    client_for, coordinator, network, filters, expected
):
    client = client_for(coordinator)
    wanted = [NAMES[k] for k in expected]
    assert [r[0] for r in csv_rows(client.get("/dashboard/export.csv", filters))[1:]] == wanted
    assert [r[0] for r in xlsx_rows(client.get("/dashboard/export.xlsx", filters))[1:]] == wanted


def test_export_columns_say_the_same_as_the_table(client_for, coordinator, network):
    client = client_for(coordinator)
    client.post(remind_url(network.blocks["draft"]))
    rows = {
        r[0]: dict(zip(COLUMNS, r, strict=True))
        for r in csv_rows(client.get("/dashboard/export.csv"))[1:]
    }
    draft = rows[NAMES["draft"]]
    assert draft["Kind"] == "Business or industry"
    assert draft["Status"] == "Draft"
    assert draft["Edited by"] == network.leads["draft"].full_name
    assert draft["Signing leader named"] == "no"
    assert draft["Last e-mail"] == "Reminder by hand"
    assert draft["Last e-mail delivery"] in {"queued", "sent"}
    assert draft["Last e-mail sent"]
    accepted = rows[NAMES["accepted"]]
    assert accepted["Signing leader named"] == "yes"
    assert accepted["Signing leader"] == "Christy Perry, Superintendent"
    assert accepted["Submitted at"]

    sheet = xlsx_rows(client.get("/dashboard/export.xlsx"))
    assert sheet[0] == COLUMNS
    by_name = {r[0]: r for r in sheet[1:]}
    assert by_name[NAMES["draft"]][2] == "Draft"
    assert by_name[NAMES["accepted"]][5] is not None  # a real date cell


def test_exported_overdue_rows_match_the_overdue_filter(client_for, coordinator, network):
    with time_machine.travel(network.deadline + timedelta(days=3), tick=False):
        client = client_for(coordinator)
        page = client.get(INDEX, {"overdue": "on"})
        shown = [b.partner.name for b in page.context["page"].object_list]
        exported = [
            r[0] for r in csv_rows(client.get("/dashboard/export.csv", {"overdue": "on"}))[1:]
        ]
    assert shown == exported == [NAMES["draft"], NAMES["not_started"], NAMES["changes"]]


def test_export_cells_cannot_become_formulas(client_for, coordinator, network):
    evil = factories.PartnerFactory(name='=HYPERLINK("http://x")')
    services.blocks_ensure_for_partner(partner=evil, actor=Actor.system())
    rows = csv_rows(client_for(coordinator).get("/dashboard/export.csv", {"q": "HYPERLINK"}))
    assert rows[1][0] == '\'=HYPERLINK("http://x")'
    sheet = load_workbook(
        io.BytesIO(
            client_for(coordinator).get("/dashboard/export.xlsx", {"q": "HYPERLINK"}).content
        )
    )["Blocks"]
    assert sheet["A2"].data_type == "s"


def test_csv_times_carry_their_offset_and_the_notes_say_how_to_read_the_file(
    client_for, coordinator, network
):
    import re
    from datetime import datetime

    lines = csv_lines(client_for(coordinator).get("/dashboard/export.csv"))
    notes = [row[0] for row in lines if row[0].startswith("# ")]
    assert lines[len(notes)] == COLUMNS  # the notes come first, then the header
    text = " ".join(notes)
    assert "ISO 8601" in text and "America/Los_Angeles" in text
    assert "begins with an apostrophe (')" in text and "never runs it as a formula" in text
    rows = {r[0]: dict(zip(COLUMNS, r, strict=True)) for r in lines[len(notes) + 1 :]}
    submitted = rows[NAMES["accepted"]]["Submitted at"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", submitted), submitted
    parsed = datetime.fromisoformat(submitted)
    assert parsed.utcoffset() is not None
    assert abs(parsed - network.blocks["accepted"].submitted_at) < timedelta(seconds=1)


def test_the_xlsx_about_sheet_names_the_time_zone(client_for, coordinator, network):
    book = load_workbook(io.BytesIO(client_for(coordinator).get("/dashboard/export.xlsx").content))
    about = [row[0] for row in book["About"].iter_rows(values_only=True)]
    assert any("America/Los_Angeles" in line for line in about)


def test_an_export_with_an_invalid_filter_is_a_400(client_for, coordinator, network):
    response = client_for(coordinator).get("/dashboard/export.csv", {"sort": "nope"})
    assert response.status_code == 400
    assert b"These filters cannot be used" in response.content


# --- remind now --------------------------------------------------------------------------------


def test_remind_now_writes_a_reminder_to_the_lead_and_goes_back(
    client_for, coordinator, network, mailoutbox, django_capture_on_commit_callbacks
):
    block = network.blocks["not_started"]
    lead = network.leads["not_started"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(
            remind_url(block), {"next": "/dashboard/?status=not_started"}
        )
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/?status=not_started"
    message = OutboxMessage.objects.get(to_email=lead.email, kind="reminder:reminder_block")
    assert message.reminder.manual and message.reminder.sent_by == coordinator
    assert [m.to for m in mailoutbox] == [[lead.email]]
    assert Event.objects.filter(action="reminders.sent_by_hand", actor=coordinator).exists()
    follow = client_for(coordinator).get("/dashboard/?status=not_started")
    assert "sent by hand" in follow.content.decode()


def test_remind_now_never_redirects_off_site(client_for, coordinator, network):
    response = client_for(coordinator).post(
        remind_url(network.blocks["draft"]), {"next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == "/"


def test_remind_now_with_htmx_returns_the_updated_row(client_for, coordinator, network):
    block = network.blocks["draft"]
    response = client_for(coordinator).post(remind_url(block), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith(f'<tr id="block-{block.pk}"') and "Reminder by hand" in body
    trigger = json.loads(response["HX-Trigger"])["dashboard:message"]
    assert trigger["level"] == "success" and "Reminder sent to 1 person" in trigger["text"]


def test_a_second_reminder_within_a_day_asks_first(client_for, coordinator, network):
    client = client_for(coordinator)
    block = network.blocks["draft"]
    assert client.post(remind_url(block)).status_code == 302
    second = client.post(remind_url(block), {"next": "/dashboard/?status=draft"})
    assert second.status_code == 409
    page = second.content.decode()
    assert "Send another reminder to" in page and "less than 24 hours ago" in page
    assert 'name="confirm" value="yes"' in page and "/dashboard/?status=draft" in page
    assert Reminder.objects.filter(subject_id=block.pk, manual=True).count() == 1
    htmx = client.post(remind_url(block), HTTP_HX_REQUEST="true")
    confirm = reverse("dashboard:remind_confirm", args=[block.pk])
    assert htmx["HX-Redirect"].startswith(confirm)
    assert client.get(htmx["HX-Redirect"]).status_code == 200
    confirmed = client.post(remind_url(block), {"confirm": "yes"})
    assert confirmed.status_code == 302
    assert Reminder.objects.filter(subject_id=block.pk, manual=True).count() == 2


def test_the_confirmation_page_is_for_coordinators(client_for, network, lead):
    block = network.blocks["draft"]
    confirm = reverse("dashboard:remind_confirm", args=[block.pk])
    assert client_for(lead).get(confirm).status_code == 403


def test_the_third_reminder_in_a_day_is_refused_with_429(client_for, coordinator, network):
    client = client_for(coordinator)
    block = network.blocks["draft"]
    assert client.post(remind_url(block)).status_code == 302
    assert client.post(remind_url(block), {"confirm": "yes"}).status_code == 302
    third = client.post(remind_url(block), {"confirm": "yes"})
    assert third.status_code == 429
    assert "already sent by hand in the last 24 hours" in third.content.decode()
    assert Reminder.objects.filter(subject_id=block.pk, manual=True).count() == 2
    htmx = client.post(remind_url(block), {"confirm": "yes"}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 429
    assert json.loads(htmx["HX-Trigger"])["dashboard:message"]["level"] == "danger"


@pytest.mark.parametrize("key", ["submitted", "accepted"])
def test_a_block_that_is_in_gets_a_clear_409(client_for, coordinator, network, key):
    response = client_for(coordinator).post(remind_url(network.blocks[key]))
    assert response.status_code == 409
    page = response.content.decode()
    assert "there is nothing to remind them of" in page
    block = network.blocks[key]
    assert f'href="{block.get_absolute_url()}">Open {block.partner}' in page.replace("&#x27;", "'")
    assert not Reminder.objects.exists()


def test_a_block_of_a_version_that_is_not_open_gets_a_409(client_for, coordinator, network):
    MouVersion.objects.filter(pk=network.version.pk).update(status=MouVersion.Status.FROZEN)
    response = client_for(coordinator).post(remind_url(network.blocks["draft"]))
    assert response.status_code == 409
    assert "get no more reminders" in response.content.decode()


def test_a_partner_without_a_lead_gets_a_409(client_for, coordinator, network):
    network.partners["draft"].memberships.all().delete()
    response = client_for(coordinator).post(remind_url(network.blocks["draft"]))
    assert response.status_code == 409
    assert "has no lead" in response.content.decode()


def test_remind_of_an_unknown_block_is_404(client_for, coordinator, network):
    assert client_for(coordinator).post("/dashboard/blocks/99999/remind/").status_code == 404


# --- the partner home --------------------------------------------------------------------------


def _home(client_for, user):
    response = client_for(user).get("/")
    assert response.status_code == 200
    return response.content.decode()


def _other_partners_absent(page: str, *keep: str) -> None:
    for key, name in NAMES.items():
        if key not in keep:
            assert name.replace("'", "&#x27;") not in page, name


def test_coordinators_are_sent_to_the_dashboard(client_for, coordinator):
    response = client_for(coordinator).get("/")
    assert response.status_code == 302 and response["Location"] == "/dashboard/"


def test_a_lead_sees_the_block_countdown_comment_and_links(client_for, lead, network):
    block = network.blocks["changes"]
    with time_machine.travel(network.deadline - timedelta(days=2, hours=5), tick=False):
        page = _home(client_for, lead)
    assert "Salem-Keizer School District" in page
    assert "Changes requested" in page
    assert "2 days, 5 hours left" in page
    assert "The coordinator asked you to change" in page
    assert "<strong>two middle schools</strong>" in page
    assert block.get_absolute_url() in page and "Make the changes" in page
    assert reverse("needs_matrix:row_edit", args=[block.partner_id]) in page
    assert "Christy Perry" in page and "Signing starts when the MOU is frozen" in page
    _other_partners_absent(page, "changes")


def test_an_editor_may_write_and_a_viewer_only_reads(client_for, editor, viewer, network):
    block_url = network.blocks["changes"].get_absolute_url()
    editor_page = _home(client_for, editor)
    assert block_url in editor_page and "Make the changes" in editor_page
    assert "Update your needs and contributions" in editor_page
    viewer_page = _home(client_for, viewer)
    assert block_url in viewer_page and "Read your block" in viewer_page
    assert "Make the changes" not in viewer_page
    assert "See your needs and contributions" in viewer_page
    assert "The coordinator asked you to change" in viewer_page
    _other_partners_absent(viewer_page, "changes")


def test_an_overdue_block_says_by_how_many_days(client_for, network):
    lead = network.leads["not_started"]
    with time_machine.travel(network.deadline + timedelta(days=3, hours=2), tick=False):
        page = _home(client_for, lead)
    assert "Overdue by 3 days" in page
    assert "Start your block" in page
    assert "Not named yet" in page
    _other_partners_absent(page, "not_started")


def test_a_submitted_block_has_no_countdown(client_for, other_lead, network):
    page = _home(client_for, other_lead)
    assert "Submitted" in page and "The coordinator is reviewing it" in page
    assert "left" not in page.split("Your MOU block")[1].split("Signature")[0]
    assert "The coordinator asked you to change" not in page
    _other_partners_absent(page, "submitted")


def test_the_home_lists_only_the_persons_action_items(client_for, lead, network):
    today = timezone.localdate()
    factories.ActionItemFactory(
        description="Send the pilot schools list",
        owner_kind="partner",
        owner_user=None,
        owner_partner=network.partners["changes"],
        due_on=today - timedelta(days=1),
    )
    factories.ActionItemFactory(description="Book the room", owner_user=lead)
    factories.ActionItemFactory(
        description="Chemeketa homework",
        owner_kind="partner",
        owner_user=None,
        owner_partner=network.partners["submitted"],
    )
    page = _home(client_for, lead)
    assert "Send the pilot schools list" in page and "Overdue" in page
    assert "Book the room" in page
    assert "Chemeketa homework" not in page


def test_someone_in_two_partners_sees_both(client_for, lead, network):
    factories.MembershipFactory(user=lead, partner=network.partners["draft"], role="viewer")
    page = _home(client_for, lead)
    assert NAMES["changes"] in page and NAMES["draft"] in page
    assert network.blocks["draft"].get_absolute_url() in page
    _other_partners_absent(page, "changes", "draft")


def test_a_person_without_a_partner_gets_an_explanation(client_for, nobody):
    page = _home(client_for, nobody)
    assert "You are not connected to a partner organization" in page


def test_a_person_of_an_inactive_partner_gets_the_explanation(client_for, lead, partner):
    partner.status = "inactive"
    partner.save()
    assert "You are not connected to a partner organization" in _home(client_for, lead)


def test_with_no_open_version_the_home_says_so(client_for, lead):
    page = _home(client_for, lead)
    assert "No MOU version is open for blocks right now" in page


# --- remind all pending ------------------------------------------------------------------------


def remind_all_url(network) -> str:
    return reverse("dashboard:remind_all") + f"?version={network.version.pk}"


def test_remind_all_is_offered_on_the_dashboard(client_for, coordinator, network):
    page = client_for(coordinator).get(reverse("dashboard:index")).content.decode()
    assert "Remind all pending" in page
    assert reverse("dashboard:remind_all") in page


@pytest.mark.parametrize("who", ["lead", "other_lead"])
def test_partner_people_may_not_remind_all(request, client_for, network, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get(remind_all_url(network)).status_code == 403
    assert client.post(remind_all_url(network)).status_code == 403
    assert not Reminder.objects.exists()


def test_remind_all_asks_first_with_the_counts_and_sends_nothing_on_get(
    client_for, coordinator, network
):
    response = client_for(coordinator).get(remind_all_url(network))
    assert response.status_code == 200
    page = response.content.decode()
    # Changes requested, not started, draft and the extended block: four partners, a lead each.
    assert "4 partners (4 people) will get an e-mail now." in page
    assert not Reminder.objects.exists()


def test_remind_all_skips_the_recently_reminded_unless_confirmed(client_for, coordinator, network):
    client = client_for(coordinator)
    client.post(remind_url(network.blocks["draft"]))
    page = client.get(remind_all_url(network)).content.decode()
    assert "3 partners (3 people) will get an e-mail now." in page
    assert "Garmin AT" in page and "Remind this partner too" in page

    response = client.post(remind_all_url(network), follow=True)
    text = response.content.decode()
    assert "Sent 3 reminders to the people of 3 partners." in text
    assert "Left out 1 partner reminded in the last 24 hours: Garmin AT." in text
    assert Reminder.objects.filter(subject_id=network.blocks["draft"].pk).count() == 1
    assert Reminder.objects.filter(manual=True).count() == 4
    assert Event.objects.filter(action="reminders.sent_to_all", actor=coordinator).count() == 1

    # Now every pending partner was reminded: only a yes for them sends more.
    page = client.get(remind_all_url(network)).content.decode()
    assert "No partner is due a reminder now" in page
    response = client.post(remind_all_url(network), {"include_recent": "yes"}, follow=True)
    assert "Sent 4 reminders to the people of 4 partners." in response.content.decode()
    assert Reminder.objects.filter(manual=True).count() == 8


def test_remind_all_runs_a_constant_number_of_queries(
    client_for, coordinator, network, django_assert_max_num_queries
):
    client = client_for(coordinator)
    with django_assert_max_num_queries(20):
        client.get(remind_all_url(network))
    for n in range(5):
        factories.PartnerFactory(name=f"Extra partner {n}")
    with django_assert_max_num_queries(20):
        client.get(remind_all_url(network))


def test_remind_all_on_a_version_that_is_not_open_is_404(client_for, coordinator, network):
    MouVersion.objects.filter(pk=network.version.pk).update(status=MouVersion.Status.FROZEN)
    assert client_for(coordinator).get(remind_all_url(network)).status_code == 404
