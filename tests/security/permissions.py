"""THE permission table: what every URL of Kesbang answers to each kind of visitor.

One row per URL name (``namespace:name``) from the URL resolver. ``tests/security/test_urls.py``
requests every URL as every actor below, against an object of Kabupaten Bangka (the region of the
Staf Kabupaten/Kota login and of the Anggota Tim login's team) and one of Kabupaten Belitung
(another region), and compares the answer with this table. A URL without a row fails the suite;
the README's permission table is generated from this module (``make permissions-table``).

Adding a URL (e.g. ``incidents:incident_detail``)::

    # 1. if it needs an object, say how to build one per region (once per kind):
    @builder("incident")
    def _incident(ctx):                      # ctx.region_code is "19.01" (Bangka) or "19.02" (Belitung)
        return make_incident(region_code=ctx.region_code, reporter=ctx.world.users["anggota_tim"])
    # 2. add the row: the kwargs factory and the expected outcome per actor
    "incidents:incident_detail": Row(obj("incident"), READ_OBJECT),

Not sure what a new URL answers? Give it an empty expectation, ``Row(obj("incident"), {})``: the test
then fails and prints what every actor got as a ready-to-paste dict, to review and paste in.

Outcomes: ``OK`` (2xx), ``LOGIN`` (redirect to a login page), ``FORBIDDEN`` (403), ``NOT_FOUND`` (404),
``REDIRECT`` (another redirect), ``NOT_ALLOWED`` (405), ``UNAUTHORIZED`` (401: the API without a login).
For an object URL a cell may be a pair
``(own, other)``: the answer for the Bangka object and for the Belitung object. Only the Staf
Kabupaten/Kota and the Anggota Tim logins are regional; the others see the whole province.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

OK, LOGIN, FORBIDDEN, NOT_FOUND, REDIRECT, NOT_ALLOWED = "ok", "login", "403", "404", "redirect", "405"
UNAUTHORIZED = "401"  # the API without a login (it answers JSON, never the login page)

ACTORS = {  # key → (README heading, role, region code of the login's person)
    "anonim": ("Anonim", None, None),
    "administrator": ("Administrator", "Administrator", "19"),
    "pimpinan": ("Pimpinan", "Pimpinan", "19"),
    "staf_provinsi": ("Staf Provinsi", "Staf Provinsi", "19"),
    "staf_kabkota": ("Staf Kab/Kota (Bangka)", "Staf Kabupaten/Kota", "19.01"),
    "anggota_tim": ("Anggota Tim (tim Bangka)", "Anggota Tim", "19.71"),
    "tanpa_peran": ("Tanpa peran", None, "19"),
}
REGIONS = {"own": "19.01", "other": "19.02"}  # Kabupaten Bangka, Kabupaten Belitung


@dataclass
class Row:
    """``kwargs(world, region_key) -> dict`` builds the URL's arguments (None: the URL takes none);
    ``expect`` maps each actor to an outcome or an (own, other) pair; ``note`` goes to the README."""

    kwargs: Callable | None
    expect: dict[str, str | tuple[str, str]]
    note: str = ""
    method: str = "GET"  # "POST" for action URLs that refuse GET (delete buttons): posted with no data

    def outcome(self, actor: str, region: str = "own") -> str:
        cell = self.expect[actor]
        if isinstance(cell, tuple):
            return cell[0] if region == "own" else cell[1]
        return cell

    @property
    def per_region(self) -> bool:
        return self.kwargs is not None


def obj(kind: str, kwarg: str = "pk", **extra) -> Callable:
    """A kwargs factory: ``{kwarg: <pk of the world's `kind` object in the region>, **extra}``."""

    def factory(world, region):
        return {kwarg: world.objects[region][kind].pk, **extra}

    factory.kind = kind
    return factory


def objs(**kwarg_kinds) -> Callable:
    """A kwargs factory for several objects: ``objs(pk="meeting", item="agenda_item")``."""

    def factory(world, region):
        return {kwarg: world.objects[region][kind].pk for kwarg, kind in kwarg_kinds.items()}

    return factory


def fixed(**kwargs) -> Callable:
    """A kwargs factory for a URL whose arguments are not objects (the same for both regions)."""

    def factory(world, region):
        return dict(kwargs)

    return factory


# --- the objects each region gets (tests/security/world.py runs these) -------------------------

@dataclass
class BuildContext:
    world: object
    region_key: str  # "own" (Bangka) or "other" (Belitung)
    region_code: str
    objects: dict = field(default_factory=dict)


BUILDERS: dict[str, Callable[[BuildContext], object]] = {}
LAZY: set[str] = set()  # kinds built only when a row asks for them (slow ones, e.g. a generated report)


def builder(kind: str, *, lazy: bool = False):
    def register(fn):
        BUILDERS[kind] = fn
        if lazy:
            LAZY.add(kind)
        return fn

    return register


# --- presets --------------------------------------------------------------------------------------

PUBLIC = dict.fromkeys(ACTORS, OK)
# Pages about one's own account: any login, role or not.
ACCOUNT = {**dict.fromkeys(ACTORS, OK), "anonim": LOGIN}
# A register everyone with a role reads (filtered to the login's scope).
READ_LIST = {"anonim": LOGIN, "administrator": OK, "pimpinan": OK, "staf_provinsi": OK, "staf_kabkota": OK,
             "anggota_tim": OK, "tanpa_peran": FORBIDDEN}
# Creating something new in one's own region: staff only.
WRITE_NEW = {**READ_LIST, "pimpinan": FORBIDDEN, "anggota_tim": FORBIDDEN}
# One object: regional logins see their region's (the Anggota Tim: its own team's) only.
READ_OBJECT = {**READ_LIST, "staf_kabkota": (OK, NOT_FOUND), "anggota_tim": (OK, NOT_FOUND)}
# Changing one object: staff, regional staff in their region only; read-only roles are refused first.
WRITE_OBJECT = {**READ_OBJECT, "pimpinan": FORBIDDEN, "anggota_tim": FORBIDDEN}
# A POST-only action (a delete button) on one object: done (redirect back) or refused.
# Deleting needs the delete permission, which Staf Kabupaten/Kota does not hold.
# The permission is checked before the object is looked up: 403 whatever the region.
ACTION_OBJECT = {**WRITE_OBJECT, "administrator": REDIRECT, "staf_provinsi": REDIRECT,
                 "staf_kabkota": FORBIDDEN, "anggota_tim": FORBIDDEN}
PLAN_WRITE = WRITE_OBJECT
TEAM_ACTION = ACTION_OBJECT
# Incidents and meetings: an Anggota Tim sees its own reports / the meetings it is invited to only.
INCIDENT_READ = {**READ_OBJECT, "anggota_tim": NOT_FOUND}
INCIDENT_WRITE = {**WRITE_OBJECT, "anggota_tim": NOT_FOUND}
INCIDENT_ACTION = {**ACTION_OBJECT, "staf_kabkota": (REDIRECT, NOT_FOUND), "anggota_tim": NOT_FOUND}
MEETING_READ = INCIDENT_READ
MEETING_ACTION = {**ACTION_OBJECT, "staf_kabkota": (REDIRECT, NOT_FOUND), "anggota_tim": FORBIDDEN}
# Reports: the Anggota Tim has none; regional staff read their region's; the province acts on them.
REPORT_READ_LIST = {**READ_LIST, "anggota_tim": FORBIDDEN}
REPORT_READ = {**READ_OBJECT, "anggota_tim": FORBIDDEN}
REPORT_ACTION = {**REPORT_READ, "administrator": REDIRECT, "staf_provinsi": REDIRECT, "pimpinan": FORBIDDEN,
                 "staf_kabkota": FORBIDDEN}
# The API: the same answers as the pages, but 401 instead of the login page.


def api(preset: dict) -> dict:
    return {**preset, "anonim": UNAUTHORIZED}


# An API write posted as a form (the table's request) is refused as 415 once the login may write there:
# the API reads JSON (tests/api/ post JSON). Refused roles and scopes get 403/404 first.
API_INCIDENT_WRITE = {**api(WRITE_OBJECT), "administrator": "415", "staf_provinsi": "415",
                      "staf_kabkota": ("415", NOT_FOUND), "anggota_tim": NOT_FOUND}
API_WRITE_NOTE = "JSON body (a form post: 415)"
# Reports from the public (issue 16): only the verifiers (Staf Provinsi, Staf Kabupaten/Kota of the region)
# triage them; the other roles hold no right on them (their contact is personal data).
TRIAGE_LIST = {**dict.fromkeys(ACTORS, FORBIDDEN), "anonim": LOGIN, "staf_provinsi": OK, "staf_kabkota": OK}
TRIAGE_OBJECT = {**TRIAGE_LIST, "staf_kabkota": (OK, NOT_FOUND)}
# The national submission package: the province's Staf Provinsi and Pimpinan read it, Staf Provinsi asks.
PACKAGE_READ = {**dict.fromkeys(ACTORS, FORBIDDEN), "anonim": LOGIN, "pimpinan": OK, "staf_provinsi": OK}
ADMINISTRATOR_ONLY = {**dict.fromkeys(ACTORS, FORBIDDEN), "anonim": LOGIN, "administrator": OK}
# The Django admin: staff (the Administrator role) only; everyone else is sent to its login page.
ADMIN = dict.fromkeys(ACTORS, LOGIN) | {"administrator": OK}


TABLE: dict[str, Row] = {
    # --- office ---
    "dashboard": Row(None, READ_LIST, "a login without a role is told to ask for one"),
    "healthz": Row(None, PUBLIC, "JSON for monitors"),
    "set_language": Row(None, dict.fromkeys(ACTORS, REDIRECT), "GET goes back; POST sets the cookie"),
    # --- accounts ---
    "login": Row(None, {**dict.fromkeys(ACTORS, REDIRECT), "anonim": OK}, "a logged-in visitor goes on"),
    "logout": Row(None, {**dict.fromkeys(ACTORS, NOT_ALLOWED), "anonim": LOGIN}, "POST only"),
    "password_change": Row(None, ACCOUNT),
    "password_change_done": Row(None, ACCOUNT),
    "password_reset": Row(None, PUBLIC),
    "password_reset_done": Row(None, PUBLIC),
    "password_reset_confirm": Row(fixed(uidb64="MQ", token="tanda-salah"), PUBLIC, "a wrong link says so"),
    "password_reset_complete": Row(None, PUBLIC),
    "otp_status": Row(None, ACCOUNT, "two-factor status of one's own login"),
    "otp_setup": Row(None, ACCOUNT | dict.fromkeys(("administrator", "pimpinan", "staf_provinsi"), REDIRECT),
                     "enrolled (two-factor roles): re-authenticate first"),
    "otp_verify": Row(None, {**dict.fromkeys(ACTORS, REDIRECT), "anonim": LOGIN}, "only while a code is due"),
    "otp_reauth": Row(None, ACCOUNT, "password + code again before changing a factor"),
    # --- teams ---
    "teams:team_list": Row(None, READ_LIST),
    "teams:team_create": Row(None, WRITE_NEW),
    "teams:team_detail": Row(obj("team"), READ_OBJECT),
    "teams:team_update": Row(obj("team"), WRITE_OBJECT),
    "teams:team_history": Row(obj("team"), READ_OBJECT),
    "teams:team_end": Row(obj("team"), WRITE_OBJECT),
    "teams:membership_add": Row(obj("team"), WRITE_OBJECT),
    "teams:membership_end": Row(obj("membership"), WRITE_OBJECT),
    "teams:membership_replace": Row(obj("membership"), WRITE_OBJECT),
    "teams:membership_list": Row(None, READ_LIST),
    "teams:membership_export": Row(fixed(fmt="xlsx"), READ_LIST),
    "teams:team_members_import_template": Row(None, WRITE_NEW),
    "teams:team_members_import": Row(obj("team"), WRITE_OBJECT),
    "teams:team_members_import_preview": Row(
        obj("team", token="tidak-ada"),
        {**WRITE_OBJECT, "administrator": REDIRECT, "staf_provinsi": REDIRECT, "staf_kabkota": (REDIRECT, NOT_FOUND)},
        "an unknown preview goes back to the upload",
    ),
    "teams:team_members_pdf": Row(obj("team"), READ_OBJECT),
    "teams:person_list": Row(None, READ_LIST),
    "teams:person_create": Row(None, WRITE_NEW),
    "teams:person_detail": Row(obj("person"), READ_OBJECT),
    "teams:person_update": Row(obj("person"), WRITE_OBJECT),
    "teams:plan_list": Row(None, READ_LIST),
    "teams:plan_create": Row(obj("team", "team_pk"), PLAN_WRITE),
    "teams:plan_detail": Row(obj("plan"), READ_OBJECT),
    "teams:plan_update": Row(obj("plan"), PLAN_WRITE),
    "teams:plan_history": Row(obj("plan"), READ_OBJECT),
    "teams:plan_export": Row(obj("plan"), READ_OBJECT),
    "teams:activity_create": Row(obj("plan", "plan_pk"), PLAN_WRITE),
    "teams:activity_update": Row(obj("activity"), PLAN_WRITE),
    "teams:activity_delete": Row(obj("activity"), TEAM_ACTION, method="POST"),
    "teams:realisation_update": Row(obj("activity", period="B04"), PLAN_WRITE),
    "teams:evidence_download": Row(obj("evidence"), READ_OBJECT),
    "teams:evidence_delete": Row(obj("evidence"), TEAM_ACTION, method="POST"),
    # --- incidents (an Anggota Tim sees the reports it made itself: not the factory's) ---
    "incidents:incident_list": Row(None, READ_LIST),
    "incidents:incident_create": Row(None, {**WRITE_NEW, "anggota_tim": OK}, "an Anggota Tim reports too"),
    "incidents:incident_map": Row(None, READ_LIST),
    "incidents:incident_map_data": Row(None, READ_LIST, "JSON, only permitted incidents"),
    "incidents:incident_export": Row(fixed(fmt="xlsx"), READ_LIST, "only permitted rows"),
    "incidents:region_children": Row(lambda w, r: {"region_pk": w.objects[r]["incident"].region_id},
                                     {**READ_OBJECT, "anggota_tim": (OK, NOT_FOUND)}, "JSON for the form"),
    "incidents:team_handlers": Row(obj("team", "team_pk"), {**READ_OBJECT, "anggota_tim": (OK, NOT_FOUND)},
                                   "JSON for the form: teams the login may assign"),
    "incidents:duplicate_check": Row(None, READ_LIST, "JSON, only permitted incidents"),
    "incidents:incident_detail": Row(obj("incident"), INCIDENT_READ),
    "incidents:incident_history": Row(obj("incident"), INCIDENT_READ),
    "incidents:incident_update": Row(obj("incident"), INCIDENT_WRITE),
    "incidents:incident_transition": Row(obj("incident", name="verify"), INCIDENT_ACTION, method="POST"),
    "incidents:incident_escalate": Row(obj("incident"), INCIDENT_ACTION, method="POST"),
    "incidents:follow_up_create": Row(obj("incident"), INCIDENT_WRITE),
    "incidents:conflict_status_create": Row(obj("incident"), INCIDENT_WRITE),
    "incidents:attachment_upload": Row(obj("incident"), INCIDENT_WRITE),
    "incidents:attachment_download": Row(objs(pk="incident", attachment_pk="attachment"), INCIDENT_READ),
    "incidents:attachment_delete": Row(objs(pk="incident", attachment_pk="attachment"),
                                       {**INCIDENT_ACTION, "staf_kabkota": FORBIDDEN, "anggota_tim": FORBIDDEN},
                                       "deleting needs the delete permission (province)", method="POST"),
    # --- reports from the public (issue 16): the public form and tracking page need no login ---
    "service_worker": Row(None, PUBLIC, "the report forms' service worker (scope /)"),
    "lapor:form": Row(None, PUBLIC, "the public report form"),
    "lapor:lookup": Row(None, PUBLIC),
    "lapor:status": Row(lambda w, r: {"code": w.objects[r]["public_report"].tracking_display}, PUBLIC,
                        "the tracking code is the key; the public status only"),
    "lapor:privacy": Row(None, PUBLIC, "the personal-data notice"),
    "lapor:regions": Row(None, PUBLIC, "JSON of the province's regions (public reference data)"),
    "lapor:manifest": Row(None, PUBLIC, "web manifest"),
    "incidents:quick_entry_manifest": Row(None, PUBLIC, "web manifest (fetched without cookies)"),
    "incidents:public_report_list": Row(None, TRIAGE_LIST, "the triage queue"),
    "incidents:public_report_detail": Row(obj("public_report"), TRIAGE_OBJECT, "with the reporter's contact"),
    "incidents:public_report_photo": Row(objs(pk="public_report", photo_pk="public_report_photo"), TRIAGE_OBJECT),
    # --- meetings (an Anggota Tim sees the meetings it is invited to: not these) ---
    "meetings:meeting_list": Row(None, READ_LIST),
    "meetings:meeting_calendar": Row(None, READ_LIST),
    "meetings:meeting_create": Row(None, WRITE_NEW),
    "meetings:meeting_detail": Row(obj("meeting"), MEETING_READ),
    "meetings:meeting_update": Row(obj("meeting"), WRITE_OBJECT),
    "meetings:meeting_cancel": Row(obj("meeting"), WRITE_OBJECT),
    "meetings:meeting_status": Row(obj("meeting"), MEETING_ACTION, method="POST"),
    "meetings:agenda_add": Row(obj("meeting"), WRITE_OBJECT),
    "meetings:agenda_delete": Row(objs(pk="meeting", item="agenda_item"), MEETING_ACTION, method="POST"),
    "meetings:meeting_invite": Row(obj("meeting"), WRITE_OBJECT),
    "meetings:invitation_remove": Row(objs(pk="meeting", invitation="invitation"), MEETING_ACTION, method="POST"),
    "meetings:meeting_checkin": Row(obj("meeting"), WRITE_OBJECT),
    "meetings:meeting_minutes": Row(obj("meeting"), WRITE_OBJECT),
    "meetings:minutes_approve": Row(obj("meeting"), {**MEETING_ACTION, "administrator": FORBIDDEN,
                                                      "staf_provinsi": FORBIDDEN,
                                                      "staf_kabkota": (FORBIDDEN, NOT_FOUND), "anggota_tim": NOT_FOUND},
                                    "only the team's chair approves the minutes", method="POST"),
    "meetings:document_add": Row(obj("meeting"), WRITE_OBJECT),
    "meetings:document_download": Row(obj("document"), MEETING_READ),
    "meetings:meeting_ics": Row(obj("meeting"), MEETING_READ),
    "meetings:invitation_letter_pdf": Row(obj("meeting"), MEETING_READ),
    "meetings:attendance_sheet_pdf": Row(obj("meeting"), MEETING_READ),
    "meetings:meeting_report_pdf": Row(obj("meeting"), MEETING_READ),
    "meetings:rsvp": Row(lambda w, r: {"token": __import__("meetings.rsvp", fromlist=["x"]).token_for(
        w.objects[r]["invitation"])}, PUBLIC, "the signed link in the invitation email is the key"),
    "meetings:action_items_mine": Row(None, READ_LIST),
    "meetings:action_items_overdue": Row(None, READ_LIST),
    "meetings:action_item_detail": Row(obj("action_item"), MEETING_READ),
    "meetings:evidence_download": Row(obj("action_evidence"), MEETING_READ),
    # --- reports (kesbang.office.reports, kesbang.office.weekly): staff and leaders read, the province acts ---
    "reports:report_list": Row(None, REPORT_READ_LIST),
    "reports:report_request": Row(None, {**REPORT_READ_LIST, "pimpinan": FORBIDDEN, "staf_kabkota": FORBIDDEN},
                                  "reports are requested by the province"),
    "reports:report_detail": Row(obj("report"), REPORT_READ),
    "reports:report_status": Row(obj("report"), REPORT_READ, "JSON the progress page polls"),
    "reports:report_download": Row(obj("report", fmt="pdf"), REPORT_READ),
    "reports:report_narrative": Row(obj("report"), REPORT_ACTION, "the narrative is written by the province",
                                    method="POST"),
    "reports:report_finalise": Row(obj("report"), REPORT_ACTION, method="POST"),
    "reports:report_regenerate": Row(obj("report"), REPORT_ACTION, method="POST"),
    "reports:report_send": Row(obj("report"), REPORT_ACTION, method="POST"),
    "reports:weekly_preview": Row(None, ADMINISTRATOR_ONLY),
    "reports:weekly_preview_html": Row(None, ADMINISTRATOR_ONLY),
    "reports:weekly_send": Row(None, {**ADMINISTRATOR_ONLY, "administrator": REDIRECT}, method="POST"),
    # --- the national submission package (kesbang.integrations): province-wide, not the Administrator ---
    "integrations:package_list": Row(None, PACKAGE_READ, "Staf Provinsi also sees the request form"),
    "integrations:package_request": Row(None, {**PACKAGE_READ, "pimpinan": FORBIDDEN},
                                        "Staf Provinsi requests; the package holds incidents for Kemendagri"),
    "integrations:package_detail": Row(obj("package"), PACKAGE_READ),
    "integrations:package_status": Row(obj("package"), PACKAGE_READ, "JSON the progress page polls"),
    "integrations:package_download": Row(obj("package"), PACKAGE_READ, "the zip, with its SHA-256"),
    # --- the REST API (kesbang.api), here through the browser session (tests/api/ cover tokens and scopes) ---
    "api_tokens": Row(None, ACCOUNT, "one's own API tokens: make, see last use, revoke"),
    "api_token_revoke": Row(obj("api_token"), {**dict.fromkeys(ACTORS, NOT_FOUND), "anonim": LOGIN,
                                               "staf_kabkota": (REDIRECT, NOT_FOUND),
                                               "anggota_tim": (NOT_FOUND, REDIRECT)},
                            "only one's own token (Bangka: the Staf Kab/Kota's, Belitung: the Anggota Tim's)",
                            method="POST"),
    "api:schema": Row(None, {**dict.fromkeys(ACTORS, OK), "anonim": UNAUTHORIZED}, "the OpenAPI document"),
    "api:docs": Row(None, ACCOUNT, "Swagger UI from our static files"),
    **{f"api:{name}-list": Row(None, api(READ_LIST), "JSON, only permitted rows") for name in (
        "region", "institution", "team", "person", "action-plan", "incident", "meeting", "action-item")},
    "api:report-list": Row(None, api(REPORT_READ_LIST)),
    "api:region-detail": Row(lambda w, r: {"pk": w.objects[r]["incident"].region_id}, api(READ_LIST),
                             "reference data"),
    "api:institution-detail": Row(lambda w, r: {"pk": w.objects[r]["person"].institution_id}, api(READ_LIST),
                                  "reference data"),
    "api:team-detail": Row(obj("team"), api(READ_OBJECT)),
    "api:person-detail": Row(obj("person"), api(READ_OBJECT)),
    "api:action-plan-detail": Row(obj("plan"), api(READ_OBJECT)),
    "api:incident-detail": Row(obj("incident"), api(INCIDENT_READ)),
    "api:incident-attachment-file": Row(objs(pk="incident", attachment_pk="attachment"), api(INCIDENT_READ)),
    "api:incident-follow-ups": Row(obj("incident"), API_INCIDENT_WRITE, API_WRITE_NOTE, method="POST"),
    "api:incident-transitions": Row(obj("incident"), API_INCIDENT_WRITE, API_WRITE_NOTE, method="POST"),
    "api:meeting-detail": Row(obj("meeting"), api(MEETING_READ)),
    "api:action-item-detail": Row(obj("action_item"), api(MEETING_READ)),
    "api:action-item-progress": Row(obj("action_item"), API_INCIDENT_WRITE, "the item's owner or a manager of its "
                                    "meeting; " + API_WRITE_NOTE, method="POST"),
    "api:report-detail": Row(obj("report"), api(REPORT_READ)),
    "api:national-package-list": Row(None, api(PACKAGE_READ), "the province's packages: Staf Provinsi, Pimpinan"),
    "api:national-package-detail": Row(obj("package"), api(PACKAGE_READ)),
    "api:national-package-document": Row(obj("package"), api(PACKAGE_READ), "the package's JSON member"),
    "api:report-file": Row(obj("report", fmt="pdf"), api(REPORT_READ)),
    # --- the Django admin (every admin URL; objects: the first row of the model) ---
    "admin:*": Row(None, ADMIN, "every other admin page (403 for an add/delete page its model admin refuses: "
                                "a read-only record); arguments from the admin registry"),
    "admin:login": Row(None, {**dict.fromkeys(ACTORS, OK), "administrator": REDIRECT},
                       "a login without staff rights is told so"),
    "admin:logout": Row(None, {**dict.fromkeys(ACTORS, REDIRECT), "anonim": LOGIN, "administrator": NOT_ALLOWED},
                        "POST only"),
    "admin:autocomplete": Row(None, {**ADMIN, "administrator": FORBIDDEN}, "needs a field to complete"),
    "admin:view_on_site": Row(None, {**ADMIN, "administrator": REDIRECT}, "goes to the object's page"),
    # Records the application writes; nobody adds or deletes them by hand.
    **{f"admin:{name}": Row(None, {**ADMIN, "administrator": FORBIDDEN}, "read-only record")
       for name in ("axes_accessattempt_add", "axes_accessfailurelog_add", "axes_accesslog_add",
                    "kesbang_auditevent_add", "kesbang_auditevent_delete", "teams_evidence_add",
                    "teams_planreminderlog_add", "incidents_attachment_add", "incidents_incident_add",
                    "incidents_incidenttransition_add", "incidents_incidenttransition_delete",
                    "incidents_referencecounter_add", "incidents_referencecounter_delete",
                    "office_report_add", "meetings_meetingdelivery_add",
                    "incidents_incidentalert_add", "incidents_verificationdigest_add",
                    "incidents_conflictstatusreminder_add", "axes_accessfailurelog_delete",
                    "axes_accesslog_delete")},
    # The beat schedule is code (settings): the Administrator reads it, never adds, edits or deletes.
    **{f"admin:django_celery_beat_{model}_{page}": Row(None, {**ADMIN, "administrator": FORBIDDEN},
                                                       "the schedule is in settings: read-only")
       for model in ("clockedschedule", "crontabschedule", "intervalschedule", "periodictask", "solarschedule")
       for page in ("add", "delete")},
    "admin:teams_membership_delete": Row(None, {**ADMIN, "administrator": FORBIDDEN},
                                         "a membership is ended, never deleted"),
    # The first user and device are the Administrator's own: only a superuser deletes or resets them
    # (as any superuser's, staff's or higher role's account: kesbang.accounts.grants.may_manage).
    "admin:auth_user_delete": Row(None, {**ADMIN, "administrator": FORBIDDEN},
                                  "own, superuser, staff or higher-role account: superuser only"),
    "admin:auth_user_enrolment_code": Row(None, {**ADMIN, "administrator": FORBIDDEN},
                                          "POST only: an enrolment code for an account the login may manage "
                                          "(its own: superuser only)", method="POST"),
    "admin:integrations_webhookendpoint_rotate": Row(None, ADMIN, "POST only: a new secret, shown once",
                                                     method="POST"),
    "admin:otp_totp_totpdevice_delete": Row(None, {**ADMIN, "administrator": FORBIDDEN},
                                            "device of such an account: superuser only"),
    # OTP_ADMIN_HIDE_SENSITIVE_DATA: a device's key and QR code are shown to nobody, superusers included.
    **{f"admin:otp_totp_totpdevice_{page}": Row(None, {**ADMIN, "administrator": FORBIDDEN},
                                                 "the key is shown to nobody")
       for page in ("config", "qrcode")},
}


def lookup(name: str) -> Row | None:
    """The row for a URL name: its own, else the longest ``prefix*`` row that matches."""
    if name in TABLE:
        return TABLE[name]
    wild = [k for k in TABLE if k.endswith("*") and name.startswith(k[:-1])]
    return TABLE[max(wild, key=len)] if wild else None


# --- README ----------------------------------------------------------------------------------------

README_BEGIN = (
    "<!-- permission-table:begin (generated by `make permissions-table` from tests/security/permissions.py) -->"
)
README_END = "<!-- permission-table:end -->"


def _cell(row: Row, actor: str) -> str:
    cell = row.expect[actor]
    if isinstance(cell, tuple):
        return cell[0] if cell[0] == cell[1] else f"{cell[0]} / {cell[1]}"
    return cell


def markdown(urls: dict[str, str] | None = None) -> str:
    """The README table. ``urls`` maps a URL name to its route for the address column."""
    urls = urls or {}
    head = ["URL name", "address", *[ACTORS[a][0] for a in ACTORS], "note"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, row in TABLE.items():
        address = f"`/{urls[name]}`" if name in urls else ""
        if row.method != "GET":
            address = f"{row.method} {address}"
        cells = [f"`{name}`", address, *[_cell(row, a) for a in ACTORS],
                 row.note]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def readme_block(urls: dict[str, str] | None = None) -> str:
    return f"{README_BEGIN}\n{markdown(urls)}\n{README_END}"


def url_routes() -> dict[str, str]:
    """Every named URL of the resolver with its route (``namespace:name`` → ``tim/<int:pk>/``)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found: dict[str, str] = {}

    def walk(patterns, ns, route):
        for p in patterns:
            if isinstance(p, URLResolver):
                sub = p.namespace
                walk(p.url_patterns, f"{ns}:{sub}" if ns and sub else (sub or ns), route + str(p.pattern))
            elif isinstance(p, URLPattern) and p.name:
                found.setdefault(f"{ns}:{p.name}" if ns else p.name, route + str(p.pattern))

    walk(get_resolver().url_patterns, "", "")
    return found


def write_readme(path) -> bool:
    """Replace the block between the markers in ``path``; True when it changed."""
    text = path.read_text(encoding="utf-8")
    start, end = text.index(README_BEGIN), text.index(README_END) + len(README_END)
    new = text[:start] + readme_block(url_routes()) + text[end:]
    if new != text:
        path.write_text(new, encoding="utf-8")
        return True
    return False


if __name__ == "__main__":  # python -m tests.security.permissions [--write-readme]
    import os
    import sys
    from pathlib import Path

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesbang.settings_test")
    django.setup()
    from tests.security import world  # noqa: F401 - registers the builders

    if "--write-readme" in sys.argv:
        readme = Path(__file__).resolve().parents[2] / "README.md"
        print("README.md updated" if write_readme(readme) else "README.md already up to date")
    else:
        print(markdown(url_routes()))
