"""The SNPK taxonomy (Sistem Nasional Pemantauan Kekerasan, 2012–2015) that seeds ``Category``.

Read by the data migration ``0002_seed_categories`` (and by tests); after that the taxonomy is
managed in the admin. Categories outside social conflict are kept because they appear in the data.
"""

# (category, social conflict?, issue sub-types)
SNPK_CATEGORIES: list[tuple[str, bool, list[str]]] = [
    ("Konflik Sumber Daya", True, [
        "Lahan", "Sumber daya alam (tambang timah, hutan, laut)", "Sumber daya buatan manusia", "Akses",
        "Lingkungan", "Gaji/upah/perburuhan",
    ]),
    ("Konflik Tata Kelola Pemerintahan", True, [
        "Tender", "Korupsi", "Pelayanan publik", "Harga komoditas/subsidi", "Program pemerintah",
        "Pemekaran wilayah", "Penegakan hukum",
    ]),
    ("Konflik Pemilihan dan Jabatan", True, [
        "Pemilihan nasional", "Pemilihan provinsi", "Pemilihan kabupaten/kota", "Pemilihan kecamatan",
        "Pemilihan kepala desa", "Internal partai",
    ]),
    ("Konflik Identitas", True, [
        "Antaretnis/antarsuku", "Antaragama", "Intraagama", "Pendatang vs lokal", "Gender", "Olahraga",
        "Sekolah/universitas",
    ]),
    ("Konflik Main Hakim Sendiri", True, [
        "Balas dendam atas penghinaan", "Kecelakaan", "Utang", "Pencurian", "Perusakan", "Penganiayaan",
        "Perselingkuhan", "Terhadap tempat maksiat",
    ]),
    ("Konflik Separatisme", True, []),
    ("Kekerasan dalam Penegakan Hukum", False, []),
    ("Kriminalitas", False, []),
    ("KDRT", False, []),
]


def snpk_code(name: str, parent_name: str | None = None) -> str:
    """The SNPK code of a category (``"SNPK-04"``) or of an issue sub-type under one (``"SNPK-04.02"``):
    its position in ``SNPK_CATEGORIES``, the order the SNPK codebook lists them in. A category an
    administrator added later has no SNPK code (``""``)."""
    names = [entry[0] for entry in SNPK_CATEGORIES]
    top = parent_name if parent_name else name
    if top not in names:
        return ""
    index = names.index(top)
    if not parent_name:
        return f"SNPK-{index + 1:02d}"
    subtypes = SNPK_CATEGORIES[index][2]
    if name not in subtypes:
        return ""
    return f"SNPK-{index + 1:02d}.{subtypes.index(name) + 1:02d}"
