"""The load scenario (locust): partner leads editing their blocks, a coordinator on the
dashboard. Run by bench/load/run.py, which makes the data, starts gunicorn and reads the
results; this file only says what the simulated people do.

Each ``Lead`` takes one lead of the data file (``PORTAL_LOAD_DATA``) and, in a loop: opens
the block editor, autosaves twice with the revision the page (then the autosave answer)
gives, and now and then presses "Save draft". The one ``Coordinator`` reads the dashboard,
filtered and paged, and opens blocks. A wrong revision (409), a refusal or any 5xx counts
as an error.
"""

import itertools
import json
import os
import random
import re

from locust import HttpUser, between, task

with open(os.environ["PORTAL_LOAD_DATA"]) as handle:
    DATA = json.load(handle)

REVISION = re.compile(r'name="revision"[^>]*value="(\d+)"')
_next_lead = itertools.count()
WORDS = [
    "robotics",
    "mentors",
    "teachers",
    "students",
    "summer",
    "camps",
    "curriculum",
    "assessment",
    "engineering",
    "internships",
    "family",
    "nights",
    "lab",
    "kits",
    "coding",
    "clubs",
    "field",
    "trips",
    "professional",
    "learning",
]


def _revision(text: str) -> str | None:
    match = REVISION.search(text)
    return match.group(1) if match else None


class PortalUser(HttpUser):
    abstract = True

    def sign_in(self, cookie: dict) -> None:
        self.client.cookies.set(cookie["name"], cookie["value"])

    def csrf_headers(self, **extra) -> dict:
        return {"X-CSRFToken": self.client.cookies.get("csrftoken", ""), **extra}


class Lead(PortalUser):
    wait_time = between(1, 3)

    def on_start(self):
        leads = DATA["leads"]
        self.me = leads[next(_next_lead) % len(leads)]
        self.sign_in(self.me["cookie"])

    def _text(self) -> str:
        return " ".join(random.choices(WORDS, k=random.randint(20, 80))).capitalize() + "."

    @task
    def edit_block(self):
        page = self.client.get(self.me["block"], name="block editor")
        revision = _revision(page.text)
        if revision is None:
            return  # the failed GET is already counted
        for _ in range(2):
            with self.client.post(
                self.me["autosave"],
                data={"revision": revision, "role_in_partnership": self._text()},
                headers=self.csrf_headers(**{"HX-Request": "true"}),
                name="autosave",
                catch_response=True,
            ) as answer:
                revision = _revision(answer.text)
                if answer.status_code != 200 or revision is None:
                    answer.failure(f"autosave answered {answer.status_code}")
                    return
        if random.random() < 0.25:
            with self.client.post(
                self.me["save"],
                data={
                    "revision": revision,
                    "role_in_partnership": self._text(),
                    "commitments": self._text(),
                },
                headers=self.csrf_headers(),
                name="save draft",
                allow_redirects=False,
                catch_response=True,
            ) as answer:
                if answer.status_code != 302:
                    answer.failure(f"save answered {answer.status_code}")


class Coordinator(PortalUser):
    fixed_count = 1
    wait_time = between(1, 3)

    def on_start(self):
        self.sign_in(DATA["coordinator"]["cookie"])

    @task(3)
    def dashboard(self):
        self.client.get("/dashboard/", name="dashboard")

    @task(1)
    def dashboard_filtered(self):
        status = random.choice(["not_started", "draft", "submitted", ""])
        self.client.get(
            f"/dashboard/?status={status}&sort=-last_edited", name="dashboard (filtered)"
        )

    @task(1)
    def open_a_block(self):
        self.client.get(random.choice(DATA["leads"])["block"], name="block (coordinator)")
