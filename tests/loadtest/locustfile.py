"""Locust scenario of ``make loadtest``: logged-in office staff clicking through Kesbang.

Driven by ``tests/loadtest/run.py``, which writes the targets (logins and object ids) to the JSON
file named by ``LOADTEST_DATA``. Every user logs in once through the real login form (non-admin
roles: administrators need TOTP; ``run.py`` logs them in through the login form before the run and
hands over the session cookies), then reads the dashboard, lists with filters and details, and
now and then writes (adds a person; reports an incident and a follow-up once the incidents app is
there). Only 127.0.0.1 is ever the host.

The users are ``FastHttpUser`` (geventhttpclient), not ``HttpUser`` (requests): locust runs on the
same two cores as the server it measures, and requests' per-request Python cost was CPU taken from
gunicorn (``run.py`` prints what locust itself used).
"""

import itertools
import json
import os
import random
import re
import threading
import uuid

from locust import between
from locust.contrib.fasthttp import FastHttpUser
from requests.cookies import create_cookie

with open(os.environ["LOADTEST_DATA"], encoding="utf-8") as _f:
    DATA = json.load(_f)
WAIT = [float(x) for x in os.environ.get("LOADTEST_WAIT", "1,3").split(",")]
_logins = itertools.cycle(DATA["logins"])
_lock = threading.Lock()
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _token(html: str) -> str:
    found = CSRF.search(html)
    return found.group(1) if found else ""


class OfficeStaff(FastHttpUser):
    wait_time = between(*WAIT)
    # The weighted task list is chosen per login in on_start; this default only satisfies locust.

    def on_start(self):
        assert self.host.startswith(("http://127.0.0.1", "http://localhost")), self.host
        with _lock:
            self.login = next(_logins)
        # Logged in by run.py through the login form; the session continues here.
        host = self.host.split("://", 1)[1].split(":", 1)[0]
        for name, value in self.login["cookies"].items():
            self.client.cookiejar.set_cookie(create_cookie(name, value, domain=host))
        self.csrf = self.login["cookies"].get("csrftoken", "")
        # Only what this login has targets for (an app not landed yet, a role that does not write).
        urls = self.login["urls"]
        cls = type(self)
        weighted = [(cls.dashboard, 6)]
        for key, method, weight in (
            ("team_list", cls.team_list, 4), ("team_detail", cls.team_detail, 4),
            ("member_list", cls.member_list, 3), ("person_list", cls.person_list, 3),
            ("person_detail", cls.person_detail, 2), ("plan_detail", cls.plan_detail, 2),
            ("incident_list", cls.incident_list, 6), ("incident_detail", cls.incident_detail, 5),
            ("incident_map", cls.incident_map, 2), ("meeting_pages", cls.meeting_pages, 3),
        ):
            if urls.get(key):
                weighted.append((method, weight))
        if self.login.get("person_create"):
            weighted.append((cls.person_create, 1))
        if self.login.get("incident_writes"):
            weighted.append((cls.incident_write, 2))
        self.tasks = [method for method, weight in weighted for _ in range(weight)]

    def _get(self, key: str, name: str):
        urls = self.login["urls"].get(key) or []
        if urls:
            self.client.get(random.choice(urls), name=name)

    def dashboard(self):
        self.client.get("/", name="dashboard")

    def team_list(self):
        self._get("team_list", "team list (filters)")

    def team_detail(self):
        self._get("team_detail", "team detail")

    def member_list(self):
        self._get("member_list", "member list (filters)")

    def person_list(self):
        self._get("person_list", "person list (search)")

    def person_detail(self):
        self._get("person_detail", "person detail")

    def plan_detail(self):
        self._get("plan_detail", "plan detail")

    def incident_list(self):
        self._get("incident_list", "incident list (filters)")

    def incident_detail(self):
        self._get("incident_detail", "incident detail")

    def incident_map(self):
        self._get("incident_map", "map data")

    def meeting_pages(self):
        self._get("meeting_pages", "meeting pages")

    def person_create(self):
        """A write: add a person (as staff do before seating them on a team)."""
        target = self.login.get("person_create")
        if not target:
            return
        page = self.client.get(target["url"], name="person form")
        n = random.randint(1, 10**9)
        data = {**target["fields"], "name": f"Beban Uji {n}", "email": f"beban{n}@example.go.id",
                "confirm_duplicate": "on", "csrfmiddlewaretoken": _token(page.text)}
        with self.client.post(target["url"], data=data, headers={"Referer": self.host + target["url"]},
                              name="person create", allow_redirects=False, catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"person create answered {response.status_code}")

    def incident_write(self):
        """A write: report an incident, then add a follow-up to it (steps from tests/bench_incidents.py)."""
        location = ""
        for step in self.login.get("incident_writes") or []:
            form = step["form"].replace("{location}", location)
            if "{location}" in step["form"] and not location:
                return
            page = self.client.get(form, name=step["name"] + " form")
            data = {**step["fields"], "csrfmiddlewaretoken": _token(page.text)}
            if step.get("new_client_key"):
                data["client_key"] = str(uuid.uuid4())
            with self.client.post(form, data=data, headers={"Referer": self.host + form},
                                  name=step["name"], allow_redirects=False, catch_response=True) as response:
                if response.status_code != 302:
                    response.failure(f"{step['name']} answered {response.status_code}")
                    return
                location = response.headers.get("Location", "")
