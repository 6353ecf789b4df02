"""Shared fixtures. Services are real: PostgreSQL/Redis from the environment, Chromium from Debian.

With KESBANG_REQUIRE_SERVICES=1 (CI), a test whose service is missing fails instead of skipping.
"""

import os
import shutil

import pytest

from tests.factories import make_user

REQUIRE_SERVICES = os.environ.get("KESBANG_REQUIRE_SERVICES") == "1"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def require(condition: bool, reason: str) -> None:
    """Skip locally when a service is missing; fail in CI where it must be present."""
    if condition:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"required service missing: {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def admin_user(db):
    return make_user("Administrator", username="admin.test", superuser=True)


@pytest.fixture
def staf_provinsi(db):
    return make_user("Staf Provinsi", username="staf.prov", region_code="19")


@pytest.fixture
def staf_bangka(db):
    return make_user("Staf Kabupaten/Kota", username="staf.bangka", region_code="19.01")


@pytest.fixture
def staf_belitung(db):
    return make_user("Staf Kabupaten/Kota", username="staf.belitung", region_code="19.02")


@pytest.fixture
def pimpinan(db):
    return make_user("Pimpinan", username="pimpinan", region_code="19")


@pytest.fixture
def anggota_tim(db):
    return make_user("Anggota Tim", username="anggota", region_code="19.71")


@pytest.fixture
def no_role_user(db):
    return make_user(None, username="tanpa.peran", region_code="19")
