"""Backups (kesbang/ops/backup.py, manage.py backup / restore): encrypted round trip on SQLite, every file
checked before the database is touched (tampered, wrong key, no key, unencrypted where a key is set),
the unencrypted mode, and the chunked AES-GCM file format itself. The PostgreSQL round trip (encrypted)
is the drill tests/drills/test_backup_restore.py."""

import json
import os
import shutil
import sqlite3
import stat
import subprocess
from contextlib import closing
from pathlib import Path

import pytest

from kesbang.ops import backup
from tests.drills.pg import BASE_DIR, PYTHON, drill_env

# The database of each test is a SQLite file of its own, changed by manage.py processes; the mark gives
# ``migrated`` the run's test database to copy it from (see there).
pytestmark = pytest.mark.django_db

SEED = """
from django.contrib.auth import get_user_model
get_user_model().objects.create_user("sebelum.cadangan", password="rahasia-uji-123")
"""


def run(env, *args, stdin=None):
    return subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True,
                          timeout=180, input=stdin)


def manage(env, *args, stdin=None) -> str:
    result = run(env, *args, stdin=stdin)
    assert result.returncode == 0, f"manage.py {' '.join(args)}\n{result.stdout}\n{result.stderr}"
    return result.stdout


# The database checks below read and change the SQLite file directly (the backup and restore themselves
# run as manage.py processes): a Python start per check would double the test's time.

def users(site) -> list[str]:
    with closing(sqlite3.connect(site.root / "db.sqlite3")) as db:
        return sorted(row[0] for row in db.execute("SELECT username FROM auth_user"))


def damage(site) -> None:
    """Change the database after the backup: the user made before it goes, another one comes."""
    with closing(sqlite3.connect(site.root / "db.sqlite3")) as db, db:
        db.execute("UPDATE auth_user SET username = 'setelah.cadangan' WHERE username = 'sebelum.cadangan'")


_MIGRATED: dict = {}


@pytest.fixture
def migrated(tmp_path_factory):
    """A migrated SQLite database file with one login, ``sebelum.cadangan``. When the run's own test
    database is SQLite (a newcomer's ``make test``, the embedded default) it is already migrated: it is copied
    with sqlite3's backup API and the login inserted (7 s of ``manage.py migrate`` saved); otherwise
    ``manage.py migrate`` builds the file."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.utils import timezone

    if "path" in _MIGRATED:
        return _MIGRATED["path"]
    folder = tmp_path_factory.mktemp("backup-template")
    target = folder / "db.sqlite3"
    if connection.vendor != "sqlite":
        env = drill_env(f"sqlite:///{target}", folder / "media")
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "shell", "-c", SEED)
    else:
        connection.ensure_connection()  # the run's test database (the tests are marked django_db)
        with closing(sqlite3.connect(target)) as db:
            connection.connection.backup(db)
            with db:
                db.execute("DELETE FROM auth_user")
                db.execute(
                    "INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, "
                    "is_staff, is_active, date_joined) VALUES (?, 0, 'sebelum.cadangan', '', '', '', 0, 1, ?)",
                    [make_password("rahasia-uji-123"), timezone.now().isoformat()])
    _MIGRATED["path"] = target
    return target


@pytest.fixture
def site(migrated, tmp_path):
    """A migrated SQLite database and a media folder with two files; env() for manage.py."""
    shutil.copy(migrated, tmp_path / "db.sqlite3")
    media = tmp_path / "media"
    (media / "evidence" / "2026").mkdir(parents=True)
    (media / "evidence" / "2026" / "bukti.pdf").write_bytes(b"%PDF-1.4 bukti\n" * 1000)
    (media / "reports").mkdir()
    (media / "reports" / "laporan.xlsx").write_bytes(os.urandom(3 * 1024 * 1024))  # several cipher chunks

    class Site:
        root = tmp_path
        backups = tmp_path / "backups"

        @staticmethod
        def env(**extra):
            return drill_env(f"sqlite:///{tmp_path / 'db.sqlite3'}", media, **extra)

    Site.media = media
    return Site


def make_backup(site, **env) -> Path:
    out = manage(site.env(**env), "backup", "--dir", str(site.backups))
    return Path(out.strip().splitlines()[-1].removeprefix("backup: "))


def media_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.processes
def test_encrypted_backup_round_trip_on_sqlite(site):
    key = manage(site.env(), "backup", "--generate-key").strip()
    assert len(key) == 44
    files_before = media_files(site.media)
    folder = make_backup(site, BACKUP_ENCRYPTION_KEY=key)

    assert sorted(p.name for p in folder.iterdir()) == ["database.sqlite3.enc", "manifest.json", "media.tar.gz.enc"]
    assert mode(folder) == 0o700 and all(mode(p) == 0o600 for p in folder.iterdir())
    database = (folder / "database.sqlite3.enc").read_bytes()
    assert database.startswith(b"KBAKENC1") and b"SQLite format 3" not in database
    assert b"sebelum.cadangan" not in database and b"%PDF-1.4 bukti" not in (folder / "media.tar.gz.enc").read_bytes()
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["encryption"]["cipher"] == "AES-256-GCM" and manifest["encryption"]["kdf"] == "raw"
    assert set(manifest["files"]) == {"database.sqlite3.enc", "media.tar.gz.enc"}
    assert set(manifest["media"]) == {"evidence/2026/bukti.pdf", "reports/laporan.xlsx"}

    damage(site)
    (site.media / "evidence" / "2026" / "bukti.pdf").write_bytes(b"diubah")
    assert "setelah.cadangan" in users(site)

    refused = run(site.env(BACKUP_ENCRYPTION_KEY=key), "restore", str(folder), stdin="tidak\n")
    assert refused.returncode != 0 and "Dibatalkan" in refused.stderr
    # Before asking: what will be replaced, from when, and that every check passed.
    assert "Yang akan DIGANTI: seluruh isi basis data sqlite" in refused.stdout
    assert str(site.root / "db.sqlite3") in refused.stdout and "2 berkas unggahan" in refused.stdout
    assert "terenkripsi" in refused.stdout and "dibuat: " in refused.stdout
    assert "dekripsi dan autentikasi setiap potongan" in refused.stdout

    restored = manage(site.env(BACKUP_ENCRYPTION_KEY=key), "restore", str(folder), stdin="ya\n")
    assert "cocok dengan manifest" in restored
    assert "sebelum.cadangan" in users(site) and "setelah.cadangan" not in users(site)
    assert media_files(site.media) == files_before
    assert mode(site.media / "evidence" / "2026" / "bukti.pdf") == 0o640 and mode(site.media / "evidence") == 0o750
    assert not list(Path(os.environ.get("TMPDIR", "/tmp")).glob("kesbang-restore-*/database.sqlite3"))


def _refused(site, folder, message, **env):
    result = run(site.env(**env), "restore", str(folder), "--noinput")
    assert result.returncode != 0, result.stdout
    assert "Cadangan ditolak, tidak ada yang diubah" in result.stderr and message in result.stderr, result.stderr
    assert "setelah.cadangan" in users(site)  # the database was not touched
    assert (site.media / "penanda.txt").read_bytes() == b"tetap"  # nor the media folder


@pytest.mark.processes
def test_tampered_or_unreadable_archives_are_refused_before_anything_is_touched(site):
    key = backup.generate_key()
    folder = make_backup(site, BACKUP_ENCRYPTION_KEY=key)
    damage(site)
    (site.media / "penanda.txt").write_bytes(b"tetap")
    original = (folder / "database.sqlite3.enc").read_bytes()

    # One byte changed in the encrypted dump.
    flipped = bytearray(original)
    flipped[len(flipped) // 2] ^= 0x01
    (folder / "database.sqlite3.enc").write_bytes(bytes(flipped))
    _refused(site, folder, "database.sqlite3.enc rusak atau telah diubah: checksum SHA-256 tidak cocok",
             BACKUP_ENCRYPTION_KEY=key)

    # ... and the manifest's checksum "fixed" to match: the manifest's HMAC gives it away.
    manifest = json.loads((folder / "manifest.json").read_text())
    real_manifest = json.dumps(manifest)
    manifest["files"]["database.sqlite3.enc"]["sha256"] = backup._sha256_file(folder / "database.sqlite3.enc")
    (folder / "manifest.json").write_text(json.dumps(manifest))
    _refused(site, folder, "manifest.json telah diubah setelah cadangan dibuat", BACKUP_ENCRYPTION_KEY=key)

    # A chunk cut off the end, with checksums and the MAC recomputed by someone holding the key:
    # the last-chunk flag still refuses it.
    keys = backup.derive_keys(key, __import__("base64").b64decode(manifest["encryption"]["salt"]), "raw")
    short = original[: len(original) - (backup.CHUNK_SIZE + backup.TAG_SIZE) // 2]
    (folder / "database.sqlite3.enc").write_bytes(short)
    manifest = json.loads(real_manifest)
    manifest["files"]["database.sqlite3.enc"].update(bytes=len(short), sha256=backup._sha256_file(
        folder / "database.sqlite3.enc"))
    manifest["mac"] = keys.hmac(backup._canonical(manifest))
    (folder / "manifest.json").write_text(json.dumps(manifest))
    _refused(site, folder, "autentikasi enkripsi gagal", BACKUP_ENCRYPTION_KEY=key)

    (folder / "database.sqlite3.enc").write_bytes(original)
    (folder / "manifest.json").write_text(real_manifest)
    _refused(site, folder, "Kunci salah", BACKUP_ENCRYPTION_KEY=backup.generate_key())
    _refused(site, folder, "Kunci salah", BACKUP_ENCRYPTION_KEY="frasa sandi yang lain sama sekali")
    _refused(site, folder, "Cadangan ini terenkripsi: isi BACKUP_ENCRYPTION_KEY")
    (folder / "media.tar.gz.enc").unlink()
    _refused(site, folder, "media.tar.gz.enc yang tercatat di manifest tidak ada", BACKUP_ENCRYPTION_KEY=key)
    (folder / "manifest.json").write_text("{bukan json")
    _refused(site, folder, "manifest.json rusak", BACKUP_ENCRYPTION_KEY=key)


@pytest.mark.processes
def test_unencrypted_backup_still_works_and_is_checked(site):
    files_before = media_files(site.media)
    folder = make_backup(site)
    assert sorted(p.name for p in folder.iterdir()) == ["database.sqlite3", "manifest.json", "media.tar.gz"]
    assert (folder / "database.sqlite3").read_bytes().startswith(b"SQLite format 3")
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["encryption"] is None and "mac" not in manifest
    damage(site)
    (site.media / "penanda.txt").write_bytes(b"tetap")

    # A key is configured now: an unencrypted backup is refused unless asked for explicitly.
    _refused(site, folder, "TIDAK terenkripsi", BACKUP_ENCRYPTION_KEY=backup.generate_key())
    # A damaged file inside the media archive (checksums of the archive recomputed): refused.
    original = (folder / "media.tar.gz").read_bytes()
    import io
    import tarfile

    buffer = io.BytesIO()
    with tarfile.open(fileobj=io.BytesIO(original), mode="r:gz") as source, \
            tarfile.open(fileobj=buffer, mode="w:gz") as target:
        for member in source.getmembers():
            body = source.extractfile(member).read()
            if member.name.endswith("bukti.pdf"):
                body = body.replace(b"bukti", b"palsu")
            target.addfile(member, io.BytesIO(body))
    (folder / "media.tar.gz").write_bytes(buffer.getvalue())
    manifest["files"]["media.tar.gz"].update(bytes=len(buffer.getvalue()), sha256=backup._sha256_file(
        folder / "media.tar.gz"))
    (folder / "manifest.json").write_text(json.dumps(manifest))
    _refused(site, folder, "Berkas di dalam arsip unggahan tidak sama dengan yang tercatat di manifest")
    (folder / "media.tar.gz").write_bytes(original)
    manifest["files"]["media.tar.gz"].update(bytes=len(original), sha256=backup._sha256_file(folder / "media.tar.gz"))
    (folder / "manifest.json").write_text(json.dumps(manifest))

    manage(site.env(BACKUP_ENCRYPTION_KEY=backup.generate_key()), "restore", str(folder), "--noinput",
           "--allow-unencrypted")
    assert "sebelum.cadangan" in users(site)
    files_after = media_files(site.media)
    assert files_after == files_before


@pytest.mark.processes
def test_passphrase_key_round_trip_and_too_short_passphrase(site):
    result = run(site.env(BACKUP_ENCRYPTION_KEY="pendek"), "backup", "--dir", str(site.backups))
    assert result.returncode != 0 and "BACKUP_ENCRYPTION_KEY terlalu pendek" in result.stderr
    example = (BASE_DIR / "deploy" / "kesbang.env.example").read_text().split("BACKUP_ENCRYPTION_KEY=")[1].split()[0]
    result = run(site.env(BACKUP_ENCRYPTION_KEY=example), "backup", "--dir", str(site.backups))
    assert result.returncode != 0 and "masih contoh" in result.stderr
    assert not site.backups.exists() or not any(site.backups.iterdir())
    passphrase = "kuda-laut berenang di Teluk Kelabat 2026"
    folder = make_backup(site, BACKUP_ENCRYPTION_KEY=passphrase)
    assert json.loads((folder / "manifest.json").read_text())["encryption"]["kdf"] == "scrypt"
    damage(site)
    manage(site.env(BACKUP_ENCRYPTION_KEY=passphrase), "restore", str(folder), "--noinput")
    assert "sebelum.cadangan" in users(site)


@pytest.mark.processes
def test_legacy_backup_without_file_checksums_is_refused(site):
    folder = make_backup(site)
    manifest = json.loads((folder / "manifest.json").read_text())
    del manifest["format"], manifest["files"]
    (folder / "manifest.json").write_text(json.dumps(manifest))
    damage(site)
    (site.media / "penanda.txt").write_bytes(b"tetap")
    _refused(site, folder, "versi Kesbang lama tanpa checksum")


# --- The encrypted file format, in process -------------------------------------------------------


def _encrypt(tmp_path, keys, data: bytes, name="data.bin.enc") -> Path:
    out = backup._Output(tmp_path / name, keys=keys)
    for start in range(0, len(data), 7000):
        out.write(data[start:start + 7000])
    out.close()
    return tmp_path / name


def test_chunked_format_refuses_reordered_dropped_swapped_or_trailing_chunks(tmp_path, monkeypatch):
    monkeypatch.setattr(backup, "CHUNK_SIZE", 4096)
    keys = backup.derive_keys(backup.generate_key(), b"0123456789abcdef", "raw")
    data = os.urandom(4096 * 3 + 100)
    path = _encrypt(tmp_path, keys, data)
    assert backup._decrypt(path, tmp_path / "clear", keys=keys, name="data.bin.enc") == \
        __import__("hashlib").sha256(data).hexdigest()
    assert (tmp_path / "clear").read_bytes() == data
    exact = _encrypt(tmp_path, keys, b"x" * 8192, name="exact.enc")  # a multiple of the chunk: empty last chunk
    backup._decrypt(exact, tmp_path / "exact", keys=keys, name="exact.enc")
    assert (tmp_path / "exact").read_bytes() == b"x" * 8192

    raw = path.read_bytes()
    header, sealed = raw[:19], 4096 + 16
    chunks = [raw[19 + i * sealed:19 + (i + 1) * sealed] for i in range(4)]
    variants = {
        "reordered": header + chunks[1] + chunks[0] + chunks[2] + chunks[3],
        "last dropped": header + b"".join(chunks[:3]),
        "trailing bytes": raw + b"\x00" * 20,
        "header only": header,
        "bad magic": b"KBAKENC9" + raw[8:],
    }
    for label, body in variants.items():
        target = tmp_path / f"{label}.enc"
        target.write_bytes(body)
        with pytest.raises(backup.BackupError):
            backup._decrypt(target, tmp_path / f"{label}.out", keys=keys, name="data.bin.enc")
    # The same bytes under another file's name (swapped files) fail too.
    with pytest.raises(backup.BackupError, match="autentikasi enkripsi gagal"):
        backup._decrypt(path, tmp_path / "swapped.out", keys=keys, name="media.tar.gz.enc")
