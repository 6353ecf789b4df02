"""The office pages on the core view bases (issue 14): the weekly summary's permissions
(``office.view_weeklysummary`` reads the preview, ``office.send_weeklysummary`` sends), the report
archive's filters (django-filter + ``ListTableView``; bad input is a message, never a 500), report
objects through ``Report.objects.restrict`` and the dashboard's refusal of a login without a role."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages

from tests.conftest import own_callbacks
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PREVIEW = "/laporan/ringkasan-mingguan/"
SEND = "/laporan/ringkasan-mingguan/kirim/"


@pytest.fixture
def administrator(db):
    """The Administrator role without superuser status: its rights come from the role matrix."""
    return make_user("Administrator", username="admin.peran", region_code="19")


@pytest.fixture
def queued(monkeypatch):
    """The weekly sender tasks enqueued (after commit), instead of a worker."""
    from kesbang.office.tasks import weekly_summary_send

    calls = []
    monkeypatch.setattr(weekly_summary_send, "delay", lambda delivery_id: calls.append(delivery_id))
    return calls


def _messages(response) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def _texts(response) -> list[str]:
    return [text for _level, text in _messages(response)]


# --- Weekly summary --------------------------------------------------------------------------------


def test_the_administrator_role_reads_and_sends_by_permission(client, administrator, queued,
                                                              django_capture_on_commit_callbacks):
    from kesbang.office.models import Recipient
    from kesbang.office.weekly import services

    Recipient.objects.create(email="gubernur@example.go.id")
    assert administrator.has_perm("office.view_weeklysummary") and administrator.has_perm("office.send_weeklysummary")
    client.force_login(administrator)
    page = client.get(PREVIEW + "?minggu=2026-W47")
    assert page.status_code == 200 and 'id="weekly-send"' in page.content.decode()
    assert client.get("/laporan/").context["can_weekly"] is True
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SEND, {"minggu": "2026-W47"})
    assert response.status_code == 302 and response["Location"] == PREVIEW + "?minggu=2026-W47"
    assert len(queued) == 1 and [level for level, _text in _messages(response)] == ["success"]
    services.weekly_summary_send(delivery_id=queued[0])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SEND, {"minggu": "2026-W47"})
    assert len(queued) == 1  # sent once: nothing queued again, and said so as information
    # (the first post's message was not shown in between: still there, first)
    assert _messages(response)[1:] == [("info", "Ringkasan 2026-W47 sudah terkirim ke semua penerima.")]


@pytest.mark.parametrize("who", ["staf_provinsi", "pimpinan", "staf_bangka", "anggota_tim", "no_role_user"])
def test_other_roles_are_refused_before_anything_is_read(client, request, who):
    client.force_login(request.getfixturevalue(who))
    for url in (PREVIEW, PREVIEW + "surel.html"):
        assert client.get(url).status_code == 403, url
    assert client.post(SEND, {"minggu": "2026-W47"}).status_code == 403


@pytest.mark.parametrize("who", ["staf_provinsi", "pimpinan", "staf_bangka"])
def test_the_archive_links_the_weekly_summary_only_for_its_readers(client, request, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get("/laporan/")
    assert response.context["can_weekly"] is False and PREVIEW not in response.content.decode()


def test_reading_the_preview_does_not_give_sending(client, staf_provinsi, queued):
    """``view_weeklysummary`` alone (granted directly here): the preview without the button, and a
    POST refused."""
    staf_provinsi.user_permissions.add(Permission.objects.get(codename="view_weeklysummary"))
    client.force_login(staf_provinsi)
    page = client.get(PREVIEW + "?minggu=2026-W47")
    assert page.status_code == 200 and 'id="weekly-send"' not in page.content.decode()
    assert client.post(SEND, {"minggu": "2026-W47"}).status_code == 403
    assert not queued


def test_sending_a_bad_week_is_a_message_and_sends_nothing(client, administrator, queued):
    client.force_login(administrator)
    response = client.post(SEND, {"minggu": "2026-W99"})
    assert response.status_code == 302 and response["Location"] == PREVIEW
    assert any("tidak memiliki minggu ke-99" in text for text in _texts(response))
    assert not queued


def test_get_on_send_is_not_allowed(client, administrator):
    client.force_login(administrator)
    assert client.get(SEND).status_code == 405


# --- Report archive: one list style (ReportFilter + ReportTable + the core paginator) --------------


def _report(kind="bulanan", period="2026-05", code="19", version=1, **fields):

    from kesbang.office.reports.periods import parse_period
    from tests.factories import ReportFactory, region

    p = parse_period(kind, period)
    return ReportFactory(kind=kind, period=p.code, period_start=p.start, period_end=p.end, region=region(code),
                         version=version, **fields)


@pytest.fixture
def archive(db):
    """Province: May 2026 v1 (final) and v2 (sent), B04 2026 failed, annual 2025; Bangka: B08 2026
    queued. Every one ``selesai`` unless said otherwise."""
    from django.utils import timezone

    now = timezone.now()
    return {
        "may_v1": _report(finalised_at=now),
        "may_v2": _report(version=2, finalised_at=now, sent_at=now),
        "b04": _report("caturwulan", "2026-B04", status="gagal", progress=0),
        "y2025": _report("tahunan", "2025"),
        "bangka": _report("caturwulan", "2026-B08", code="19.01", status="antri", progress=0),
    }


@pytest.mark.parametrize(("query", "expected"), [
    ("", {"may_v1", "may_v2", "b04", "y2025", "bangka"}),
    ("?kind=bulanan", {"may_v1", "may_v2"}),
    ("?kind=caturwulan", {"b04", "bangka"}),
    ("?year=2025", {"y2025"}),
    ("?year=2026&kind=caturwulan", {"b04", "bangka"}),
    ("?period=2026-b04", {"b04"}),  # written in lower case: the period's own spelling
    ("?status=gagal", {"b04"}),
    ("?status=antri", {"bangka"}),
    ("?status=final", {"may_v1", "may_v2"}),
    ("?status=terkirim", {"may_v2"}),
    ("?version=terbaru", {"may_v2", "b04", "y2025", "bangka"}),
    ("?version=terbaru&kind=bulanan", {"may_v2"}),
])
def test_archive_filters(client, staf_provinsi, archive, query, expected):
    client.force_login(staf_provinsi)
    response = client.get("/laporan/" + query)
    assert response.status_code == 200
    assert {name for name, r in archive.items() if r in response.context["table"].rows} == expected
    assert response.context["is_filtered"] is bool(query)
    assert not response.context["filter"].errors


def test_archive_region_filter_lists_only_the_logins_regions(client, staf_provinsi, staf_bangka, archive):
    from tests.factories import region

    client.force_login(staf_provinsi)
    response = client.get(f"/laporan/?region={region('19.01').pk}")
    assert list(response.context["table"].rows) == [archive["bangka"]]
    options = list(response.context["filter"].form.fields["region"].queryset.values_list("code", flat=True))
    assert options[0] == "19" and "19.01" in options and "19.71" in options
    assert "Provinsi Kepulauan Bangka Belitung" in response.content.decode()

    client.force_login(staf_bangka)
    response = client.get("/laporan/")
    assert list(response.context["filter"].form.fields["region"].queryset.values_list("code", flat=True)) == ["19.01"]
    assert list(response.context["table"].rows) == [archive["bangka"]]
    # Asking for the province's reports by its id: not a choice of this login, said so, nothing revealed.
    response = client.get(f"/laporan/?region={region('19').pk}")
    assert response.status_code == 200 and "region" in response.context["filter"].errors
    assert list(response.context["table"].rows) == [archive["bangka"]]
    assert f"/laporan/{archive['may_v1'].pk}/" not in response.content.decode()


@pytest.mark.parametrize(("query", "field", "message"), [
    ("?year=abc", "year", "Tahun harus antara 2000 dan 2100."),
    ("?year=1999", "year", "Tahun harus antara 2000 dan 2100."),
    ("?year=99999999999999999999999", "year", "Tahun harus antara 2000 dan 2100."),
    ("?year=2026.5", "year", "Tahun harus antara 2000 dan 2100."),
    ("?period=2026-B13", "period", "Periode 2026-B13 tidak dikenal"),
    ("?period=" + "9" * 40, "period", "paling banyak 12 karakter"),
    ("?kind=harian", "kind", "Masukkan pilihan yang valid"),
    ("?status=hilang", "status", "Masukkan pilihan yang valid"),
    ("?version=lama", "version", "Masukkan pilihan yang valid"),
    ("?region=abc", "region", "Masukkan pilihan yang valid"),
    ("?region=99999999999999999999999", "region", "Masukkan pilihan yang valid"),
])
def test_bad_filter_input_is_a_message_and_that_filter_ignored(client, staf_provinsi, archive, query, field,
                                                              message):
    client.force_login(staf_provinsi)
    response = client.get("/laporan/" + query + "&kind=tahunan" * (field != "kind"))
    assert response.status_code == 200
    errors = response.context["filter"].errors
    assert list(errors) == [field] and message in " ".join(errors[field])
    page = response.content.decode()
    assert message in page and "Filter yang isinya tidak sah diabaikan" in page
    rows = set(response.context["table"].rows)
    # the bad filter is ignored, the good one still applies
    assert rows == ({archive["y2025"]} if field != "kind" else set(archive.values()))


@pytest.mark.parametrize("query", ["?page=abc", "?page=999", "?page=-1", "?per_page=0", "?per_page=abc",
                                   "?per_page=99999999999999999999", "?sort=bogus", "?sort=-version",
                                   "?kind=bulanan&kind=tahunan", "?period=%00"])
def test_bad_paging_and_sorting_never_fail(client, staf_provinsi, archive, query):
    client.force_login(staf_provinsi)
    assert client.get("/laporan/" + query).status_code == 200


def test_archive_pages_by_the_core_paginator_and_keeps_the_filter(client, staf_provinsi):
    for month in range(1, 13):
        for version in (1, 2, 3):
            _report(period=f"2025-{month:02d}", version=version)
    client.force_login(staf_provinsi)
    response = client.get("/laporan/?kind=bulanan&per_page=10&page=2")
    table = response.context["table"]
    assert response.context["paginator"].count == 36 and table.page.number == 2 and len(table.rows) == 10
    assert "kind=bulanan" in table.next_url and "page=3" in table.next_url
    assert client.get("/laporan/?kind=bulanan&version=terbaru").context["paginator"].count == 12


def test_empty_results_say_whether_a_filter_is_in_force(client, staf_provinsi):
    client.force_login(staf_provinsi)
    assert "Belum ada laporan dalam arsip." in client.get("/laporan/").content.decode()
    assert "Tidak ada laporan yang cocok dengan filter." in client.get("/laporan/?year=2030").content.decode()


def test_archive_rows_link_their_detail_and_downloads(client, pimpinan, archive):
    client.force_login(pimpinan)
    page = client.get("/laporan/").content.decode()
    done = archive["may_v2"]
    assert f'href="/laporan/{done.pk}/"' in page and f'href="/laporan/{done.pk}/unduh/pdf/"' in page
    assert f'href="/laporan/{archive["bangka"].pk}/unduh/pdf/"' not in page  # queued: nothing to download
    assert "Bulanan 2026-05" in page and "terkirim" in page


# --- Report objects through Report.objects.restrict ---------------------------------------------


@pytest.mark.parametrize(("who", "province", "bangka"), [
    ("staf_provinsi", True, True),
    ("admin_user", True, True),
    ("pimpinan", False, False),
    ("staf_bangka", None, False),  # None: not visible (404)
])
def test_detail_can_change_is_the_querysets_rule(client, request, archive, who, province, bangka):
    client.force_login(request.getfixturevalue(who))
    for report, expected in ((archive["may_v1"], province), (archive["bangka"], bangka)):
        response = client.get(f"/laporan/{report.pk}/")
        if expected is None:
            assert response.status_code == 404
            continue
        assert response.context["can_change"] is expected and response.context["report"] == report
        assert (response.context["narrative_form"] is not None) is expected
        assert [v["version"] for v in response.context["versions"]] == (
            [2, 1] if report == archive["may_v1"] else [1])


def test_a_visible_report_the_login_may_not_change_is_refused(client, archive, staf_bangka, pimpinan):
    """The permission is checked first (403 whatever the report); then the queryset's change rule."""
    for user in (staf_bangka, pimpinan):
        client.force_login(user)
        for action in ("narasi", "finalkan", "buat-ulang", "kirim"):
            assert client.post(f"/laporan/{archive['bangka'].pk}/{action}/").status_code == 403
            assert client.post(f"/laporan/{archive['may_v1'].pk}/{action}/").status_code == 403


def test_change_rule_also_refuses_another_regions_report_to_a_regency_editor(client, archive, staf_bangka):
    """A regency login given the change permission still changes only its region's reports: the
    province's is not even visible (404), its own is changeable (the button answers)."""
    from django.contrib.auth.models import Permission

    staf_bangka.user_permissions.add(Permission.objects.get(codename="change_report"))
    client.force_login(staf_bangka)
    assert client.post(f"/laporan/{archive['may_v1'].pk}/finalkan/").status_code == 404
    response = client.post(f"/laporan/{archive['bangka'].pk}/finalkan/")
    assert response.status_code == 302 and response["Location"] == f"/laporan/{archive['bangka'].pk}/"
    assert "Hanya laporan yang selesai dibuat" in " ".join(_texts(response))


def test_send_needs_a_finalised_version(client, archive, staf_provinsi, django_capture_on_commit_callbacks):
    client.force_login(staf_provinsi)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(f"/laporan/{archive['y2025'].pk}/kirim/")
    assert response.status_code == 302 and not own_callbacks(callbacks)
    assert "Finalkan laporan sebelum mengirimnya." in _texts(response)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(f"/laporan/{archive['may_v1'].pk}/kirim/")
    assert response["Location"] == f"/laporan/{archive['may_v1'].pk}/" and len(own_callbacks(callbacks)) == 1
    assert "Laporan diantrekan untuk dikirim ke penerima laporan." in _texts(response)


def test_oversized_and_missing_report_ids_are_404(client, staf_provinsi):
    client.force_login(staf_provinsi)
    for url in ("/laporan/99999999999999999999999/", "/laporan/424242/", "/laporan/424242/status.json",
                "/laporan/424242/unduh/pdf/"):
        assert client.get(url).status_code == 404, url
    assert client.post("/laporan/424242/finalkan/").status_code == 404


# --- Dashboard ---------------------------------------------------------------------------------------


def test_dashboard_refuses_a_login_without_a_role_before_reading_anything(client, no_role_user, monkeypatch):
    from kesbang.office import views

    monkeypatch.setattr(views, "office_dashboard", lambda **kw: pytest.fail("read for a login without a role"))
    client.force_login(no_role_user)
    assert client.get("/").status_code == 403
    client.logout()
    response = client.get("/")
    assert response.status_code == 302 and "/akun/login/" in response["Location"]


@pytest.mark.parametrize("who", ["admin_user", "administrator", "pimpinan", "staf_provinsi", "staf_bangka",
                                 "anggota_tim"])
def test_dashboard_opens_for_every_role(client, request, who):
    """By ``teams.view_team`` (its Tim Terpadu summary), which the matrix gives every role."""
    user = request.getfixturevalue(who)
    assert user.has_perm("teams.view_team")
    client.force_login(user)
    response = client.get("/?periode=bukan-periode")
    assert response.status_code == 200 and "summary" in response.context


def test_dashboard_asks_the_permission_not_the_role(client, no_role_user):
    from django.contrib.auth.models import Permission

    no_role_user.user_permissions.add(Permission.objects.get(codename="view_team", content_type__app_label="teams"))
    client.force_login(no_role_user)
    assert client.get("/").status_code == 200
