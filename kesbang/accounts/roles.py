"""The roles (groups) and, per MODEL, the actions each may take. The single permission matrix.

The project's one authorisation model is Django permissions held through these groups, plus the
login's region scope (``teams.access.scope_of``) and the classification policy
(``incidents.classification``, which asks the clearances below). This module is where a role gets its
rights: code elsewhere asks ``user.has_perm(...)`` or ``kesbang.core.auth.users_with_perm(...)``, never a
role name (``tests/test_role_names.py``). Besides Django's four actions, the rows grant the models' own
permissions: the classification clearances (who reads ``terbatas`` and ``rahasia`` incidents) and who
receives which email; ``ADMIN_SITE_ROLES`` and ``ROLE_ORDER`` say which roles get the admin site and
who may grant which role.

``MODEL_PERMISSIONS`` is applied on every ``manage.py migrate`` (a ``post_migrate`` handler in
``kesbang.accounts.apps``), so adding or changing a row needs no data migration: run ``migrate`` and the
groups hold exactly what the matrix says (permissions not in it are taken away).

Adding a model? Add ONE row here, keyed ``"app_label.modelname"`` (lower case, as in
``Model._meta.label_lower``), with the actions per role. ``tests/accounts/test_roles.py`` fails
for any model of the project without a row, so a new model never silently gets no (or every)
right. A role left out of a row gets nothing on that model (only superusers see it then).

Besides Django's four actions a row may name an action the model declares itself in
``Meta.permissions`` as ``"<action>_<modelname>"``: ``"view_rahasia"`` for ``Incident``'s
``view_rahasia_incident``, ``"receive"`` for ``IncidentAlert``'s ``receive_incidentalert``, ``"send"`` for
``WeeklySummary``'s ``send_weeklysummary`` (the permission's migration only creates it; the next
``migrate`` grants it). ``tests/accounts/test_roles.py`` refuses an action its model does not declare.

Rights are per model, not per app: an Anggota Tim may add incidents without thereby editing the
incident taxonomy, e.g. (the incidents capability adds its own rows)::

    "incidents.incident": {ADMIN: ALL, PIMPINAN: VIEW, STAF_PROV: ALL, STAF_KAB: WRITE, ANGGOTA: {"view", "add"}},
    "incidents.category": {ADMIN: ALL, PIMPINAN: VIEW, STAF_PROV: VIEW, STAF_KAB: VIEW, ANGGOTA: VIEW},

django-simple-history's ``Historical<Model>`` rows need no row of their own: they get the VIEW
grants of their model and nothing else (history is written by the app, never by hand).

Region limits are not permissions: see ``teams.access`` (the login's scope) and each model's
``objects.restrict(user, action)``.
"""

from django.contrib.auth.management import create_permissions

from teams.access import Role

ADMIN = Role.ADMINISTRATOR
PIMPINAN = Role.PIMPINAN
STAF_PROV = Role.STAF_PROVINSI
STAF_KAB = Role.STAF_KABKOTA
ANGGOTA = Role.ANGGOTA_TIM

ACTIONS = ("view", "add", "change", "delete")
ALL = frozenset(ACTIONS)
WRITE = frozenset({"view", "add", "change"})
VIEW = frozenset({"view"})
NOBODY: dict[Role, frozenset[str]] = {}  # superusers only

# Everyone with a role reads it; only the named roles write it.
READ_FOR_ALL = {PIMPINAN: VIEW, STAF_PROV: VIEW, STAF_KAB: VIEW, ANGGOTA: VIEW}

# The classification policy's clearances, Incident's own permissions (incidents.classification.CLEARANCE;
# ``biasa`` is ``view_incident``). ``terbatas`` is need to know: the Tim Terpadu's staff, not the
# Administrator, which runs accounts and reference data. ``rahasia``: the province's leadership and
# staff; holding it makes two-factor compulsory (kesbang.accounts.twofactor) and puts the role above
# the Administrator in ROLE_ORDER.
TERBATAS = frozenset({"view_terbatas"})
RAHASIA = frozenset({"view_terbatas", "view_rahasia"})
# Receives the model's email (a delivery record's model: incidents.alerts, kesbang.office.recipients).
# Needs no "view": receiving the mail is not reading the records in the admin.
RECEIVE = frozenset({"receive"})

MODEL_PERMISSIONS: dict[str, dict[Role, frozenset[str]]] = {
    # --- teams: reference data (loaded by migrations, edited in the admin) -----------------------
    "teams.region": {**READ_FOR_ALL, ADMIN: ALL},
    "teams.institution": {**READ_FOR_ALL, ADMIN: ALL, STAF_PROV: WRITE},
    "teams.reportingdeadline": {**READ_FOR_ALL, ADMIN: ALL},
    # --- teams: the register and the action plans (region scope in teams.access) ----------------
    "teams.person": {ADMIN: ALL, PIMPINAN: VIEW, STAF_PROV: ALL, STAF_KAB: WRITE, ANGGOTA: VIEW},
    "teams.team": {ADMIN: ALL, PIMPINAN: VIEW, STAF_PROV: ALL, STAF_KAB: WRITE, ANGGOTA: VIEW},
    "teams.membership": {ADMIN: ALL, PIMPINAN: VIEW, STAF_PROV: ALL, STAF_KAB: WRITE, ANGGOTA: VIEW},
    "teams.actionplan": {ADMIN: ALL, PIMPINAN: VIEW, STAF_PROV: ALL, STAF_KAB: WRITE, ANGGOTA: VIEW},
    "teams.activity": {ADMIN: ALL, PIMPINAN: VIEW, STAF_PROV: ALL, STAF_KAB: WRITE, ANGGOTA: VIEW},
    "teams.activityperiod": {ADMIN: ALL, PIMPINAN: VIEW, STAF_PROV: ALL, STAF_KAB: WRITE, ANGGOTA: VIEW},
    "teams.evidence": {ADMIN: ALL, PIMPINAN: VIEW, STAF_PROV: ALL, STAF_KAB: WRITE, ANGGOTA: VIEW},
    # --- teams: system records (written by tasks) -------------------------------------------------
    "teams.planreminderlog": {ADMIN: VIEW | {"delete"}},
    # --- incidents: reports, their timeline and files (region/team/rahasia scope in
    #     Incident.objects.restrict; an Anggota Tim reports and adds files to its own reports) ---------
    "incidents.incident": {ADMIN: ALL, PIMPINAN: VIEW | RAHASIA, STAF_PROV: ALL | RAHASIA, STAF_KAB: WRITE | TERBATAS,
                           ANGGOTA: VIEW | {"add"} | TERBATAS},
    "incidents.incidenttransition": {**READ_FOR_ALL, ADMIN: VIEW},
    "incidents.followup": {ADMIN: ALL, PIMPINAN: VIEW, STAF_PROV: ALL, STAF_KAB: WRITE, ANGGOTA: VIEW},
    "incidents.conflictstatus": {ADMIN: ALL, PIMPINAN: VIEW, STAF_PROV: ALL, STAF_KAB: WRITE, ANGGOTA: VIEW},
    "incidents.attachment": {ADMIN: ALL, PIMPINAN: VIEW, STAF_PROV: ALL, STAF_KAB: WRITE, ANGGOTA: VIEW | {"add"}},
    # --- incidents: reports from the public (/lapor/) and their photos: only the verifiers (Staf
    #     Provinsi all regions, Staf Kabupaten/Kota its own) read and triage them; they hold the
    #     reporter's contact, which nobody else sees (UU 27/2022). Reports are made by the public form
    #     and erased by the retention task, never added or deleted by hand. ------------------------------
    "incidents.publicreport": {STAF_PROV: frozenset({"view", "change"}), STAF_KAB: frozenset({"view", "change"})},
    "incidents.publicreportphoto": {STAF_PROV: VIEW, STAF_KAB: VIEW},
    # --- incidents: the taxonomy (admin-editable) and system records (written by services/tasks) ----
    "incidents.category": {**READ_FOR_ALL, ADMIN: ALL},
    "incidents.referencecounter": {ADMIN: VIEW},
    # Receiving (incidents.alerts): every incident's early warning (a rahasia one also goes to the holders
    # of the rahasia clearance), the daily digest of the reports one may verify, the Status Keadaan
    # Konflik reminders.
    "incidents.incidentalert": {ADMIN: VIEW | {"delete"}, STAF_PROV: RECEIVE},
    "incidents.verificationdigest": {ADMIN: VIEW | {"delete"}, STAF_PROV: RECEIVE, STAF_KAB: RECEIVE},
    "incidents.conflictstatusreminder": {ADMIN: VIEW | {"delete"}, STAF_PROV: RECEIVE},
    # --- kesbang: the office layer (reports: region scope in Report.objects.restrict) -------------
    # "receive": the default recipients of the reports and the weekly summary (kesbang.office.recipients).
    "office.report": {ADMIN: ALL, PIMPINAN: VIEW | RECEIVE, STAF_PROV: WRITE | RECEIVE, STAF_KAB: VIEW},
    "office.recipient": {ADMIN: ALL},
    "office.nonworkingday": {ADMIN: ALL},
    # "send": the model's own permission (Meta.permissions), "Kirim sekarang" on the preview page.
    "office.weeklysummary": {ADMIN: VIEW | {"delete", "send"}, PIMPINAN: RECEIVE, STAF_PROV: RECEIVE},
    "office.weeklysummarydelivery": {ADMIN: VIEW | {"delete"}},
    "office.reportdelivery": {ADMIN: VIEW | {"delete"}},
    # --- integrations: webhooks are set up by the Administrator (only up to the classes it reads:
    # WebhookEndpoint.objects.restrict); their events and deliveries are system records, read-only.
    # The national package (incidents for Kemendagri) is the province's: Staf Provinsi requests it,
    # Pimpinan reads it; nobody else (the Administrator has no need to know the incidents in it).
    "integrations.webhookendpoint": {ADMIN: ALL},
    "integrations.webhookevent": {ADMIN: VIEW},
    "integrations.webhookdelivery": {ADMIN: VIEW},
    "integrations.nationalpackage": {PIMPINAN: VIEW, STAF_PROV: frozenset({"view", "add"})},
    # --- meetings: organised by the staff of the team's region (scope in meetings.querysets); an
    # Anggota Tim reads the meetings it was invited to and updates its own action items --------------
    "meetings.meeting": {ADMIN: ALL, PIMPINAN: VIEW, STAF_PROV: ALL, STAF_KAB: WRITE, ANGGOTA: VIEW},
    "meetings.agendaitem": {ADMIN: ALL, PIMPINAN: VIEW, STAF_PROV: ALL, STAF_KAB: WRITE, ANGGOTA: VIEW},
    "meetings.invitation": {ADMIN: ALL, PIMPINAN: VIEW, STAF_PROV: ALL, STAF_KAB: WRITE, ANGGOTA: VIEW},
    "meetings.attendance": {ADMIN: ALL, PIMPINAN: VIEW, STAF_PROV: ALL, STAF_KAB: WRITE, ANGGOTA: VIEW},
    "meetings.minutes": {ADMIN: ALL, PIMPINAN: VIEW, STAF_PROV: ALL, STAF_KAB: WRITE, ANGGOTA: VIEW},
    "meetings.resolution": {ADMIN: ALL, PIMPINAN: VIEW, STAF_PROV: ALL, STAF_KAB: WRITE, ANGGOTA: VIEW},
    "meetings.actionitem": {ADMIN: ALL, PIMPINAN: VIEW, STAF_PROV: ALL, STAF_KAB: WRITE,
                            ANGGOTA: frozenset({"view", "change"})},
    "meetings.actionitemnote": {ADMIN: ALL, PIMPINAN: VIEW, STAF_PROV: WRITE, STAF_KAB: WRITE,
                                ANGGOTA: frozenset({"view", "add"})},
    "meetings.actionitemevidence": {ADMIN: ALL, PIMPINAN: VIEW, STAF_PROV: WRITE, STAF_KAB: WRITE,
                                    ANGGOTA: frozenset({"view", "add"})},
    "meetings.meetingdelivery": {ADMIN: VIEW | {"delete"}},
    "meetings.meetingdocument": {ADMIN: ALL, PIMPINAN: VIEW, STAF_PROV: ALL, STAF_KAB: WRITE, ANGGOTA: VIEW},
    # --- Django and third-party apps: the Administrator role runs the admin -----------------------
    # Users: the Administrator manages accounts, but grants only the roles below its own (ROLE_ORDER)
    # and never superuser/staff status or a direct permission (kesbang.accounts.grants, the user admin).
    "auth.user": {ADMIN: ALL},
    # Groups are the roles, and their permissions are this matrix (re-applied on every migrate): an
    # Administrator who could edit them could give any role, itself included, any right. Read only.
    "auth.group": {ADMIN: VIEW},
    "auth.permission": {ADMIN: VIEW},
    # Unlocking a login is deleting its attempt row; the failure and access logs are evidence, read-only.
    "axes.accessattempt": {ADMIN: ALL},
    "axes.accessattemptexpiration": {ADMIN: ALL},
    "axes.accessfailurelog": {ADMIN: VIEW},
    "axes.accesslog": {ADMIN: VIEW},
    # The beat schedule is code (settings.CELERY_BEAT_SCHEDULE, synced on start): an Administrator
    # reads it but may not schedule arbitrary tasks with arbitrary arguments (no back door).
    "django_celery_beat.clockedschedule": {ADMIN: VIEW},
    "django_celery_beat.crontabschedule": {ADMIN: VIEW},
    "django_celery_beat.intervalschedule": {ADMIN: VIEW},
    "django_celery_beat.periodictask": {ADMIN: VIEW},
    "django_celery_beat.periodictasks": {ADMIN: VIEW},
    "django_celery_beat.solarschedule": {ADMIN: VIEW},
    # --- security: two-factor devices (administrators reset them) and the read-only audit log ---
    # A device is enrolled by its owner on /akun/dua-langkah/; in the admin it is only seen (without
    # its key or codes) and deleted to reset a lost phone. Nobody adds one there: a device added with
    # a known key would be someone else's second factor.
    "kesbang.auditevent": {ADMIN: VIEW},
    # --- the API: each login makes and revokes its own tokens on /akun/token/ (no permission needed);
    # the Administrator sees every token in the admin and revokes a leaked one, never adds or edits one.
    "api.accesstoken": {ADMIN: frozenset({"view", "change"})},
    # Hashes only, written by kesbang.accounts.twofactor (codes are issued from the user admin's action).
    "kesbang.enrolmentcode": NOBODY,
    "kesbang.recoverycodedevice": NOBODY,
    "kesbang.recoverycode": NOBODY,
    "otp_totp.totpdevice": {ADMIN: VIEW | {"delete"}},
    "otp_static.staticdevice": {ADMIN: VIEW | {"delete"}},
    "otp_static.statictoken": NOBODY,
    "admin.logentry": NOBODY,
    "contenttypes.contenttype": NOBODY,
    "sessions.session": NOBODY,
}

# --- The admin site ------------------------------------------------------------------------------------
# A login created with one of these roles gets staff status (the admin site) with it
# (``teams.services.account_create``); what it may do there is its permissions above.
ADMIN_SITE_ROLES: frozenset[Role] = frozenset({ADMIN})


def role_opens_admin_site(role: str) -> bool:
    """Whether a login created with ``role`` (a group name) gets staff status."""
    return role in ADMIN_SITE_ROLES

# --- Who may hand out which role --------------------------------------------------------------------
# Highest first. A login that may change users grants or takes away only the roles BELOW its own
# highest role; only a superuser grants the Administrator role, superuser or staff status, or a direct
# permission (kesbang.accounts.grants enforces it in the user admin, on save).
#
# Pimpinan and Staf Provinsi sit above the Administrator because they read ``rahasia`` incidents and
# the Administrator does not: an Administrator able to give itself, or an account whose password it
# sets, one of those roles would read every secret report through it. The Administrator runs the
# system (accounts, reference data, schedules) for the regency staff and team members below it.
ROLE_ORDER: tuple[Role, ...] = (PIMPINAN, STAF_PROV, ADMIN, STAF_KAB, ANGGOTA)


def grantable_roles(user) -> frozenset[Role]:
    """The roles ``user`` may grant or revoke: every role for a superuser; for a login that may change
    users, those below its highest role in ``ROLE_ORDER``; nothing for anyone else."""
    from teams.access import role_names

    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return frozenset()
    if user.is_superuser:
        return frozenset(Role)
    if not user.has_perm("auth.change_user"):
        return frozenset()
    held = [ROLE_ORDER.index(role) for role in ROLE_ORDER if role in role_names(user)]
    return frozenset(ROLE_ORDER[min(held) + 1:]) if held else frozenset()


HISTORY_PREFIX = "historical"


def grants_for(label: str, matrix=None) -> dict[Role, frozenset[str]] | None:
    """The row for ``"app_label.model"``; a simple-history model derives VIEW from its model.
    None when the matrix has no row (the roles test reports that as a failure)."""
    matrix = MODEL_PERMISSIONS if matrix is None else matrix
    if label in matrix:
        return matrix[label]
    app_label, model = label.split(".", 1)
    if model.startswith(HISTORY_PREFIX):
        base = matrix.get(f"{app_label}.{model[len(HISTORY_PREFIX):]}")
        if base is not None:
            return {role: VIEW for role, actions in base.items() if "view" in actions}
    return None


def wanted_codenames(role: Role, label: str, matrix=None) -> set[str]:
    model = label.split(".", 1)[1]
    return {f"{action}_{model}" for action in (grants_for(label, matrix) or {}).get(role, ())}


def sync_roles(apps, schema_editor=None, *, using: str = "default") -> None:
    """Create the groups and set exactly the permissions of the matrix (safe to run again).

    Called by the post_migrate handler (with the migration state's ``apps``) and by the two old
    data migrations; a model absent from ``apps`` (an older migration state) is skipped."""
    for app_config in apps.get_app_configs():
        # create_permissions skips an app whose models_module is unset, as in a migration state.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0, using=using)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = list(Permission.objects.using(using).select_related("content_type"))
    for role in Role:
        group, _ = Group.objects.using(using).get_or_create(name=str(role))
        wanted = []
        for perm in permissions:
            label = f"{perm.content_type.app_label}.{perm.content_type.model}"
            if perm.codename in wanted_codenames(role, label):
                wanted.append(perm)
        group.permissions.set(wanted)


def sync_roles_after_migrate(sender, app_config=None, apps=None, using="default", plan=None, **kwargs) -> None:
    """post_migrate handler: runs once per ``migrate`` (on the last app's signal, when every app's
    permissions exist), also after the test runner's flushes."""
    from django.apps import apps as global_apps

    last = [config for config in global_apps.get_app_configs() if config.models_module is not None][-1]
    if sender.label != last.label:
        return
    sync_roles(apps or global_apps, using=using)
