"""Every channel × class × role shows each incident exactly as ``incidents.classification`` says.

One world (tests/security/channels_world.py): per class a conflict incident escalated from a potential,
each carrying a unique marker in its title and chronology, plus a rahasia report downgraded to biasa.
Every page of the resolver is in ``CHANNELS`` (how to request it, or why it cannot show an incident)
and every email template in ``EMAIL_CHANNELS``; a new URL or template fails the registry tests until
it is classified here. Webhook bodies (one endpoint per declared clearance, every event the world's
services raise) are checked against the policy's webhook audiences. The expectation is computed from
the policy module: a marker must be in a response exactly when the policy gives its audience
``Disclosure.FULL`` of that incident (readers: ``restrict()``; emails: ``mail_disclosure_for_address``;
reports, weekly summary, meeting pages: ``classification.disclosure`` for their ``Audience``), and a
reference number must never show where the policy says ``count`` or ``none``.

Adding a page: add a ``Channel`` to ``CHANNELS`` under its URL name (``covers`` = the incidents it is
about, ``must``: a reader must find the marker), or a reason string when it cannot show an incident.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import Client
from django.urls import reverse

from incidents import classification
from incidents.classification import CLASSES, Audience, Disclosure
from tests.security.channels_world import MARKERS, ROLES, build_channel_world, incident_class

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates" / "emails"
pytestmark = pytest.mark.django_db  # also tells pytest-django to set the test database up for the module

INCIDENTS = list(CLASSES) + [f"potensi-{c}" for c in CLASSES] + ["turun"]
ALL_CURRENT = [k for k in INCIDENTS if k != "turun"]  # the markers a list of current values can show


# --- how a channel is read ---------------------------------------------------------------------------

@dataclass
class Channel:
    """One way to request a page. ``path(world)`` gives the URL; ``rule`` how its audience is decided:
    "reader" (restrict), "meeting" (a meeting page: readers see all, others MEETING_NON_READER), an
    ``Audience`` (the same content for whoever may open it), or "history" (current values to readers,
    earlier ones through ``history_redactor``). ``covers``: the incidents it is about; ``must``: those a
    reader must find (the rest: may show, but only when allowed)."""

    path: object
    rule: object = "reader"
    covers: tuple = tuple(ALL_CURRENT)
    must: tuple = ()
    roles: tuple = tuple(ROLES)
    admin: bool = False


def url(name, **kwargs):
    return lambda w, name=name, kwargs=kwargs: reverse(name, kwargs={k: (v(w) if callable(v) else v)
                                                                     for k, v in kwargs.items()})


def pk(key):
    return lambda w: w.incidents[key].pk


def meeting_pk(w):
    return w.meeting.pk


def with_query(path, query):
    return lambda w: path(w) + "?" + (query(w) if callable(query) else query)


def incident_page(name, *, must=True):
    def make(key):
        # the page may name other incidents the reader may read (escalation link, possible duplicates)
        return Channel(url(name, pk=pk(key)), must=(key,) if must else ())
    return make


NO_INCIDENT_ACCOUNT = "account page: shows no incident"
POST_ONLY = "POST action: redirects, renders no incident"
NO_TEAM_INCIDENT = "team register page: teams, people and plans, no incident"
FILE = "serves an uploaded file as stored (its content is the uploader's), no incident data is rendered"

CHANNELS: dict[str, str | dict[str, Channel]] = {
    # --- office ---
    "dashboard": {"dashboard": Channel(lambda w: reverse("dashboard"))},
    "healthz": "JSON for monitors: status of services only",
    "set_language": "sets the language cookie and redirects",
    "login": NO_INCIDENT_ACCOUNT, "logout": NO_INCIDENT_ACCOUNT, "otp_status": NO_INCIDENT_ACCOUNT,
    "otp_reauth": NO_INCIDENT_ACCOUNT,
    "otp_setup": NO_INCIDENT_ACCOUNT, "otp_verify": NO_INCIDENT_ACCOUNT, "password_change": NO_INCIDENT_ACCOUNT,
    "password_change_done": NO_INCIDENT_ACCOUNT, "password_reset": NO_INCIDENT_ACCOUNT,
    "password_reset_done": NO_INCIDENT_ACCOUNT, "password_reset_confirm": NO_INCIDENT_ACCOUNT,
    "password_reset_complete": NO_INCIDENT_ACCOUNT,
    # --- teams: the team and person pages are read too (a team handles incidents) ---
    "teams:team_detail": {"team_detail": Channel(url("teams:team_detail", pk=lambda w: w.team.pk))},
    "teams:person_detail": {"person_detail": Channel(url("teams:person_detail",
                                                         pk=lambda w: w.users["anggota_tim"].person.pk))},
    **{f"teams:{n}": NO_TEAM_INCIDENT for n in (
        "team_list", "team_create", "team_update", "team_history", "team_end", "membership_add", "membership_end",
        "membership_replace", "person_list", "person_create", "person_update", "membership_list",
        "membership_export", "team_members_import_template", "team_members_import",
        "team_members_import_preview", "team_members_pdf", "plan_list", "plan_create", "plan_detail",
        "plan_update", "plan_history", "plan_export", "activity_create", "activity_update", "realisation_update")},
    "teams:activity_delete": POST_ONLY, "teams:evidence_delete": POST_ONLY, "teams:evidence_download": FILE,
    # --- incidents ---
    "incidents:incident_list": {
        "incident_list": Channel(lambda w: reverse("incidents:incident_list"), must=tuple(ALL_CURRENT)),
        "incident_list_search": Channel(with_query(url("incidents:incident_list"), "q=PENANDA"),
                                        must=tuple(ALL_CURRENT)),
    },
    "incidents:incident_map": {"incident_map": Channel(url("incidents:incident_map"))},
    "incidents:incident_map_data": {"incident_map_data": Channel(url("incidents:incident_map_data"))},
    "incidents:incident_export": {
        "incident_export_csv": Channel(url("incidents:incident_export", fmt="csv"), must=tuple(ALL_CURRENT)),
        "incident_export_xlsx": Channel(url("incidents:incident_export", fmt="xlsx"), must=tuple(ALL_CURRENT)),
    },
    "incidents:incident_create": "blank report form (its duplicate notice is incidents:duplicate_check)",
    "incidents:region_children": "JSON of kecamatan/desa names for the form",
    "incidents:team_handlers": "JSON of the people of a team for the form",
    "incidents:duplicate_check": {"duplicate_check": Channel(
        lambda w: reverse("incidents:duplicate_check") + f"?desa={w.desa.pk}&tanggal="
        f"{w.incidents['biasa'].occurred_on.isoformat()}", must=tuple(CLASSES))},
    "incidents:incident_detail": {
        f"incident_detail[{k}]": incident_page("incidents:incident_detail")(k) for k in CLASSES},
    "incidents:incident_history": {
        **{f"incident_history[{k}]": Channel(url("incidents:incident_history", pk=pk(k)), covers=(k,), must=(k,))
           for k in CLASSES},
        "incident_history[turun]": Channel(url("incidents:incident_history", pk=pk("turun")), rule="history",
                                           covers=("turun",), must=("turun",)),
    },
    "incidents:incident_update": {
        f"incident_update[{k}]": Channel(url("incidents:incident_update", pk=pk(k)), covers=(k, f"potensi-{k}"))
        for k in CLASSES},
    "incidents:follow_up_create": {
        f"follow_up_create[{k}]": incident_page("incidents:follow_up_create", must=False)(k) for k in CLASSES},
    "incidents:conflict_status_create": {
        f"conflict_status_create[{k}]": incident_page("incidents:conflict_status_create", must=False)(k)
        for k in CLASSES},
    "incidents:attachment_upload": {
        f"attachment_upload[{k}]": incident_page("incidents:attachment_upload", must=False)(k) for k in CLASSES},
    "incidents:attachment_download": FILE,
    "incidents:incident_transition": POST_ONLY, "incidents:incident_escalate": POST_ONLY,
    "incidents:attachment_delete": POST_ONLY,
    # --- reports from the public (issue 16): the public pages show no incident at all (Audience.PUBLIC:
    # none of any class), even the status of a report merged into a rahasia incident; the triage pages
    # name only the incidents their reader may read (possible duplicates, the incident a report became) ---
    "service_worker": "JavaScript of the service worker: URLs of the form pages and static files",
    "lapor:form": {"public_report_form": Channel(url("lapor:form"), rule=Audience.PUBLIC)},
    "lapor:lookup": {"public_report_lookup": Channel(url("lapor:lookup"), rule=Audience.PUBLIC)},
    "lapor:privacy": {"public_privacy": Channel(url("lapor:privacy"), rule=Audience.PUBLIC)},
    "lapor:status": {
        **{f"public_report_status[{k}]": Channel(
            url("lapor:status", code=lambda w, k=k: w.extra["public_merged"][k].tracking_display),
            rule=Audience.PUBLIC) for k in CLASSES},
        "public_report_status[baru]": Channel(
            url("lapor:status", code=lambda w: w.extra["public_waiting"].tracking_display), rule=Audience.PUBLIC)},
    "lapor:regions": "JSON of region names and codes (public reference data)",
    "lapor:manifest": "web manifest: the app's name and icons",
    "incidents:quick_entry_manifest": "web manifest: the app's name and icons",
    "incidents:public_report_list": {"public_report_list": Channel(url("incidents:public_report_list"))},
    "incidents:public_report_detail": {
        "public_report_detail[baru]": Channel(url("incidents:public_report_detail",
                                                  pk=lambda w: w.extra["public_waiting"].pk)),
        **{f"public_report_detail[{k}]": Channel(url("incidents:public_report_detail",
                                                     pk=lambda w, k=k: w.extra["public_merged"][k].pk))
           for k in CLASSES}},
    "incidents:public_report_photo": FILE,
    # --- meetings: the Bangka meeting linked to the three incidents ---
    "meetings:meeting_list": {"meeting_list": Channel(url("meetings:meeting_list"), rule="meeting")},
    "meetings:meeting_calendar": {"meeting_calendar": Channel(url("meetings:meeting_calendar"), rule="meeting")},
    "meetings:meeting_create": {"meeting_create": Channel(url("meetings:meeting_create"))},
    "meetings:meeting_detail": {
        f"meeting_detail[{tab}]": Channel(with_query(url("meetings:meeting_detail", pk=meeting_pk), f"tab={tab}"),
                                          rule="meeting", covers=tuple(CLASSES),
                                          must=tuple(CLASSES) if tab == "acara" else ())
        for tab in ("acara", "undangan", "kehadiran", "notulen", "tindak-lanjut", "dokumen", "riwayat")},
    "meetings:meeting_update": {"meeting_update": Channel(url("meetings:meeting_update", pk=meeting_pk),
                                                          must=tuple(CLASSES))},
    "meetings:meeting_cancel": {"meeting_cancel": Channel(url("meetings:meeting_cancel", pk=meeting_pk),
                                                          rule="meeting", covers=tuple(CLASSES))},
    "meetings:agenda_add": {"agenda_add": Channel(url("meetings:agenda_add", pk=meeting_pk), rule="meeting",
                                                  covers=tuple(CLASSES))},
    "meetings:meeting_invite": {"meeting_invite": Channel(url("meetings:meeting_invite", pk=meeting_pk),
                                                          rule="meeting", covers=tuple(CLASSES))},
    "meetings:meeting_checkin": {"meeting_checkin": Channel(url("meetings:meeting_checkin", pk=meeting_pk),
                                                            rule="meeting", covers=tuple(CLASSES))},
    "meetings:meeting_minutes": {"meeting_minutes": Channel(url("meetings:meeting_minutes", pk=meeting_pk),
                                                            rule="meeting", covers=tuple(CLASSES))},
    "meetings:document_add": {"document_add": Channel(url("meetings:document_add", pk=meeting_pk), rule="meeting",
                                                      covers=tuple(CLASSES))},
    "meetings:meeting_ics": {"meeting_ics": Channel(url("meetings:meeting_ics", pk=meeting_pk), rule="meeting",
                                                    covers=tuple(CLASSES))},
    "meetings:invitation_letter_pdf": {"invitation_letter_pdf": Channel(
        url("meetings:invitation_letter_pdf", pk=meeting_pk), rule="meeting", covers=tuple(CLASSES))},
    "meetings:attendance_sheet_pdf": {"attendance_sheet_pdf": Channel(
        url("meetings:attendance_sheet_pdf", pk=meeting_pk), rule="meeting", covers=tuple(CLASSES))},
    "meetings:meeting_report_pdf": {"meeting_report_pdf": Channel(
        url("meetings:meeting_report_pdf", pk=meeting_pk), rule="meeting", covers=tuple(CLASSES))},
    "meetings:rsvp": {"rsvp": Channel(lambda w: reverse("meetings:rsvp", kwargs={
        "token": __import__("meetings.rsvp", fromlist=["x"]).token_for(w.extra["ketua_invitation"])}),
        rule=Audience.PUBLIC, covers=tuple(CLASSES))},
    "meetings:action_items_mine": {"action_items_mine": Channel(url("meetings:action_items_mine"), rule="meeting",
                                                                covers=tuple(CLASSES))},
    "meetings:action_items_overdue": {"action_items_overdue": Channel(url("meetings:action_items_overdue"),
                                                                      rule="meeting", covers=tuple(CLASSES))},
    "meetings:action_item_detail": {"action_item_detail": Channel(
        url("meetings:action_item_detail", pk=lambda w: w.meeting.action_items.get().pk), rule="meeting",
        covers=tuple(CLASSES))},
    "meetings:document_download": FILE, "meetings:evidence_download": FILE,
    "meetings:meeting_status": POST_ONLY, "meetings:agenda_delete": POST_ONLY,
    "meetings:invitation_remove": POST_ONLY, "meetings:minutes_approve": POST_ONLY,
    # --- reports: one province and one Bangka report of the incidents' month ---
    "reports:report_list": {"report_list": Channel(url("reports:report_list"), rule=Audience.PROVINCE_REPORT)},
    "reports:report_request": "blank request form",
    **{f"reports:{n}": {f"{n}[{scope}]": Channel(
        url(f"reports:{n}", pk=lambda w, scope=scope: w.reports[scope].pk),
        rule=Audience.PROVINCE_REPORT if scope == "provinsi" else Audience.REGENCY_REPORT)
        for scope in ("provinsi", "bangka")} for n in ("report_detail", "report_status")},
    "reports:report_download": {f"report_download[{scope}.{f}]": Channel(
        url("reports:report_download", pk=lambda w, scope=scope: w.reports[scope].pk, fmt=f),
        rule=Audience.PROVINCE_REPORT if scope == "provinsi" else Audience.REGENCY_REPORT)
        for scope in ("provinsi", "bangka") for f in ("pdf", "xlsx")},
    # --- the REST API (kesbang.api): the same rows as the pages, as JSON (here through the session) ---
    "api_tokens": NO_INCIDENT_ACCOUNT, "api_token_revoke": POST_ONLY,
    "api:schema": "the OpenAPI document: describes the API, holds no data", "api:docs": "the documentation page",
    "api:incident-list": {
        "api_incident_list": Channel(url("api:incident-list"), must=tuple(ALL_CURRENT)),
        "api_incident_list_search": Channel(with_query(url("api:incident-list"), "q=PENANDA"), must=tuple(ALL_CURRENT)),
    },
    "api:incident-detail": {f"api_incident_detail[{k}]": incident_page("api:incident-detail")(k) for k in CLASSES},
    "api:incident-attachment-file": FILE,
    "api:incident-follow-ups": POST_ONLY, "api:incident-transitions": POST_ONLY, "api:action-item-progress": POST_ONLY,
    "api:meeting-list": {"api_meeting_list": Channel(url("api:meeting-list"), rule="meeting")},
    "api:meeting-detail": {"api_meeting_detail": Channel(url("api:meeting-detail", pk=meeting_pk), rule="meeting",
                                                         covers=tuple(CLASSES), must=tuple(CLASSES))},
    "api:action-item-list": {"api_action_item_list": Channel(url("api:action-item-list"), rule="meeting",
                                                             covers=tuple(CLASSES))},
    "api:action-item-detail": {"api_action_item_detail": Channel(
        url("api:action-item-detail", pk=lambda w: w.meeting.action_items.get().pk), rule="meeting",
        covers=tuple(CLASSES))},
    "api:team-list": {"api_team_list": Channel(url("api:team-list"))},
    "api:team-detail": {"api_team_detail": Channel(url("api:team-detail", pk=lambda w: w.team.pk))},
    "api:person-list": {"api_person_list": Channel(url("api:person-list"))},
    "api:person-detail": {"api_person_detail": Channel(url("api:person-detail",
                                                           pk=lambda w: w.users["anggota_tim"].person.pk))},
    **{f"api:{n}": "reference data or action plans: no incident" for n in (
        "region-list", "region-detail", "institution-list", "institution-detail", "action-plan-list",
        "action-plan-detail")},
    "api:report-list": {"api_report_list": Channel(url("api:report-list"), rule=Audience.PROVINCE_REPORT)},
    "api:report-detail": {f"api_report_detail[{scope}]": Channel(
        url("api:report-detail", pk=lambda w, scope=scope: w.reports[scope].pk),
        rule=Audience.PROVINCE_REPORT if scope == "provinsi" else Audience.REGENCY_REPORT)
        for scope in ("provinsi", "bangka")},
    "api:report-file": {f"api_report_file[{scope}.{f}]": Channel(
        url("api:report-file", pk=lambda w, scope=scope: w.reports[scope].pk, fmt=f),
        rule=Audience.PROVINCE_REPORT if scope == "provinsi" else Audience.REGENCY_REPORT)
        for scope in ("provinsi", "bangka") for f in ("pdf", "xlsx")},
    **{f"api:{n}": "national package metadata (period, version, checksum): no incident" for n in (
        "national-package-list", "national-package-detail")},
    "api:national-package-document": {"api_package_document": Channel(
        url("api:national-package-document", pk=lambda w: w.package.pk), rule=Audience.EXTERNAL,
        must=("biasa", "potensi-biasa"))},
    "reports:report_narrative": POST_ONLY, "reports:report_finalise": POST_ONLY,
    "reports:report_regenerate": POST_ONLY, "reports:report_send": POST_ONLY, "reports:weekly_send": POST_ONLY,
    # --- the national package (kesbang.integrations): the incidents' month, for Kemendagri ---
    "integrations:package_list": {"package_list": Channel(url("integrations:package_list"), rule=Audience.EXTERNAL)},
    "integrations:package_request": "blank request form",
    **{f"integrations:{n}": {n: Channel(url(f"integrations:{n}", pk=lambda w: w.package.pk), rule=Audience.EXTERNAL)}
       for n in ("package_detail", "package_status")},
    "integrations:package_download": {"package_download": Channel(
        url("integrations:package_download", pk=lambda w: w.package.pk), rule=Audience.EXTERNAL,
        must=("biasa", "potensi-biasa"))},
    "reports:weekly_preview": {"weekly_preview": Channel(
        lambda w: reverse("reports:weekly_preview") + f"?minggu={w.week_code}", rule=Audience.WEEKLY_SUMMARY,
        covers=tuple(CLASSES), must=("biasa",))},
    "reports:weekly_preview_html": {"weekly_preview_html": Channel(
        lambda w: reverse("reports:weekly_preview_html") + f"?minggu={w.week_code}", rule=Audience.WEEKLY_SUMMARY,
        covers=tuple(CLASSES), must=("biasa",))},
}


# --- the admin site: per registered model, the incident-bearing ones are read ---------------------------

ADMIN_NO_INCIDENT = {
    "auth_group": "roles", "auth_user": "logins", "django_celery_beat_periodictask": "beat schedule",
    "django_celery_beat_clockedschedule": "beat schedule", "django_celery_beat_crontabschedule": "beat schedule",
    "django_celery_beat_solarschedule": "beat schedule", "django_celery_beat_intervalschedule": "beat schedule",
    "axes_accessattempt": "login attempts", "axes_accesslog": "login log", "axes_accessfailurelog": "login log",
    "otp_totp_totpdevice": "authenticators", "otp_static_staticdevice": "recovery codes",
    "teams_region": "regions", "teams_institution": "institutions", "teams_person": "people",
    "teams_team": "teams", "teams_membership": "memberships", "teams_actionplan": "action plans",
    "teams_activity": "activities", "teams_reportingdeadline": "deadlines",
    "teams_planreminderlog": "plan reminder records", "teams_evidence": "plan evidence files",
    "incidents_category": "SNPK taxonomy", "incidents_referencecounter": "reference number counters",
    "incidents_verificationdigest": "digest delivery rows: day, address and count only",
    "meetings_invitation": "invitees", "meetings_attendance": "attendance", "meetings_minutes": "minutes text",
    "meetings_resolution": "resolutions", "meetings_agendaitem": "agenda items",
    "meetings_actionitem": "action items", "meetings_actionitemnote": "progress notes",
    "meetings_actionitemevidence": "evidence files", "meetings_meetingdocument": "meeting documents",
    "meetings_meetingdelivery": "meeting email delivery rows", "kesbang_auditevent": "audit log",
    "office_recipient": "summary recipients", "office_nonworkingday": "holidays",
    "integrations_webhookendpoint": "webhook endpoints: addresses, events, clearance",
    "api_accesstoken": "API tokens: name, prefix, last use",
}
ADMIN_OTHER = {
    "admin:index": "lists the models", "admin:login": NO_INCIDENT_ACCOUNT, "admin:logout": NO_INCIDENT_ACCOUNT,
    "admin:password_change": NO_INCIDENT_ACCOUNT, "admin:password_change_done": NO_INCIDENT_ACCOUNT,
    "admin:jsi18n": "JavaScript catalogue", "admin:view_on_site": "redirects to the object's own page",
    "admin:app_list": "lists the models of one app",
}


def _admin_obj(model_key):
    """A kwargs factory for an admin object page: the row of ``model_key`` for planted incident ``key``."""
    def rows(w, key):
        from incidents import models as m

        incident = w.incidents[key]
        return {
            "incidents_incident": lambda: incident,
            "incidents_conflictstatus": lambda: m.ConflictStatus.objects.filter(incident=incident).first(),
            "incidents_followup": lambda: m.FollowUp.objects.filter(incident=incident).first(),
            "incidents_attachment": lambda: m.Attachment.objects.filter(incident=incident).first(),
            "incidents_incidenttransition": lambda: m.IncidentTransition.objects.filter(incident=incident).first(),
            "incidents_incidentalert": lambda: m.IncidentAlert.objects.filter(incident=incident).first(),
            "incidents_conflictstatusreminder": lambda: m.ConflictStatusReminder.objects.filter(
                conflict_status__incident=incident).first(),
        }[model_key]()
    return rows


ADMIN_INCIDENT_MODELS = ("incidents_incident", "incidents_conflictstatus", "incidents_followup",
                         "incidents_attachment", "incidents_incidenttransition", "incidents_incidentalert",
                         "incidents_conflictstatusreminder")


def _admin_channels() -> dict:
    out: dict = dict(ADMIN_OTHER)
    out["admin:autocomplete"] = {"admin_autocomplete": Channel(
        lambda w: reverse("admin:autocomplete") + "?app_label=meetings&model_name=meeting"
        "&field_name=linked_incidents&term=PENANDA", roles=("administrator",), admin=True)}
    for model_key in ADMIN_INCIDENT_MODELS:
        app, model = model_key.split("_", 1)
        base = f"admin:{model_key}"
        out[f"{base}_add"] = "blank add form (refused for records the application writes)"
        out[f"{base}_changelist"] = {
            f"admin_{model}_changelist": Channel(url(f"{base}_changelist"), roles=("administrator",), admin=True,
                                                 must=("biasa",) if model == "incident" else ()),
            f"admin_{model}_search": Channel(with_query(url(f"{base}_changelist"), "q=PENANDA"),
                                             roles=("administrator",), admin=True)}
        rows = _admin_obj(model_key)
        for suffix in ("change", "history", "delete"):
            out[f"{base}_{suffix}"] = {
                f"admin_{model}_{suffix}[{k}]": Channel(
                    lambda w, k=k, suffix=suffix, rows=rows, base=base: reverse(
                        f"{base}_{suffix}", kwargs={"object_id": rows(w, k).pk}),
                    covers=(k, f"potensi-{k}"), roles=("administrator",), admin=True)
                for k in CLASSES}
        if model_key == "incidents_incident":
            out[f"{base}_simple_history"] = {
                f"admin_incident_simple_history[{k}]": Channel(
                    lambda w, k=k, base=base: reverse(f"{base}_simple_history", args=[
                        w.incidents[k].pk, w.incidents[k].history.order_by("history_id").first().history_id]),
                    rule="history" if k == "turun" else "reader", covers=(k, f"potensi-{k}") if k != "turun" else (k,),
                    roles=("administrator",), admin=True)
                for k in (*CLASSES, "turun")}
    out["admin:meetings_meeting_changelist"] = {"admin_meeting_changelist": Channel(
        url("admin:meetings_meeting_changelist"), rule="meeting", roles=("administrator",), admin=True)}
    for suffix in ("change", "history", "delete"):
        out[f"admin:meetings_meeting_{suffix}"] = {f"admin_meeting_{suffix}": Channel(
            lambda w, suffix=suffix: reverse(f"admin:meetings_meeting_{suffix}", kwargs={"object_id": w.meeting.pk}),
            rule="meeting", covers=tuple(CLASSES), roles=("administrator",), admin=True)}
    out["admin:meetings_meeting_simple_history"] = {"admin_meeting_simple_history": Channel(
        lambda w: reverse("admin:meetings_meeting_simple_history", args=[
            w.meeting.pk, w.meeting.history.order_by("history_id").first().history_id]),
        rule="meeting", covers=tuple(CLASSES), roles=("administrator",), admin=True)}
    out["admin:meetings_meeting_add"] = "blank add form"
    out["admin:office_report_changelist"] = {"admin_report_changelist": Channel(
        url("admin:office_report_changelist"), rule=Audience.PROVINCE_REPORT, roles=("administrator",), admin=True)}
    for suffix in ("change", "history", "delete"):
        out[f"admin:office_report_{suffix}"] = {f"admin_report_{suffix}": Channel(
            lambda w, suffix=suffix: reverse(f"admin:office_report_{suffix}",
                                             kwargs={"object_id": w.reports["provinsi"].pk}),
            rule=Audience.PROVINCE_REPORT, roles=("administrator",), admin=True)}
    out["admin:office_report_add"] = "read-only record: no add form"
    # The webhook delivery log shows the bodies sent: a reader channel (the Administrator opens only the
    # deliveries of endpoints of a clearance it reads, WebhookEndpoint.objects.restrict).
    out["admin:integrations_webhookdelivery_changelist"] = {"admin_webhookdelivery_changelist": Channel(
        url("admin:integrations_webhookdelivery_changelist"), roles=("administrator",), admin=True)}
    out["admin:integrations_webhookdelivery_change"] = {
        f"admin_webhookdelivery_change[{clearance}.{k}]": Channel(
            lambda w, clearance=clearance, k=k: reverse("admin:integrations_webhookdelivery_change", kwargs={
                "object_id": getattr(w.webhook_rows.get((clearance, "incident.escalated", k)), "pk", 0) or 10**9}),
            covers=(k, f"potensi-{k}"), roles=("administrator",), admin=True)
        for clearance in CLASSES for k in CLASSES}
    out["admin:integrations_webhookdelivery_add"] = "read-only record: no add form"
    out["admin:integrations_webhookdelivery_delete"] = "read-only record: refused"
    out["admin:integrations_webhookdelivery_history"] = "admin log entries of a read-only record: none"
    return out


CHANNELS.update(_admin_channels())


def classified(name: str):
    """The registry entry of a URL name: its own, or the reason of its admin model (every page of a model
    in ADMIN_NO_INCIDENT: changelist, add, change, history, delete, and the model's extra pages)."""
    if name in CHANNELS:
        return CHANNELS[name]
    for model_key, why in ADMIN_NO_INCIDENT.items():
        if name.startswith(f"admin:{model_key}_"):
            return f"admin, {why}: no incident"
    return None


VARIANTS: dict[str, Channel] = {v: ch for spec in CHANNELS.values() if isinstance(spec, dict) for v, ch in spec.items()}


# --- email templates -----------------------------------------------------------------------------------

@dataclass
class EmailChannel:
    """``audience``: how each recipient's disclosure is decided: "address" (the recipient's own:
    ``mail_disclosure_for_address``) or a fixed ``Audience``. ``about``: the incidents the email names
    when the policy lets it (a recipient that may be told FULL must find the marker)."""

    audience: object = "address"
    about: tuple = ()
    per_report: bool = False
    candidates: object = None  # world → addresses that must each hear of every ``about`` incident they may
    extra: list = field(default_factory=list)


def _leaders_and_province(w, key):
    return [w.ketua_email, w.users["anggota_tim"].person.email, w.users["staf_provinsi"].person.email]


EMAIL_CHANNELS: dict[str, str | EmailChannel] = {
    "incident_alert": EmailChannel(about=tuple(CLASSES), candidates=lambda w, key: _leaders_and_province(w, key) + (
        [w.users["pimpinan"].person.email] if key == "rahasia" else [])),
    "incident_digest": EmailChannel(about=tuple(CLASSES), candidates=lambda w, key: [
        w.users["staf_provinsi"].person.email, w.users["staf_bangka"].person.email]),
    "conflict_status_reminder": EmailChannel(about=tuple(CLASSES), candidates=_leaders_and_province),
    "meeting_notice": EmailChannel(),  # names the meeting and its agenda, never its linked incidents
    "weekly_summary": EmailChannel(audience=Audience.WEEKLY_SUMMARY, about=tuple(CLASSES)),
    "report_ready": EmailChannel(audience="report", per_report=True),
    "plan_reminder": "action-plan deadline reminder to institutions: activities and targets, no incident",
    "plan_reminder_subject": "subject line of plan_reminder",
    "base": "the frame every email extends",
}


# --- the world, once per module -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("channels-media")


@pytest.fixture(autouse=True)
def _private_media(settings, media_root):
    """Overrides tests/conftest.py's per-test media folder: the world's files outlive one test."""
    settings.MEDIA_ROOT = media_root


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, media_root):
    from django.conf import settings
    from django.test.utils import override_settings

    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media_root, AXES_ENABLED=False):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            assert settings.EMAIL_BACKEND.endswith("locmem.EmailBackend")
            built = build_channel_world()
            built.clients = {}  # logged in once: the sessions live in the module's transaction
            for role, user in built.users.items():
                built.clients[role] = Client()
                if user is not None:
                    built.clients[role].force_login(user)
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _no_axes(settings):
    settings.AXES_ENABLED = False


@pytest.fixture
def in_world(world):
    return world


# --- reading a response ----------------------------------------------------------------------------------

def body_text(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(raw), read_only=True)
        return "\n".join(str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row
                         if c is not None)
    if "zip" in kind:  # the national package: every member (workbooks' cells, the JSON)
        import zipfile

        archive = zipfile.ZipFile(io.BytesIO(raw))
        parts = []
        for name in archive.namelist():
            data = archive.read(name)
            if name.endswith(".xlsx"):
                from openpyxl import load_workbook

                wb = load_workbook(io.BytesIO(data), read_only=True)
                parts += [str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row
                          if c is not None]
            else:
                parts.append(data.decode("utf-8"))
        return "\n".join(parts)
    if "pdf" in kind:
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(raw)).pages)
    return raw.decode("utf-8", "replace")


def squeeze(text: str) -> str:
    """Without whitespace: a PDF may break a marker at its hyphens."""
    return re.sub(r"\s+", "", text)


_RESPONSES: dict = {}


def fetch(world, variant: str, role: str) -> tuple[int, str]:
    key = (id(world), variant, role)
    if key not in _RESPONSES:
        client = world.clients[role]
        with transaction.atomic():
            response = client.get(VARIANTS[variant].path(world))
            transaction.set_rollback(True)
        _RESPONSES[key] = (response.status_code, squeeze(body_text(response)) if response.status_code == 200 else "")
    return _RESPONSES[key]


def page_disclosure(world, channel: Channel, role: str, key: str) -> Disclosure:
    """What the policy lets ``role`` be shown of planted incident ``key`` on ``channel``."""
    cls = incident_class(world, key)
    readable = key in world.readable[role]
    if channel.rule == "reader":
        if key == "turun":  # its old title is history: only the history rule shows it
            return Disclosure.NONE
        return Disclosure.FULL if readable else Disclosure.NONE
    if channel.rule == "history":
        if not readable:
            return Disclosure.NONE
        redact = classification.history_redactor(world.users[role], world.incidents[key])
        record = SimpleNamespace(classification=cls)
        return Disclosure.NONE if redact is not None and redact(record) else Disclosure.FULL
    if channel.rule == "meeting":
        return Disclosure.FULL if readable else classification.disclosure(cls, Audience.MEETING_NON_READER)
    return classification.disclosure(cls, channel.rule)


# --- registry tests ---------------------------------------------------------------------------------------

def test_every_url_pattern_is_classified():
    from tests.security.permissions import url_routes

    routes = url_routes()
    missing = sorted(n for n in routes if classified(n) is None)
    assert not missing, (
        "These URL patterns are not in CHANNELS of tests/security/test_classification_channels.py: "
        + ", ".join(missing) + ". Classify each: a Channel saying how to request it with the planted "
        "incidents (and whose markers it shows), or a string saying why it cannot show an incident.")
    stale = sorted(n for n in CHANNELS if n not in routes)
    assert not stale, f"CHANNELS names URL patterns the resolver does not know: {stale}"


def test_every_admin_model_is_classified():
    keys = {f"{m._meta.app_label}_{m._meta.model_name}" for m in admin.site._registry}
    known = set(ADMIN_NO_INCIDENT) | set(ADMIN_INCIDENT_MODELS) | {"meetings_meeting", "office_report",
                                                                    "integrations_webhookdelivery"}
    assert keys <= known, f"Admin models not classified in the channel test: {sorted(keys - known)}"


def test_every_email_template_is_classified():
    names = {p.stem for p in TEMPLATES_DIR.iterdir() if p.suffix in (".txt", ".html")}
    missing = sorted(names - set(EMAIL_CHANNELS))
    assert not missing, (
        f"Email templates not in EMAIL_CHANNELS: {missing}. Trigger their sender in "
        "tests/security/channels_world.py and add an EmailChannel, or say why it cannot name an incident.")


# --- pages ------------------------------------------------------------------------------------------------

def _page_cases():
    for variant, channel in VARIANTS.items():
        for role in channel.roles:
            yield pytest.param(variant, role, id=f"{variant}-{role}")


@pytest.mark.parametrize(("variant", "role"), list(_page_cases()))
def test_page_shows_each_class_as_policy_says(in_world, variant, role):
    """One request per channel and role; each planted incident's marker checked (the message names
    channel × class × role)."""
    world = in_world
    channel = VARIANTS[variant]
    status, text = fetch(world, variant, role)
    if status != 200:  # who may open which page is tests/security/test_urls.py's table
        return
    wrong = []
    for key in INCIDENTS:
        incident, marker, cls = world.incidents[key], MARKERS[key], incident_class(world, key)
        shown = marker in text
        disclosure = page_disclosure(world, channel, role, key) if key in channel.covers else Disclosure.NONE
        where = f"{variant} × {cls} × {role}"
        if shown and disclosure is not Disclosure.FULL:
            wrong.append(f"LEAK {where}: {marker} ({key}) shown; policy: {disclosure}")
        if not shown and disclosure is Disclosure.FULL and key in channel.must:
            wrong.append(f"MISSING {where}: {marker} ({key}) not shown to a reader")
        if key != "turun" and not disclosure.named and incident.reference in text:
            wrong.append(f"LEAK {where}: reference {incident.reference} ({key}) shown; policy: {disclosure}")
    assert not wrong, f"HTTP {status}:\n" + "\n".join(wrong)


# --- emails -----------------------------------------------------------------------------------------------

def _message_text(message) -> str:
    parts = [message.subject, message.body] + [c for c, _t in getattr(message, "alternatives", [])]
    return squeeze("\n".join(str(p) for p in parts))


def _report_attachment_text(message) -> str:
    out = []
    for name, content, _mimetype in message.attachments:
        if name.endswith(".pdf"):
            from pypdf import PdfReader

            out += [p.extract_text() or "" for p in PdfReader(io.BytesIO(content)).pages]
        elif name.endswith(".xlsx"):
            from openpyxl import load_workbook

            wb = load_workbook(io.BytesIO(content), read_only=True)
            out += [str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row
                    if c is not None]
    return squeeze("\n".join(out))


def email_disclosure(world, spec: EmailChannel, message, address: str, key: str) -> Disclosure:
    incident = world.incidents[key]
    if key == "turun":
        return Disclosure.NONE  # its old title is never mailed
    if spec.audience == "address":
        return classification.mail_disclosure_for_address(incident, address)
    if spec.audience == "report":
        report = next(r for r in world.reports.values() if r.download_name("pdf") in
                      [a[0] for a in message.attachments])
        audience = Audience.PROVINCE_REPORT if report.region.code == "19" else Audience.REGENCY_REPORT
        return classification.disclosure(incident.classification, audience)
    return classification.disclosure(incident.classification, spec.audience)


def _email_cases():
    for template, spec in EMAIL_CHANNELS.items():
        if isinstance(spec, EmailChannel):
            for cls in CLASSES:
                yield pytest.param(template, cls, id=f"{template}-{cls}")


def _recipient_kind(world, address: str) -> str:
    user = classification.login_for_address(address)
    if user is None:
        return "address without a login"
    role = next((k for k, u in world.users.items() if u is not None and u.pk == user.pk), user.username)
    return f"login {role}"


@pytest.mark.parametrize(("template", "cls"), list(_email_cases()))
def test_email_shows_class_as_policy_says(in_world, template, cls):
    world = in_world
    spec = EMAIL_CHANNELS[template]
    messages = world.mails.get(template, [])
    assert messages, f"the sender of {template} sent nothing: the world no longer triggers it"
    keys = [k for k in INCIDENTS if incident_class(world, k) == cls]
    wrong = []
    heard: dict[tuple[str, str], list[str]] = {}
    for message in messages:
        text = _message_text(message)
        if spec.per_report:
            text += _report_attachment_text(message)
        for address in message.to:
            who = f"{address} ({_recipient_kind(world, address)})"
            for key in keys:
                incident, marker = world.incidents[key], MARKERS[key]
                disclosure = email_disclosure(world, spec, message, address, key)
                if marker in text:
                    heard.setdefault((address, key), []).append("full")
                    if disclosure is not Disclosure.FULL:
                        wrong.append(f"LEAK to {who}: {marker} ({key}); policy: {disclosure}")
                if incident.reference in text:
                    heard.setdefault((address, key), []).append("ref")
                    if not disclosure.named and key != "turun":
                        wrong.append(f"LEAK to {who}: reference {incident.reference} ({key}); policy: {disclosure}")
    if spec.candidates is not None:  # every candidate hears of each incident exactly as far as it may
        for key in (k for k in spec.about if k in keys):
            for address in spec.candidates(world, key):
                disclosure = classification.mail_disclosure_for_address(world.incidents[key], address)
                got = heard.get((address, key), [])
                who = f"{address} ({_recipient_kind(world, address)})"
                if disclosure is Disclosure.FULL and "full" not in got:
                    wrong.append(f"MISSING: {who} was not told {MARKERS[key]} ({key}), policy: full")
                if disclosure.named and "ref" not in got:
                    wrong.append(f"MISSING: {who} was not told the reference of {key}, policy: {disclosure}")
    elif spec.about and spec.audience not in ("address", "report"):  # a fixed audience: the same for all
        for key in (k for k in spec.about if k in keys):
            if classification.disclosure(cls, spec.audience) is Disclosure.FULL:
                for message in messages:
                    if MARKERS[key] not in _message_text(message):
                        wrong.append(f"MISSING: {message.to} not told {MARKERS[key]} ({key}), policy: full")
    assert not wrong, f"{template} × {cls}:\n" + "\n".join(wrong)


# --- webhooks: every body each endpoint got, per its declared clearance -----------------------------------

def _webhook_cases():
    for clearance in CLASSES:
        for cls in CLASSES:
            yield pytest.param(clearance, cls, id=f"webhook[{clearance}]-{cls}")


@pytest.mark.parametrize(("clearance", "cls"), list(_webhook_cases()))
def test_webhook_payloads_show_class_as_policy_says(in_world, clearance, cls):
    """An endpoint of ``clearance`` is told of an incident of ``cls`` exactly as
    ``disclosure(cls, webhook_audience(clearance))`` says: the marker only when full, the reference only
    when named, and no delivery at all about it when none (its existence does not leak)."""
    world = in_world
    audience = classification.webhook_audience(clearance)
    bodies = [squeeze(b) for b in world.webhooks.get(clearance, [])]
    assert bodies, f"the {clearance} endpoint got no delivery: the world no longer triggers events"
    wrong = []
    for key in (k for k in INCIDENTS if incident_class(world, k) == cls):
        incident, marker = world.incidents[key], MARKERS[key]
        shown = Disclosure.NONE if key == "turun" else classification.disclosure(cls, audience)
        has_marker = any(marker in b for b in bodies)
        has_reference = any(incident.reference in b for b in bodies)
        where = f"webhook[{clearance}] × {cls} ({key})"
        if has_marker and shown is not Disclosure.FULL:
            wrong.append(f"LEAK {where}: {marker}; policy: {shown}")
        if has_reference and not shown.named and key != "turun":
            wrong.append(f"LEAK {where}: reference {incident.reference}; policy: {shown}")
        if key in CLASSES and shown is Disclosure.FULL and not has_marker:
            wrong.append(f"MISSING {where}: {marker} not sent; policy: full")
        if key in CLASSES and shown.named and not has_reference:
            wrong.append(f"MISSING {where}: reference not sent; policy: {shown}")
        # (the downgraded report is biasa now: it is sent with its current values, never its old title)
        rows = [r for (c, _name, k), r in world.webhook_rows.items() if c == clearance and k == key]
        if not shown.named and rows and key != "turun":
            wrong.append(f"LEAK {where}: {len(rows)} delivery rows exist; policy: no event at all")
    assert not wrong, "\n".join(wrong)


# --- a form never drops what its editor cannot see --------------------------------------------------------

class _FormReader(HTMLParser):
    """The fields of each <form method="post"> with their served values (``forms``: one list per form)."""

    def __init__(self):
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self.data: list[tuple[str, str]] = []
        self.in_form = False
        self.select = self.textarea = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.in_form, self.data = True, []
            self.forms.append(self.data)
        if not self.in_form:
            return
        if tag == "input" and a.get("name") and "disabled" not in a:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.data.append((a["name"], a.get("value", "on")))
            elif kind not in ("submit", "button", "file"):
                self.data.append((a["name"], a.get("value") or ""))
        elif tag == "select" and a.get("name"):
            self.select = a["name"]
        elif tag == "option" and self.select and "selected" in a:
            self.data.append((self.select, a.get("value") or ""))
        elif tag == "textarea" and a.get("name"):
            self.textarea, self.text = a["name"], ""

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.data.append((self.textarea, self.text))
            self.textarea = None
        elif tag == "form" and self.in_form:
            self.in_form = False

    def handle_data(self, data):
        if self.textarea:
            self.text += data


def test_meeting_edit_as_served_keeps_the_link_its_editor_cannot_see(in_world):
    world = in_world
    editor = world.users["staf_bangka"]
    secret = world.incidents["rahasia"]
    assert "rahasia" not in world.readable["staf_bangka"]
    client = Client()
    client.force_login(editor)
    path = reverse("meetings:meeting_update", kwargs={"pk": world.meeting.pk})
    served = client.get(path)
    assert served.status_code == 200
    assert MARKERS["rahasia"] not in served.content.decode()
    form = _FormReader()
    form.feed(served.content.decode())
    data: dict[str, list[str]] = {}
    fields = next(f for f in form.forms if any(name == "title" for name, _v in f))
    for name, value in fields:
        data.setdefault(name, []).append(value)
    assert str(secret.pk) not in data.get("linked_incidents", [])
    with transaction.atomic():
        response = client.post(path, data)
        assert response.status_code == 302, (response.context["form"].errors, data)
        linked = set(world.meeting.linked_incidents.values_list("pk", flat=True))
        transaction.set_rollback(True)
    assert linked == {world.incidents[c].pk for c in CLASSES}
