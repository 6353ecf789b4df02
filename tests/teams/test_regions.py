"""Region data: the migration loads Bangka Belitung; load_regions loads any province, idempotently."""

import pytest
from django.core.management import CommandError, call_command

from teams.models import Region


@pytest.mark.django_db
def test_migration_loads_exactly_the_448_regions_of_bangka_belitung():
    assert Region.objects.filter(code__startswith="19").count() == 448
    counts = {lvl: Region.objects.filter(level=lvl).count() for lvl in Region.Level.values}
    assert counts["provinsi"] == 1 and counts["kabupaten"] == 6 and counts["kota"] == 1
    assert counts["kecamatan"] == 47 and counts["desa"] + counts["kelurahan"] == 393
    pangkalpinang = Region.objects.get(code="19.71")
    assert pangkalpinang.level == "kota" and pangkalpinang.parent.code == "19"


@pytest.mark.django_db
def test_load_regions_19_is_idempotent(capsys):
    call_command("load_regions", "19")
    call_command("load_regions", "19")
    assert Region.objects.count() == 448
    assert "0 baru" in capsys.readouterr().out


@pytest.mark.django_db
def test_load_regions_loads_another_province_from_the_national_file():
    call_command("load_regions", "34")  # DI Yogyakarta
    diy = Region.objects.get(code="34")
    assert diy.level == "provinsi"
    assert Region.objects.get(code="34.71").level == "kota"  # Kota Yogyakarta
    n = Region.objects.filter(code__startswith="34.").count()
    assert n > 400
    call_command("load_regions", "34")
    assert Region.objects.filter(code__startswith="34.").count() == n


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["99", "1", "ab", "19.01"])
def test_load_regions_with_an_unknown_code_fails_clearly_and_writes_nothing(code):
    before = Region.objects.count()
    with pytest.raises(CommandError) as exc:
        call_command("load_regions", code)
    assert "provinsi" in str(exc.value).lower()
    assert Region.objects.count() == before
