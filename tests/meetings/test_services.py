"""Meetings services and constraints: scheduling, invitations, answers, attendance, minutes approval,
numbered resolutions, action items; restrict() per role."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from meetings import services
from meetings.models import ActionItem, Attendance, Invitation, Meeting, Minutes, Resolution
from tests.factories import PersonFactory, make_meeting, make_member, make_team, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    t = make_team("19")
    make_member(t, "ketua")
    make_member(t, "sekretaris")
    make_member(t, "anggota")
    make_member(t, "anggota")
    return t


def past_meeting(team, **kwargs):
    """A meeting that started an hour ago (attendance and approval are allowed)."""
    start = timezone.now() - datetime.timedelta(hours=1)
    return make_meeting(team, start=start, end=start + datetime.timedelta(hours=3), **kwargs)


def test_schedule_with_agenda(team):
    chair = team.memberships.get(role="ketua").person
    meeting = make_meeting(team, chair=chair, agenda=[{"title": "Pembukaan", "duration_minutes": 15},
                                                       {"title": "Paparan", "presenter": chair}])
    assert [a.order for a in meeting.agenda_items.all()] == [1, 2]
    assert meeting.signatory == chair
    assert meeting.status == Meeting.Status.DIRENCANAKAN


def test_end_must_follow_start(team):
    start = timezone.now() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError, match="Waktu selesai harus setelah waktu mulai"):
        make_meeting(team, start=start, end=start)


def test_ended_team_cannot_organise():
    t = make_team("19.01")
    from teams import services as team_services

    team_services.team_end(team=t, end_date=datetime.date(2025, 6, 1), reason="SK baru")
    with pytest.raises(ValidationError):
        make_meeting(t)


def test_invite_team_roles_people_and_guests(team):
    meeting = make_meeting(team)
    created = services.invite_team(meeting=meeting, team=team, roles=["ketua", "sekretaris"])
    assert len(created) == 2 and all(i.source == Invitation.Source.ROLE for i in created)
    again = services.invite_team(meeting=meeting, team=team)
    assert len(again) == 2  # the two anggota; Ketua and Sekretaris are not invited twice
    outsider = PersonFactory()
    assert len(services.invite_people(meeting=meeting, people=[outsider, outsider])) == 1
    guest = services.invite_guest(meeting=meeting, name="Kepala BIN Daerah", institution="BINDA Babel")
    assert guest.is_guest and guest.name == "Kepala BIN Daerah"
    assert meeting.invitations.count() == 6


def test_invitation_needs_person_or_guest(team):
    meeting = make_meeting(team)
    with pytest.raises(ValidationError, match="orang dari daftar atau tamu"):
        services.invite_guest(meeting=meeting, name="  ")


def test_respond_and_delegate(team):
    meeting = make_meeting(team)
    inv = services.invite_team(meeting=meeting, team=team)[0]
    with pytest.raises(ValidationError, match="Sebutkan nama yang mewakili"):
        services.invitation_respond(invitation=inv, response="diwakilkan")
    inv = services.invitation_respond(invitation=inv, response="diwakilkan", delegate_name="Budi, S.Sos.")
    assert inv.response == "diwakilkan" and inv.responded_at
    inv = services.invitation_respond(invitation=inv, response="hadir", delegate_name="ignored")
    assert inv.delegate_name == ""
    with pytest.raises(ValidationError):
        services.invitation_respond(invitation=inv, response="belum")


def test_no_answer_after_start_or_cancel(team):
    meeting = past_meeting(team)
    inv = services.invite_team(meeting=meeting, team=team)[0]
    with pytest.raises(ValidationError, match="sudah dimulai"):
        services.invitation_respond(invitation=inv, response="hadir")
    future = make_meeting(team)
    inv2 = services.invite_team(meeting=future, team=team)[0]
    services.meeting_cancel(meeting=future, reason="Bentrok dengan kunjungan Gubernur")
    with pytest.raises(ValidationError, match="dibatalkan"):
        services.invitation_respond(invitation=inv2, response="hadir")


def test_update_raises_sequence_only_for_calendar_changes(team):
    meeting = make_meeting(team)
    services.invite_team(meeting=meeting, team=team)
    meeting = services.meeting_update(meeting=meeting, title="Rakor baru")
    assert meeting.sequence == 0
    meeting = services.meeting_update(meeting=meeting, venue="Hotel Bangka City")
    assert meeting.sequence == 1
    meeting = services.meeting_update(meeting=meeting, start=meeting.start + datetime.timedelta(hours=1),
                                      end=meeting.end + datetime.timedelta(hours=1))
    assert meeting.sequence == 2


def test_cancel_needs_reason_and_is_final(team):
    meeting = make_meeting(team)
    with pytest.raises(ValidationError):
        services.meeting_cancel(meeting=meeting, reason=" ")
    meeting = services.meeting_cancel(meeting=meeting, reason="Ditunda")
    assert meeting.is_cancelled and meeting.sequence == 1
    with pytest.raises(ValidationError):
        services.meeting_update(meeting=meeting, venue="Lain")
    with pytest.raises(ValidationError):
        services.meeting_cancel(meeting=meeting, reason="lagi")


def test_cancel_constraint_in_database(team):
    meeting = make_meeting(team)
    meeting.status = Meeting.Status.DIBATALKAN
    with pytest.raises(ValidationError, match="alasannya"):
        meeting.full_clean()


def test_attendance_and_headcount(team):
    meeting = past_meeting(team)
    invs = services.invite_team(meeting=meeting, team=team)
    services.attendance_record(invitation=invs[0], status="hadir")
    services.attendance_record(invitation=invs[1], status="terlambat")
    with pytest.raises(ValidationError, match="Sebutkan nama"):
        services.attendance_record(invitation=invs[2], status="diwakili")
    services.attendance_record(invitation=invs[2], status="diwakili", representative_name="Ani")
    services.attendance_record(invitation=invs[3], status="tidak_hadir")
    services.attendance_walk_in(meeting=meeting, name="Asisten Intel Kajati", institution="Kejati Babel")
    from meetings.selectors import meeting_headcount

    counts = meeting_headcount(meeting)
    assert counts == {"members": 3, "guests": 1, "total": 4, "absent": 1, "unrecorded": 0}
    # The detail page's heading: one aggregate query on a tab without the invitations, the same
    # figures from the list the Undangan and Kehadiran tabs load.
    from meetings.selectors import invitations_with_attendance, meeting_detail_counts

    invited = len(invs) + 1
    expected = {"members": 3, "guests": 1, "total": 4, "invited": invited}
    assert meeting_detail_counts(meeting) == expected
    assert meeting_detail_counts(meeting, invitations_with_attendance(meeting)) == expected
    # correcting a record keeps one row
    services.attendance_record(invitation=invs[3], status="hadir")
    assert Attendance.objects.filter(invitation=invs[3]).count() == 1


def test_no_attendance_before_the_day(team):
    meeting = make_meeting(team, days_ahead=3)
    inv = services.invite_team(meeting=meeting, team=team)[0]
    with pytest.raises(ValidationError, match="hari rapat"):
        services.attendance_record(invitation=inv, status="hadir")


def test_resolutions_numbered_without_gaps(team):
    meeting = past_meeting(team)
    r1 = services.resolution_add(meeting=meeting, text="Pertama")
    r2 = services.resolution_add(meeting=meeting, text="Kedua", kind="rekomendasi")
    services.resolution_add(meeting=meeting, text="Ketiga")
    assert (r1.number, r2.number) == (1, 2)
    services.resolution_delete(resolution=r2)
    assert list(Resolution.objects.filter(meeting=meeting).values_list("number", "text")) == [
        (1, "Pertama"), (2, "Ketiga")]
    assert services.resolution_add(meeting=meeting, text="Keempat").number == 3


def test_resolution_number_unique_constraint(team):
    meeting = past_meeting(team)
    services.resolution_add(meeting=meeting, text="Satu")
    with pytest.raises(ValidationError, match="sudah dipakai"):
        Resolution(meeting=meeting, number=1, text="Dua").full_clean()


def test_minutes_approval_by_chair_then_read_only(team):
    chair_user = make_user("Staf Provinsi", username="ketua.rapat")
    chair = chair_user.person
    other = make_user("Staf Provinsi", username="staf.lain")
    meeting = past_meeting(team, chair=chair)
    services.minutes_save(meeting=meeting, note_taker="Notulis", opening="Dibuka pukul 09.00 WIB")
    services.resolution_add(meeting=meeting, text="Memperkuat deteksi dini")
    with pytest.raises(ValidationError, match="Hanya pimpinan rapat"):
        services.minutes_approve(meeting=meeting, user=other)
    minutes = services.minutes_approve(meeting=meeting, user=chair_user)
    assert minutes.is_approved and minutes.approved_by == chair
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SELESAI
    with pytest.raises(ValidationError, match="sudah disetujui"):
        services.minutes_save(meeting=meeting, opening="ubah")
    with pytest.raises(ValidationError, match="sudah disetujui"):
        services.resolution_add(meeting=meeting, text="baru")
    with pytest.raises(ValidationError, match="sudah disetujui"):
        services.action_item_create(meeting=meeting, description="x", due_date=datetime.date.today(),
                                    owner_person=chair)
    assert minutes.history.count() >= 2  # draft and approval kept


def test_chair_without_login_is_recorded_by_manager(team, staf_provinsi, pimpinan):
    chair = team.memberships.get(role="ketua").person
    meeting = past_meeting(team, chair=chair)
    services.minutes_save(meeting=meeting, opening="Dibuka")
    with pytest.raises(ValidationError):
        services.minutes_approve(meeting=meeting, user=pimpinan)
    minutes = services.minutes_approve(meeting=meeting, user=staf_provinsi)
    assert minutes.approved_by == chair and minutes.approval_recorded_by == staf_provinsi


def test_minutes_approval_needs_content_and_chair(team, staf_provinsi):
    meeting = past_meeting(team)
    services.minutes_save(meeting=meeting)
    with pytest.raises(ValidationError, match="pimpinan rapat"):
        services.minutes_approve(meeting=meeting, user=staf_provinsi)
    assert Minutes.objects.get(meeting=meeting).status == "draf"


def test_action_item_owner_and_progress(team):
    meeting = past_meeting(team)
    with pytest.raises(ValidationError, match="penanggung jawab"):
        services.action_item_create(meeting=meeting, description="Tanpa pemilik", due_date=datetime.date.today())
    owner = team.memberships.get(role="anggota", id=team.memberships.filter(role="anggota").first().id).person
    item = services.action_item_create(meeting=meeting, description="Pemetaan potensi konflik",
                                       due_date=datetime.date.today() + datetime.timedelta(days=30),
                                       owner_person=owner)
    assert item.owner_institution == owner.institution
    with pytest.raises(ValidationError):
        services.action_item_progress(item=item, text="  ")
    services.action_item_progress(item=item, text="Mulai", status="dalam_proses")
    services.action_item_progress(item=item, text="Laporan selesai", status="selesai")
    item.refresh_from_db()
    assert item.status == ActionItem.Status.DONE and item.completed_at and item.notes.count() == 2
    with pytest.raises(ValidationError, match="sudah ditutup"):
        services.action_item_progress(item=item, text="lagi")


def test_restrict_per_role(team, staf_provinsi, staf_bangka, staf_belitung, pimpinan, anggota_tim, no_role_user):
    bangka = make_team("19.01")
    m_prov = make_meeting(team)
    m_bangka = make_meeting(bangka)
    services.invite_people(meeting=m_prov, people=[staf_bangka.person, anggota_tim.person])

    def ids(user, action="view"):
        return set(Meeting.objects.restrict(user, action).values_list("pk", flat=True))

    assert ids(staf_provinsi) == ids(staf_provinsi, "change") == {m_prov.pk, m_bangka.pk}
    assert ids(pimpinan) == {m_prov.pk, m_bangka.pk} and ids(pimpinan, "change") == set()
    assert ids(staf_bangka) == {m_prov.pk, m_bangka.pk}  # own region plus invited
    assert ids(staf_bangka, "change") == {m_bangka.pk}
    assert ids(staf_belitung) == set() and ids(staf_belitung, "change") == set()
    assert ids(anggota_tim) == {m_prov.pk} and ids(anggota_tim, "change") == set()
    assert ids(no_role_user) == set()
    from django.contrib.auth.models import AnonymousUser

    assert ids(AnonymousUser()) == set()


def test_action_item_owner_may_change_own(team, anggota_tim, staf_belitung):
    meeting = past_meeting(team)
    own = services.action_item_create(meeting=meeting, description="Milik anggota", owner_person=anggota_tim.person,
                                      due_date=datetime.date.today())
    other = services.action_item_create(meeting=meeting, description="Milik orang lain",
                                        owner_person=PersonFactory(), due_date=datetime.date.today())
    assert set(ActionItem.objects.restrict(anggota_tim, "change")) == {own}
    assert set(ActionItem.objects.restrict(anggota_tim, "view")) == {own}
    assert not ActionItem.objects.restrict(staf_belitung, "view").filter(pk=other.pk).exists()


def test_seed_demo_rakor_2017():
    from kesbang.demo.seed import RAKOR_2017_TITLE, seed_demo
    from meetings.selectors import meeting_headcount
    from tests.factories import ensure_reference_data

    ensure_reference_data()
    seed_demo()
    seed_demo()  # idempotent
    meeting = Meeting.objects.get(title=RAKOR_2017_TITLE)
    assert Meeting.objects.filter(title=RAKOR_2017_TITLE).count() == 1
    assert timezone.localtime(meeting.start).strftime("%Y-%m-%d %H:%M") == "2017-05-10 09:00"
    assert meeting.venue == "Hotel Bangka City" and meeting.opener.name == "Drs. H. Tarmin, M.Si."
    assert meeting_headcount(meeting)["total"] == 33
    names = set(meeting.invitations.values_list("person__position", flat=True))
    assert {"Kepala BIN Daerah", "Asisten Intelijen"} <= names
    guests = set(meeting.invitations.values_list("guest_institution", flat=True))
    assert "Kemhan" in guests and "Kota Pangkalpinang" in guests
    assert meeting.minutes.is_approved and meeting.resolutions.count() == 5 and meeting.action_items.count() == 5
    assert timezone.localtime(meeting.minutes.approved_at).date() == datetime.date(2017, 5, 12)
    assert Meeting.objects.filter(start__gt=timezone.now()).count() >= 3


def test_office_layer_selectors(team):
    from meetings import selectors

    held = past_meeting(team)
    invs = services.invite_team(meeting=held, team=team)
    services.attendance_record(invitation=invs[0], status="hadir")
    services.attendance_record(invitation=invs[1], status="tidak_hadir")
    services.attendance_walk_in(meeting=held, name="Tamu")
    services.resolution_add(meeting=held, text="Satu")
    upcoming = make_meeting(team, days_ahead=5)
    cancelled = make_meeting(team, days_ahead=6)
    services.meeting_cancel(meeting=cancelled, reason="Ditunda")
    today = timezone.localdate()
    rows = list(selectors.meetings_held(today - datetime.timedelta(days=1), today))
    assert [(m.pk, m.present_count, m.guest_count, m.invited_count, m.resolution_count) for m in rows] == [
        (held.pk, 1, 1, 5, 1)]
    assert list(selectors.meetings_upcoming(today, days=14)) == [upcoming]
    owner = team.memberships.get(role="ketua").person
    done = services.action_item_create(meeting=held, description="a", owner_person=owner, due_date=today)
    services.action_item_progress(item=done, text="ok", status="selesai")
    late = services.action_item_create(meeting=held, description="b", owner_person=owner,
                                       due_date=today - datetime.timedelta(days=2))
    assert list(selectors.action_items_completed(today, today)) == [done]
    assert list(selectors.action_items_overdue(today)) == [late]
    assert selectors.action_item_counts(today, today, today) == {"completed": 1, "overdue": 1, "open": 1}


def test_minutes_approve_backdated_must_lie_between_start_and_now(team):
    chair_user = make_user("Staf Provinsi", username="ketua.arsip")
    held = past_meeting(team, chair=chair_user.person)
    services.minutes_save(meeting=held, opening="Dibuka.")
    with pytest.raises(ValidationError, match="Tanggal persetujuan"):
        services.minutes_approve(meeting=held, user=chair_user, approved_at=held.start - datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="Tanggal persetujuan"):
        services.minutes_approve(meeting=held, user=chair_user, approved_at=timezone.now() + datetime.timedelta(days=1))
    when = held.start + datetime.timedelta(minutes=30)
    minutes = services.minutes_approve(meeting=held, user=chair_user, approved_at=when)
    assert minutes.approved_at == when
