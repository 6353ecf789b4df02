"""Member import from Excel: template, upload checks, preview (nothing saved), confirm (all or nothing),
row errors in Indonesian, permissions."""

import datetime
import io

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from teams import imports
from teams.models import Membership, Person
from tests.factories import InstitutionFactory, PersonFactory, make_member, make_team

pytestmark = pytest.mark.django_db

HEADERS = ["Nama", "NIP", "Jabatan", "Instansi", "Kedudukan dalam tim", "Telepon", "Email", "Tanggal mulai",
           "Nomor SK"]


def xlsx_bytes(rows, headers=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Anggota"
    if headers is not None:
        sheet.append(headers)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(data: bytes, name: str = "anggota.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=imports.XLSX_CONTENT_TYPE)


def row(name="Drs. H. Tarmin, M.Si.", nip="", position="Kepala Badan", institution="Polda Babel", role="Anggota",
        phone="0812-1111-2222", email="", start=None, decree=""):
    return [name, nip, position, institution, role, phone, email, start, decree]


@pytest.fixture
def polda(db):
    return InstitutionFactory(name="Kepolisian Daerah Kepulauan Bangka Belitung", short_name="Polda Babel")


@pytest.fixture
def kesbang(db):
    return InstitutionFactory(name="Badan Kesatuan Bangsa dan Politik Kabupaten Bangka", short_name="Kesbangpol Bangka")


@pytest.fixture
def team(db):
    return make_team("19.01")


@pytest.fixture
def client_bangka(client, staf_bangka):
    client.force_login(staf_bangka)
    return client


def import_url(team):
    return reverse("teams:team_members_import", args=[team.pk])


def post_file(client, team, data, name="anggota.xlsx"):
    return client.post(import_url(team), {"file": upload(data, name)})


def preview_of(client, team, data):
    response = post_file(client, team, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    return response["Location"], preview


def page_messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- The template ----------------------------------------------------------------------------------


def test_template_has_headers_dropdown_and_instructions(client_bangka, polda):
    response = client_bangka.get(reverse("teams:team_members_import_template"))
    assert response.status_code == 200
    assert response["Content-Type"] == imports.XLSX_CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Anggota", "Petunjuk"]
    sheet = workbook["Anggota"]
    assert [c.value for c in sheet[1]] == HEADERS
    assert all(c.font.bold for c in sheet[1])
    assert sheet.column_dimensions["A"].width >= 30
    assert sheet["B2"].number_format == "@"  # NIP typed as text keeps its 18 digits
    role_lists = [dv for dv in sheet.data_validations.dataValidation if "E2" in str(dv.sqref)]
    assert role_lists and "Koordinator Bidang Pencegahan" in role_lists[0].formula1
    help_text = " ".join(str(c.value) for r in workbook["Petunjuk"].iter_rows() for c in r if c.value)
    for expected in ("Ketua", "Wakil Ketua", "Sekretaris", "Koordinator Bidang Pemulihan", "Anggota",
                     "Kepolisian Daerah Kepulauan Bangka Belitung", "Polda Babel", "18 angka"):
        assert expected in help_text


def test_the_template_itself_reads_back_as_a_header_without_rows(client_bangka, team):
    template = client_bangka.get(reverse("teams:team_members_import_template")).content
    response = post_file(client_bangka, team, template)
    assert response.status_code == 400
    assert "tidak berisi data anggota" in response.content.decode()


# --- A good file -----------------------------------------------------------------------------------


def test_good_file_previews_without_saving_then_confirm_saves_all(client_bangka, team, polda, kesbang):
    known = PersonFactory(name="AKBP Joko Susilo, S.I.K.", nip="198001012005011001", institution=polda,
                          region=team.region)
    people_before = Person.objects.count()
    data = xlsx_bytes([
        row("Drs. Ahmad Yani, M.Si.", nip="197501012000031002", institution="Badan Kesatuan Bangsa dan Politik "
            "Kabupaten Bangka", role="ketua", email="ahmad@bangka.go.id", start=datetime.date(2025, 3, 1),
            decree="188.45/1/2025"),
        row("AKBP Joko Susilo", nip="198001012005011001", institution="polda babel", role="WAKIL KETUA"),
        row("Rina Oktaviani, S.IP.", institution="Kesbangpol Bangka", role="Sekretaris", start="05/03/2025"),
        row("Budi Santoso", institution="Polda Babel", role="Koordinator Bidang Pencegahan", phone=8127001234),
    ])
    preview_url, preview = preview_of(client_bangka, team, data)
    html = preview.content.decode()
    assert "Drs. Ahmad Yani, M.Si." in html and "Budi Santoso" in html
    assert "Simpan 4 anggota" in html
    assert Membership.objects.filter(team=team).count() == 0
    assert Person.objects.count() == people_before

    response = client_bangka.post(preview_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("teams:team_detail", args=[team.pk])
    assert any("4 anggota disimpan" in m for m in page_messages(response))
    members = {m.person.name: m for m in Membership.objects.filter(team=team).select_related("person")}
    assert set(members) == {"Drs. Ahmad Yani, M.Si.", "AKBP Joko Susilo, S.I.K.", "Rina Oktaviani, S.IP.",
                            "Budi Santoso"}
    assert members["AKBP Joko Susilo, S.I.K."].person == known  # reused by NIP, not duplicated
    assert Person.objects.count() == people_before + 3
    ketua = members["Drs. Ahmad Yani, M.Si."]
    assert (ketua.role, ketua.start_date, ketua.decree_number) == ("ketua", datetime.date(2025, 3, 1), "188.45/1/2025")
    assert ketua.person.nip == "197501012000031002" and ketua.person.region == team.region
    assert ketua.person.institution == kesbang
    assert members["Rina Oktaviani, S.IP."].start_date == datetime.date(2025, 3, 5)
    assert members["Budi Santoso"].person.phone == "08127001234"  # leading zero restored
    # The preview is used up: a second confirm cannot save twice.
    again = client_bangka.post(preview_url)
    assert again.status_code == 302 and Membership.objects.filter(team=team).count() == 4
    detail = client_bangka.get(reverse("teams:team_detail", args=[team.pk]))
    assert "Budi Santoso" in detail.content.decode()


def test_person_matched_by_name_and_institution_is_reused(client_bangka, team, polda):
    existing = PersonFactory(name="Iptu Sarah Amalia", institution=polda, region=team.region, nip="")
    data = xlsx_bytes([row("iptu  sarah amalia", institution="Polda Babel")])
    preview_url, preview = preview_of(client_bangka, team, data)
    assert "sudah terdaftar" in preview.content.decode()
    client_bangka.post(preview_url)
    assert Membership.objects.get(team=team).person == existing


def test_start_date_defaults_to_today_within_the_team_period(client_bangka, team, polda):
    preview_url, _preview = preview_of(client_bangka, team, xlsx_bytes([row()]))
    client_bangka.post(preview_url)
    assert Membership.objects.get(team=team).start_date == imports.default_start_date(team)


# --- Bad rows: shown in Indonesian, nothing saved, confirm refused ---------------------------------


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([row(name="")], "Nama wajib diisi."),
        ([row(institution="Dinas Antah Berantah")], "Instansi \"Dinas Antah Berantah\" tidak ditemukan"),
        ([row(nip="12345")], "NIP \"12345\" tidak sah: NIP harus terdiri dari 18 angka."),
        ([row(nip=198001012005011001.0)], "NIP terbaca sebagai angka oleh Excel"),
        ([row(email="bukan-email")], "Email \"bukan-email\" tidak sah."),
        ([row(role="Bendahara")], "Kedudukan \"Bendahara\" tidak dikenal"),
        ([row(start="31/02/2025")], "Tanggal mulai \"31/02/2025\" tidak dapat dibaca"),
        ([row(start=datetime.date(2024, 1, 1))], "Tanggal mulai tidak boleh sebelum masa tugas tim dimulai"),
        ([row("A", role="Ketua"), row("B", role="ketua")], "Kedudukan Ketua hanya boleh satu orang, tetapi sudah "
                                                           "diisi di baris 2"),
        ([row("A", role="Sekretaris"), row("B", role="Sekretaris")], "Kedudukan Sekretaris hanya boleh satu orang"),
        ([row("Sama", nip="198001012005011009"), row("Lain", nip="198001012005011009")],
         "Orang yang sama sudah tercantum di baris 2"),
        ([row("Sama Persis"), row("sama  persis")], "Orang yang sama sudah tercantum di baris 2"),
    ],
    ids=["missing-name", "unknown-institution", "bad-nip", "nip-as-number", "bad-email", "unknown-role",
         "bad-date", "date-before-team", "two-ketua", "two-sekretaris", "same-nip-twice", "same-name-twice"],
)
def test_bad_rows_are_reported_and_nothing_is_saved(client_bangka, team, polda, rows, message):
    people_before = Person.objects.count()
    preview_url, preview = preview_of(client_bangka, team, xlsx_bytes(rows))
    html = preview.content.decode().replace("&quot;", '"')
    assert message in html
    assert 'id="import-confirm"' not in html
    assert "Tidak ada yang disimpan" in html
    refused = client_bangka.post(preview_url)
    assert refused.status_code == 400
    assert Membership.objects.filter(team=team).count() == 0
    assert Person.objects.count() == people_before


def test_role_conflict_with_the_active_ketua_of_the_team(client_bangka, team, polda):
    current = make_member(team, "ketua", name="Ir. Ketua Lama")
    preview_url, preview = preview_of(client_bangka, team, xlsx_bytes([row("Ketua Baru", role="Ketua")]))
    assert "Tim ini sudah memiliki Ketua aktif (Ir. Ketua Lama)" in preview.content.decode()
    assert client_bangka.post(preview_url).status_code == 400
    assert list(Membership.objects.filter(team=team)) == [current]


def test_person_already_an_active_member_is_refused(client_bangka, team, polda):
    member = make_member(team, "anggota", name="Serda Wahyu", institution=polda, nip="199001012015031001")
    _url, preview = preview_of(client_bangka, team, xlsx_bytes([row("Serda Wahyu", nip="199001012015031001")]))
    assert "Orang ini sudah menjadi anggota aktif tim ini sebagai Anggota." in preview.content.decode()
    assert Membership.objects.filter(team=team).count() == 1 and member.is_active


def test_one_bad_row_blocks_the_good_ones(client_bangka, team, polda):
    preview_url, preview = preview_of(client_bangka, team, xlsx_bytes([row("Baik Satu"), row("Baik Dua"), row("")]))
    html = preview.content.decode()
    assert "Baik Satu" in html and "Nama wajib diisi." in html
    assert 'id="import-confirm"' not in html
    assert client_bangka.post(preview_url).status_code == 400
    assert not Membership.objects.filter(team=team).exists()
    assert not Person.objects.filter(name__startswith="Baik").exists()


def test_confirm_revalidates_against_data_changed_since_the_preview(client_bangka, team, polda):
    preview_url, preview = preview_of(client_bangka, team, xlsx_bytes([row("Calon Ketua", role="Ketua"),
                                                                      row("Anggota Biasa")]))
    assert 'id="import-confirm"' in preview.content.decode()
    make_member(team, "ketua", name="Ketua Kilat")  # somebody else seated a Ketua meanwhile
    response = client_bangka.post(preview_url)
    assert response.status_code == 400
    assert "Tidak ada yang disimpan" in " ".join(page_messages(response))
    assert "Tim ini sudah memiliki Ketua aktif (Ketua Kilat)" in response.content.decode()
    assert Membership.objects.filter(team=team).count() == 1


# --- Files that cannot be used ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"Nama,NIP\nBudi,123\n", "anggota.xlsx", "tidak dapat dibaca sebagai buku kerja Excel"),
        (b"PK\x03\x04 not really a zip", "anggota.xlsx", "tidak dapat dibaca sebagai buku kerja Excel"),
        (b"Nama,NIP\nBudi,123\n", "anggota.csv", "Hanya berkas Excel berekstensi .xlsx"),
        (b"", "anggota.xlsx", "Berkas yang diunggah kosong."),
        (b"0" * (imports.MAX_UPLOAD_BYTES + 1), "anggota.xlsx", "Berkas terlalu besar (2,0 MB). Batas ukuran berkas "
                                                                  "impor adalah 2 MB."),
        (xlsx_bytes([], headers=HEADERS), "anggota.xlsx", "tidak berisi data anggota"),
        (xlsx_bytes([], headers=None), "anggota.xlsx", "Baris judul kolom tidak ditemukan"),
        (xlsx_bytes([["Budi", "Polda Babel"]], headers=["Nama Lengkap", "Kantor"]), "anggota.xlsx",
         "Kolom wajib yang tidak ditemukan: Jabatan, Instansi, Kedudukan dalam tim. Kolom yang tidak dikenal: Kantor."),
        (xlsx_bytes([["Budi", "Polda Babel"]], headers=["Personel", "Kantor"]), "anggota.xlsx",
         "Kolom wajib yang tidak ditemukan: Nama, Jabatan, Instansi, Kedudukan dalam tim."),
        (xlsx_bytes([row()], headers=[*HEADERS, "Nama"]), "anggota.xlsx",
         "Kolom \"Nama\" muncul lebih dari sekali"),
        (xlsx_bytes([row()] * (imports.MAX_ROWS + 1)), "anggota.xlsx", "lebih dari 500 baris"),
    ],
    ids=["text-renamed", "fake-zip", "csv", "empty", "too-large", "header-only", "no-header", "wrong-header",
         "unknown-header", "duplicate-header", "too-many-rows"],
)
def test_unusable_files_are_refused_with_a_clear_message(client_bangka, team, polda, data, name, message):
    response = post_file(client_bangka, team, data, name)
    assert response.status_code == 400
    html = response.content.decode().replace("&quot;", '"')
    assert message in html
    assert not any(k.startswith(imports.SESSION_PREFIX) for k in list(client_bangka.session.keys()))
    assert not Membership.objects.exists()


def test_no_file_chosen(client_bangka, team):
    response = client_bangka.post(import_url(team), {})
    assert response.status_code == 400
    assert "Pilih berkas Excel (.xlsx)" in response.content.decode()


def test_size_is_checked_before_parsing(team, monkeypatch):
    monkeypatch.setattr(imports, "_open_workbook", lambda data: pytest.fail("parsed a file that is too large"))
    big = upload(b"x" * (imports.MAX_UPLOAD_BYTES + 10))
    with pytest.raises(ValidationError, match="terlalu besar"):
        imports.read_workbook(big)


def test_header_row_below_a_title_and_extra_columns_are_tolerated(client_bangka, team, polda):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Daftar anggota tim terpadu Kabupaten Bangka"])
    sheet.append([])
    sheet.append(["No", *HEADERS, "Keterangan"])
    sheet.append([1, *row("Dengan Judul"), "catatan"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    _url, preview = preview_of(client_bangka, team, buffer.getvalue())
    assert "Dengan Judul" in preview.content.decode()
    assert 'id="import-confirm"' in preview.content.decode()


def test_ended_team_takes_no_import(client_bangka, team, polda):
    from teams.services import team_end

    team_end(team=team, end_date=datetime.date(2025, 6, 30))
    response = client_bangka.get(import_url(team))
    assert "Tim ini sudah berakhir" in response.content.decode()
    response = post_file(client_bangka, team, xlsx_bytes([row()]))
    assert response.status_code == 302 and not Membership.objects.exists()


# --- Session token ---------------------------------------------------------------------------------


def test_unknown_or_foreign_token_goes_back_to_upload(client_bangka, team, polda):
    other = make_team("19.04")  # Bangka Tengah: not managed by staf.bangka, but the token test is about keys
    preview_url, _preview = preview_of(client_bangka, team, xlsx_bytes([row()]))
    token = preview_url.rstrip("/").rsplit("/", 1)[-1]
    bogus = reverse("teams:team_members_import_preview", args=[team.pk, "A" * 24])
    response = client_bangka.post(bogus)
    assert response.status_code == 302 and response["Location"] == import_url(team)
    assert "kedaluwarsa" in " ".join(page_messages(response))
    # A token is bound to its team: the same token under another team id is not found there.
    key = f"{imports.SESSION_PREFIX}.{other.pk}.{token}"
    assert key not in client_bangka.session
    assert not Membership.objects.exists()


# --- Permissions -----------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, team):
    for url in (import_url(team), reverse("teams:team_members_import_template"),
                reverse("teams:team_members_import_preview", args=[team.pk, "A" * 24])):
        response = client.get(url)
        assert response.status_code == 302 and "/akun/login/" in response["Location"]


def test_other_region_is_404(client, staf_belitung, team):
    client.force_login(staf_belitung)
    assert client.get(import_url(team)).status_code == 404
    assert post_file(client, team, xlsx_bytes([row()])).status_code == 404
    assert client.post(reverse("teams:team_members_import_preview", args=[team.pk, "A" * 24])).status_code == 404


def test_read_only_role_is_403(client, pimpinan, team):
    client.force_login(pimpinan)
    assert client.get(import_url(team)).status_code == 403
    assert post_file(client, team, xlsx_bytes([row()])).status_code == 403
    assert not any(k.startswith(imports.SESSION_PREFIX) for k in list(client.session.keys()))


def test_login_without_role_is_refused(client, no_role_user, team):
    client.force_login(no_role_user)
    # 404 when the login sees no team at all, 403 when it sees the team but holds no permission.
    assert client.get(import_url(team)).status_code in (403, 404)
    assert post_file(client, team, xlsx_bytes([row()])).status_code in (403, 404)
    assert not Membership.objects.exists()


def test_read_only_role_cannot_download_the_template(client, pimpinan):
    client.force_login(pimpinan)
    assert client.get(reverse("teams:team_members_import_template")).status_code == 403


def test_province_staff_may_import_into_a_regency_team(client, staf_provinsi, team, polda):
    client.force_login(staf_provinsi)
    preview_url, _preview = preview_of(client, team, xlsx_bytes([row()]))
    assert client.post(preview_url).status_code == 302
    assert Membership.objects.filter(team=team).count() == 1


def test_the_service_checks_rights_itself(team, pimpinan, polda):
    rows = [{"number": 2, **dict(zip(imports.COLUMN_KEYS, map(str, row()), strict=True))}]
    with pytest.raises(PermissionDenied):
        imports.members_import(team=team, rows=rows, user=pimpinan)
    assert not Membership.objects.exists()


# --- Cost ------------------------------------------------------------------------------------------


def test_preview_queries_do_not_grow_with_rows(client_bangka, team, polda, django_assert_max_num_queries):
    rows = [row(f"Anggota Nomor {i}", nip=f"19800101200501{i:04d}") for i in range(120)]
    preview_url, _preview = preview_of(client_bangka, team, xlsx_bytes(rows))
    with django_assert_max_num_queries(14):
        response = client_bangka.get(preview_url)
    assert "Simpan 120 anggota" in response.content.decode()


# --- Hostile workbooks: refused before openpyxl reads them -----------------------------------------


def _rebuilt(data: bytes, replace: dict | None = None, *, bomb_part: str | None = None, bomb_mb: int = 0,
             encrypt_flag: bool = False) -> bytes:
    """A copy of the workbook ``data`` with parts replaced, one part turned into ``bomb_mb`` MB of
    repeated XML written streaming (the test never holds it in memory), or every part flagged as
    encrypted."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if info.filename == bomb_part:
                continue
            body = (replace or {}).get(info.filename, source.read(info.filename))
            target.writestr(info.filename, body)
        if bomb_part:
            with target.open(bomb_part, "w", force_zip64=True) as part:
                part.write(b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                           b'2006/main">')
                chunk = b"<si><t>bom</t></si>" * (1024 * 1024 // 19)
                for _ in range(bomb_mb):
                    part.write(chunk)
                part.write(b"</sst>")
    raw = bytearray(out.getvalue())
    if encrypt_flag:  # set bit 0 of the general-purpose flags in every local and central header
        for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            start = 0
            while (at := raw.find(signature, start)) != -1:
                raw[at + offset] |= 0x1
                start = at + 4
    return bytes(raw)


def test_zip_bomb_workbook_is_refused_before_openpyxl_reads_it(client_bangka, team, polda, monkeypatch):
    bomb = _rebuilt(xlsx_bytes([row()]), bomb_part="xl/sharedStrings.xml", bomb_mb=200)
    assert len(bomb) < imports.MAX_UPLOAD_BYTES  # small on the wire: the size limit alone lets it through
    monkeypatch.setattr("openpyxl.load_workbook", lambda *a, **k: pytest.fail("openpyxl opened a zip bomb"))
    response = post_file(client_bangka, team, bomb)
    assert response.status_code == 400
    html = response.content.decode()
    assert "isinya mengembang terlalu besar saat dibuka" in html
    assert "batas 20 MB" in html
    assert not Membership.objects.exists()


def test_workbook_expanding_beyond_the_ratio_is_refused(team):
    good = xlsx_bytes([row()])
    assert imports.read_workbook(upload(good))  # a genuine workbook passes every limit
    # A part of 2 MB (under the per-part limit) that compressed about 1000:1.
    with pytest.raises(ValidationError, match=r"rasio pemadatan \d+:1, batas 100:1"):
        imports.read_workbook(upload(_rebuilt(good, bomb_part="xl/styles.xml", bomb_mb=2)))


def test_password_protected_encrypted_and_corrupt_workbooks_are_refused_cleanly(team):
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600  # what Excel writes for a password-protected file
    with pytest.raises(ValidationError, match="dilindungi kata sandi atau berformat Excel lama"):
        imports.read_workbook(upload(ole2))
    with pytest.raises(ValidationError, match="Berkas terenkripsi atau dilindungi kata sandi"):
        imports.read_workbook(upload(_rebuilt(xlsx_bytes([row()]), encrypt_flag=True)))
    good = xlsx_bytes([row()])
    truncated = good[: len(good) // 2] + good[-22:]  # central directory points past the data
    with pytest.raises(ValidationError) as caught:
        imports.read_workbook(upload(truncated))
    assert caught.value.code == "unreadable"
    # Damaged compressed data in the sheet and in the styles: an inflate or CRC error, never a 500.
    import struct
    import zipfile

    for part in ("xl/worksheets/sheet1.xml", "xl/styles.xml"):
        corrupt = bytearray(good)
        info = zipfile.ZipFile(io.BytesIO(good)).getinfo(part)
        name_len, extra_len = struct.unpack("<HH", good[info.header_offset + 26:info.header_offset + 30])
        start = info.header_offset + 30 + name_len + extra_len
        corrupt[start + 2:start + info.compress_size - 2] = b"\x5a" * (info.compress_size - 4)
        with pytest.raises(ValidationError) as caught:
            imports.read_workbook(upload(bytes(corrupt)))
        assert caught.value.code == "unreadable", part
