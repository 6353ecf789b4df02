"""``reads_every_incident`` is the rule the dashboard's shared cache relies on: it must agree with
``Incident.objects.restrict(user, "view")`` on every non-draft incident."""

import pytest

from incidents.models import Incident, reads_every_incident
from tests.factories import make_incident

pytestmark = pytest.mark.django_db


def test_agrees_with_restrict(staf_provinsi, pimpinan, staf_bangka, anggota_tim, admin_user):
    make_incident(region_code="19.01")
    make_incident(region_code="19.71", classification="rahasia")
    make_incident(region_code="19.02", status="draf")
    every = set(Incident.objects.exclude(status="draf").values_list("pk", flat=True))
    for user, expected in ((staf_provinsi, True), (pimpinan, True), (admin_user, True),
                           (staf_bangka, False), (anggota_tim, False)):
        seen = set(Incident.objects.restrict(user, "view").exclude(status="draf").values_list("pk", flat=True))
        assert reads_every_incident(user) is expected, user
        assert (seen == every) is expected, user
