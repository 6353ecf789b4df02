"""The admin has no back door to secret incidents: a non-superuser Administrator (who may not read
``rahasia`` reports on the pages) never reads, searches, autocompletes, edits or deletes one in the
Django admin either, nor their follow-ups, files, transitions, alerts, history or log entries; a
superuser still sees everything."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from incidents.models import Incident
from tests.factories import (
    AttachmentFactory,
    ConflictStatusReminderFactory,
    FollowUpFactory,
    IncidentAlertFactory,
    make_incident,
    make_meeting,
    make_user,
    region,
)

pytestmark = pytest.mark.django_db

MARKER = "Xq7RahasiaPenanda"


@pytest.fixture
def administrator(db):
    return make_user("Administrator", username="admin.biasa", region_code="19")


@pytest.fixture
def secret(db):
    """A rahasia incident with the marker in its title and chronology, and every related record."""
    incident = make_incident(title=f"Sengketa {MARKER}", chronology=f"Kronologi {MARKER}.",
                             classification=Incident.Classification.RAHASIA, kind="peristiwa", status="ditangani")
    FollowUpFactory(incident=incident, description=f"Tindak lanjut {MARKER}")
    AttachmentFactory(incident=incident)
    IncidentAlertFactory(incident=incident)
    ConflictStatusReminderFactory(conflict_status__incident=incident)
    return incident


@pytest.fixture
def public(db):
    return make_incident(title="Sengketa batas desa terbuka", region_code="19.02")


RELATED = ("incident", "followup", "attachment", "incidenttransition", "incidentalert", "conflictstatus",
           "conflictstatusreminder")


def _get(client, url):
    response = client.get(url)
    return response.status_code, response.content.decode()


def test_changelists_and_searches_never_show_the_secret_incident(client, administrator, secret, public):
    client.force_login(administrator)
    for name in RELATED:
        url = reverse(f"admin:incidents_{name}_changelist")
        # Search terms are parts of the marker and reference: the page repeats the term itself.
        for query in ("", f"?q={MARKER[1:-1]}", f"?q={secret.reference[:-1]}"):
            status, html = _get(client, url + query)
            assert status == 200, (name, query)
            assert MARKER not in html and secret.reference not in html, (name, query)
    status, html = _get(client, reverse("admin:incidents_incident_changelist"))
    assert public.reference in html  # the rest is still there
    # Filters and the date drill-down are built from the restricted rows too.
    status, html = _get(client, reverse("admin:incidents_incident_changelist") + "?classification=rahasia")
    assert status == 200 and secret.reference not in html


def test_object_pages_of_the_secret_incident_are_404(client, administrator, secret):
    client.force_login(administrator)
    history = secret.history.order_by("history_id").first()
    urls = [
        reverse("admin:incidents_incident_change", args=[secret.pk]),
        reverse("admin:incidents_incident_delete", args=[secret.pk]),
        reverse("admin:incidents_incident_history", args=[secret.pk]),
        reverse("admin:incidents_incident_simple_history", args=[secret.pk, history.history_id]),
        reverse("admin:incidents_followup_change", args=[secret.follow_ups.get().pk]),
        reverse("admin:incidents_followup_history", args=[secret.follow_ups.get().pk]),
        reverse("admin:incidents_attachment_change", args=[secret.attachments.get().pk]),
        reverse("admin:incidents_attachment_delete", args=[secret.attachments.get().pk]),
        reverse("admin:incidents_incidenttransition_change", args=[secret.transitions.first().pk]),
        reverse("admin:incidents_incidentalert_change", args=[secret.alerts.get().pk]),
        reverse("admin:incidents_incidentalert_delete", args=[secret.alerts.get().pk]),
        reverse("admin:incidents_conflictstatus_change", args=[secret.conflict_statuses.get().pk]),
        reverse("admin:incidents_conflictstatusreminder_change",
                args=[secret.conflict_statuses.get().reminders.get().pk]),
    ]
    for url in urls:
        status, html = _get(client, url)
        assert status == 404, (url, status)
        assert MARKER not in html, url
        status, html = _get(client, url.replace("/change/", "/delete/"))
        assert status in (403, 404) and MARKER not in html  # 403: a record nobody deletes
    # A POST to the change or delete page changes nothing.
    for url in (reverse("admin:incidents_incident_change", args=[secret.pk]),
                reverse("admin:incidents_incident_delete", args=[secret.pk])):
        assert client.post(url, {"post": "yes", "title": "diubah"}).status_code == 404
    secret.refresh_from_db()
    assert MARKER in secret.title


def test_bulk_delete_action_cannot_reach_the_secret_incident(client, administrator, secret, public):
    client.force_login(administrator)
    response = client.post(reverse("admin:incidents_incident_changelist"), {
        "action": "delete_selected", "_selected_action": [secret.pk], "post": "yes",
    })
    assert response.status_code in (200, 302)
    assert Incident.objects.filter(pk=secret.pk).exists()


def test_autocomplete_of_linked_incidents_is_restricted(client, administrator, secret, public):
    client.force_login(administrator)
    url = reverse("admin:autocomplete")
    for term in (MARKER[1:-1], secret.reference[:-1], "Sengketa"):
        response = client.get(url, {"app_label": "meetings", "model_name": "meeting",
                                    "field_name": "linked_incidents", "term": term})
        assert response.status_code == 200
        ids = {row["id"] for row in response.json()["results"]}
        assert str(secret.pk) not in ids and MARKER not in response.content.decode()
    response = client.get(url, {"app_label": "meetings", "model_name": "meeting",
                                "field_name": "linked_incidents", "term": "terbuka"})
    assert str(public.pk) in {row["id"] for row in response.json()["results"]}


def test_meeting_page_neither_shows_nor_drops_a_linked_secret_incident(client, administrator, secret, public):
    """The meetings admin only shows (writes go through the meetings services on the pages); its
    linked incidents are the ones the login may read, and a POST changes nothing."""
    meeting = make_meeting()
    meeting.linked_incidents.set([secret, public])
    client.force_login(administrator)
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    status, html = _get(client, url)
    assert status == 200 and MARKER not in html and public.reference in html
    assert secret.reference not in html
    response = client.post(url, {"title": "Rakor diubah", "linked_incidents": [public.pk]})
    assert response.status_code == 403
    meeting.refresh_from_db()
    assert meeting.title != "Rakor diubah"
    assert set(meeting.linked_incidents.values_list("pk", flat=True)) == {secret.pk, public.pk}


def test_follow_up_cannot_be_moved_onto_a_secret_incident(client, administrator, secret, public):
    follow_up = FollowUpFactory(incident=public)
    client.force_login(administrator)
    url = reverse("admin:incidents_followup_change", args=[follow_up.pk])
    data = {"incident": secret.pk, "date": "02/03/2026", "kind": "koordinasi", "description": "pindah",
            "institution": "", "created_by": follow_up.created_by_id}
    response = client.post(url, data)
    assert response.status_code == 200 and "incident" in response.context["adminform"].form.errors
    follow_up.refresh_from_db()
    assert follow_up.incident_id == public.pk


def test_delete_summaries_of_related_rows_hide_the_secret_incident(client, rf, administrator, secret):
    """Deleting a region, category or the reporter lists the incidents that protect it: a secret one
    without its text (and the delete is refused: the login may not delete what it cannot read)."""
    from django.contrib import admin

    from incidents.models import Category
    from teams.models import Region

    client.force_login(administrator)
    for url in (reverse("admin:teams_region_delete", args=[region("19.01").pk]),
                reverse("admin:incidents_category_delete", args=[secret.category_id])):
        status, html = _get(client, url)
        assert status in (200, 403) and MARKER not in html, url
    request = rf.get("/admin/")
    request.user = administrator
    for model, obj in ((Region, region("19.01")), (Category, secret.category)):
        _, _, perms_needed, protected = admin.site.get_model_admin(model).get_deleted_objects([obj], request)
        assert "insiden" in perms_needed
        text = " ".join(map(str, protected))
        assert MARKER not in text and "insiden yang tidak dapat Anda lihat" in text


def test_admin_log_entries_keep_no_incident_text(client, rf, administrator, public):
    from django.contrib import admin

    follow_up = FollowUpFactory(incident=public, description=f"Tindak lanjut {MARKER}")
    client.force_login(administrator)
    response = client.post(reverse("admin:incidents_followup_change", args=[follow_up.pk]), {
        "incident": public.pk, "date": "02/03/2026", "kind": "koordinasi", "description": f"Diubah {MARKER}",
        "institution": "", "created_by": follow_up.created_by_id})
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = LogEntry.objects.get(object_id=str(follow_up.pk), content_type__model="followup")
    assert MARKER not in entry.object_repr and str(follow_up.pk) in entry.object_repr
    request = rf.get("/admin/")
    request.user = administrator
    entry = admin.site.get_model_admin(Incident).log_change(request, public, "[]")
    assert entry.object_repr == public.reference
    status, html = _get(client, reverse("admin:index"))
    assert MARKER not in html


def test_superuser_sees_the_secret_incident(client, admin_user, secret):
    client.force_login(admin_user)
    status, html = _get(client, reverse("admin:incidents_incident_changelist") + f"?q={MARKER}")
    assert status == 200 and MARKER in html
    for name in ("followup", "attachment", "incidentalert", "incidenttransition"):
        status, html = _get(client, reverse(f"admin:incidents_{name}_changelist"))
        assert secret.reference in html, name
    for view in ("change", "history", "delete"):
        status, html = _get(client, reverse(f"admin:incidents_incident_{view}", args=[secret.pk]))
        assert status == 200 and MARKER in html, view
    response = client.get(reverse("admin:autocomplete"), {
        "app_label": "meetings", "model_name": "meeting", "field_name": "linked_incidents", "term": MARKER})
    assert str(secret.pk) in {row["id"] for row in response.json()["results"]}



def test_every_admin_that_shows_incidents_is_restricted():
    """A new admin of a model that belongs to an incident (a foreign-key path to it, up to two steps)
    or links to incidents cannot skip ``restrict``: it must use the core mixins."""
    from django.contrib import admin

    from kesbang.core.admin import RestrictedAdminMixin, RestrictedChoicesMixin

    def path_to_incident(model, depth=2):
        if model is Incident:
            return ""
        if depth == 0:
            return None
        for field in model._meta.get_fields():
            if field.many_to_one and field.concrete and field.related_model is not None:
                rest = path_to_incident(field.related_model, depth - 1)
                if rest is not None and field.related_model is not model:
                    return "__".join(filter(None, [field.name, rest]))
        return None

    missing = []
    for model, model_admin in admin.site._registry.items():
        path = path_to_incident(model)
        restricted = isinstance(model_admin, RestrictedAdminMixin) and model_admin.restrict_through == path
        if path is not None and not restricted:
            missing.append(f"{model._meta.label}: restrict_through = {path!r}")
        for field in model._meta.many_to_many:
            if field.related_model is Incident and not (
                    isinstance(model_admin, RestrictedChoicesMixin) and field.name in model_admin.restricted_fields):
                missing.append(f"{model._meta.label}.{field.name}: restricted_fields")
    assert not missing, "Admins showing incidents without restrict(): " + "; ".join(missing)
