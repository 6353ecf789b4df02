"""A provincial officer schedules a meeting, invites a team, records attendance on the check-in list
and, as the chair, approves the minutes: in a real browser (desktop, tablet for the check-in list)."""

import datetime

import pytest
from django.utils import timezone

from meetings.models import Attendance, Meeting, Minutes
from tests.conftest import browser_login, screenshot
from tests.factories import PersonFactory, make_member, make_team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_schedule_check_in_and_approve_minutes(page, staf_provinsi):
    team = make_team("19", name="Tim Terpadu PKS Provinsi Kepulauan Bangka Belitung")
    make_member(team, "ketua", person=PersonFactory(name="Drs. H. Tarmin, M.Si.", position="Kepala Badan Kesbangpol"))
    make_member(team, "sekretaris", person=PersonFactory(name="Rina Oktaviani, S.IP.", position="Analis"))
    make_member(team, "anggota", person=PersonFactory(name="Ir. Bambang Wijaya", position="Kepala BIN Daerah"))
    chair = staf_provinsi.person  # the officer chairs the meeting (and so approves its minutes)
    browser_login(page, "staf.prov")

    # 1. Schedule: it started an hour ago, so attendance and approval are possible in this test.
    start = timezone.localtime() - datetime.timedelta(hours=1)
    end = start + datetime.timedelta(hours=3)
    page.goto(page.base_url + "/rapat/baru/")
    page.fill("#id_title", "Rakor Penguatan Fungsi Tim Terpadu")
    page.select_option("#id_team", str(team.pk))
    page.fill("#id_start", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_end", end.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_venue", "Hotel Bangka City")
    page.select_option("#id_chair", str(chair.pk))
    page.fill("#id_agenda", "Pembukaan\nPaparan potensi konflik\nPerumusan rekomendasi")
    screenshot(page, "meeting-create")
    with page.expect_navigation():  # the page the click leads to, loaded
        page.click("#meeting-submit")
    meeting = Meeting.objects.get(title="Rakor Penguatan Fungsi Tim Terpadu")
    assert page.url.endswith(f"/rapat/{meeting.pk}/undang/")
    assert meeting.agenda_items.count() == 3

    # 2. Invite the whole team and a guest.
    page.select_option("#id_tim-team", str(team.pk))
    with page.expect_navigation():  # the page the click leads to, loaded
        page.click("#invite-team button[type=submit]")
    page.fill("#id_tamu-name", "Asisten Intel Kajati")
    page.fill("#id_tamu-institution", "Kejati Babel")
    with page.expect_navigation():  # the page the click leads to, loaded
        page.click("#invite-guest button[type=submit]")
    assert meeting.invitations.count() == 4

    # 3. Check-in list on a tablet: two present, one late, the guest present.
    page.set_viewport_size({"width": 820, "height": 1180})
    page.goto(page.base_url + f"/rapat/{meeting.pk}/daftar-hadir/")
    rows = page.locator("form.kb-checkin-row")
    assert rows.count() == 4
    for index, status in ((0, "hadir"), (1, "terlambat"), (2, "hadir"), (3, "hadir")):
        with page.expect_navigation():  # each answer is a form POST and a redirect back to the list
            page.locator("form.kb-checkin-row").nth(index).locator(f"button[value={status}]").click()
        page.wait_for_load_state("networkidle")
    assert page.locator("#headcount").inner_text().strip() == "4"
    screenshot(page, "meeting-checkin-tablet")
    assert Attendance.objects.filter(invitation__meeting=meeting).count() == 4
    page.set_viewport_size({"width": 1366, "height": 900})

    # 4. Minutes, one resolution, approval by the chair; then read-only.
    page.goto(page.base_url + f"/rapat/{meeting.pk}/notulen/")
    page.fill("#id_notulen-opening", "Rapat dibuka oleh Kepala Badan Kesbangpol.")
    page.fill("#id_notulen-conclusions", "Deteksi dini diperkuat.")
    with page.expect_navigation():  # the page the click leads to, loaded
        page.click("#minutes-save")
    page.fill("#id_rumusan-text", "Memperkuat deteksi dini melalui FKDM.")
    with page.expect_navigation():  # the page the click leads to, loaded
        page.click("#resolution-add")
    with page.expect_navigation():  # the page the click leads to, loaded
        page.click("#approve-minutes")
    assert "Notulen disetujui" in page.content()
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.is_approved and minutes.approved_by == chair
    page.goto(page.base_url + f"/rapat/{meeting.pk}/?tab=notulen")
    assert page.get_by_text("Memperkuat deteksi dini melalui FKDM.").is_visible()
    screenshot(page, "meeting-minutes-approved")
    screenshot(page, "meeting-minutes-approved", phone=True)
    assert page.locator("#approve-minutes").count() == 0
