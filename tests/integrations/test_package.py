"""The national submission package built on the demo data: three members, workbooks that open, JSON
that parses, and no incident told beyond the policy's external audience."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from incidents.models import Incident
from incidents.taxonomy import SNPK_CATEGORIES, snpk_code
from kesbang.integrations import package as services
from kesbang.integrations.models import NationalPackage
from tests.api.schema import api_schema_validator
from tests.factories import make_incident, make_user

pytestmark = pytest.mark.django_db


def _zip(package) -> zipfile.ZipFile:
    with package.file.open("rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


def _workbook_text(data: bytes) -> str:
    wb = load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row
                     if c is not None)


@pytest.fixture
def staf(demo):
    return get_user_model().objects.get(username="staf.provinsi")


@pytest.fixture
def planted(demo):
    """Per class an incident of today with a marker in its title and chronology, plus a draft and a
    rejected report that are no incidents."""
    today = timezone.localdate()
    out = {}
    for cls in ("biasa", "terbatas", "rahasia"):
        marker = f"PENANDA-PAKET-{cls.upper()}-z8"
        out[cls] = make_incident(status="terverifikasi", classification=cls, occurred_on=today, region_code="19.02",
                                 title=f"{marker} sengketa lahan", chronology=f"Kronologi {marker}.",
                                 kind="peristiwa", killed=1)
    out["draf"] = make_incident(status="draf", occurred_on=today, title="PENANDA-PAKET-DRAF-z8")
    out["ditolak"] = make_incident(status="ditolak", occurred_on=today, title="PENANDA-PAKET-DITOLAK-z8")
    return out


def build(user, *, kind="tahunan", period=None):
    period = period or str(timezone.localdate().year)
    package = services.package_request(kind=kind, period=period, user=user, enqueue=False)
    built = services.package_build(package_id=package.pk)
    assert built is not None, NationalPackage.objects.get(pk=package.pk).failure_reason
    return built


def test_the_package_on_demo_data(staf, planted):
    package = build(staf)
    year = timezone.localdate().year
    assert package.status == "selesai" and package.progress == 100 and package.version == 1
    with package.file.open("rb") as handle:
        raw = handle.read()
    assert hashlib.sha256(raw).hexdigest() == package.sha256 and len(raw) == package.size
    archive = _zip(package)
    names = archive.namelist()
    assert names == [f"rencana-aksi-terpadu-{year}.xlsx", f"insiden-snpk-{year}.xlsx", f"paket-nasional-{year}.json"]
    plans_xlsx, incidents_xlsx, json_bytes = (archive.read(n) for n in names)

    # The action-plan workbook: the demo's provincial plan, as the plan's own Kemendagri export draws it.
    plans = load_workbook(io.BytesIO(plans_xlsx))
    assert plans.sheetnames[0] == f"RAT {year} 19"
    sheet = plans.worksheets[0]
    assert sheet["A1"].value == "RENCANA AKSI TERPADU PENANGANAN KONFLIK SOSIAL"
    assert [c.value for c in sheet[6]][:3] == ["No", "Tahap", "Kegiatan"]

    # The incident table: SNPK codes, full rows for biasa, a reference row for terbatas, rahasia not named.
    incidents = load_workbook(io.BytesIO(incidents_xlsx))
    assert incidents.sheetnames == ["Insiden", "Ringkasan"]
    table = list(incidents["Insiden"].iter_rows(values_only=True))
    header_row = next(i for i, row in enumerate(table) if row and row[0] == "Nomor")
    headers = table[header_row]
    rows = {row[0]: dict(zip(headers, row, strict=False)) for row in table[header_row + 1:] if row[0]}
    biasa, terbatas = rows[planted["biasa"].reference], rows[planted["terbatas"].reference]
    category = planted["biasa"].category
    assert biasa["Kode SNPK"] == snpk_code(category.name, category.parent.name if category.parent else None)
    assert biasa["Kode SNPK"].startswith("SNPK-") and biasa["Judul"].startswith("PENANDA-PAKET-BIASA-z8")
    assert biasa["Meninggal"] == 1 and biasa["Keterangan pengungkapan"] == "lengkap"
    assert terbatas["Judul"] is None and terbatas["Kode SNPK"] is None and terbatas["Keparahan"]
    assert terbatas["Keterangan pengungkapan"] == "hanya nomor (terbatas)"
    assert planted["rahasia"].reference not in rows
    summary = {row[0]: row[1] for row in incidents["Ringkasan"].iter_rows(values_only=True) if row and row[0]}
    assert summary["Hanya dihitung, tidak dirinci (rahasia)"] == 1

    # The JSON: the API's own representations, valid against the OpenAPI document's components; the
    # files' checksums; the same policy.
    document = json.loads(json_bytes)
    validator = api_schema_validator("NationalPackageDocument")
    validator.validate(document)
    for path, value in ((("incidents", 0, "killed"), "1"), (("incidents_by_reference", 0, "region"), None),
                        (("counts", "total"), None)):
        broken = json.loads(json_bytes)
        *parents, last = path
        target = broken
        for key in parents:
            target = target[key]
        target[last] = value
        assert not validator.is_valid(broken), path  # a real validation: a wrong type or a null is refused
    broken = json.loads(json_bytes)
    del broken["incidents"][0]["category"]["snpk_code"]
    assert not validator.is_valid(broken)
    assert document["schema_version"] == "2.0" and document["audience"] == "external"
    assert document["period"]["code"] == str(year) and document["province"]["code"] == "19"
    assert document["province"]["name"] == "Kepulauan Bangka Belitung"
    assert document["files"][names[0]]["sha256"] == hashlib.sha256(plans_xlsx).hexdigest()
    assert document["files"][names[1]]["sha256"] == hashlib.sha256(incidents_xlsx).hexdigest()
    by_ref = {i["reference"]: i for i in document["incidents"]}
    biasa_json = by_ref[planted["biasa"].reference]
    assert biasa_json["title"].startswith("PENANDA-PAKET-BIASA-z8") and biasa_json["killed"] == 1
    assert biasa_json["category"]["snpk_code"] == biasa["Kode SNPK"]
    assert biasa_json["url"] == f"/api/v1/incidents/{planted['biasa'].pk}/"
    # The package leaves the office: no login names (reporter, who changed the status or wrote a
    # follow-up), while the same incident in the API names them.
    assert biasa_json["reporter"] is None and planted["biasa"].reporter.username not in json_bytes.decode()
    assert all(t["by"] is None for t in biasa_json["transitions"])
    assert all(f["created_by"] is None for f in biasa_json["follow_ups"])
    by_number = {i["reference"]: i for i in document["incidents_by_reference"]}
    terbatas_json = by_number[planted["terbatas"].reference]
    assert terbatas_json == {
        "reference": planted["terbatas"].reference, "kind": "peristiwa", "kind_label": "Peristiwa konflik",
        "severity": planted["terbatas"].severity, "severity_label": planted["terbatas"].get_severity_display(),
        "classification": "terbatas", "classification_label": "Terbatas",
        "region": {"id": planted["terbatas"].region_id, "code": "19.02", "name": "Kabupaten Belitung"}}
    assert planted["terbatas"].reference not in by_ref and planted["rahasia"].reference not in by_ref
    assert document["counts"]["counted"] == 1 and document["counts"]["by_classification"]["rahasia"] == 1
    expected_total = Incident.objects.filter(occurred_on__year=year).exclude(status__in=["draf", "ditolak"]).count()
    assert document["counts"]["total"] == expected_total == len(rows) + document["counts"]["counted"]
    assert len(document["incidents"]) + len(document["incidents_by_reference"]) == len(rows)
    assert document["counts"]["reference"] == len(document["incidents_by_reference"])
    assert document["action_plans"] and document["action_plans"][0]["team"]["name"]
    assert {"B04", "B08", "B12"} == {p["period"] for p in document["action_plans"][0]["phases"][0]["activities"][0][
        "periods"]}

    # The API serves the same document to who may download the package, and its metadata.
    from tests.api.conftest import make_token, token_client

    api = token_client(make_token(staf)[1])
    served = api.get(f"/api/v1/national-packages/{package.pk}/document/")
    assert served.status_code == 200 and served.json() == document
    listed = api.get("/api/v1/national-packages/").json()["results"]
    assert listed[0]["id"] == package.pk
    assert listed[0]["document"] == f"/api/v1/national-packages/{package.pk}/document/"
    api_schema_validator("NationalPackage").validate(listed[0])

    # Nothing anywhere in the zip names the rahasia incident, the draft or the rejected report, and
    # the terbatas one appears by its number only.
    everything = "\n".join([_workbook_text(plans_xlsx), _workbook_text(incidents_xlsx), json_bytes.decode()])
    for leak in ("PENANDA-PAKET-RAHASIA-z8", planted["rahasia"].reference, "PENANDA-PAKET-TERBATAS-z8",
                 "PENANDA-PAKET-DRAF-z8", "PENANDA-PAKET-DITOLAK-z8"):
        assert leak not in everything, leak
    assert planted["terbatas"].reference in everything
    assert package.summary["counts"]["total"] == expected_total and package.summary["plans"] >= 1


def test_only_incidents_the_requester_may_read(staf, planted):
    """A requester who lost the right to read rahasia (the role changed) gets no count of them either."""
    package = build(staf)
    assert package.summary["counts"]["by_classification"]["rahasia"] == 1
    superuser = make_user("Administrator", username="paket.super", superuser=True)
    restricted = services.package_request(kind="tahunan", period=str(timezone.localdate().year), user=superuser,
                                          enqueue=False)
    restricted.requested_by = make_user("Staf Kabupaten/Kota", username="paket.kab", region_code="19.01")
    restricted.save()
    built = services.package_build(package_id=restricted.pk)
    assert "rahasia" not in built.summary["counts"]["by_classification"]
    assert built.summary["counts"]["total"] < package.summary["counts"]["total"]


def test_only_province_staff_request(demo):
    with pytest.raises(PermissionDenied):
        services.package_request(kind="tahunan", period="2026", user=get_user_model().objects.get(username="pimpinan"))
    with pytest.raises(PermissionDenied):
        services.package_request(kind="tahunan", period="2026",
                                 user=get_user_model().objects.get(username="staf.bangka"))


@pytest.mark.parametrize(("kind", "period", "message"), [
    ("caturwulan", "2026-B13", "tidak sesuai jenis laporan"),
    ("mingguan", "2026", "Jenis laporan tidak dikenal"),
    ("tahunan", "2099", "belum dimulai"),
    ("bulanan", "2026-13", "Bulan harus antara 01 dan 12"),
])
def test_bad_periods_are_refused_in_indonesian(staf, kind, period, message):
    with pytest.raises(ValidationError) as exc:
        services.package_request(kind=kind, period=period, user=staf, enqueue=False)
    assert message in " ".join(exc.value.messages)
    assert not NationalPackage.objects.exists()


def test_versions_claims_and_the_sweeper(staf):
    first = services.package_request(kind="caturwulan", period="2026-B08", user=staf, enqueue=False)
    second = services.package_request(kind="caturwulan", period="2026-B08", user=staf, enqueue=False)
    assert (first.version, second.version) == (1, 2)
    assert services.package_claim(first.pk) is not None
    assert services.package_claim(first.pk) is None  # a second copy of the message: another worker holds it
    assert services.packages_stuck() == []
    later = timezone.now() + datetime.timedelta(minutes=10)
    NationalPackage.objects.filter(pk=second.pk).update(progress_at=later - datetime.timedelta(minutes=30))
    assert second.pk in services.packages_stuck()
    built = services.package_build(package_id=second.pk)
    assert built.status == "selesai"
    assert services.package_build(package_id=second.pk) is None  # done: a late duplicate does nothing


def test_a_failure_is_recorded_in_indonesian(staf, monkeypatch):
    package = services.package_request(kind="caturwulan", period="2026-B04", user=staf, enqueue=False)

    def broken(*args, **kwargs):
        raise RuntimeError("disk penuh")

    monkeypatch.setattr(services, "incidents_workbook", broken)
    assert services.package_build(package_id=package.pk) is None
    package.refresh_from_db()
    assert package.status == "gagal" and "Terjadi kesalahan saat membuat paket (RuntimeError)" in package.failure_reason
    assert not package.file


def test_snpk_codes_follow_the_codebook():
    assert snpk_code("Konflik Sumber Daya") == "SNPK-01"
    assert snpk_code("Antaragama", "Konflik Identitas") == "SNPK-04.02"
    assert snpk_code("KDRT") == f"SNPK-{len(SNPK_CATEGORIES):02d}"
    assert snpk_code("Kategori buatan admin") == "" and snpk_code("Lain", "Konflik Identitas") == ""
