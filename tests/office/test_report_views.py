"""Report pages: who sees which report (archive, detail, status, downloads), the request form's
refusals in Indonesian, and pinned query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kesbang.office.models import Report
from kesbang.office.reports import services
from tests.conftest import own_callbacks
from tests.factories import region
from tests.office.office_data import build_office_dataset

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(built_once, django_capture_on_commit_callbacks):
    def build():
        build_office_dataset()
        with django_capture_on_commit_callbacks(execute=False):
            province = services.report_request(kind="caturwulan", period="2026-B08", region=region("19"))
            bangka = services.report_request(kind="caturwulan", period="2026-B08", region=region("19.01"))
        for r in (province, bangka):
            services.report_generate(report_id=r.pk)
        return {"province": province.pk, "bangka": bangka.pk}

    ids = built_once("office reports 2026-B08", build)  # two reports built (PDF and .xlsx) once per run
    return {key: Report.objects.get(pk=pk) for key, pk in ids.items()}


def urls(report):
    return [f"/laporan/{report.pk}/", f"/laporan/{report.pk}/status.json", f"/laporan/{report.pk}/unduh/pdf/",
            f"/laporan/{report.pk}/unduh/xlsx/"]


@pytest.mark.parametrize(("who", "province", "bangka"), [
    ("pimpinan", 200, 200),
    ("staf_provinsi", 200, 200),
    ("admin_user", 200, 200),
    ("staf_bangka", 404, 200),
    ("staf_belitung", 404, 404),
    ("anggota_tim", 403, 403),
    ("no_role_user", 403, 403),
])
def test_detail_status_and_downloads_by_role(client, request, reports, who, province, bangka):
    client.force_login(request.getfixturevalue(who))
    for url in urls(reports["province"]):
        assert client.get(url).status_code == province, url
    for url in urls(reports["bangka"]):
        assert client.get(url).status_code == bangka, url


def test_anonymous_goes_to_login(client, reports):
    for url in ["/laporan/", *urls(reports["province"])]:
        response = client.get(url)
        assert response.status_code == 302 and "/akun/login/" in response["Location"]


def test_archive_lists_only_what_the_login_may_see(client, reports, staf_bangka, pimpinan, anggota_tim):
    client.force_login(staf_bangka)
    page = client.get("/laporan/").content.decode()
    assert f"/laporan/{reports['bangka'].pk}/" in page and f"/laporan/{reports['province'].pk}/" not in page
    assert "/laporan/minta/" not in page  # no request button without the right
    client.force_login(pimpinan)
    page = client.get("/laporan/").content.decode()
    assert f"/laporan/{reports['bangka'].pk}/" in page and f"/laporan/{reports['province'].pk}/" in page
    client.force_login(anggota_tim)
    assert client.get("/laporan/").status_code == 403


def test_download_is_the_file_with_its_checksum(client, reports, pimpinan):
    client.force_login(pimpinan)
    response = client.get(f"/laporan/{reports['province'].pk}/unduh/pdf/")
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF") and response["Content-Disposition"].startswith("attachment")
    assert "laporan-caturwulan-2026-B08-19-v1.pdf" in response["Content-Disposition"]
    assert response["X-Content-SHA256"] == reports["province"].pdf_sha256
    assert client.get(f"/laporan/{reports['province'].pk}/unduh/docx/").status_code == 404


def test_status_json(client, reports, pimpinan):
    client.force_login(pimpinan)
    data = client.get(f"/laporan/{reports['province'].pk}/status.json").json()
    assert data["status"] == "selesai" and data["progress"] == 100 and data["done"] is True
    assert data["downloads"]["pdf"].endswith("/unduh/pdf/")


def test_request_form_permissions_and_bad_input(client, staf_provinsi, staf_bangka, pimpinan,
                                                django_capture_on_commit_callbacks):
    for user in (staf_bangka, pimpinan):
        client.force_login(user)
        assert client.get("/laporan/minta/").status_code == 403
    client.force_login(staf_provinsi)
    assert client.get("/laporan/minta/").status_code == 200
    province = region("19").pk
    bad = client.post("/laporan/minta/", {"kind": "caturwulan", "period": "2026-B13", "region": province})
    assert bad.status_code == 200 and "tidak sesuai jenis laporan" in bad.content.decode()
    bad = client.post("/laporan/minta/", {"kind": "harian", "period": "2026", "region": province})
    assert bad.status_code == 200 and not Report.objects.exists()
    bad = client.post("/laporan/minta/", {"kind": "tahunan", "period": "2026", "region": "abc"})
    assert bad.status_code == 200 and not Report.objects.exists()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ok = client.post("/laporan/minta/", {"kind": "caturwulan", "period": "2026-b08", "region": province})
    report = Report.objects.get()
    assert ok.status_code == 302 and ok["Location"] == f"/laporan/{report.pk}/"
    assert report.period == "2026-B08" and report.requested_by == staf_provinsi and len(own_callbacks(callbacks)) == 1


def test_regency_staff_cannot_change_or_regenerate(client, reports, staf_bangka, pimpinan):
    for user in (staf_bangka, pimpinan):
        client.force_login(user)
        for action in ("narasi", "finalkan", "buat-ulang", "kirim"):
            assert client.post(f"/laporan/{reports['bangka'].pk}/{action}/").status_code == 403


def test_finalise_then_narrative_refused_and_regenerate_makes_v2(client, reports, staf_provinsi,
                                                                 django_capture_on_commit_callbacks):
    client.force_login(staf_provinsi)
    pk = reports["province"].pk
    with django_capture_on_commit_callbacks(execute=False):
        client.post(f"/laporan/{pk}/narasi/", {"narrative": "Situasi Babel kondusif."})
    services.report_generate(report_id=pk)
    assert client.post(f"/laporan/{pk}/finalkan/").status_code == 302
    response = client.post(f"/laporan/{pk}/narasi/", {"narrative": "ubah"}, follow=True)
    assert "sudah difinalkan" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(f"/laporan/{pk}/buat-ulang/")
    new = Report.objects.get(kind="caturwulan", period="2026-B08", region__code="19", version=2)
    assert response["Location"] == f"/laporan/{new.pk}/" and new.narrative == "Situasi Babel kondusif."
    assert Report.objects.get(pk=pk).narrative == "Situasi Babel kondusif."


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow(client, reports, pimpinan, django_capture_on_commit_callbacks):
    client.force_login(pimpinan)
    count_queries(client, "/laporan/")
    list_before = count_queries(client, "/laporan/")
    detail_before = count_queries(client, f"/laporan/{reports['province'].pk}/")
    with django_capture_on_commit_callbacks(execute=False):
        for _ in range(12):
            services.report_regenerate(report=reports["province"])
    assert count_queries(client, "/laporan/") == list_before <= 8
    assert count_queries(client, f"/laporan/{reports['province'].pk}/") == detail_before <= 8
