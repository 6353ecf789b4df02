"""Reading the Kemendagri region files the project carries (``teams/data/``).

Kept apart from services so the data migration can use the same code with historical models.
"""

import csv
import gzip
from collections.abc import Iterable, Iterator
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
PROVINCE_FILE = DATA_DIR / "wilayah-19-bangka-belitung.csv"
NATIONAL_FILE = DATA_DIR / "wilayah-kepmendagri-2025.csv.gz"


def level_of(code: str) -> str:
    """The level follows from the dots: none provinsi, one kab/kota (.7x kota), two kecamatan,
    three desa/kelurahan (.1xxx kelurahan, .2xxx desa)."""
    parts = code.split(".")
    if len(parts) == 1:
        return "provinsi"
    if len(parts) == 2:
        return "kota" if parts[1].startswith("7") else "kabupaten"
    if len(parts) == 3:
        return "kecamatan"
    return "kelurahan" if parts[3].startswith("1") else "desa"


def parent_code(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


def read_rows(path: Path) -> Iterator[tuple[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header != ["kode", "nama"]:
            raise ValueError(f"{path.name}: header 'kode,nama' expected, got {header!r}")
        for row in reader:
            if len(row) >= 2 and row[0].strip():
                yield row[0].strip(), row[1].strip()


def province_rows(province_code: str, rows: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    prefix = province_code + "."
    return sorted((c, n) for c, n in rows if c == province_code or c.startswith(prefix))


def load_into(region_model, rows: list[tuple[str, str]]) -> tuple[int, int]:
    """Create or rename the regions in ``rows`` (sorted by code, so parents come first).

    Returns (created, updated). Idempotent: a second run with the same rows changes nothing.
    """
    existing = {r.code: r for r in region_model.objects.filter(code__in=[c for c, _ in rows])}
    created = updated = 0
    for code, name in rows:
        region = existing.get(code)
        if region is None:
            parent = existing.get(parent_code(code)) if parent_code(code) else None
            if parent is None and parent_code(code):
                parent = region_model.objects.get(code=parent_code(code))
            region = region_model.objects.create(code=code, name=name, level=level_of(code), parent=parent)
            existing[code] = region
            created += 1
        elif region.name != name:
            region.name = name
            region.save(update_fields=["name"])
            updated += 1
    return created, updated
