"""Shared meetings fixtures."""

import datetime

import pytest
from django.utils import timezone

from meetings import services
from tests.factories import make_meeting, make_member, make_team


@pytest.fixture
def bangka_meeting():
    """A Bangka (19.01) meeting that started an hour ago, with an agenda, members, a guest, minutes,
    a resolution and an action item."""
    team = make_team("19.01")
    chair = make_member(team, "ketua").person
    make_member(team, "sekretaris")
    make_member(team, "anggota")
    start = timezone.now() - datetime.timedelta(hours=1)
    meeting = make_meeting(team, start=start, end=start + datetime.timedelta(hours=3), chair=chair, opener=chair,
                           agenda=[{"title": "Pembukaan"}, {"title": "Paparan potensi konflik"}],
                           letter_number="005/123/Kesbangpol/2026", copies="Gubernur\nSekda")
    services.invite_team(meeting=meeting, team=team)
    services.invite_guest(meeting=meeting, name="Asisten Intel Kajati", institution="Kejati Babel")
    inv = meeting.invitations.filter(person__isnull=False).first()
    services.attendance_record(invitation=inv, status="hadir")
    services.minutes_save(meeting=meeting, note_taker="Notulis", opening="Dibuka resmi")
    resolution = services.resolution_add(meeting=meeting, text="Memperkuat deteksi dini konflik")
    services.action_item_create(meeting=meeting, description="Pemetaan potensi konflik", owner_person=chair,
                                due_date=timezone.localdate() + datetime.timedelta(days=14), resolution=resolution)
    return meeting
