"""Admin: incidents with filters and attachments inline, the taxonomy editable; pages answer 200."""

import pytest
from django.urls import reverse

from incidents.models import Category
from tests.factories import make_incident

pytestmark = pytest.mark.django_db


def test_admin_pages(client, admin_user):
    incident = make_incident(region_code="19.01")
    client.force_login(admin_user)
    for name in ("incident", "category", "conflictstatus", "followup", "attachment", "incidenttransition",
                 "referencecounter", "incidentalert", "verificationdigest", "conflictstatusreminder"):
        url = reverse(f"admin:incidents_{name}_changelist")
        assert client.get(url).status_code == 200, name
    html = client.get(reverse("admin:incidents_incident_change", args=[incident.pk])).content.decode()
    assert incident.reference in html and "Lampiran" in html
    assert client.get(reverse("admin:incidents_incident_changelist") + "?status=dilaporkan&severity=sedang"
                      ).status_code == 200


def test_taxonomy_is_seeded_and_editable(client, admin_user):
    assert Category.objects.filter(parent__isnull=True, name="Konflik Sumber Daya").exists()
    assert Category.objects.filter(parent__name="Konflik Identitas", name="Antaragama").exists()
    client.force_login(admin_user)
    response = client.post(reverse("admin:incidents_category_add"), {
        "name": "Konflik Nelayan", "social_conflict": "on", "sort_order": 95, "is_active": "on",
        "children-TOTAL_FORMS": "0", "children-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302
    assert Category.objects.filter(name="Konflik Nelayan").exists()
