"""Incident pages: permission matrix (anonymous, no role, each role, other region, rahasia), query
counts that do not grow with the data, filters and exports, forms with bad input, locking."""

import csv
import datetime
import io
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from incidents import services
from incidents.models import Incident
from tests.factories import incident_category, incident_data, make_incident, make_team, region

pytestmark = pytest.mark.django_db
D = datetime.date


def login(client, user):
    client.force_login(user)
    return client


def bulk_incidents(n: int, *, region_code="19.01", reporter=None, **extra):
    """``n`` reported incidents inserted in one statement (for volume and query-count tests)."""
    from django.contrib.auth import get_user_model

    reporter = reporter or get_user_model().objects.filter(is_superuser=True).first()
    r = region(region_code)
    kec = r.children.order_by("code").first()
    cat = incident_category()
    rows = [
        Incident(
            reference=f"BULK-{region_code}-{uuid.uuid4().hex[:10]}", title=f"Insiden massal {i}",
            chronology="Kronologi.", kind="potensi" if i % 2 else "peristiwa", occurred_on=D(2025, 1, 1)
            + datetime.timedelta(days=i % 600), region=r, kecamatan=kec, source="sda", category=cat,
            severity=["rendah", "sedang", "tinggi", "kritis"][i % 4], status="dilaporkan", reporter=reporter,
            latitude=-2.1 + (i % 50) / 1000, longitude=106.1 + (i % 50) / 1000, **extra,
        )
        for i in range(n)
    ]
    Incident.objects.bulk_create(rows, batch_size=500)
    from kesbang.core import generations

    generations.bump("incidents")  # bulk_create sends no post_save: it says so itself (kesbang.core.generations)


# --- Permission matrix ------------------------------------------------------------------------------


@pytest.fixture
def bangka_incident():
    return make_incident(region_code="19.01", latitude=-1.9, longitude=106.1)


def page_urls(incident):
    pk = incident.pk
    return {
        "list": reverse("incidents:incident_list"),
        "map": reverse("incidents:incident_map"),
        "map_data": reverse("incidents:incident_map_data"),
        "export_xlsx": reverse("incidents:incident_export", args=["xlsx"]),
        "export_csv": reverse("incidents:incident_export", args=["csv"]),
        "detail": reverse("incidents:incident_detail", args=[pk]),
        "history": reverse("incidents:incident_history", args=[pk]),
    }


def test_anonymous_goes_to_login(client, bangka_incident):
    for url in page_urls(bangka_incident).values():
        response = client.get(url)
        assert response.status_code == 302 and "/akun/login/" in response["Location"], url


def test_no_role_is_refused(client, no_role_user, bangka_incident):
    login(client, no_role_user)
    for name, url in page_urls(bangka_incident).items():
        assert client.get(url).status_code == 403, name
    assert client.get(reverse("incidents:incident_create")).status_code == 403


@pytest.mark.parametrize(
    ("who", "detail", "edit", "create"),
    [
        ("staf_provinsi", 200, 200, 200),
        ("pimpinan", 200, 403, 403),
        ("staf_bangka", 200, 200, 200),
        ("staf_belitung", 404, 404, 200),
        ("anggota_tim", 404, 404, 200),
        ("admin_user", 200, 200, 200),
    ],
)
def test_role_matrix(request, client, bangka_incident, who, detail, edit, create):
    user = request.getfixturevalue(who)
    login(client, user)
    assert client.get(reverse("incidents:incident_detail", args=[bangka_incident.pk])).status_code == detail
    assert client.get(reverse("incidents:incident_update", args=[bangka_incident.pk])).status_code == edit
    assert client.get(reverse("incidents:incident_create")).status_code == create
    assert client.get(reverse("incidents:incident_list")).status_code == 200
    listed = bangka_incident.reference in client.get(reverse("incidents:incident_list")).content.decode()
    assert listed == (detail == 200)


def test_rahasia_only_for_pimpinan_staf_provinsi_and_reporter(client, staf_bangka, pimpinan, staf_provinsi):
    secret = services.incident_create(reporter=staf_bangka, submit=True, **incident_data(classification="rahasia"))
    url = reverse("incidents:incident_detail", args=[secret.pk])
    for user, expected in [(staf_bangka, 200), (pimpinan, 200), (staf_provinsi, 200)]:
        login(client, user)
        assert client.get(url).status_code == expected
    other = make_user_bangka2()
    login(client, other)
    assert client.get(url).status_code == 404
    assert secret.reference not in client.get(reverse("incidents:incident_list")).content.decode()
    assert secret.reference not in client.get(reverse("incidents:incident_export", args=["csv"])).content.decode()


def make_user_bangka2():
    from tests.factories import make_user

    return make_user("Staf Kabupaten/Kota", username="staf.bangka2", region_code="19.01")


def test_transition_buttons_by_role(client, staf_bangka, pimpinan, bangka_incident):
    url = reverse("incidents:incident_transition", args=[bangka_incident.pk, "verify"])
    login(client, pimpinan)
    assert client.post(url).status_code == 403
    login(client, staf_bangka)
    response = client.post(url)
    assert response.status_code == 302
    assert Incident.objects.get(pk=bangka_incident.pk).status == "terverifikasi"
    assert client.get(url).status_code == 405


def test_transition_out_of_scope_is_404(client, staf_belitung, bangka_incident):
    login(client, staf_belitung)
    url = reverse("incidents:incident_transition", args=[bangka_incident.pk, "verify"])
    assert client.post(url).status_code == 404


def test_unknown_transition_and_bad_reject(client, staf_provinsi, bangka_incident):
    login(client, staf_provinsi)
    assert client.post(reverse("incidents:incident_transition", args=[bangka_incident.pk, "hapus"])).status_code == 404
    response = client.post(reverse("incidents:incident_transition", args=[bangka_incident.pk, "reject"]),
                           {"reason": ""}, follow=True)
    assert "Tuliskan alasan penolakan." in response.content.decode()
    assert Incident.objects.get(pk=bangka_incident.pk).status == "dilaporkan"


# --- Query counts -------------------------------------------------------------------------------------


def _queries(client, url, *, cold: bool = False) -> int:
    if cold:  # nothing cached: the count, the map's figures and the filter's options are all read
        from django.core.cache import cache

        cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["staf_provinsi", "staf_bangka"])
def test_query_counts_do_not_grow(request, client, admin_user, who):
    user = request.getfixturevalue(who)
    bulk_incidents(10)
    one = make_incident(region_code="19.01", latitude=-1.9, longitude=106.1)
    login(client, user)
    urls = [reverse("incidents:incident_list"),
            reverse("incidents:incident_list") + "?status=dilaporkan&severity=tinggi",
            reverse("incidents:incident_map_data"), reverse("incidents:incident_detail", args=[one.pk]),
            reverse("incidents:incident_map"), reverse("incidents:incident_history", args=[one.pk])]
    small = [_queries(client, u, cold=True) for u in urls]
    bulk_incidents(490)
    large = [_queries(client, u, cold=True) for u in urls]
    # Exact baselines (list, filtered list, map data, detail, map page, history): an N+1 or a new
    # query fails here; a page that got cheaper is lowered here on purpose. The detail's 7th query is the
    # public reports it came from (issue 16), asked only for verifiers (both logins here are). On
    # PostgreSQL the detail sets its join order and resets it (kesbang.core.querysets.joins_in_written_order).
    from django.db import connection

    detail = 9 if connection.vendor == "postgresql" else 7
    assert small == large == [6, 6, 5, detail, 4, 6]


def test_list_count_and_map_are_cached_until_an_incident_write(client, staf_provinsi, staf_bangka,
                                                                 django_capture_on_commit_callbacks):
    """The list's count and the map's figures are computed once per query (the reader's scope and
    filters are part of it) and kept until a write of an incident-side model commits: a new report,
    a status change or a deletion shows at once, and a regency login never gets the province's figures."""
    make_incident(region_code="19.01", severity="tinggi", latitude=-1.9, longitude=106.1)
    make_incident(region_code="19.02", severity="tinggi", latitude=-2.7, longitude=107.6)
    url = reverse("incidents:incident_list") + "?severity=tinggi"
    map_url = reverse("incidents:incident_map_data") + "?severity=tinggi"
    login(client, staf_provinsi)
    first = _queries(client, url, cold=True)
    # The second visit counts nothing again, nor reads the filter's region and category options.
    assert _queries(client, url) == first - 3, "the second visit does not count again"
    assert client.get(url).context["paginator"].count == 2
    first_map = _queries(client, map_url, cold=True)
    assert _queries(client, map_url) == first_map - 3, "the map's two reads and the filter's regions are kept"
    assert sum(client.get(map_url).json()["regions"].values()) == 2

    with django_capture_on_commit_callbacks(execute=True):
        third = make_incident(region_code="19.01", severity="tinggi", latitude=-1.8, longitude=106.0)
    assert client.get(url).context["paginator"].count == 3
    assert sum(client.get(map_url).json()["regions"].values()) == 3
    with django_capture_on_commit_callbacks(execute=True):
        third.severity = "rendah"
        third.save(update_fields=["severity"])
    assert client.get(url).context["paginator"].count == 2
    assert sum(client.get(map_url).json()["regions"].values()) == 2

    # Same address, another scope: the regency login's own figures (its query differs), not the cache's.
    login(client, staf_bangka)
    assert client.get(url).context["paginator"].count == 1
    assert client.get(map_url).json()["regions"] == {"19.01": 1}


# --- Filters and exports ------------------------------------------------------------------------------


def test_filters_and_exports_match(client, staf_provinsi):
    a = make_incident(region_code="19.01", severity="tinggi", title="Bentrok nelayan dan penambang")
    b = make_incident(region_code="19.02", severity="rendah", title="Sengketa batas desa")
    c = make_incident(region_code="19.01", severity="rendah", title="Demo tambang", chronology="Ratusan nelayan demo")
    login(client, staf_provinsi)
    base = reverse("incidents:incident_list")
    html = client.get(base + f"?region={region('19.01').pk}").content.decode()
    assert a.reference in html and c.reference in html and b.reference not in html
    html = client.get(base + "?q=nelayan").content.decode()
    assert a.reference in html and c.reference in html and b.reference not in html
    html = client.get(base + "?severity=tinggi").content.decode()
    assert a.reference in html and c.reference not in html
    response = client.get(reverse("incidents:incident_export", args=["csv"]) + "?q=nelayan")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {r[0] for r in rows[1:]} == {a.reference, c.reference}
    response = client.get(reverse("incidents:incident_export", args=["xlsx"]) + f"?region={region('19.01').pk}")
    assert response.streaming  # sent as it is written
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    refs = {row[0] for row in ws.iter_rows(values_only=True) if row[0] and str(row[0]).startswith("INS-")}
    assert refs == {a.reference, c.reference}
    data = client.get(reverse("incidents:incident_map_data") + "?severity=tinggi").json()
    assert data["regions"] == {"19.01": 1}


def test_bad_filter_values_do_not_500(client, staf_provinsi):
    make_incident()
    login(client, staf_provinsi)
    for query in ["?region=abc", "?date_from=kemarin", "?severity=sangat", "?page=999&per_page=-1", "?sort=xyz",
                  "?category=99999"]:
        assert client.get(reverse("incidents:incident_list") + query).status_code == 200, query
        assert client.get(reverse("incidents:incident_map_data") + query).status_code == 200, query
        assert client.get(reverse("incidents:incident_export", args=["csv"]) + query).status_code == 200


def test_sorting(client, staf_provinsi):
    make_incident(title="Alfa", occurred_on=D(2026, 1, 1))
    make_incident(title="Zulu", occurred_on=D(2026, 2, 1))
    login(client, staf_provinsi)
    html = client.get(reverse("incidents:incident_list") + "?sort=title").content.decode()
    assert html.index("Alfa") < html.index("Zulu")
    html = client.get(reverse("incidents:incident_list") + "?sort=-title").content.decode()
    assert html.index("Zulu") < html.index("Alfa")


# --- Forms ----------------------------------------------------------------------------------------------


def form_post(**overrides):
    kec = region("19.01").children.order_by("code").first()
    data = {
        "title": "Penolakan tambang timah", "kind": "potensi", "occurred_on": "2026-03-02",
        "region": region("19.01").pk, "kecamatan": kec.pk, "desa": kec.children.first().pk,
        "chronology": "Warga berkumpul di balai desa.", "source": "sda", "category": incident_category().pk,
        "severity": "tinggi", "date_precision": "tepat", "violence_form": "tanpa_kekerasan", "phase": "pencegahan",
        "info_source": "anggota_tim", "classification": "biasa", "client_key": str(uuid.uuid4()),
        "action": "submit",
    }
    data.update(overrides)
    return data


def test_quick_entry_reports_once_per_key(client, staf_bangka):
    login(client, staf_bangka)
    url = reverse("incidents:incident_create")
    data = form_post()
    first = client.post(url, data)
    assert first.status_code == 302
    second = client.post(url, data, follow=True)
    assert "sudah diterima sebelumnya" in second.content.decode()
    assert Incident.objects.count() == 1
    assert Incident.objects.get().status == "dilaporkan"


def test_quick_entry_draft(client, staf_bangka):
    login(client, staf_bangka)
    client.post(reverse("incidents:incident_create"), form_post(action="draft"))
    assert Incident.objects.get().status == "draf"


def test_quick_entry_bad_input_is_shown_not_500(client, staf_bangka):
    login(client, staf_bangka)
    response = client.post(reverse("incidents:incident_create"), form_post(killed="-3", latitude="91",
                                                                            longitude="106"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("is-invalid") >= 2
    response = client.post(reverse("incidents:incident_create"), form_post(occurred_on="2999-01-01"))
    assert response.status_code == 200 and "tidak boleh di masa depan" in response.content.decode()
    response = client.post(reverse("incidents:incident_create"), form_post(title="", chronology=""))
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
    response = client.post(reverse("incidents:incident_create"), form_post(region=region("19.02").pk))
    assert response.status_code == 200  # a region outside the login's scope is not a choice
    assert not Incident.objects.exists()


def test_stale_edit_is_refused_with_message(client, staf_bangka, staf_provinsi, bangka_incident):
    url = reverse("incidents:incident_update", args=[bangka_incident.pk])
    data = form_post(title="Versi staf kabupaten", version=bangka_incident.version)
    services.incident_update(incident=bangka_incident, user=staf_provinsi, expected_version=bangka_incident.version,
                             title="Versi provinsi")
    login(client, staf_bangka)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "sudah diubah oleh" in response.content.decode()
    assert Incident.objects.get(pk=bangka_incident.pk).title == "Versi provinsi"


def test_region_children_endpoint_is_scoped(client, staf_bangka):
    login(client, staf_bangka)
    own = client.get(reverse("incidents:region_children", args=[region("19.01").pk]))
    assert own.status_code == 200 and own.json()["children"]
    assert client.get(reverse("incidents:region_children", args=[region("19.02").pk])).status_code == 404
    assert client.get(reverse("incidents:region_children", args=[999999])).status_code == 404


def test_duplicate_check(client, staf_bangka):
    kec = region("19.01").children.order_by("code").first()
    desa = kec.children.first()
    existing = make_incident(region_code="19.01", kecamatan=kec, desa=desa, occurred_on=D(2026, 3, 1))
    login(client, staf_bangka)
    url = reverse("incidents:duplicate_check")
    found = client.get(url, {"desa": desa.pk, "tanggal": "2026-03-03"}).json()["matches"]
    assert [m["ref"] for m in found] == [existing.reference]
    assert client.get(url, {"desa": desa.pk, "tanggal": "2026-03-05"}).json()["matches"] == []
    assert client.get(url, {"desa": "x", "tanggal": "y"}).json()["matches"] == []


def test_follow_up_and_status_forms(client, staf_provinsi):
    incident = make_incident(kind="peristiwa", status="ditangani", handling_team=make_team("19.01"))
    login(client, staf_provinsi)
    response = client.post(reverse("incidents:follow_up_create", args=[incident.pk]),
                           {"date": "2026-03-04", "kind": "koordinasi", "description": "Rapat koordinasi Forkopimda",
                            "transition": "recover"})
    assert response.status_code == 302
    response = client.post(reverse("incidents:conflict_status_create", args=[incident.pk]),
                           {"scale": "kabkota", "decree_number": "188/1", "decree_date": "2026-03-01",
                            "start_date": "2026-03-02", "end_date": "2026-06-01"})
    assert response.status_code == 200 and "paling lama 90 hari" in response.content.decode()
    html = client.get(incident.get_absolute_url()).content.decode()
    assert "Rapat koordinasi Forkopimda" in html and "Pemulihan" in html


def test_outbox_resubmission_answers_json_and_never_duplicates(client, staf_bangka):
    login(client, staf_bangka)
    data = form_post()
    first = client.post(reverse("incidents:incident_create"), data, HTTP_X_REQUESTED_WITH="fetch")
    again = client.post(reverse("incidents:incident_create"), data, HTTP_X_REQUESTED_WITH="fetch")
    assert first.status_code == again.status_code == 200
    assert first.json()["url"] == again.json()["url"] == Incident.objects.get().get_absolute_url()


def test_team_handlers_endpoint_is_scoped(client, staf_bangka):
    from tests.factories import make_member

    own = make_team("19.01")
    member = make_member(own, "anggota", name="Budi Handler")
    other = make_team("19.02")
    make_member(other, "anggota", name="Orang Lain")
    login(client, staf_bangka)
    data = client.get(reverse("incidents:team_handlers", args=[own.pk])).json()
    assert [h["id"] for h in data["handlers"]] == [member.person_id]
    assert client.get(reverse("incidents:team_handlers", args=[other.pk])).status_code == 404
    assert client.get(reverse("incidents:team_handlers", args=[999999])).status_code == 404


def test_quick_entry_takes_attachments(client, staf_bangka, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    login(client, staf_bangka)
    url = reverse("incidents:incident_create")
    pdf = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
    data = form_post(attachments=[SimpleUploadedFile("kronologi.pdf", pdf, "application/pdf")])
    assert client.post(url, data).status_code == 302
    incident = Incident.objects.get()
    assert [a.original_name for a in incident.attachments.all()] == ["kronologi.pdf"]
    # An .exe renamed .pdf: refused with a message on the form, no incident made.
    bad = form_post(attachments=[SimpleUploadedFile("foto.pdf", b"MZ\x90\x00" * 50, "application/pdf")])
    response = client.post(url, bad)
    assert response.status_code == 200 and "tidak diizinkan" in response.content.decode()
    assert Incident.objects.count() == 1


@pytest.mark.parametrize("name,kwarg", [("team_handlers", "team_pk"), ("region_children", "region_pk"),
                                        ("incident_detail", "pk")])
def test_huge_ids_in_urls_are_404_not_500(client, staf_bangka, name, kwarg):
    login(client, staf_bangka)
    url = reverse(f"incidents:{name}", kwargs={kwarg: 1}).replace("/1/", "/" + "9" * 30 + "/")
    assert client.get(url).status_code == 404
