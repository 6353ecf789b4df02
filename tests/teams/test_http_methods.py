"""HTTP methods: read-only pages answer only GET/HEAD (a POST is 405, never a page render)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from teams import services
from tests.factories import make_team
from tests.teams.test_plans import PDF, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_axes(settings):
    settings.AXES_ENABLED = False


def test_read_only_plan_pages_refuse_post(client, admin_user):
    plan = make_plan(team=make_team("19.01"), activities=1)
    period = plan.activities.get().periods.get(period="B04")
    evidence = services.evidence_add(activity_period=period, uploaded_file=SimpleUploadedFile("b.pdf", PDF))
    client.force_login(admin_user)
    urls = [reverse("teams:plan_list"), reverse("teams:plan_detail", args=[plan.pk]),
            reverse("teams:plan_export", args=[plan.pk]), reverse("teams:evidence_download", args=[evidence.pk])]
    for url in urls:
        assert client.post(url).status_code == 405, url
        assert client.get(url).status_code == 200, url
        assert client.head(url).status_code == 200, url

