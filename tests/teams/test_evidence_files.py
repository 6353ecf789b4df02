"""Evidence files follow their rows: removed after a rollback and after an admin delete."""


from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kesbang.core.uploads import private_storage
from teams import services
from teams.models import Evidence
from tests.teams.test_plans import PDF, make_plan

pytestmark = pytest.mark.django_db
D = Decimal


def test_evidence_files_are_removed_when_the_transaction_rolls_back():
    from django.core.exceptions import ValidationError

    plan = make_plan(activities=1)
    period = plan.activities.get().periods.get(period="B04")
    good = SimpleUploadedFile("notulen.pdf", PDF)
    bad = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00")
    with pytest.raises(ValidationError):
        services.realisation_record(activity_period=period, realisation=D(1), evidence_files=[good, bad])
    assert not Evidence.objects.exists()
    assert not any(p.is_file() for p in (private_storage.base_location / "evidence").rglob("*")) \
        if (private_storage.base_location / "evidence").exists() else True


def test_admin_delete_of_evidence_removes_its_file(client, admin_user, django_capture_on_commit_callbacks):
    plan = make_plan(activities=1)
    period = plan.activities.get().periods.get(period="B04")
    evidence = services.evidence_add(activity_period=period, uploaded_file=SimpleUploadedFile("a.pdf", PDF))
    name = evidence.file.name
    assert private_storage.exists(name)
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:teams_evidence_delete", args=[evidence.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not private_storage.exists(name)


def test_deleting_a_plan_in_the_admin_removes_the_evidence_files(client, admin_user,
                                                                 django_capture_on_commit_callbacks):
    plan = make_plan(activities=1)
    period = plan.activities.get().periods.get(period="B04")
    name = services.evidence_add(activity_period=period, uploaded_file=SimpleUploadedFile("a.pdf", PDF)).file.name
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:teams_actionplan_delete", args=[plan.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not private_storage.exists(name)
