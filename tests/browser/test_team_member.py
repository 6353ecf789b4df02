"""A provincial officer adds a member to a team in a real browser, on desktop and on a phone."""

import datetime

import pytest

from teams import services
from tests.conftest import browser_login, screenshot
from tests.factories import InstitutionFactory, PersonFactory, make_member, make_team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def register():
    """A realistic register: the province team with a board and history, and two regency teams."""
    kesbangpol = InstitutionFactory(name="Badan Kesbangpol Prov. Kep. Bangka Belitung", short_name="Kesbangpol")
    polda = InstitutionFactory(name="Kepolisian Daerah Kep. Bangka Belitung", short_name="Polda Babel")
    korem = InstitutionFactory(name="Korem 045/Garuda Jaya", short_name="Korem 045")
    team = make_team("19", name="Tim Terpadu PKS Provinsi Kepulauan Bangka Belitung",
                     decree_number="188.44/123/KESBANGPOL/2025", decree_signed_by="Gubernur Kepulauan Bangka Belitung")
    make_member(team, "ketua", person=PersonFactory(name="Drs. H. Tarmin, M.Si.", institution=kesbangpol,
                                                      position="Kepala Badan Kesbangpol"))
    make_member(team, "wakil_ketua", person=PersonFactory(name="Kombes Pol. Dedi Santoso", institution=polda,
                                                            position="Dirintelkam Polda"))
    hendra = PersonFactory(name="Hendra Saputra, S.IP.", institution=kesbangpol, position="Kabid Poldagri")
    rina = PersonFactory(name="Rina Oktaviani, S.Sos.", institution=kesbangpol, position="Kabid Poldagri")
    secretary = make_member(team, "sekretaris", person=hendra)
    services.membership_replace(membership=secretary, person=rina, start_date=datetime.date(2025, 6, 1),
                                reason="Mutasi jabatan")
    make_member(team, "koord_pencegahan", person=PersonFactory(name="Letkol Inf. Bambang Wijaya",
                                                                 institution=korem, position="Kasiintel Korem"))
    PersonFactory(name="AKBP Rudi Hartono, S.I.K.", institution=polda, position="Kabid Humas Polda")
    make_team("19.01", name="Tim Terpadu PKS Kabupaten Bangka")
    make_team("19.71", name="Tim Terpadu PKS Kota Pangkalpinang")
    return team


def test_staf_provinsi_adds_a_member_through_the_form(page, staf_provinsi, register):
    browser_login(page, "staf.prov")
    page.goto(page.base_url + "/tim/")
    assert page.locator("h1").first.inner_text() == "Tim Terpadu"
    assert page.locator(".kb-nav-link.active").inner_text().strip() == "Tim Terpadu"
    screenshot(page, "team-list")
    screenshot(page, "team-list", phone=True)

    with page.expect_navigation():  # the page the click leads to, loaded
        page.click(f"text={register.name}")
    assert page.locator("h1").first.inner_text() == register.name
    assert page.locator("#anggota").get_by_text("Drs. H. Tarmin, M.Si.").is_visible()
    screenshot(page, "team-detail")
    screenshot(page, "team-detail", phone=True)

    page.click("#tab-riwayat")
    page.wait_for_selector("#riwayat.show")
    assert page.locator("#riwayat").get_by_text("Mutasi jabatan").is_visible()
    with page.expect_navigation():  # the change history: a page of its own
        page.click("text=Riwayat perubahan data tim dan keanggotaan")
    assert page.locator("h1").first.inner_text() == "Riwayat perubahan"
    assert page.get_by_text("ditambahkan sebagai").first.is_visible()
    screenshot(page, "team-history")
    screenshot(page, "team-history", phone=True)
    page.go_back()

    with page.expect_navigation():  # the page the click leads to, loaded
        page.click("text=Tambah anggota")
    assert page.locator("h1").first.inner_text() == "Tambah anggota"
    page.fill("#person-filter", "rudi")
    page.select_option("#id_person", label="AKBP Rudi Hartono, S.I.K. — Kabid Humas Polda")
    page.select_option("#id_role", "anggota")
    page.fill("#id_start_date", "2025-03-01")
    screenshot(page, "membership-form")
    screenshot(page, "membership-form", phone=True)
    with page.expect_navigation():  # the page the click leads to, loaded
        page.click("#membership-submit")

    assert page.url.endswith(f"/tim/{register.pk}/#anggota")
    assert "ditambahkan sebagai Anggota" in page.locator(".kb-messages").inner_text()
    assert page.locator("#anggota").get_by_text("AKBP Rudi Hartono, S.I.K.").is_visible()
    assert register.memberships.filter(person__name="AKBP Rudi Hartono, S.I.K.", end_date__isnull=True).exists()


def test_second_ketua_is_refused_with_the_message_on_the_form(page, staf_provinsi, register):
    browser_login(page, "staf.prov")
    page.goto(page.base_url + f"/tim/{register.pk}/anggota/tambah/")
    page.select_option("#id_person", label="AKBP Rudi Hartono, S.I.K. — Kabid Humas Polda")
    page.select_option("#id_role", "ketua")
    with page.expect_navigation():  # the page the click leads to, loaded
        page.click("#membership-submit")
    assert "Tim ini sudah memiliki Ketua aktif." in page.locator("#membership-form").inner_text()
    screenshot(page, "membership-form-error")


def test_person_register(page, staf_provinsi, register):
    browser_login(page, "staf.prov")
    page.goto(page.base_url + "/tim/orang/")
    assert page.locator("h1").first.inner_text() == "Daftar orang"
    screenshot(page, "person-list")
    screenshot(page, "person-list", phone=True)
    page.fill("#id_q", "tarmin")
    with page.expect_navigation():  # the page the click leads to, loaded
        page.click("form[role=search] button[type=submit]")
    with page.expect_navigation():  # the page the click leads to, loaded
        page.click("text=Drs. H. Tarmin, M.Si.")
    assert page.locator("h1").first.inner_text() == "Drs. H. Tarmin, M.Si."
    assert page.get_by_text(register.name).first.is_visible()
    screenshot(page, "person-detail")
    screenshot(page, "person-detail", phone=True)
