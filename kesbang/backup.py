"""Backup and restore of the database and the private uploads (``make backup`` / ``make restore``).

A backup is a folder ``var/backups/<YYYYmmdd-HHMMSS>/`` (or ``BACKUP_DIR``) holding:

- ``database.dump``: ``pg_dump --format=custom`` of PostgreSQL, or ``database.sqlite3``: a consistent
  copy of the SQLite file made with SQLite's online backup API;
- ``media.tar.gz``: every file under ``PRIVATE_MEDIA_ROOT`` (evidence, attachments);
- ``manifest.json``: when, which engine, the row count of every table and the SHA-256 of every file.

Restoring replaces the database's content and the media folder with the backup's (the current media
folder is kept aside as ``<media>.sebelum-restore-<timestamp>``) and checks the counts and checksums
against the manifest.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from glob import glob
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections

MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA_TAR = "media.tar.gz"


def pg_tool(name: str) -> str:
    """The newest PostgreSQL client tool installed (``/usr/lib/postgresql/<v>/bin``), else PATH."""
    candidates = sorted(glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    if candidates:
        return candidates[-1]
    found = shutil.which(name)
    if not found:
        raise ImproperlyConfigured(f"{name} tidak ditemukan: pasang paket postgresql-client.")
    return found


def _pg_args(db: dict) -> tuple[list[str], dict]:
    args = ["-h", db.get("HOST") or "127.0.0.1", "-p", str(db.get("PORT") or 5432), "-U", db.get("USER") or "postgres"]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _engine() -> str:
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" in engine:
        return "postgresql"
    if "sqlite3" in engine:
        return "sqlite"
    raise ImproperlyConfigured(f"Backup tidak mendukung basis data {engine}.")


def table_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if table in counts or not model._meta.managed:
                continue
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - table names from the models
            counts[table] = cursor.fetchone()[0]
    return dict(sorted(counts.items()))


def media_checksums(root: Path) -> dict[str, str]:
    sums = {}
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file():
                sums[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return sums


def backup(target_root: Path | None = None) -> Path:
    """Write one backup folder and return it."""
    target_root = Path(target_root or os.environ.get("BACKUP_DIR") or settings.BASE_DIR / "var" / "backups")
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = target_root / stamp
    suffix = 1
    while folder.exists():
        suffix += 1
        folder = target_root / f"{stamp}-{suffix}"
    folder.mkdir(parents=True)
    os.chmod(folder, 0o700)  # personal data: only the service account reads backups
    engine = _engine()
    db = settings.DATABASES["default"]
    if engine == "postgresql":
        args, env = _pg_args(db)
        subprocess.run([pg_tool("pg_dump"), *args, "--format=custom", "--no-owner", "--no-privileges",
                        "-f", str(folder / PG_DUMP), db["NAME"]], check=True, env=env)
    else:
        connection.ensure_connection()
        source = sqlite3.connect(str(db["NAME"]))
        target = sqlite3.connect(str(folder / SQLITE_COPY))
        with target:
            source.backup(target)
        source.close()
        target.close()
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(folder / MEDIA_TAR, "w:gz") as tar:
        if media.is_dir():
            for path in sorted(media.rglob("*")):
                if path.is_file():
                    tar.add(path, arcname=path.relative_to(media).as_posix(), recursive=False)
    manifest = {
        "created": datetime.datetime.now(datetime.UTC).isoformat(),
        "engine": engine,
        "database": str(db["NAME"]) if engine == "postgresql" else Path(db["NAME"]).name,
        "tables": table_counts(),
        "media": media_checksums(media),
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    return folder


def _safe_members(tar: tarfile.TarFile):
    for member in tar.getmembers():
        name = Path(member.name)
        if name.is_absolute() or ".." in name.parts or not (member.isfile() or member.isdir()):
            raise ValueError(f"Isi arsip tidak aman: {member.name}")
        yield member


def restore(folder: Path) -> dict:
    """Replace the database content and the media folder with the backup in ``folder``; returns what
    was checked. Raises ValueError when the restored data do not match the manifest."""
    folder = Path(folder)
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    engine = _engine()
    if manifest["engine"] != engine:
        raise ValueError(f"Cadangan ini untuk {manifest['engine']}, basis data sekarang {engine}.")
    db = settings.DATABASES["default"]
    connections.close_all()
    if engine == "postgresql":
        args, env = _pg_args(db)
        subprocess.run([pg_tool("pg_restore"), *args, "--clean", "--if-exists", "--no-owner", "--no-privileges",
                        "--single-transaction", "--exit-on-error", "-d", db["NAME"], str(folder / PG_DUMP)],
                       check=True, env=env)
    else:
        source = sqlite3.connect(str(folder / SQLITE_COPY))
        target = sqlite3.connect(str(db["NAME"]))
        with target:
            source.backup(target)
        source.close()
        target.close()
    media = Path(settings.MEDIA_ROOT)
    if media.exists() and any(media.iterdir()):
        aside = media.with_name(f"{media.name}.sebelum-restore-{datetime.datetime.now():%Y%m%d-%H%M%S}")
        media.rename(aside)
    media.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / MEDIA_TAR, "r:gz") as tar:
        tar.extractall(media, members=list(_safe_members(tar)), filter="data")
    counts, sums = table_counts(), media_checksums(media)
    if counts != manifest["tables"]:
        diff = {t: (manifest["tables"].get(t), counts.get(t)) for t in set(counts) | set(manifest["tables"])
                if counts.get(t) != manifest["tables"].get(t)}
        raise ValueError(f"Jumlah baris tidak sama dengan cadangan: {diff}")
    if sums != manifest["media"]:
        raise ValueError("Berkas unggahan tidak sama dengan cadangan.")
    return {"tables": len(counts), "rows": sum(counts.values()), "files": len(sums)}
