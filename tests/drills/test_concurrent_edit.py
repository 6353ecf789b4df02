"""Drill: two users save the same incident. Optimistic locking (the version the form was opened with):
the first save wins, the second user is told who changed it and when, and keeps what they typed;
nothing is lost and nothing is silently overwritten."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.test import Client

from incidents import services
from incidents.models import Incident
from tests.conftest import require
from tests.factories import make_incident, make_user


def form_data(response) -> dict:
    """What the edit form would post back unchanged (its current values)."""
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        value = getattr(value, "pk", value)
        data[name] = "" if value is None else str(value)
    return data


@pytest.mark.django_db
def test_second_save_of_the_same_incident_is_refused_with_a_clear_message():
    rina = make_user("Staf Provinsi", username="rina", region_code="19")
    budi = make_user("Staf Provinsi", username="budi", region_code="19")
    incident = make_incident(status="dilaporkan", title="Sengketa lahan di Desa Air Duren")
    opened_version = incident.version
    url = f"/insiden/{incident.pk}/ubah/"
    first, second = Client(), Client()
    first.force_login(rina)
    second.force_login(budi)
    form_a = first.get(url)
    form_b = second.get(url)
    assert form_a.status_code == form_b.status_code == 200

    saved = first.post(url, {**form_data(form_a), "title": "Sengketa lahan tambang di Desa Air Duren"})
    assert saved.status_code == 302
    refused = second.post(url, {**form_data(form_b), "title": "Sengketa batas kebun di Desa Air Duren",
                                "chronology": "Kronologi yang diketik Budi."})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "sudah diubah oleh" in page and "muat ulang" in page
    assert "Sengketa batas kebun di Desa Air Duren" in page  # Budi's input is still in his form
    assert "Kronologi yang diketik Budi." in page
    incident.refresh_from_db()
    assert incident.title == "Sengketa lahan tambang di Desa Air Duren"  # Rina's save is kept
    assert incident.version == opened_version + 1
    assert incident.history.count() >= 2


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_on_postgresql_one_wins_one_is_told():
    require(connection.vendor == "postgresql", "row locks need PostgreSQL")
    rina = make_user("Staf Provinsi", username="rina", region_code="19")
    budi = make_user("Staf Provinsi", username="budi", region_code="19")
    incident = make_incident(status="dilaporkan")
    opened_version = incident.version
    barrier = threading.Barrier(2)
    outcome: dict[str, str] = {}

    def save(user, title):
        try:
            barrier.wait(timeout=10)
            services.incident_update(incident=Incident.objects.get(pk=incident.pk), user=user,
                                     expected_version=opened_version, title=title)
            outcome[user.username] = "saved"
        except ValidationError as exc:
            outcome[user.username] = "stale" if exc.code == "stale" or "sudah diubah" in str(exc) else str(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=save, args=(rina, "Versi Rina")),
               threading.Thread(target=save, args=(budi, "Versi Budi"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcome.values()) == ["saved", "stale"], outcome
    incident.refresh_from_db()
    winner = next(name for name, result in outcome.items() if result == "saved")
    assert incident.title == {"rina": "Versi Rina", "budi": "Versi Budi"}[winner]
    assert incident.version == opened_version + 1
