"""The API's reads and writes: the pages' scopes and filters, keyset pages, ETag, contacts where the
pages show them, the services' validation as 400 per field, the permission matrix per role and per
token scope, and the classification policy (a rahasia incident never reaches a login whose pages
would not show it)."""

import datetime
import uuid

import pytest
from django.utils import timezone

from incidents.models import FollowUp, Incident
from tests.api.conftest import make_token, token_client
from tests.factories import InstitutionFactory, make_incident, make_meeting, make_member, make_team, region

pytestmark = pytest.mark.django_db
INCIDENTS = "/api/v1/incidents/"


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content[:400]
    return [row["id"] for row in response.json()["results"]]


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


# --- reads ------------------------------------------------------------------------------------------


def test_incident_list_is_the_pages_scope_and_filter(api_as, staf_bangka, staf_provinsi):
    bangka = make_incident(region_code="19.01", status="dilaporkan", severity="tinggi")
    belitung = make_incident(region_code="19.02", status="dilaporkan", severity="rendah")
    assert ids(api_as(staf_bangka).get(INCIDENTS)) == [bangka.pk]
    province = api_as(staf_provinsi)
    assert set(ids(province.get(INCIDENTS))) == {bangka.pk, belitung.pk}
    assert ids(province.get(INCIDENTS + "?severity=tinggi&severity=kritis")) == [bangka.pk]
    assert ids(province.get(INCIDENTS + f"?region={belitung.region_id}")) == [belitung.pk]
    week = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    assert set(ids(province.get(INCIDENTS + f"?dilaporkan_dari={week.isoformat()}"))) == {bangka.pk, belitung.pk}
    bad = province.get(INCIDENTS + "?date_from=2026-05-01&date_to=2026-04-01&status=x")
    assert bad.status_code == 400
    assert bad.json()["date_to"] == ["Tanggal akhir tidak boleh sebelum tanggal awal (2026-05-01)."]
    assert "status" in bad.json()


def test_keyset_pages_follow_the_list_order_without_gaps(api_as, staf_provinsi):
    made = [make_incident(region_code="19.01", occurred_on=datetime.date(2026, 3, 1 + i % 3)) for i in range(7)]
    client = api_as(staf_provinsi)
    seen, url = [], INCIDENTS + "?page_size=3"
    while url:
        body = client.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    expected = [i.pk for i in sorted(made, key=lambda i: (i.occurred_on, i.pk), reverse=True)]
    assert seen == expected
    assert client.get(INCIDENTS + "?cursor=bm9wZQ").status_code == 400
    assert client.get(INCIDENTS + "?page_size=0").json() == {"page_size": ["Ukuran halaman harus 1 sampai 100."]}
    # The cursor bounds the first ordering column on its own: an index range, not a scan from the top.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    second = client.get(INCIDENTS + "?page_size=3").json()["next"]
    with CaptureQueriesContext(connection) as ctx:
        client.get(second)
    page_sql = next(q["sql"] for q in ctx.captured_queries if q["sql"].startswith('SELECT "incidents_incident"'))
    assert '"incidents_incident"."occurred_on" <=' in page_sql, page_sql[page_sql.index("WHERE"):]
    forged = client.get(INCIDENTS + "?cursor=WyJ4IiwxXQ")  # ["x", 1]: not a date
    assert forged.status_code == 400 and forged.json() == {"cursor": ["Kursor halaman tidak sah."]}


def test_detail_etag_answers_304_until_the_incident_changes(api_as, staf_provinsi):
    incident = make_incident(region_code="19.01", status="ditangani")
    client = api_as(staf_provinsi)
    first = client.get(f"{INCIDENTS}{incident.pk}/")
    etag = first["ETag"]
    assert first.status_code == 200 and etag.startswith('"') and "no-cache" in first["Cache-Control"]
    unchanged = client.get(f"{INCIDENTS}{incident.pk}/", HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304 and unchanged.content == b"" and unchanged["ETag"] == etag
    from incidents import services

    services.follow_up_add(incident=incident, user=incident.reporter, date=incident.occurred_on, kind="koordinasi",
                           description="Rapat dengan tokoh adat.")
    changed = client.get(f"{INCIDENTS}{incident.pk}/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert [f["description"] for f in changed.json()["follow_ups"]] == ["Rapat dengan tokoh adat."]


def test_contacts_where_the_pages_show_them(api_as, staf_bangka):
    team = make_team("19.01")
    member = make_member(team, role="ketua", phone="0812-1111-2222", email="ketua@example.go.id")
    meeting = make_meeting(team=team)
    from meetings import services as meeting_services

    meeting_services.invite_people(meeting=meeting, people=[member.person])
    client = api_as(staf_bangka)
    person = client.get(f"/api/v1/people/{member.person.pk}/").json()
    assert person["phone"] == "0812-1111-2222" and person["email"] == "ketua@example.go.id"
    members = client.get(f"/api/v1/teams/{team.pk}/").json()["members"]
    assert members[0]["person"]["email"] == "ketua@example.go.id" and members[0]["role"] == "ketua"
    detail = client.get(f"/api/v1/meetings/{meeting.pk}/").json()
    assert detail["invitations"][0]["name"] == member.person.name
    assert "ketua@example.go.id" not in str(detail)  # the meeting page names invitees without contacts
    other = make_member(make_team("19.02"), phone="0813-9999")
    assert client.get(f"/api/v1/people/{other.person.pk}/").status_code == 404


def test_action_plan_detail_is_the_plan_page(api_as, staf_provinsi):
    from tests.teams.test_plans import make_plan

    plan = make_plan("19.01", activities=2)
    body = api_as(staf_provinsi).get(f"/api/v1/action-plans/{plan.pk}/").json()
    assert body["activity_count"] == 2 and [p["phase"] for p in body["phases"]][:2] == ["pencegahan", "penghentian"]
    periods = body["phases"][0]["activities"][0]["periods"]
    assert [p["period"] for p in periods] == ["B04", "B08", "B12"] and periods[0]["target"] == "1.00"
    assert [d["period"] for d in body["deadlines"]] == ["B04", "B08", "B12"]


# --- writes -----------------------------------------------------------------------------------------


def report_body(**overrides):
    from tests.factories import incident_category

    data = {"title": "Bentrok nelayan", "chronology": "Dua kelompok nelayan berselisih soal jaring.",
            "kind": "peristiwa", "occurred_on": timezone.localdate().isoformat(), "region": region("19.01").pk,
            "source": "ekonomi", "category": incident_category().pk, "severity": "tinggi"}
    data.update(overrides)
    return data


def test_incident_create_is_the_quick_entry_with_its_idempotency_key(staf_bangka):
    _row, raw = make_token(staf_bangka, scope="write")
    client = token_client(raw)
    key = str(uuid.uuid4())
    first = post(client, INCIDENTS, report_body(client_key=key))
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["status"] == "dilaporkan" and body["reference"].startswith("INS-19.01-")
    again = post(client, INCIDENTS, report_body(client_key=key, title="Dikirim ulang"))
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert Incident.objects.count() == 1
    draft = post(client, INCIDENTS, report_body(submit=False))
    assert draft.status_code == 201 and draft.json()["status"] == "draf"


def test_incident_create_refusals_are_the_services_messages(staf_bangka, staf_belitung):
    _row, raw = make_token(staf_bangka, scope="write")
    client = token_client(raw)
    future = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    response = post(client, INCIDENTS, report_body(occurred_on=future))
    assert response.status_code == 400
    assert response.json() == {"occurred_on": ["Tanggal kejadian tidak boleh di masa depan."]}
    wrong = post(client, INCIDENTS, report_body(kecamatan=region("19.02.01").pk))
    assert wrong.json()["kecamatan"] == ["Kecamatan ini tidak berada di Kabupaten Bangka."]
    outside = post(client, INCIDENTS, report_body(region=region("19.02").pk))
    assert outside.status_code == 400 and "region" in outside.json()  # not a regency this login reports in
    missing = post(client, INCIDENTS, {})
    assert missing.status_code == 400 and {"title", "chronology", "region", "category"} <= set(missing.json())
    key = str(uuid.uuid4())
    assert post(client, INCIDENTS, report_body(client_key=key)).status_code == 201
    _row, theirs = make_token(staf_belitung, scope="write")
    stolen = post(token_client(theirs), INCIDENTS, report_body(client_key=key, region=region("19.02").pk))
    assert stolen.status_code == 400 and stolen.json() == {"non_field_errors": ["Kunci pengiriman ini sudah dipakai."]}


def test_follow_up_and_transitions_through_the_services(staf_bangka, pimpinan):
    incident = make_incident(region_code="19.01", status="terverifikasi", handling_team=make_team("19.01"))
    _row, raw = make_token(staf_bangka, scope="write")
    client = token_client(raw)
    url = f"{INCIDENTS}{incident.pk}/follow-ups/"
    refused = post(client, url, {"date": incident.occurred_on.isoformat(), "kind": "koordinasi",
                                 "description": "Mediasi", "transition": "close"})
    assert refused.status_code == 400 and "transition" in refused.json()
    added = post(client, url, {"date": incident.occurred_on.isoformat(), "kind": "koordinasi",
                               "description": "Mediasi di balai desa", "transition": "handle"})
    assert added.status_code == 201 and added.json()["description"] == "Mediasi di balai desa"
    incident.refresh_from_db()
    assert incident.status == "ditangani" and FollowUp.objects.filter(incident=incident).count() == 1
    steps = f"{INCIDENTS}{incident.pk}/transitions/"
    reject = post(client, steps, {"name": "reject"})
    assert reject.status_code == 400
    assert reject.json() == {"non_field_errors": ["Status laporan sekarang Ditangani; langkah ini tidak dapat "
                                                  "dilakukan."]}
    closed = post(client, steps, {"name": "close", "note": "Damai."})
    assert closed.status_code == 200 and closed.json()["status"] == "selesai"
    assert post(client, steps, {"name": "terbang"}).status_code == 400
    _row, leader = make_token(pimpinan, scope="write")
    assert post(token_client(leader), steps, {"name": "close"}).status_code == 403  # Pimpinan reads only
    assert post(token_client(leader), url, {}).status_code == 403


def test_action_item_progress_by_its_owner_or_a_manager(anggota_tim, staf_bangka, staf_belitung):
    from meetings import services as meeting_services

    team = make_team("19.01")
    owner = make_member(team, person=anggota_tim.person).person
    meeting = make_meeting(team=team)
    item = meeting_services.action_item_create(meeting=meeting, description="Sosialisasi", owner_person=owner,
                                               due_date=timezone.localdate())
    url = f"/api/v1/action-items/{item.pk}/progress/"
    _row, mine = make_token(anggota_tim, scope="write")
    empty = post(token_client(mine), url, {"text": " "})
    assert empty.status_code == 400 and "text" in empty.json()
    done = post(token_client(mine), url, {"text": "Sudah dilaksanakan", "status": "selesai"})
    assert done.status_code == 201 and done.json()["status_after"] == "selesai"
    item.refresh_from_db()
    assert item.status == "selesai" and item.completed_at is not None
    closed = post(token_client(mine), url, {"text": "Lagi"})
    assert closed.status_code == 400 and "sudah ditutup" in closed.json()["non_field_errors"][0]
    _row, other = make_token(staf_belitung, scope="write")
    assert post(token_client(other), url, {"text": "x"}).status_code == 404
    assert token_client(mine).get("/api/v1/action-items/?saya=true").json()["results"][0]["id"] == item.pk


# --- permission matrix per role and per token scope -------------------------------------------------


ROLES = {"administrator": ("Administrator", "19"), "pimpinan": ("Pimpinan", "19"),
         "staf_provinsi": ("Staf Provinsi", "19"), "staf_kabkota": ("Staf Kabupaten/Kota", "19.01"),
         "anggota_tim": ("Anggota Tim", "19.01"), "tanpa_peran": (None, "19")}
# List endpoint → roles that may read it (the pages' permissions: reports are not for the Anggota Tim).
READERS = {name: set(ROLES) - {"tanpa_peran"} for name in (
    "regions", "institutions", "teams", "people", "action-plans", "incidents", "meetings", "action-items")}
READERS["reports"] = {"administrator", "pimpinan", "staf_provinsi", "staf_kabkota"}
# Who may post a report (incidents.add_incident), with a write token; a read token never may.
REPORTERS = {"administrator", "staf_provinsi", "staf_kabkota", "anggota_tim"}


@pytest.fixture
def logins(db):
    from tests.factories import make_user

    return {key: make_user(role, username=f"api.{key}", region_code=code) for key, (role, code) in ROLES.items()}


def test_permission_matrix_per_role_and_token_scope(logins):
    found, expected = {}, {}
    for key, user in logins.items():
        for scope in ("read", "write"):
            _row, raw = make_token(user, scope=scope)
            client = token_client(raw)
            for name in READERS:
                found[(key, scope, name)] = client.get(f"/api/v1/{name}/").status_code
                expected[(key, scope, name)] = 200 if key in READERS[name] else 403
            created = post(client, INCIDENTS, report_body(region=region("19.01").pk))
            found[(key, scope, "create")] = created.status_code
            expected[(key, scope, "create")] = 201 if scope == "write" and key in REPORTERS else 403
    assert found == expected


# --- classification -----------------------------------------------------------------------------------


def test_rahasia_never_reaches_a_login_whose_pages_would_not_show_it(logins):
    """Lists, search, details, the escalation link and a meeting's linked incidents, per role."""
    from incidents import services
    from meetings import services as meeting_services

    potential = make_incident(region_code="19.01", status="terverifikasi", classification="rahasia",
                              title="RAHASIA-POTENSI-q1")
    secret = services.incident_escalate(potential=potential, user=potential.reporter)
    services.incident_update(incident=secret, user=potential.reporter, expected_version=secret.version,
                             title="RAHASIA-PERISTIWA-q1")
    biasa = make_incident(region_code="19.01", status="dilaporkan", title="BIASA-q1")
    team = make_team("19.01")
    meeting = make_meeting(team=team, linked_incidents=[potential, secret, biasa])
    for user in logins.values():
        if user.person:
            meeting_services.invite_people(meeting=meeting, people=[user.person])
    for key, user in logins.items():
        may_read = Incident.objects.restrict(user, "view")
        readers = set(may_read.values_list("pk", flat=True))
        client = token_client(make_token(user)[1])
        texts = [client.get(INCIDENTS).content.decode(), client.get(INCIDENTS + "?q=RAHASIA").content.decode(),
                 client.get(f"/api/v1/meetings/{meeting.pk}/").content.decode(),
                 client.get(f"{INCIDENTS}{biasa.pk}/").content.decode()]
        for incident in (potential, secret):
            detail = client.get(f"{INCIDENTS}{incident.pk}/")
            if incident.pk in readers:
                assert detail.status_code == 200, key
                continue
            assert detail.status_code in (403, 404), key
            for text in texts:
                assert incident.title not in text and incident.reference not in text, (key, incident.title)
        if secret.pk in readers and potential.pk in readers:
            body = client.get(f"{INCIDENTS}{secret.pk}/").json()
            assert body["escalated_from"]["reference"] == potential.reference
    # Staf Kabupaten/Kota reads Bangka's biasa but never its rahasia: the meeting neither names nor counts it.
    bangka = token_client(make_token(logins["staf_kabkota"])[1])
    linked = bangka.get(f"/api/v1/meetings/{meeting.pk}/").json()["linked_incidents"]
    assert [i["title"] for i in linked["readable"]] == ["BIASA-q1"] and linked["counted"] == {}


def test_serializers_without_a_reader_leave_other_incidents_out():
    from incidents import services
    from kesbang.api.serializers import IncidentDetailSerializer, incident_rows

    potential = make_incident(region_code="19.01", status="terverifikasi")
    escalated = services.incident_escalate(potential=potential, user=potential.reporter)
    body = IncidentDetailSerializer(escalated, context={}).data
    assert body["escalated_from"] is None and body["reference"] == escalated.reference
    assert [row["id"] for row in incident_rows(Incident.objects.filter(pk=escalated.pk))] == [escalated.pk]
    cleared = IncidentDetailSerializer(escalated, context={"readable_ids": lambda ids: ids}).data
    assert cleared["escalated_from"]["reference"] == potential.reference  # a clearance that reads it


def test_files_of_reports_and_attachments(api_as, staf_bangka, staf_belitung):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from incidents import services

    incident = make_incident(region_code="19.01")
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    attachment = services.attachment_add(incident=incident, user=incident.reporter,
                                         uploaded_file=SimpleUploadedFile("kronologi.pdf", pdf))
    client = api_as(staf_bangka)
    listed = client.get(f"{INCIDENTS}{incident.pk}/").json()["attachments"]
    assert listed[0]["original_name"] == "kronologi.pdf"
    downloaded = client.get(listed[0]["download"])
    assert downloaded.status_code == 200 and b"".join(downloaded.streaming_content) == pdf
    assert api_as(staf_belitung).get(listed[0]["download"]).status_code == 404
    assert client.get(f"{INCIDENTS}{incident.pk}/attachments/{attachment.pk + 1}/file/").status_code == 404
    assert client.get("/api/v1/incidents/99999999999999999999/").status_code == 404  # beyond a bigint
    InstitutionFactory()  # reference data reads need no scope
    assert client.get("/api/v1/institutions/").status_code == 200


@pytest.mark.parametrize("language", ["id", "en"])
def test_choice_labels_are_the_models_own_in_the_active_language(language):
    from django.utils import translation

    from kesbang.api.serializers import IncidentDetailSerializer

    incident = make_incident(status="dilaporkan", classification="terbatas", severity="tinggi")
    with translation.override(language):
        data = IncidentDetailSerializer(incident, context={}).data
        for name in ("kind", "status", "severity", "classification", "source", "violence_form", "phase",
                     "info_source"):
            assert data[f"{name}_label"] == getattr(incident, f"get_{name}_display")(), name
    assert (data["classification_label"] == "Restricted") is (language == "en")
