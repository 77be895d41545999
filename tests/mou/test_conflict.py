"""Two people editing the same block in two real sessions: the later save is refused.

Runs on whatever database is configured (PostgreSQL in CI through DATABASE_URL, where the
block row is locked with SELECT ... FOR UPDATE; SQLite locally), with real commits.
"""

import pytest
from django.db import connection
from django.test import Client

from core.models import Event
from mou.models import RoleBlock
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_two_editors_both_load_both_save_the_second_gets_409_and_the_first_text_stays(
    version, block, lead, editor
):
    second_editor = factories.MembershipFactory(partner=block.partner, role="editor").user
    first, second = signed_in(editor), signed_in(second_editor)
    assert first.session.session_key != second.session.session_key
    editor_url = block.get_absolute_url()
    for client in (first, second):
        page = client.get(editor_url)
        assert page.status_code == 200
        assert page.context["form"]["revision"].value() == 0

    saved = first.post(
        editor_url + "autosave/",
        {
            "role_in_partnership": "First editor's role text",
            "revision": "0",
        },
    )
    assert saved.status_code == 200

    refused = second.post(
        editor_url + "autosave/",
        {
            "role_in_partnership": "Second editor's role text",
            "revision": "0",
        },
    )
    assert refused.status_code == 409
    body = refused.content.decode()
    assert "Second editor&#x27;s role text" in body  # their text, kept for them
    assert "First editor&#x27;s role text" in body  # beside the current text

    full_page = second.post(
        editor_url + "save/",
        {
            "role_in_partnership": "Second editor's role text",
            "revision": "0",
        },
    )
    assert full_page.status_code == 409

    block.refresh_from_db()
    assert block.role_in_partnership == "First editor's role text"
    assert block.revision == 1
    assert block.history.filter(role_in_partnership="Second editor's role text").count() == 0
    assert RoleBlock.objects.get(pk=block.pk).last_edited_by == editor
    assert Event.objects.filter(action="mou.block_started").count() == 1
    assert connection.vendor in {"postgresql", "sqlite"}


def test_after_reloading_the_second_editor_saves_on_top_of_the_first(version, block, editor):
    second_editor = factories.MembershipFactory(partner=block.partner, role="editor").user
    first, second = signed_in(editor), signed_in(second_editor)
    first.post(block.get_absolute_url() + "autosave/", {"commitments": "A", "revision": "0"})
    reloaded = second.get(block.get_absolute_url())
    assert reloaded.context["form"]["revision"].value() == 1
    assert (
        second.post(
            block.get_absolute_url() + "autosave/", {"commitments": "A and B", "revision": "1"}
        ).status_code
        == 200
    )
    block.refresh_from_db()
    assert block.commitments == "A and B" and block.revision == 2
