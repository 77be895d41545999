import pytest
from django.urls import reverse

from core.models import Event, ReminderPreference

pytestmark = pytest.mark.django_db
URL = reverse("accounts:reminder_settings")


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("who", ["nobody", "viewer", "editor", "lead", "coordinator"])
def test_everyone_signed_in_manages_their_own_settings(client_for, who, request):
    user = request.getfixturevalue(who)
    client = client_for(user)
    assert client.get(URL).status_code == 200
    response = client.post(URL, {"delegate_email": "Deputy@Example.org", "editor_opt_in": "on"})
    assert response.status_code == 302
    pref = ReminderPreference.objects.get(user=user)
    assert pref.delegate_email == "deputy@example.org" and pref.editor_opt_in
    assert Event.objects.filter(action="reminders.preferences_changed", actor=user).exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [("not-an-email", b"Enter a valid email address"), ("SELF", b"must be someone else")],
)
def test_bad_delegate_is_refused_and_nothing_saved(client_for, lead, value, message):
    value = lead.email.upper() if value == "SELF" else value
    response = client_for(lead).post(URL, {"delegate_email": value})
    assert response.status_code == 400 and message in response.content
    assert not ReminderPreference.objects.exists()


def test_there_is_no_switch_to_silence_deadline_reminders(client_for, lead):
    content = client_for(lead).get(URL).content.decode()
    assert "cannot be switched off" in content
    assert 'name="unsubscribe"' not in content and 'name="enabled"' not in content
