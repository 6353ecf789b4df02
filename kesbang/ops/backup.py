"""Backup and restore of the database and the private uploads (``make backup`` / ``make restore``).

A backup is a folder ``var/backups/<YYYYmmdd-HHMMSS>/`` (or ``BACKUP_DIR``), mode 0700, files 0600:

- ``database.dump``: ``pg_dump --format=custom`` of PostgreSQL, or ``database.sqlite3``: a consistent
  copy of the SQLite file made with SQLite's online backup API;
- ``media.tar.gz``: every file under ``PRIVATE_MEDIA_ROOT`` (evidence, attachments, reports);
- ``manifest.json``: format, when, which engine and database, the row count of every table, the
  SHA-256 of every uploaded file, and for each file of the folder its size, the SHA-256 of the bytes
  stored and the SHA-256 of its content.

With ``BACKUP_ENCRYPTION_KEY`` set, the two data files are written encrypted (``database.dump.enc``,
``media.tar.gz.enc``), streaming: the dump is piped from pg_dump straight into the cipher and never
lies on disk in clear (the SQLite copy does, briefly, inside the 0700 folder).

Encrypted file format ("KBAKENC1"): the 8-byte magic ``KBAKENC1``, a 7-byte random nonce prefix, the
chunk size (4 bytes, big-endian; 1 MiB), then the content in chunks, each sealed with AES-256-GCM
(``cryptography``): nonce = prefix + chunk number (4 bytes, big-endian) + 1 byte that is 1 on the last
chunk only; associated data = the 15 header bytes + the chunk size + the file's name. Every chunk but
the last holds exactly chunk-size bytes; the last may be empty. So a chunk cannot be changed, moved,
dropped, or swapped with another file's, and the file cannot be cut short, without the tag failing.

Keys: ``BACKUP_ENCRYPTION_KEY`` is either 32 random bytes in URL-safe base64 (a Fernet key:
``manage.py backup --generate-key``) or a passphrase of at least 16 characters (stretched with scrypt,
n=2^15, r=8, p=1, over the backup's random salt). HKDF-SHA256 over that and the salt gives the
AES key and an HMAC key; the manifest carries the salt, an HMAC "key check" (tells a wrong key from
tampering) and an HMAC of the whole manifest, so nobody without the key can change it unnoticed.

Restore is two steps, and the first touches nothing: ``open_verified(folder)`` checks the manifest
(and its HMAC), the SHA-256 of every file, decrypts and authenticates every chunk into a private
temporary folder (``TMPDIR``), compares the content checksums, and hashes every file inside the
media archive against the manifest, all before anyone is asked; ``restore_verified`` then replaces the
database content and the media folder (the current one kept aside as
``<media>.sebelum-restore-<timestamp>``) and checks the counts and checksums again.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import json
import os
import secrets
import shutil
import sqlite3
import struct
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from glob import glob
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections
from django.utils import timezone

FORMAT = 2
MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA_TAR = "media.tar.gz"
ENC_SUFFIX = ".enc"
MAGIC = b"KBAKENC1"
CHUNK_SIZE = 1024 * 1024
TAG_SIZE = 16
READ_SIZE = 1024 * 1024
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
MIN_PASSPHRASE = 16
FILE_MODE = 0o600
FOLDER_MODE = 0o700
# Restored uploads get the same modes as uploads stored by the app (settings FILE_UPLOAD_*).
MEDIA_FILE_MODE = 0o640
MEDIA_FOLDER_MODE = 0o750


class BackupError(ValueError):
    """A backup that must not be restored (or a key that cannot be used); the message says why."""


# --- keys ------------------------------------------------------------------------------------------


def configured_key() -> str:
    return (getattr(settings, "BACKUP_ENCRYPTION_KEY", "") or "").strip()


def generate_key() -> str:
    """A new random key (32 bytes, URL-safe base64: the same text as a Fernet key)."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def _raw_key(secret: str) -> bytes | None:
    try:
        raw = base64.urlsafe_b64decode(secret.encode())
    except (ValueError, TypeError):
        return None
    return raw if len(raw) == 32 and len(secret) == 44 else None


@dataclass(frozen=True)
class Keys:
    cipher: bytes
    mac: bytes

    def hmac(self, data: bytes) -> str:
        return hmac.new(self.mac, data, hashlib.sha256).hexdigest()

    def key_check(self) -> str:
        return self.hmac(b"kesbang-backup key check")


def derive_keys(secret: str, salt: bytes, kdf: str) -> Keys:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    if kdf == "raw":
        master = _raw_key(secret)
        if master is None:
            raise BackupError("Kunci salah: cadangan ini dienkripsi dengan kunci acak 32 bita, tetapi "
                              "BACKUP_ENCRYPTION_KEY berisi frasa sandi.")
    elif kdf == "scrypt":
        master = Scrypt(salt=salt, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P).derive(secret.encode())
    else:
        raise BackupError(f"Cara penurunan kunci tidak dikenal: {kdf}.")
    both = HKDF(algorithm=hashes.SHA256(), length=64, salt=salt, info=b"kesbang-backup-v1").derive(master)
    return Keys(cipher=both[:32], mac=both[32:])


def _kdf_for(secret: str) -> str:
    if "change-me" in secret.lower():
        raise ImproperlyConfigured(
            "BACKUP_ENCRYPTION_KEY masih contoh dari kesbang.env.example: isi dengan keluaran "
            "`manage.py backup --generate-key`."
        )
    if _raw_key(secret) is not None:
        return "raw"
    if len(secret) < MIN_PASSPHRASE:
        raise ImproperlyConfigured(
            f"BACKUP_ENCRYPTION_KEY terlalu pendek: gunakan kunci dari `manage.py backup --generate-key` atau "
            f"frasa sandi minimal {MIN_PASSPHRASE} karakter."
        )
    return "scrypt"


def _canonical(manifest: dict) -> bytes:
    body = {k: v for k, v in manifest.items() if k != "mac"}
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


# --- writing ---------------------------------------------------------------------------------------


class _Output:
    """A file of the backup written through ``write``: hashes what is stored and (for encrypted
    files) what it contains; encrypts chunk by chunk when given keys."""

    def __init__(self, path: Path, *, keys: Keys | None):
        self.path = path
        self.name = path.name
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        self.handle = os.fdopen(fd, "wb")
        self.stored = hashlib.sha256()
        self.content = hashlib.sha256()
        self.size = 0
        self.keys = keys
        self.buffer = bytearray()
        self.counter = 0
        if keys is not None:
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM

            self.aead = AESGCM(keys.cipher)
            self.prefix = secrets.token_bytes(7)
            self.header = MAGIC + self.prefix + struct.pack(">I", CHUNK_SIZE)
            self._put(self.header)

    def _put(self, data: bytes) -> None:
        self.handle.write(data)
        self.stored.update(data)
        self.size += len(data)

    def _seal(self, chunk: bytes, last: bool) -> None:
        nonce = self.prefix + struct.pack(">IB", self.counter, 1 if last else 0)
        self._put(self.aead.encrypt(nonce, bytes(chunk), self.header + self.name.encode()))
        self.counter += 1

    def write(self, data: bytes) -> int:
        self.content.update(data)
        if self.keys is None:
            self._put(data)
            return len(data)
        self.buffer += data
        # Strictly more than a chunk: the last chunk is sealed in close(), flagged as the last.
        while len(self.buffer) > CHUNK_SIZE:
            self._seal(self.buffer[:CHUNK_SIZE], last=False)
            del self.buffer[:CHUNK_SIZE]
        return len(data)

    def close(self) -> dict:
        if self.keys is not None:
            self._seal(self.buffer, last=True)
            self.buffer = bytearray()
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        return {"bytes": self.size, "sha256": self.stored.hexdigest(), "content_sha256": self.content.hexdigest()}


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


def _database_label(engine: str, db: dict) -> str:
    return str(db["NAME"]) if engine == "postgresql" else Path(db["NAME"]).name


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


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(READ_SIZE):
            digest.update(block)
    return digest.hexdigest()


def media_checksums(root: Path) -> dict[str, str]:
    sums = {}
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file():
                sums[path.relative_to(root).as_posix()] = _sha256_file(path)
    return sums


class _HashingReader:
    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size=-1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _dump_postgresql(db: dict, out: _Output) -> None:
    args, env = _pg_args(db)
    command = [pg_tool("pg_dump"), *args, "--format=custom", "--no-owner", "--no-privileges", db["NAME"]]
    with subprocess.Popen(command, stdout=subprocess.PIPE, env=env) as proc:  # noqa: S603 - fixed arguments
        while block := proc.stdout.read(READ_SIZE):
            out.write(block)
    if proc.returncode != 0:
        raise subprocess.CalledProcessError(proc.returncode, command)


def _copy_sqlite(db: dict, folder: Path, out: _Output) -> None:
    connection.ensure_connection()
    scratch = folder / f".{SQLITE_COPY}.tmp"
    source = sqlite3.connect(str(db["NAME"]))
    target = sqlite3.connect(str(scratch))
    try:
        os.chmod(scratch, FILE_MODE)
        with target:
            source.backup(target)
    finally:
        source.close()
        target.close()
    try:
        with open(scratch, "rb") as handle:
            while block := handle.read(READ_SIZE):
                out.write(block)
    finally:
        scratch.unlink()


def backup(target_root: Path | None = None, *, key: str | None = None) -> Path:
    """Write one backup folder and return it. ``key``: defaults to ``BACKUP_ENCRYPTION_KEY``
    (empty: not encrypted). A backup that fails half-way leaves no folder behind."""
    secret = configured_key() if key is None else key.strip()
    encryption, keys = None, None
    if secret:
        kdf = _kdf_for(secret)
        salt = secrets.token_bytes(16)
        keys = derive_keys(secret, salt, kdf)
        encryption = {"format": "KBAKENC1", "cipher": "AES-256-GCM", "chunk_bytes": CHUNK_SIZE, "kdf": kdf,
                      "salt": base64.b64encode(salt).decode(), "key_check": keys.key_check()}
    engine = _engine()

    target_root = Path(target_root or os.environ.get("BACKUP_DIR") or settings.BASE_DIR / "var" / "backups")
    target_root.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = target_root / stamp
    suffix = 1
    while folder.exists():
        suffix += 1
        folder = target_root / f"{stamp}-{suffix}"
    folder.mkdir(mode=FOLDER_MODE)
    os.chmod(folder, FOLDER_MODE)  # personal data: only the service account reads backups
    try:
        _write_backup(folder, engine=engine, keys=keys, encryption=encryption)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder


def _write_backup(folder: Path, *, engine: str, keys: Keys | None, encryption: dict | None) -> None:
    suffix_enc = ENC_SUFFIX if keys else ""
    db = settings.DATABASES["default"]
    files = {}
    out = _Output(folder / ((PG_DUMP if engine == "postgresql" else SQLITE_COPY) + suffix_enc), keys=keys)
    try:
        if engine == "postgresql":
            _dump_postgresql(db, out)
        else:
            _copy_sqlite(db, folder, out)
    finally:
        files[out.name] = out.close()

    media = Path(settings.MEDIA_ROOT)
    media_sums = {}
    out = _Output(folder / (MEDIA_TAR + suffix_enc), keys=keys)
    try:
        with tarfile.open(fileobj=out, mode="w|gz") as tar:
            if media.is_dir():
                for path in sorted(media.rglob("*")):
                    if path.is_file():
                        # Hashed as archived (not re-read afterwards): an upload arriving meanwhile
                        # cannot make the manifest disagree with the archive.
                        arcname = path.relative_to(media).as_posix()
                        info = tar.gettarinfo(str(path), arcname=arcname)
                        with open(path, "rb") as handle:
                            reader = _HashingReader(handle)
                            tar.addfile(info, reader)
                        media_sums[arcname] = reader.digest.hexdigest()
    finally:
        files[out.name] = out.close()

    manifest = {
        "format": FORMAT,
        "created": datetime.datetime.now(datetime.UTC).isoformat(),
        "engine": engine,
        "database": _database_label(engine, db),
        "tables": table_counts(),
        "media": dict(sorted(media_sums.items())),
        "files": files,
        "encryption": encryption,
    }
    if keys is not None:
        manifest["mac"] = keys.hmac(_canonical(manifest))
    fd = os.open(folder / MANIFEST, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(manifest, indent=1, sort_keys=True))


# --- verifying and restoring ----------------------------------------------------------------------


def _decrypt(source: Path, target: Path, *, keys: Keys, name: str) -> str:
    """Decrypt ``source`` (KBAKENC1) to ``target`` chunk by chunk, authenticating each; the content's
    SHA-256. BackupError when any chunk fails, the file is cut short or has bytes after the end."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    aead = AESGCM(keys.cipher)
    digest = hashlib.sha256()
    damaged = BackupError(f"Berkas {name} rusak atau telah diubah: autentikasi enkripsi gagal.")
    with open(source, "rb") as handle, open(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE),
                                            "wb") as out:
        header = handle.read(len(MAGIC) + 7 + 4)
        if len(header) != len(MAGIC) + 11 or not header.startswith(MAGIC):
            raise BackupError(f"Berkas {name} bukan berkas cadangan terenkripsi Kesbang.")
        prefix = header[len(MAGIC):len(MAGIC) + 7]
        (chunk_size,) = struct.unpack(">I", header[-4:])
        if not 0 < chunk_size <= 64 * 1024 * 1024:
            raise damaged
        sealed_size = chunk_size + TAG_SIZE
        aad = header + name.encode()
        counter = 0
        current = handle.read(sealed_size)
        while True:
            following = handle.read(sealed_size)
            last = not following
            nonce = prefix + struct.pack(">IB", counter, 1 if last else 0)
            try:
                plain = aead.decrypt(nonce, current, aad)
            except InvalidTag:
                raise damaged from None
            if not last and len(plain) != chunk_size:
                raise damaged
            out.write(plain)
            digest.update(plain)
            counter += 1
            if last:
                break
            current = following
    return digest.hexdigest()


@dataclass
class VerifiedBackup:
    """A backup whose every check passed; ``database``/``media`` are the clear files to restore from
    (in ``workdir`` when the backup is encrypted). Use as a context manager: the clear copies go."""

    folder: Path
    manifest: dict
    database: Path
    media: Path
    workdir: Path | None = None
    checks: list[str] = field(default_factory=list)

    @property
    def encrypted(self) -> bool:
        return bool(self.manifest.get("encryption"))

    @property
    def created(self) -> datetime.datetime:
        return datetime.datetime.fromisoformat(self.manifest["created"])

    def summary(self) -> list[str]:
        """What a restore would replace, for the confirmation question."""
        engine = _engine()
        db = settings.DATABASES["default"]
        local = timezone.localtime(self.created)
        return [
            f"Cadangan: {self.folder}",
            f"  dibuat: {local:%d-%m-%Y %H:%M} {local.tzname()}, dari basis data {self.manifest['engine']} "
            f"\"{self.manifest['database']}\"; {'terenkripsi' if self.encrypted else 'TIDAK terenkripsi'}",
            f"  isi: {len(self.manifest['tables'])} tabel, {sum(self.manifest['tables'].values())} baris, "
            f"{len(self.manifest['media'])} berkas unggahan",
            f"Yang akan DIGANTI: seluruh isi basis data {engine} \"{db['NAME']}\" "
            f"dan folder unggahan {settings.MEDIA_ROOT} (folder sekarang disimpan di samping sebagai "
            "<folder>.sebelum-restore-<waktu>).",
            "Pemeriksaan lulus: " + "; ".join(self.checks) + ".",
        ]

    def cleanup(self) -> None:
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.cleanup()
        return False


def _load_manifest(folder: Path) -> dict:
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError(f"{folder} bukan folder cadangan Kesbang (tidak ada {MANIFEST}).")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BackupError(f"{MANIFEST} rusak (bukan JSON yang sah).") from None
    if not isinstance(manifest, dict):
        raise BackupError(f"{MANIFEST} rusak.")
    if manifest.get("format") != FORMAT or not isinstance(manifest.get("files"), dict):
        raise BackupError(
            "Cadangan ini dibuat oleh versi Kesbang lama tanpa checksum setiap berkas, sehingga tidak dapat "
            "diverifikasi sebelum dipulihkan. Pulihkan dengan versi yang membuatnya, atau buat cadangan baru."
        )
    for key in ("created", "engine", "database", "tables", "media"):
        if key not in manifest:
            raise BackupError(f"{MANIFEST} tidak lengkap (tidak ada \"{key}\").")
    return manifest


def _keys_for(manifest: dict, key: str | None, allow_unencrypted: bool) -> Keys | None:
    secret = configured_key() if key is None else key.strip()
    encryption = manifest.get("encryption")
    if not encryption:
        if secret and not allow_unencrypted:
            raise BackupError(
                "Cadangan ini TIDAK terenkripsi, padahal BACKUP_ENCRYPTION_KEY diisi: isinya tidak dapat "
                "dibuktikan berasal dari Kesbang. Jika Anda yakin, ulangi dengan --allow-unencrypted."
            )
        return None
    if not secret:
        raise BackupError("Cadangan ini terenkripsi: isi BACKUP_ENCRYPTION_KEY dengan kunci yang dipakai saat "
                          "cadangan dibuat.")
    try:
        salt = base64.b64decode(encryption["salt"])
        keys = derive_keys(secret, salt, encryption["kdf"])
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, BackupError):
            raise
        raise BackupError(f"Bagian enkripsi {MANIFEST} rusak.") from None
    if not hmac.compare_digest(str(encryption.get("key_check", "")), keys.key_check()):
        raise BackupError("Kunci salah: BACKUP_ENCRYPTION_KEY bukan kunci yang dipakai saat cadangan ini dibuat.")
    if not hmac.compare_digest(str(manifest.get("mac", "")), keys.hmac(_canonical(manifest))):
        raise BackupError(f"{MANIFEST} telah diubah setelah cadangan dibuat (HMAC tidak cocok).")
    return keys


def _safe_members(tar: tarfile.TarFile):
    for member in tar:
        name = Path(member.name)
        if name.is_absolute() or ".." in name.parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"Isi arsip tidak aman: {member.name}")
        yield member


def _media_archive_checksums(path: Path) -> dict[str, str]:
    sums = {}
    try:
        with tarfile.open(path, "r:gz") as tar:
            for member in _safe_members(tar):
                if member.isfile():
                    digest = hashlib.sha256()
                    handle = tar.extractfile(member)
                    while block := handle.read(READ_SIZE):
                        digest.update(block)
                    sums[Path(member.name).as_posix()] = digest.hexdigest()
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"Arsip unggahan rusak: {exc}") from None
    return sums


def open_verified(folder: Path, *, key: str | None = None, allow_unencrypted: bool = False) -> VerifiedBackup:
    """Check everything a restore relies on, touching neither the database nor the media folder:
    the manifest (and its HMAC when encrypted), the key, the engine, every file's size and SHA-256,
    every chunk's authentication tag, the content checksums and every file in the media archive.
    Raises BackupError with the reason; the caller must ``cleanup()`` (or use ``with``)."""
    folder = Path(folder)
    manifest = _load_manifest(folder)
    engine = _engine()
    if manifest["engine"] != engine:
        raise BackupError(f"Cadangan ini untuk {manifest['engine']}, basis data sekarang {engine}.")
    keys = _keys_for(manifest, key, allow_unencrypted)
    checks = ["manifest" + (" dan HMAC-nya" if keys else "")]
    suffix = ENC_SUFFIX if keys else ""
    db_name = (PG_DUMP if engine == "postgresql" else SQLITE_COPY) + suffix
    media_name = MEDIA_TAR + suffix
    files = manifest["files"]
    for name in (db_name, media_name):
        if name not in files:
            raise BackupError(f"{MANIFEST} tidak mencatat {name}.")
    for name, expected in sorted(files.items()):
        path = folder / name
        if Path(name).name != name or not path.is_file():
            raise BackupError(f"Berkas {name} yang tercatat di manifest tidak ada di {folder}.")
        if path.stat().st_size != expected.get("bytes") or _sha256_file(path) != expected.get("sha256"):
            raise BackupError(f"Berkas {name} rusak atau telah diubah: checksum SHA-256 tidak cocok dengan manifest.")
    checks.append(f"SHA-256 {len(files)} berkas")

    verified = VerifiedBackup(folder=folder, manifest=manifest, database=folder / db_name, media=folder / media_name,
                              checks=checks)
    try:
        if keys is not None:
            verified.workdir = Path(tempfile.mkdtemp(prefix="kesbang-restore-"))
            os.chmod(verified.workdir, FOLDER_MODE)
            for name, attr in ((db_name, "database"), (media_name, "media")):
                clear = verified.workdir / name.removesuffix(ENC_SUFFIX)
                content = _decrypt(folder / name, clear, keys=keys, name=name)
                if content != files[name].get("content_sha256"):
                    raise BackupError(f"Isi {name} tidak cocok dengan checksum di manifest.")
                setattr(verified, attr, clear)
            checks.append("dekripsi dan autentikasi setiap potongan")
        if _media_archive_checksums(verified.media) != manifest["media"]:
            raise BackupError("Berkas di dalam arsip unggahan tidak sama dengan yang tercatat di manifest.")
        checks.append(f"SHA-256 {len(manifest['media'])} berkas unggahan di dalam arsip")
    except BaseException:
        verified.cleanup()
        raise
    return verified


def _restore_modes(root: Path) -> None:
    os.chmod(root, MEDIA_FOLDER_MODE)
    for path in root.rglob("*"):
        os.chmod(path, MEDIA_FOLDER_MODE if path.is_dir() else MEDIA_FILE_MODE)


def restore_verified(verified: VerifiedBackup) -> dict:
    """Replace the database content and the media folder with a verified backup; returns what was
    checked afterwards. Raises BackupError when the restored data do not match the manifest."""
    manifest = verified.manifest
    engine = _engine()
    db = settings.DATABASES["default"]
    connections.close_all()
    if engine == "postgresql":
        args, env = _pg_args(db)
        subprocess.run([pg_tool("pg_restore"), *args, "--clean", "--if-exists", "--no-owner", "--no-privileges",
                        "--single-transaction", "--exit-on-error", "-d", db["NAME"], str(verified.database)],
                       check=True, env=env)
    else:
        source = sqlite3.connect(str(verified.database))
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
    with tarfile.open(verified.media, "r:gz") as tar:
        tar.extractall(media, members=list(_safe_members(tar)), filter="data")
    _restore_modes(media)
    counts, sums = table_counts(), media_checksums(media)
    if counts != manifest["tables"]:
        diff = {t: (manifest["tables"].get(t), counts.get(t)) for t in set(counts) | set(manifest["tables"])
                if counts.get(t) != manifest["tables"].get(t)}
        raise BackupError(f"Jumlah baris tidak sama dengan cadangan: {diff}")
    if sums != manifest["media"]:
        raise BackupError("Berkas unggahan tidak sama dengan cadangan.")
    return {"tables": len(counts), "rows": sum(counts.values()), "files": len(sums)}


def restore(folder: Path, *, key: str | None = None, allow_unencrypted: bool = False) -> dict:
    """Verify, then restore (no question asked: the command asks)."""
    with open_verified(folder, key=key, allow_unencrypted=allow_unencrypted) as verified:
        return restore_verified(verified)
