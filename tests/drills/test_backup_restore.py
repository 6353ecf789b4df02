"""Drill: backup and restore round-trip every row and every uploaded file (``make backup`` /
``make restore BACKUP=...`` call these commands), on a throwaway PostgreSQL database (encrypted) and
on SQLite (not encrypted)."""

import json
import subprocess
from pathlib import Path

import pytest

from tests.drills.pg import BASE_DIR, PYTHON, drill_env

pytestmark = pytest.mark.drill

# Demo data plus three evidence files of different kinds (through the real service).
SEED = """
from django.core.files.uploadedfile import SimpleUploadedFile
from kesbang.demo.seed import seed_demo as seed
from teams import services
from teams.models import ActivityPeriod
seed()
periods = list(ActivityPeriod.objects.order_by("pk")[:3])
PDF = b"%PDF-1.4\\n1 0 obj<<>>endobj\\ntrailer<<>>\\n%%EOF\\n"
PNG = b"\\x89PNG\\r\\n\\x1a\\n" + b"\\x00" * 64
for i, (name, body) in enumerate([("bukti-1.pdf", PDF), ("foto.png", PNG), ("bukti-3.pdf", PDF + b"3")]):
    services.evidence_add(activity_period=periods[i], uploaded_file=SimpleUploadedFile(name, body), user=None)
"""

# Every model's rows, serialised in primary-key order, hashed: equal fingerprints = equal data.
FINGERPRINT = """
import hashlib, json
from django.apps import apps
from django.core import serializers
out = {}
for model in apps.get_models(include_auto_created=True):
    if not model._meta.managed:
        continue
    rows = serializers.serialize("json", model._default_manager.order_by("pk"))
    out[model._meta.label] = [model._default_manager.count(), hashlib.sha256(rows.encode()).hexdigest()]
print(json.dumps(out))
"""

DAMAGE = """
from teams.models import Evidence, Person, Team
for e in Evidence.objects.all()[:2]:
    e.file.storage.delete(e.file.name)
Evidence.objects.all().delete()
Team.objects.update(name="Dirusak setelah cadangan")
p = Person.objects.first()
Person.objects.create(name="Orang Baru Setelah Cadangan", region_id=p.region_id, institution_id=p.institution_id)
"""


def manage(env, *args, stdin=None, timeout=240):
    result = subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True,
                            timeout=timeout, input=stdin)
    assert result.returncode == 0, f"manage.py {' '.join(args)}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def fingerprint(env) -> dict:
    return json.loads(manage(env, "shell", "-c", FINGERPRINT).strip().splitlines()[-1])


def media_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def fingerprint_after(env, script: str) -> dict:
    """Run ``script`` and print the fingerprint in the same process (one Python start, not two)."""
    return json.loads(manage(env, "shell", "-c", script + FINGERPRINT).strip().splitlines()[-1])


def round_trip(env, media: Path, backups: Path):
    before, files_before = fingerprint_after(env, SEED), media_files(media)
    assert sum(n for n, _ in before.values()) > 100 and len(files_before) == 3

    out = manage(env, "backup", "--dir", str(backups))
    folder = Path(out.strip().splitlines()[-1].removeprefix("backup: "))
    suffix = ".enc" if env.get("BACKUP_ENCRYPTION_KEY") else ""
    assert (folder / "manifest.json").is_file() and (folder / f"media.tar.gz{suffix}").is_file()

    assert fingerprint_after(env, DAMAGE) != before and media_files(media) != files_before

    refused = subprocess.run([PYTHON, "manage.py", "restore", str(folder)], cwd=BASE_DIR, env=env, input="tidak\n",
                             capture_output=True, text=True, timeout=60)
    assert refused.returncode != 0 and "Dibatalkan" in refused.stderr  # asks first
    restored = manage(env, "restore", str(folder), "--noinput")
    assert "cocok dengan manifest" in restored
    assert fingerprint(env) == before
    assert media_files(media) == files_before
    return folder


def test_backup_and_restore_round_trip_on_postgresql(throwaway_pg, migrated_template, tmp_path):
    """Encrypted: pg_dump's output is piped into the cipher (kesbang/ops/backup.py) and back."""
    from kesbang.ops.backup import generate_key

    throwaway_pg.sql(f"CREATE DATABASE kesbang_backup TEMPLATE {migrated_template}")
    try:
        media = tmp_path / "media"
        env = drill_env(throwaway_pg.url("kesbang_backup"), media, BACKUP_ENCRYPTION_KEY=generate_key())
        folder = round_trip(env, media, tmp_path / "backups")
        encrypted = (folder / "database.dump.enc").read_bytes()
        assert encrypted[:8] == b"KBAKENC1" and b"PGDMP" not in encrypted[:4096]
        assert not (folder / "database.dump").exists()
    finally:
        throwaway_pg.sql("DROP DATABASE IF EXISTS kesbang_backup WITH (FORCE)")


def test_backup_and_restore_round_trip_on_sqlite(tmp_path):
    media = tmp_path / "media"
    env = drill_env(f"sqlite:///{tmp_path / 'kesbang.sqlite3'}", media)
    manage(env, "migrate", "--noinput", "-v0", timeout=300)
    folder = round_trip(env, media, tmp_path / "backups")
    assert (folder / "database.sqlite3").read_bytes()[:15] == b"SQLite format 3"


def test_make_targets_exist():
    dry = subprocess.run(["make", "-n", "backup", "restore", "BACKUP=var/backups/x"], cwd=BASE_DIR,
                         capture_output=True, text=True, timeout=30)
    assert "manage.py backup" in dry.stdout and "manage.py restore var/backups/x" in dry.stdout
