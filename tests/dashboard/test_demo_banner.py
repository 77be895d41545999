"""`manage.py demo_banner` (the last thing `make run` prints before serving)."""

import re
from io import StringIO
from urllib.parse import urlsplit

from django.core.management import call_command

from mou.models import MouVersion, RoleBlock
from partnership import demo
from partnership.models import Partner


def test_demo_banner_prints_a_working_lead_link_for_the_port(db, client, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    call_command("load_demo", stdout=StringIO())
    out = StringIO()
    call_command("demo_banner", "--port", "8123", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8123/accounts/login/" in text
    assert demo.COORDINATOR_EMAIL in text and demo.DEFAULT_COORDINATOR_PASSWORD in text
    link = re.search(r"http://127\.0\.0\.1:8123/accounts/link/\S+/", text).group(0)
    response = client.get(urlsplit(link).path)
    # It opens the lead's block of the open version: what a lead comes to do.
    partner = Partner.objects.get(name="Salem-Keizer School District")
    block = RoleBlock.objects.get(partner=partner, version__status=MouVersion.Status.OPEN)
    assert response["Location"] == block.get_absolute_url()
    assert client.get(response["Location"]).status_code == 200


def test_demo_banner_keeps_a_real_site_url(db, settings):
    settings.SITE_URL = "https://portal.example.org"
    call_command("load_demo", stdout=StringIO())
    out = StringIO()
    call_command("demo_banner", "--port", "8123", stdout=out)
    assert "https://portal.example.org/accounts/link/" in out.getvalue()
    assert ":8123" not in out.getvalue()


def test_demo_banner_without_the_demo_says_what_to_run(db):
    out = StringIO()
    call_command("demo_banner", stdout=out)
    assert "load_demo" in out.getvalue()
