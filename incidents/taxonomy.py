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
