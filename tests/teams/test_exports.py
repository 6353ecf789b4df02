"""Member register (/tim/anggota/), its .xlsx/.csv exports and the printable LAMPIRAN SK (PDF):
only what the login may see, exactly the filtered rows, a constant number of queries."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kesbang.core.spreadsheets import XLSX_CONTENT_TYPE
from teams import exports
from teams.services import membership_end
from tests.factories import InstitutionFactory, make_member, make_team

pytestmark = pytest.mark.django_db

LIST = reverse("teams:membership_list")


def export_url(fmt: str) -> str:
    return reverse("teams:membership_export", args=[fmt])


@pytest.fixture
def register(db):
    """A provincial team and two regency teams with named members, one of them ended."""
    polda = InstitutionFactory(name="Kepolisian Daerah Kepulauan Bangka Belitung", short_name="Polda Babel")
    province = make_team("19", name="Tim Terpadu PKS Provinsi")
    bangka = make_team("19.01", name="Tim Terpadu PKS Bangka")
    belitung = make_team("19.02", name="Tim Terpadu PKS Belitung")
    make_member(province, "ketua", name="Gubernur Provinsi Satu", position="Gubernur")
    make_member(province, "anggota", name="Anggota Provinsi Dua", institution=polda)
    make_member(bangka, "ketua", name="Bupati Bangka Satu", nip="197001012000031001")
    make_member(bangka, "anggota", name="=HYPERLINK(\"http://x\")", phone="+62 812-0000-1111")
    ended = make_member(bangka, "sekretaris", name="Sekretaris Bangka Lama")
    membership_end(membership=ended, end_date=datetime.date(2025, 5, 1), reason="Mutasi")
    make_member(belitung, "ketua", name="Bupati Belitung Satu")
    return {"province": province, "bangka": bangka, "belitung": belitung, "polda": polda}


def csv_rows(response) -> list[list[str]]:
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_rows(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.content))["Anggota"]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def names_in(rows) -> set[str]:
    return {r[1] for r in rows[1:]}


# --- The list page ---------------------------------------------------------------------------------


def test_regency_staff_sees_only_their_region(client, staf_bangka, register):
    client.force_login(staf_bangka)
    html = client.get(LIST).content.decode()
    assert "Bupati Bangka Satu" in html
    assert "Gubernur Provinsi Satu" not in html and "Bupati Belitung Satu" not in html
    assert "Sekretaris Bangka Lama" not in html  # ended: the default filter is "aktif"


def test_province_staff_sees_all_and_filters_work(client, staf_provinsi, register):
    client.force_login(staf_provinsi)
    html = client.get(LIST).content.decode()
    for name in ("Gubernur Provinsi Satu", "Bupati Bangka Satu", "Bupati Belitung Satu"):
        assert name in html
    ketua = client.get(LIST, {"role": "ketua"}).content.decode()
    assert "Bupati Belitung Satu" in ketua and "Anggota Provinsi Dua" not in ketua
    ended = client.get(LIST, {"status": "berakhir"}).content.decode()
    assert "Sekretaris Bangka Lama" in ended and "Bupati Bangka Satu" not in ended
    every = client.get(LIST, {"status": "semua", "team": register["bangka"].pk}).content.decode()
    assert "Sekretaris Bangka Lama" in every and "Bupati Bangka Satu" in every and "Gubernur" not in every
    search = client.get(LIST, {"q": "belitung"}).content.decode()
    assert "Bupati Belitung Satu" in search and "Bupati Bangka Satu" not in search
    by_nip = client.get(LIST, {"q": "1970010120"}).content.decode()
    assert "Bupati Bangka Satu" in by_nip and "Bupati Belitung Satu" not in by_nip
    by_institution = client.get(LIST, {"institution": register["polda"].pk}).content.decode()
    assert "Anggota Provinsi Dua" in by_institution and "Bupati Bangka Satu" not in by_institution
    region = register["belitung"].region.pk
    assert "Bupati Bangka Satu" not in client.get(LIST, {"region": region}).content.decode()


def test_sorting_and_bad_filter_values_never_500(client, staf_provinsi, register):
    client.force_login(staf_provinsi)
    for params in ({"sort": "role"}, {"sort": "-name"}, {"sort": "region"}, {"sort": "nonsense"},
                   {"team": "abc"}, {"status": "x"}, {"page": "999"}, {"per_page": "7"}):
        assert client.get(LIST, params).status_code in (200, 404), params


def test_team_filter_does_not_offer_other_regions(client, staf_bangka, register):
    client.force_login(staf_bangka)
    response = client.get(LIST, {"team": register["belitung"].pk, "status": "semua"})
    html = response.content.decode()
    assert "Bupati Belitung Satu" not in html and "Tim Terpadu PKS Belitung" not in html


def test_anonymous_and_no_role(client, no_role_user, register):
    response = client.get(LIST)
    assert response.status_code == 302 and "/akun/login/" in response["Location"]
    client.force_login(no_role_user)
    assert client.get(LIST).status_code == 403
    assert client.get(export_url("csv")).status_code == 403


# --- Exports ---------------------------------------------------------------------------------------


def test_csv_is_utf8_with_bom_and_scoped_to_the_region(client, staf_bangka, register):
    client.force_login(staf_bangka)
    response = client.get(export_url("csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    today = datetime.date.today().isoformat()
    assert f'filename="anggota-tim-terpadu-{today}.csv"' in response["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0] == ["No", "Nama", "NIP", "Jabatan", "Instansi", "Kedudukan", "Tim", "Wilayah", "Mulai",
                       "Berakhir", "Telepon", "Email"]
    assert names_in(rows) == {"Bupati Bangka Satu", "'=HYPERLINK(\"http://x\")"}  # formula neutralised
    ketua = next(r for r in rows if r[1] == "Bupati Bangka Satu")
    assert ketua[0] == "1" and ketua[2] == "197001012000031001" and ketua[5] == "Ketua"
    assert ketua[7] == "Kabupaten Bangka" and ketua[8] == "2025-02-01" and ketua[9] == ""
    phone = next(r for r in rows if r[1].startswith("'="))[10]
    assert phone == "+62 812-0000-1111"  # a phone number is not a formula


def test_xlsx_respects_filters_and_scope(client, staf_provinsi, staf_belitung, register):
    client.force_login(staf_provinsi)
    response = client.get(export_url("xlsx"), {"role": "ketua", "sort": "name"})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert ".xlsx" in response["Content-Disposition"]
    rows = xlsx_rows(response)
    assert [r[1] for r in rows[1:]] == ["Bupati Bangka Satu", "Bupati Belitung Satu", "Gubernur Provinsi Satu"]
    assert rows[1][2] == "197001012000031001"  # NIP as text, every digit kept
    assert isinstance(rows[1][8], datetime.datetime)  # a real date cell
    info = load_workbook(io.BytesIO(response.content))["Info"]
    info_text = " ".join(str(c.value) for r in info.iter_rows() for c in r if c.value)
    assert "Kedudukan" in info_text and "Ketua" in info_text

    every = xlsx_rows(client.get(export_url("xlsx"), {"status": "semua"}))
    assert len(every) - 1 == 6
    ended = xlsx_rows(client.get(export_url("xlsx"), {"status": "berakhir"}))
    assert names_in(ended) == {"Sekretaris Bangka Lama"} and ended[1][9] is not None

    client.force_login(staf_belitung)
    mine = xlsx_rows(client.get(export_url("xlsx"), {"status": "semua"}))
    assert names_in(mine) == {"Bupati Belitung Satu"}
    # Asking for another region's team does not widen the scope.
    forced = xlsx_rows(client.get(export_url("xlsx"), {"team": register["bangka"].pk}))
    assert "Bupati Bangka Satu" not in names_in(forced)


def test_unknown_export_format_is_404(client, staf_provinsi):
    client.force_login(staf_provinsi)
    assert client.get(export_url("pdf")).status_code == 404


# --- The printable LAMPIRAN SK ---------------------------------------------------------------------


def test_pdf_is_inline_and_starts_with_pdf(client, staf_bangka, register, django_assert_max_num_queries):
    client.force_login(staf_bangka)
    for i in range(25):
        make_member(register["bangka"], "anggota", name=f"Anggota Cetak {i}")
    with django_assert_max_num_queries(8):
        response = client.get(reverse("teams:team_members_pdf", args=[register["bangka"].pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="lampiran-sk-tim-terpadu-pks-bangka.pdf"'
    assert response.content.startswith(b"%PDF")


def test_pdf_html_has_the_decree_layout_and_role_order(register):
    team = register["bangka"]
    team.decree_signed_by = "H. Mulkan, S.H., M.H."
    make_member(team, "koord_pemulihan", name="Koordinator Pemulihan")
    make_member(team, "wakil_ketua", name="Wakil Ketua Bangka")
    html = exports.team_members_html(team, exports.team_members_for_print(team))
    assert "LAMPIRAN KEPUTUSAN BUPATI BANGKA" in html
    assert "188.44/19.01/2025" in html and "10 Januari 2025" in html
    assert "TIM TERPADU PENANGANAN KONFLIK SOSIAL<br>KABUPATEN BANGKA" in html
    order = [html.index(n) for n in ("Bupati Bangka Satu", "Wakil Ketua Bangka", "Koordinator Pemulihan",
                                     "=HYPERLINK")]
    assert order == sorted(order)
    assert "Sekretaris Bangka Lama" not in html  # ended members are not in the decree
    assert "BUPATI BANGKA," in html and "H. Mulkan, S.H., M.H." in html


def test_pdf_signer_office_and_province_heading(register):
    team = register["province"]
    team.decree_signed_by = "Gubernur Kepulauan Bangka Belitung"
    html = exports.team_members_html(team, exports.team_members_for_print(team))
    assert "LAMPIRAN KEPUTUSAN GUBERNUR KEPULAUAN BANGKA BELITUNG" in html
    assert "PROVINSI KEPULAUAN BANGKA BELITUNG" in html
    assert "GUBERNUR KEPULAUAN BANGKA BELITUNG," in html


def test_pdf_of_a_city_team_names_the_wali_kota():
    team = make_team("19.71")
    assert exports.decree_authority(team.region) == ("WALI KOTA", "PANGKAL PINANG")
    html = exports.team_members_html(team, [])
    assert "Belum ada anggota aktif." in html and "KOTA PANGKAL PINANG" in html


def test_pdf_permissions(client, staf_belitung, pimpinan, anggota_tim, register):
    url = reverse("teams:team_members_pdf", args=[register["bangka"].pk])
    assert client.get(url).status_code == 302
    client.force_login(staf_belitung)
    assert client.get(url).status_code == 404
    client.force_login(anggota_tim)  # Pangkalpinang, not on the Bangka team
    assert client.get(url).status_code == 404
    client.force_login(pimpinan)  # read-only roles may print
    assert client.get(url).status_code == 200


def test_team_member_may_print_their_own_team(client, anggota_tim, register):
    from teams.models import Person

    person = Person.objects.get(user=anggota_tim)
    make_member(register["belitung"], "anggota", person=person)
    client.force_login(anggota_tim)
    assert client.get(reverse("teams:team_members_pdf", args=[register["belitung"].pk])).status_code == 200
