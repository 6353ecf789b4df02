"""Defects seen in the screenshots of the outside review of the incidents pages (1366 px and 390 px)."""

import pytest
from django.urls import reverse

from incidents import services
from tests.factories import make_incident

pytestmark = pytest.mark.django_db


def test_region_cell_is_one_value_so_the_phone_card_does_not_split_it(client, staf_provinsi):
    # On a phone each cell is a flex row (label, value): a bare text node and a span became two columns,
    # the kecamatan floating to the right of the regency.
    from tests.factories import region

    incident = make_incident(kecamatan=region("19.01").children.order_by("code").first())
    client.force_login(staf_provinsi)
    html = client.get(reverse("incidents:incident_list")).content.decode()
    assert (f'<span>{incident.region.name}<span class="d-block small kb-sub">{incident.kecamatan.name}</span></span>'
            in html)


def test_parties_with_a_type_and_no_name_show_the_type_not_a_dash(client, staf_provinsi):
    # Was "— (Warga) vs — (Warga)".
    incident = make_incident(party_a_type="warga", party_a_name="", party_b_type="perusahaan", party_b_name="")
    client.force_login(staf_provinsi)
    html = client.get(incident.get_absolute_url()).content.decode()
    assert "— (Warga)" not in html
    assert "<div>Warga</div>" in html and "vs Perusahaan swasta</div>" in html


def test_choice_fields_of_the_small_forms_say_pilih(client, staf_provinsi):
    incident = make_incident(kind="peristiwa", status="ditangani")
    client.force_login(staf_provinsi)
    for name in ("incidents:follow_up_create", "incidents:conflict_status_create"):
        html = client.get(reverse(name, args=[incident.pk])).content.decode()
        assert "---------" not in html and "— pilih —" in html, name


def test_history_line_may_wrap_on_a_phone(client, staf_provinsi):
    # The "who · when" line was one text-nowrap block, 24-44 px wider than a 390 px phone.
    incident = make_incident()
    services.incident_update(incident=incident, user=staf_provinsi, expected_version=incident.version,
                             **{**_fields(incident), "title": "Judul diperbaiki"})
    client.force_login(staf_provinsi)
    html = client.get(reverse("incidents:incident_history", args=[incident.pk])).content.decode()
    assert 'class="small text-secondary text-nowrap"' not in html
    assert '<span class="text-nowrap"><i class="bi bi-person"' in html and '<time class="text-nowrap"' in html


def _fields(incident) -> dict:
    from incidents.forms import DETAIL_FIELDS, QUICK_FIELDS

    return {name: getattr(incident, name) for name in QUICK_FIELDS + DETAIL_FIELDS}


def test_demo_reports_are_dated_when_they_were_sent(demo, client, staf_provinsi):
    # The submit step stamps "now", so every demo incident showed "Pelapor ... <today>" above a timeline
    # months old (and counted as reported this week).
    import datetime

    from django.utils import timezone

    from incidents.models import Incident

    week_ago = timezone.now() - datetime.timedelta(days=7)
    for incident in Incident.objects.prefetch_related("transitions"):
        sent = [t.at for t in incident.transitions.all() if t.to_status == "dilaporkan"]
        assert incident.reported_at == (sent[0] if sent else incident.reported_at)
    old = Incident.objects.filter(occurred_on__lt=timezone.localdate() - datetime.timedelta(days=30))
    assert old.exists() and not old.filter(reported_at__gte=week_ago).exists()
