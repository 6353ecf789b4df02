"""The load test's alert probe: while the users click, four report builds are kept in flight on the
heavy queue and a `kritis` incident is reported every ``LOADTEST_ALERT_INTERVAL`` seconds (default 10);
each incident's early-warning emails go through the urgent worker to a loopback SMTP server (aiosmtpd)
run here. Measured per incident: from its commit (the first on_commit callback, before the service's
own that enqueues the alert) to the SMTP server's acceptance of the last of its emails.

Runs in the load test's own process (``tests.loadtest.run``) once Django is set up with the servers'
settings; the workers send to ``smtp://127.0.0.1:<port>``.
"""

from __future__ import annotations

import email
import email.policy
import math
import threading
import time

from aiosmtpd.controller import Controller

REPORTS_IN_FLIGHT = 4


class Mailbox:
    """Acceptance time (monotonic) and subject of every message the SMTP server took."""

    def __init__(self):
        self.accepted: list[tuple[float, str]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        at = time.monotonic()
        subject = str(email.message_from_bytes(envelope.content, policy=email.policy.default)["Subject"])
        with self.lock:
            self.accepted.append((at, subject))
        return "250 OK"


def percentile(values: list[float], q: float) -> float:
    """Nearest rank: the smallest value with at least ``q`` of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


class AlertProbe:
    def __init__(self, *, smtp_port: int, interval: float):
        self.smtp_port = smtp_port
        self.interval = interval
        self.mailbox = Mailbox()
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=smtp_port)
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._run, name="alert-probe", daemon=True)
        self.committed: dict[int, float] = {}  # incident id -> commit time
        self.references: dict[int, str] = {}
        self.reports: list[int] = []
        self.errors: list[str] = []

    # --- set-up in the caller's thread --------------------------------------------------------------
    def start(self) -> None:
        from django.contrib.auth import get_user_model

        from incidents.models import Category
        from teams.models import Region

        self.controller.start()
        users = get_user_model().objects.filter(is_active=True, is_superuser=False, groups__name="Staf Provinsi")
        self.reporter = users.order_by("pk").first()
        self.province = Region.objects.get(code="19")
        self.region = Region.objects.filter(level__in=["kabupaten", "kota"]).order_by("code").first()
        self.category = Category.objects.filter(children__isnull=True).order_by("pk").first()
        self.thread.start()

    def _run(self) -> None:
        from django.db import connection

        try:
            n = 0
            while not self.stop_event.is_set():
                try:
                    self._reports_top_up()
                    self._alert(n)
                except Exception as exc:  # noqa: BLE001 - counted and printed, the probe goes on
                    self.errors.append(repr(exc))
                n += 1
                self.stop_event.wait(self.interval)
        finally:
            connection.close()

    def _reports_top_up(self) -> None:
        """Four caturwulan builds of the province queued or building at any time (heavy queue)."""
        from django.utils import timezone

        from kesbang.office.models import Report
        from kesbang.office.reports import services
        from kesbang.office.reports.periods import CATURWULAN, current_period

        busy = Report.objects.filter(pk__in=self.reports, status__in=[Report.Status.ANTRI, Report.Status.DIPROSES])
        period = current_period(CATURWULAN, timezone.localdate()).code
        for _ in range(REPORTS_IN_FLIGHT - busy.count()):
            report = services.report_request(kind=CATURWULAN, period=period, region=self.province)
            self.reports.append(report.pk)

    def _alert(self, n: int) -> None:
        from django.db import transaction
        from django.utils import timezone

        from incidents import services

        committed = {}
        with transaction.atomic():
            # Registered first, so it runs at the commit, before the service's own enqueue callback.
            transaction.on_commit(lambda: committed.setdefault("at", time.monotonic()))
            incident = services.incident_create(
                reporter=self.reporter,
                submit=True,
                title=f"Uji beban peringatan dini {n}",
                chronology="Bentrokan massa di pasar (insiden uji beban).",
                kind="peristiwa",
                occurred_on=timezone.localdate(),
                region=self.region,
                source="sda",
                category=self.category,
                severity="kritis",
            )
        self.committed[incident.pk] = committed["at"]
        self.references[incident.pk] = incident.reference

    # --- after the run ----------------------------------------------------------------------------
    def stop(self, *, wait: float = 30) -> dict:
        """Stop sending, wait up to ``wait`` s for the last alerts, and return the figures."""
        from incidents.models import IncidentAlert

        self.stop_event.set()
        self.thread.join(timeout=60)
        deadline = time.monotonic() + wait
        while True:
            delays, missing = self._delays(IncidentAlert)
            if not missing or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        self.controller.stop()
        return {
            "alerts": len(self.committed),
            "delivered": len(delays),
            "missing": len(missing),
            "emails": len(self.mailbox.accepted),
            "p50_s": percentile(delays, 0.50) if delays else math.inf,
            "p99_s": percentile(delays + [math.inf] * len(missing), 0.99) if self.committed else math.inf,
            "max_s": max(delays) if delays else math.inf,
            "reports": len(self.reports),
            "errors": self.errors,
        }

    def _delays(self, alert_model) -> tuple[list[float], list[int]]:
        with self.mailbox.lock:
            accepted = list(self.mailbox.accepted)
        delays, missing = [], []
        for pk, committed in self.committed.items():
            reference = self.references[pk]
            times = [at for at, subject in accepted if reference in subject]
            planned = alert_model.objects.filter(incident_id=pk).count()
            unsent = alert_model.objects.filter(incident_id=pk).exclude(status="sent").count()
            if times and planned and not unsent and len(times) >= planned:
                delays.append(max(times) - committed)
            else:
                missing.append(pk)
        return delays, missing

    def cleanup(self) -> str:
        """Remove what the probe made (its incidents and reports), so the next run starts the same and
        the report sweeper finds no unfinished build of this run."""
        from django.db.models import ProtectedError

        from incidents.models import Incident
        from kesbang.office.models import Report

        self.stop_event.set()  # also when the run ended early
        if self.thread.is_alive():
            self.thread.join(timeout=60)
        try:
            reports = Report.objects.filter(pk__in=self.reports).delete()[1].get(Report._meta.label, 0)
            incidents = Incident.objects.filter(pk__in=list(self.committed)).delete()[1].get(Incident._meta.label, 0)
        except ProtectedError as exc:
            return f"cleanup refused: {exc}"
        return f"removed its {reports} reports and {incidents} incidents (with their rows)"
