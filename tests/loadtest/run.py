"""``make loadtest``: 30 logged-in users for 60 s against gunicorn on 127.0.0.1, then a summary
(``make loadtest-100``: 100 users for 120 s).

It prepares the PostgreSQL database ``DATABASE_URL`` (default
postgres://postgres@127.0.0.1:5432/kesbang_loadtest: created, migrated and seeded with the benchmark
volume, reused next time), creates ``LOADTEST_USERS`` non-admin logins, starts by itself a throwaway
redis-server on a free loopback port (or uses ``LOADTEST_REDIS_URL``, e.g. redis://127.0.0.1:6379/7),
gunicorn with ``LOADTEST_WEB_WORKERS`` (2) workers, one Celery worker per queue (urgent, routine,
heavy: kesbang/queues.py) and Celery beat with production settings (DEBUG off, manifest static files),
drives ``LOADTEST_USERS`` (30) users with locust headless for ``LOADTEST_SECONDS`` (60) while the
alert probe (tests/loadtest/alerts.py) keeps four report builds in flight and reports a `kritis`
incident every ``LOADTEST_ALERT_INTERVAL`` (10) seconds, timing each early warning from the commit to
the loopback SMTP server; prints per-request figures, throughput, p50/p95/p99, errors and the alert
delays, and stops everything it started. Last line:
``loadtest: users=30 requests=N errors=N p50_ms=X p95_ms=X p99_ms=X alert_p99_s=X``.
"""

import csv
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
WORK = ROOT / "var" / "loadtest"
USERS = int(os.environ.get("LOADTEST_USERS", "30"))
SECONDS = int(os.environ.get("LOADTEST_SECONDS", "60"))
WEB_WORKERS = int(os.environ.get("LOADTEST_WEB_WORKERS", "2"))
# One `kritis` incident every 10 s (each about 48 emails): the probe times an alert behind the report
# builds. At one a second (4,000 emails in two minutes) the alerts queued behind one another instead,
# which measures the mail rate of the urgent worker, not the wait behind a report (README, Load test).
ALERT_INTERVAL = float(os.environ.get("LOADTEST_ALERT_INTERVAL", "10"))
PASSWORD = "beban-kesbang-2026"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:  # noqa: BLE001 - not up yet
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{what} did not come up within {timeout:.0f} s")


def cpu_seconds(groups: dict[str, int]) -> dict[str, float]:
    """CPU seconds (user + system) used so far by each process group in ``groups`` (name -> group id:
    the processes this run started, each in a session of its own) and by every PostgreSQL and
    Redis server process on the machine: where the cores went during the run."""
    tick = os.sysconf("SC_CLK_TCK")
    used = dict.fromkeys([*groups, "postgres", "redis"], 0.0)
    by_group = {pgid: name for name, pgid in groups.items()}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        pgrp, seconds = int(fields[2]), (int(fields[11]) + int(fields[12])) / tick
        name = by_group.get(pgrp) or ("postgres" if comm.startswith("postgres") else
                                      "redis" if comm.startswith("redis-server") else None)
        if name:
            used[name] += seconds
    return used


def set_autogroup_nice(pid: int, value: int) -> None:
    """Give the session of ``pid`` the CPU priority ``value``. Each process this run starts has a
    session of its own, and with the kernel's autogroup scheduling (``/proc/sys/kernel/
    sched_autogroup_enabled``, on by default in Debian's kernels and on this machine) a session is a
    scheduling group: CPU is shared fairly between groups and a process' own ``nice`` only counts
    inside its group. Measured on 4 December 2026: with ``nice -n 10`` alone the heavy worker used 80
    of the run's 240 CPU seconds beside gunicorn's 94. The group's own nice (``/proc/<pid>/autogroup``)
    is what ranks it against gunicorn (production: ``CPUWeight=`` in the systemd drop-ins)."""
    path = Path(f"/proc/{pid}/autogroup")
    if value and path.exists():
        try:
            path.write_text(str(value))
        except OSError as exc:
            print(f"warning: could not set the CPU priority of process {pid}'s session: {exc}")


class Processes:
    """What this run started; stopped (process group SIGTERM, then SIGKILL) in reverse order."""

    def __init__(self):
        self.started: list[tuple[str, subprocess.Popen, object]] = []

    def start(self, name: str, command: list[str], env: dict) -> subprocess.Popen:
        log = open(WORK / f"{name}.log", "wb")  # noqa: SIM115 - closed in stop_all
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        self.started.append((name, proc, log))
        return proc

    def stop_all(self, keep: tuple[str, ...] = ()) -> None:
        """Stop what was started, but the processes named in ``keep`` (a later call stops them)."""
        chosen = [entry for entry in self.started if entry[0] not in keep]
        self.started = [entry for entry in self.started if entry[0] in keep]
        for _name, proc, _log in reversed(chosen):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for name, proc, log in reversed(chosen):
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
                print(f"{name} killed after SIGTERM timeout")
            log.close()


def server_env(redis_url: str, smtp_port: int) -> dict:
    base = redis_url.rsplit("/", 1)[0]
    db = int(redis_url.rsplit("/", 1)[1] or 0)
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kesbang.settings",
        "DJANGO_READ_DOT_ENV": "0",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "CELERY_BROKER_URL": redis_url,
        "CELERY_RESULT_BACKEND": redis_url,
        "CACHE_URL": f"{base}/{(db + 1) % 16}" if not os.environ.get("LOADTEST_REDIS_URL") else redis_url,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",  # the alert probe's loopback SMTP server
        "EMAIL_TIMEOUT": "10",
        "STATIC_ROOT": str(WORK / "static"),
        "PRIVATE_MEDIA_ROOT": str(WORK / "media"),
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }


def prepare(env: dict) -> None:
    """Database, seed, logins and targets (in a subprocess with the server's settings)."""
    done = subprocess.run([sys.executable, "-m", "tests.loadtest.run", "prepare"], cwd=ROOT, env=env)
    if done.returncode != 0:
        raise SystemExit("loadtest: preparing the database failed")


def drain_alert_backlog() -> int:
    """The early warnings of the seeded incidents, delivered (to a dummy mail backend) before the load.

    The seeders write incidents by ``COPY``, so those reported in the last three days at an alert level
    were never alerted, and the sweeper (every 10 minutes, ``incidents.sweep``) would send them during
    the run: about 1,000 emails a live system sent when those reports came in. A run that crossed a
    sweep (seen: p95 360 ms and an alert at 19 s, against 130 ms and 1.1 s in the next run) measured
    that backlog, not the steady state. Returns how many incidents it alerted (0 once drained)."""
    from django.test.utils import override_settings
    from django.utils import timezone

    from incidents.alerts import incident_alerts_send
    from incidents.sweep import GRACE, alerts_due

    tried: set[int] = set()
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        while due := [pk for pk in alerts_due(now=timezone.now() + GRACE) if pk not in tried]:
            for incident_id in due:  # an incident nobody may be told of stays due: tried once
                incident_alerts_send(incident_id=incident_id)
            tried.update(due)
    return len(tried)


def prepare_inner() -> int:
    from tests import bench

    bench.ensure_database(reset=os.environ.get("BENCH_RESET") == "1")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.urls import reverse

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    volume = bench.seed()
    print(f"loadtest data: {volume}")
    print(f"alert backlog of the seeded incidents delivered before the run: {drain_alert_backlog()} incidents")
    from teams import services
    from teams.access import Role
    from teams.models import Institution, Person, Region

    # Non-admin roles only: province staff and leaders (two-factor: an authenticator is enrolled for
    # them below and log_in_all enters its code), regency staff, team members.
    roles = [(Role.STAF_PROVINSI, "19", True), (Role.PIMPINAN, "19", False), (Role.STAF_KABKOTA, None, True),
             (Role.ANGGOTA_TIM, "19.71", False)]
    regencies = list(Region.objects.filter(level__in=["kabupaten", "kota"]).order_by("code"))
    User = get_user_model()
    logins = []
    for i in range(USERS):
        role, code, writes = roles[i % len(roles)]
        region = Region.objects.get(code=code) if code else regencies[i % len(regencies)]
        username = f"beban.{i:02d}"
        if not User.objects.filter(username=username).exists():
            person = Person.objects.filter(region=region, user__isnull=True).order_by("pk").first()
            if role == Role.ANGGOTA_TIM:  # sees only the teams its person sits on
                person = Person.objects.filter(region=region, user__isnull=True,
                                               memberships__end_date__isnull=True).order_by("pk").first() or person
            services.account_create(username=username, password=PASSWORD, role=role, person=person)
        login = {"username": username, "password": PASSWORD, "role": str(role), "writes": writes}
        from kesbang.accounts import twofactor
        from tests.otp import enrol

        user = User.objects.get(username=username)
        if twofactor.must_use_otp(user):
            login["otp_key"] = enrol(user).key  # hex secret: log_in_all computes the current code
        logins.append(login)

    data = {"logins": logins}
    for login in logins:
        user = User.objects.get(username=login["username"])
        login["urls"] = urls_for(user)
        if login["writes"]:
            region = Person.objects.get(user=user).region
            institution = Institution.objects.filter(region=region).order_by("pk").first()
            login["person_create"] = {
                "url": reverse("teams:person_create"),
                "fields": {"nip": "", "position": "Staf", "institution": str(institution.pk),
                           "region": str(region.pk), "phone": ""},
            }
        for module in bench.app_modules():
            if hasattr(module, "loadtest_targets"):  # per login: {"urls": {...}, "incident_writes": [...]}
                extra = module.loadtest_targets(user)
                login["urls"].update(extra.pop("urls", {}))
                login.update(extra)
    (WORK / "targets.json").write_text(json.dumps(data, indent=1), encoding="utf-8")
    return 0


def urls_for(user) -> dict:
    """The teams pages this login may open (so a 404 in the run is a real error)."""
    from django.urls import reverse

    from teams.models import ActionPlan, Person, Region, Team

    teams = list(Team.objects.restrict(user, "view").order_by("pk").values_list("pk", "status"))
    active = [pk for pk, status in teams if status == "aktif"]
    people = list(Person.objects.restrict(user, "view").order_by("?").values_list("pk", flat=True)[:100])
    plans = list(ActionPlan.objects.restrict(user, "view").values_list("pk", flat=True))
    regions = list(Region.objects.filter(teams__pk__in=[pk for pk, _ in teams]).distinct().values_list("pk", flat=True))
    team_list = reverse("teams:team_list")
    member_list = reverse("teams:membership_list")
    person_list = reverse("teams:person_list")
    return {
        "team_list": [team_list, f"{team_list}?status=aktif", f"{team_list}?status=berakhir&level=kabupaten"]
        + [f"{team_list}?region={pk}" for pk in regions],
        "team_detail": [reverse("teams:team_detail", args=[pk]) for pk in active * 3 + [pk for pk, _ in teams]],
        "member_list": [member_list] + [f"{member_list}?page={p}" for p in (2, 3)],
        "person_list": [person_list] + [f"{person_list}?q={q}" for q in ("Ahmad", "Siti", "Polres", "Wijaya")],
        "person_detail": [reverse("teams:person_detail", args=[pk]) for pk in people],
        "plan_detail": [reverse("teams:plan_detail", args=[pk]) for pk in plans],
    }


def log_in_all(base: str) -> list[float]:
    """Log every user in through the real login form (as people do before they work); their
    session cookies go to locust, so the run measures logged-in work. Returns the login times (ms)."""
    import http.cookiejar
    import re

    data = json.loads((WORK / "targets.json").read_text(encoding="utf-8"))
    times = []
    for login in data["logins"]:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        form = opener.open(base + "/akun/login/", timeout=30).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        body = urllib.parse.urlencode({"username": login["username"], "password": login["password"],
                                       "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(base + "/akun/login/", data=body, headers={"Referer": base + "/akun/login/"})
        started = time.perf_counter()
        response = opener.open(request, timeout=30)
        page = response.read().decode()
        if "/akun/dua-langkah/verifikasi/" in response.geturl() and login.get("otp_key"):
            from django_otp.oath import totp  # stdlib only: no Django set-up needed here

            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
            body = urllib.parse.urlencode({"token": f"{totp(bytes.fromhex(login['otp_key'])):06d}",
                                           "csrfmiddlewaretoken": token, "next": "/"}).encode()
            opener.open(urllib.request.Request(response.geturl(), data=body,
                                               headers={"Referer": response.geturl()}), timeout=30).read()
        times.append((time.perf_counter() - started) * 1000)
        login["cookies"] = {c.name: c.value for c in jar}
        if "sessionid" not in login["cookies"]:
            raise SystemExit(f"loadtest: login {login['username']} failed")
    (WORK / "targets.json").write_text(json.dumps(data, indent=1), encoding="utf-8")
    return times


def summarise(prefix: Path) -> dict:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    print()
    print(f"{'request':32} {'count':>7} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7}")
    total = None
    for row in rows:
        if row["Name"] == "Aggregated":
            total = row
            continue
        print(f"{row['Name'][:32]:32} {row['Request Count']:>7} {row['Failure Count']:>6} {row['50%']:>7} "
              f"{row['95%']:>7} {row['99%']:>7} {float(row['Max Response Time']):>7.0f}")
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists():
        with open(failures, encoding="utf-8") as f:
            failed = list(csv.DictReader(f))
        for row in failed[:10]:
            print(f"error: {row['Method']} {row['Name']}: {row['Error'][:160]} x{row['Occurrences']}")
    return total


def main(argv: list[str]) -> int:
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kesbang_loadtest")
    if argv[:1] == ["prepare"]:
        return prepare_inner()
    WORK.mkdir(parents=True, exist_ok=True)
    procs = Processes()
    probe = None
    try:
        redis_url = os.environ.get("LOADTEST_REDIS_URL")
        if not redis_url:
            redis_server = shutil.which("redis-server")
            if not redis_server:
                raise SystemExit("loadtest: redis-server missing; set LOADTEST_REDIS_URL=redis://127.0.0.1:6379/7")
            redis_port = free_port()
            procs.start("redis", [redis_server, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
                                  "--appendonly", "no", "--dir", str(WORK)], dict(os.environ))
            import redis

            wait_for(lambda: redis.Redis(host="127.0.0.1", port=redis_port).ping(), "redis-server")
            redis_url = f"redis://127.0.0.1:{redis_port}/0"
        smtp_port = free_port()
        env = server_env(redis_url, smtp_port)
        started = time.monotonic()
        prepare(env)
        print(f"prepared in {time.monotonic() - started:.0f} s")
        web_port = free_port()
        (WORK / "access.log").unlink(missing_ok=True)  # this run's requests only
        procs.start("gunicorn", [str(BIN / "gunicorn"), "kesbang.wsgi:application", "--workers", str(WEB_WORKERS),
                                 "--bind", f"127.0.0.1:{web_port}", "--access-logfile", str(WORK / "access.log"),
                                 "--access-logformat", '%(h)s "%(r)s" %(s)s %(D)s',
                                 "--timeout", "60"], env)
        from kesbang.queues import NICE, QUEUES, URGENT

        for queue in QUEUES:  # one worker per queue with production's concurrency and priority (README, Production)
            concurrency = "2" if queue == URGENT else "1"
            worker = procs.start(f"worker-{queue}", ["nice", "-n", str(NICE[queue]),
                                                     str(BIN / "celery"), "-A", "kesbang", "worker", "-Q", queue, "-c",
                                                     concurrency, "-l", "warning", "-n",
                                                     f"loadtest-{queue}-{web_port}@%h"], env)
            set_autogroup_nice(worker.pid, NICE[queue])
        procs.start("beat", [str(BIN / "celery"), "-A", "kesbang", "beat", "-l", "warning",
                             "-s", str(WORK / "beat-schedule")], env)
        base = f"http://127.0.0.1:{web_port}"
        wait_for(lambda: urllib.request.urlopen(base + "/healthz/", timeout=5).status == 200, "gunicorn /healthz/")
        login_ms = sorted(log_in_all(base))
        print(f"gunicorn ({WEB_WORKERS} workers), Celery workers (urgent, routine, heavy) and beat up; {USERS} "
              f"logins through the form: median "
              f"{login_ms[len(login_ms) // 2]:.0f} ms, max {login_ms[-1]:.0f} ms (password hashing)")
        os.environ.update(env)  # the alert probe writes as the servers do: same database, broker, cache
        import django

        django.setup()
        from tests.loadtest.alerts import AlertProbe

        probe = AlertProbe(smtp_port=smtp_port, interval=ALERT_INTERVAL)
        probe.start()
        print(f"{USERS} logged-in users for {SECONDS} s against {base}; four report builds kept in flight and a "
              f"kritis incident every {ALERT_INTERVAL:g} s")
        prefix = WORK / "locust"
        for old in WORK.glob("locust_*.csv"):
            old.unlink()
        locust_env = {**os.environ, "LOADTEST_DATA": str(WORK / "targets.json")}
        import resource

        groups = {name: proc.pid for name, proc, _log in procs.started}
        cpu_before = cpu_seconds(groups)
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        self_before = resource.getrusage(resource.RUSAGE_SELF)
        with open(WORK / "locust.log", "wb") as locust_log:
            subprocess.run([str(BIN / "locust"), "-f", str(ROOT / "tests" / "loadtest" / "locustfile.py"), "--headless",
                        "-u", str(USERS), "-r", str(max(1, USERS // 5)), "-t", f"{SECONDS}s", "-H", base,
                        "--csv", str(prefix), "--only-summary", "--stop-timeout", "10", "--exit-code-on-error", "0",
                        "--loglevel", "WARNING"], cwd=ROOT, env=locust_env, check=False,
                           stdout=locust_log, stderr=subprocess.STDOUT)
        children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        locust_cpu = ((children_after.ru_utime + children_after.ru_stime)
                      - (children_before.ru_utime + children_before.ru_stime))
        cpu_after = cpu_seconds(groups)
        self_after = resource.getrusage(resource.RUSAGE_SELF)
        alerts = probe.stop()
        for name, proc, _log in procs.started:
            if proc.poll() is not None:
                print(f"warning: {name} exited during the run (code {proc.returncode}); see {WORK / (name + '.log')}")
        total = summarise(prefix)
        if total is None:
            print((WORK / "locust.log").read_text(errors="replace")[-3000:])
            raise SystemExit("loadtest: locust wrote no statistics")
        worker_errors = sum(1 for log in WORK.glob("worker-*.log")
                            for line in log.read_text(errors="replace").splitlines()
                            if " ERROR" in line or "Traceback" in line)
        access = [line.rsplit(" ", 2) for line in (WORK / "access.log").read_text(errors="replace").splitlines()]
        server_errors = sum(1 for parts in access if len(parts) == 3 and parts[1].startswith("5"))
        inside = sorted(int(parts[2]) / 1000 for parts in access if len(parts) == 3 and parts[2].isdigit())
        requests_n = int(total["Request Count"])
        errors = int(total["Failure Count"])
        print()
        print(f"throughput {float(total['Requests/s']):.1f} requests/s over {SECONDS} s; "
              f"server 5xx in access log: {server_errors}; worker errors: {worker_errors}")
        if inside:
            # Time inside gunicorn's worker (from the request read to the response written): what the
            # application costs; the rest of what locust saw is waiting for a free worker or CPU.
            print(f"inside the web workers: p50 {inside[len(inside) // 2]:.0f} ms, "
                  f"p95 {inside[min(len(inside) - 1, int(len(inside) * 0.95))]:.0f} ms over {len(inside)} requests; "
                  f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        # A process that ended during the run is missing from the second reading: only growth counts.
        used = {name: max(0.0, cpu_after[name] - cpu_before.get(name, 0.0)) for name in cpu_after}
        used["locust"] = locust_cpu
        used["alert probe"] = ((self_after.ru_utime + self_after.ru_stime)
                               - (self_before.ru_utime + self_before.ru_stime))
        print(f"CPU seconds used during the run ({os.cpu_count()} cores give {os.cpu_count() * SECONDS} s): "
              + ", ".join(f"{name} {seconds:.0f}" for name, seconds in sorted(used.items(), key=lambda x: -x[1])))
        print(f"early warnings: {alerts['alerts']} kritis incidents, {alerts['delivered']} fully delivered "
              f"({alerts['emails']} emails accepted in all), {alerts['missing']} not within 30 s; "
              f"commit to the last email accepted: p50 {alerts['p50_s']:.2f} s, p99 {alerts['p99_s']:.2f} s, "
              f"max {alerts['max_s']:.2f} s; "
              f"{alerts['reports']} report builds requested")
        for error in alerts["errors"][:5]:
            print(f"alert probe error: {error}")
        print(f"loadtest: users={USERS} requests={requests_n} errors={errors} p50_ms={total['50%']} "
              f"p95_ms={total['95%']} p99_ms={total['99%']} alert_p99_s={alerts['p99_s']:.2f}")
        return 0 if errors == 0 and not alerts["missing"] and not alerts["errors"] else 1
    finally:
        # Redis stays up for the clean-up: deleting the probe's incidents bumps the cache generations.
        procs.stop_all(keep=("redis",))
        try:
            if probe is not None:
                print(f"alert probe: {probe.cleanup()}")
        finally:
            procs.stop_all()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
