"""Print how to sign in to the local demo: the coordinator's password and a lead's link."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from core.models import User
from core.services.signin import signin_link_make
from mou.selectors import block_open_of_user
from partnership import demo

LOCAL_HOSTS = {"127.0.0.1", "localhost"}


class Command(BaseCommand):
    help = "Print the coordinator's sign-in and one partner lead's sign-in link for the demo."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="Port of the dev server.")

    def handle(self, *args, port: int, **options):
        base = self._base_url(port)
        coordinator = User.objects.filter(email=demo.COORDINATOR_EMAIL, is_active=True).first()
        lead = demo.demo_lead()
        line = "=" * 72
        self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"{settings.NETWORK_NAME} portal: {base}/"))
        if coordinator is None or lead is None:
            self.stdout.write("The demo network is not loaded: run `python manage.py load_demo`.")
            self.stdout.write(line)
            return
        self.stdout.write("")
        self.stdout.write(
            f"Coordinator ({coordinator.full_name}): {base}{reverse('accounts:login')}"
        )
        self.stdout.write(f"  e-mail:   {coordinator.email}")
        self.stdout.write(f"  password: {demo.coordinator_password()}  (local demo only)")
        self.stdout.write("")
        membership = lead.memberships.select_related("partner").first()
        # The lead's block of the open version, which is what a lead comes to do.
        block = block_open_of_user(user=lead)
        next_path = (
            block.get_absolute_url()
            if block
            else reverse("partnership:partner_detail", args=[membership.partner_id])
        )
        link = signin_link_make(user=lead, next_path=next_path)
        if base != settings.SITE_URL:
            link = base + link.removeprefix(settings.SITE_URL)
        self.stdout.write(
            f"Partner lead ({lead.full_name}, {membership.partner.name}), sign-in link:"
        )
        self.stdout.write(f"  {link}")
        self.stdout.write("")
        self.stdout.write(
            f"E-mail the portal sends is shown at {base}{reverse('dev:mailbox')}"
            if settings.DEV_MAILBOX
            else "E-mail is delivered through EMAIL_URL."
        )
        self.stdout.write(line)

    def _base_url(self, port: int) -> str:
        """SITE_URL, unless it is the local default: then the port the server runs on."""
        site = urlsplit(settings.SITE_URL)
        if site.hostname in LOCAL_HOSTS and not site.path.strip("/"):
            return f"http://127.0.0.1:{port}"
        return settings.SITE_URL
