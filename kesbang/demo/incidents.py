# ruff: noqa: E501 - a data table reads better on one line per row
"""Demo incidents (issue 7 item 10): about 40 realistic reports across Kepulauan Bangka Belitung over
the last 18 months, in every workflow state. Written through the incidents services; idempotent (a
report is recognised by its title and the regency). Called by ``kesbang.demo.seed_demo``."""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from incidents import services
from incidents.models import Category, Incident
from kesbang.core import generations
from teams.models import Region, Team

# kecamatan code: label point (lat, lng) from the boundary file
POINTS = {
    "19.01.01": (-1.87929, 106.11878), "19.01.02": (-1.62674, 105.84286), "19.01.03": (-2.01111, 106.08708),
    "19.01.04": (-2.17053, 105.91558), "19.01.05": (-1.89126, 106.03531), "19.01.06": (-1.91119, 105.87211),
    "19.01.07": (-1.75453, 105.92765), "19.01.08": (-2.04468, 105.85704), "19.02.01": (-2.75714, 107.69488),
    "19.02.02": (-3.04731, 107.69493), "19.02.03": (-2.88534, 107.4228), "19.02.04": (-2.62692, 107.77224),
    "19.02.05": (-2.79944, 107.78436), "19.03.01": (-2.91116, 106.50903), "19.03.02": (-2.95798, 106.81205),
    "19.03.03": (-2.71909, 106.37391), "19.03.04": (-2.65114, 105.983), "19.03.05": (-2.62365, 106.13845),
    "19.03.06": (-3.02489, 106.66609), "19.04.01": (-2.49891, 106.30544), "19.04.02": (-2.1928, 106.13769),
    "19.04.03": (-2.39162, 106.00904), "19.04.05": (-2.33132, 106.2028), "19.04.06": (-2.59489, 106.60559),
    "19.05.01": (-2.02274, 105.23019), "19.05.02": (-1.96343, 105.40549), "19.05.03": (-1.71571, 105.49283),
    "19.05.04": (-1.86942, 105.5983), "19.05.05": (-2.03366, 105.6662), "19.05.06": (-1.62835, 105.56163),
    "19.06.01": (-2.8437, 108.19781), "19.06.02": (-3.03768, 108.12665), "19.06.04": (-2.70114, 108.02286),
    "19.06.05": (-2.76365, 108.20326), "19.71.01": (-2.12471, 106.15082), "19.71.02": (-2.12252, 106.10997),
    "19.71.03": (-2.10131, 106.12591), "19.71.05": (-2.10145, 106.07073), "19.71.06": (-2.0857, 106.11165),
}

# (kecamatan, title, kind, source, category (sub-type or category), form, severity, status, days ago,
#  (party A type, name, size), (party B type, name, size), impact dict, chronology)
SCENARIOS = [
    ("19.01.02", "Penolakan tambang timah apung di perairan Belinyu", "peristiwa", "sda",
     "Sumber daya alam (tambang timah, hutan, laut)", "demonstrasi", "tinggi", "ditangani", 40,
     ("nelayan", "Nelayan Belinyu", 300), ("perusahaan", "Mitra penambang ponton isap produksi", 40),
     {"injured": 2}, "Ratusan nelayan berunjuk rasa di pelabuhan menolak masuknya ponton isap produksi ke "
     "wilayah tangkap. Massa sempat menghadang kapal pengangkut ponton; aparat melerai."),
    ("19.01.07", "Sengketa lahan kebun sawit dengan perusahaan", "potensi", "ekonomi", "Lahan", "tanpa_kekerasan",
     "sedang", "terverifikasi", 75, ("warga", "Kelompok tani Riau Silip", 120), ("perusahaan", "PT perkebunan", 0),
     {}, "Warga mengklaim 200 ha lahan yang masuk HGU perusahaan. Pertemuan di kantor desa belum mencapai titik "
     "temu; warga mengancam memblokade jalan kebun."),
    ("19.01.01", "Ketegangan pendukung calon kepala desa", "potensi", "politik", "Pemilihan kepala desa",
     "tanpa_kekerasan", "sedang", "selesai", 480, ("partai", "Pendukung calon nomor 1", 80),
     ("partai", "Pendukung calon nomor 2", 70), {}, "Saling tuding kecurangan daftar pemilih menjelang pilkades "
     "serentak. Mediasi oleh camat dan Polsek; pemungutan suara berjalan aman."),
    ("19.01.05", "Bentrok penambang inkonvensional dengan warga", "peristiwa", "sda",
     "Sumber daya alam (tambang timah, hutan, laut)", "bentrokan", "kritis", "pemulihan", 150,
     ("penambang", "Penambang TI rajuk", 60), ("warga", "Warga Desa Pemali", 150),
     {"injured": 7, "buildings_damaged": 3, "displaced": 25, "women_victims": 4, "children_victims": 6,
      "estimated_loss": 350_000_000}, "Warga menolak tambang inkonvensional di dekat sumber air bersih. Terjadi "
     "lempar batu dan pembakaran dua pondok tambang. Tujuh orang luka."),
    ("19.02.02", "Sengketa batas desa Membalong", "potensi", "batas_wilayah", "Pemekaran wilayah",
     "tanpa_kekerasan", "rendah", "dilaporkan", 6, ("warga", "Warga desa A", 0), ("warga", "Warga desa B", 0), {},
     "Dua desa mengklaim satu dusun terkait pembagian dana desa. Patok batas dicabut oleh orang tak dikenal."),
    ("19.02.01", "Unjuk rasa harga lada", "peristiwa", "ekonomi", "Harga komoditas/subsidi", "demonstrasi",
     "sedang", "selesai", 300, ("warga", "Petani lada Belitung", 500), ("pemerintah", "Pemerintah kabupaten", 0),
     {}, "Petani lada berunjuk rasa di kantor bupati menuntut stabilisasi harga. Berlangsung tertib."),
    ("19.02.04", "Nelayan menghadang kapal isap di Sijuk", "peristiwa", "sda",
     "Sumber daya alam (tambang timah, hutan, laut)", "blokade", "tinggi", "terverifikasi", 20,
     ("nelayan", "Nelayan Sijuk", 200), ("perusahaan", "Kapal isap produksi", 30), {"estimated_loss": 50_000_000},
     "Puluhan perahu nelayan menghadang kapal isap produksi yang beroperasi di bawah 4 mil."),
    ("19.03.01", "Konflik nelayan Toboali dan tambang laut", "peristiwa", "distribusi_sda",
     "Sumber daya alam (tambang timah, hutan, laut)", "pengrusakan", "kritis", "ditangani", 12,
     ("nelayan", "Nelayan Toboali", 400), ("penambang", "Penambang ponton", 80),
     {"injured": 4, "buildings_damaged": 6, "estimated_loss": 900_000_000},
     "Massa nelayan merusak dan membakar ponton tambang yang dituding merusak terumbu dan wilayah tangkap."),
    ("19.03.03", "Perkelahian antarpemuda desa", "peristiwa", "sosial_budaya", "Balas dendam atas penghinaan",
     "perkelahian", "sedang", "selesai", 400, ("warga", "Pemuda desa A", 15), ("warga", "Pemuda desa B", 12),
     {"injured": 3}, "Perkelahian pada acara organ tunggal berlanjut ke saling serang keesokan harinya."),
    ("19.03.05", "Warga menolak relokasi makam untuk tambang", "potensi", "sosial_budaya", "Lahan",
     "tanpa_kekerasan", "sedang", "dilaporkan", 3, ("warga", "Ahli waris makam", 60),
     ("perusahaan", "Kontraktor tambang", 0), {}, "Rencana pemindahan makam keramat untuk perluasan tambang "
     "ditolak warga dan tokoh adat."),
    ("19.03.06", "Isu pendatang dan warga lokal di pelabuhan", "potensi", "sara", "Pendatang vs lokal",
     "tanpa_kekerasan", "tinggi", "ditolak", 90, ("warga", "Buruh lokal", 0), ("warga", "Buruh pendatang", 0), {},
     "Pesan berantai tentang penguasaan lapak bongkar muat oleh pendatang. Setelah dicek, informasi tidak benar."),
    ("19.04.01", "Demo menuntut ganti rugi lahan jalan", "peristiwa", "ekonomi", "Program pemerintah",
     "demonstrasi", "sedang", "selesai", 510, ("warga", "Pemilik lahan terdampak", 90),
     ("pemerintah", "Dinas PUPR", 0), {}, "Warga menuntut pembayaran ganti rugi lahan yang terkena pelebaran jalan."),
    ("19.04.02", "Bentrokan ojek pangkalan dan ojek daring", "peristiwa", "ekonomi", "Gaji/upah/perburuhan",
     "bentrokan", "tinggi", "pemulihan", 200, ("warga", "Ojek pangkalan bandara", 50),
     ("warga", "Pengemudi ojek daring", 70), {"injured": 5, "estimated_loss": 25_000_000},
     "Perebutan penumpang di bandara berujung pemukulan dan perusakan sepeda motor."),
    ("19.04.06", "Sengketa lahan transmigrasi Lubuk Besar", "potensi", "ekonomi", "Lahan", "tanpa_kekerasan",
     "sedang", "ditangani", 120, ("warga", "Warga transmigran", 100), ("warga", "Warga desa asal", 80), {},
     "Tumpang tindih sertifikat lahan usaha II transmigrasi dengan klaim warga desa setempat."),
    ("19.05.01", "Aksi nelayan Mentok tolak kapal isap", "peristiwa", "sda",
     "Sumber daya alam (tambang timah, hutan, laut)", "demonstrasi", "tinggi", "selesai", 260,
     ("nelayan", "Nelayan Mentok", 250), ("perusahaan", "Kapal isap produksi", 0), {},
     "Unjuk rasa di kantor bupati menolak kapal isap di perairan Teluk Inggris."),
    ("19.05.03", "Penertiban tambang di hutan lindung ricuh", "peristiwa", "sda",
     "Sumber daya alam (tambang timah, hutan, laut)", "kerusuhan", "kritis", "ditangani", 30,
     ("penambang", "Penambang hutan lindung", 120), ("pemerintah", "Tim penertiban terpadu", 60),
     {"injured": 9, "missing": 1, "buildings_damaged": 2, "estimated_loss": 150_000_000},
     "Penertiban tambang ilegal di kawasan hutan lindung dilawan penambang; satu pos jaga dibakar."),
    ("19.05.05", "Ketegangan pascapemilu di Tempilang", "potensi", "politik", "Pemilihan kabupaten/kota",
     "tanpa_kekerasan", "sedang", "selesai", 530, ("partai", "Massa pendukung calon", 150),
     ("lembaga_pemilihan", "PPK Tempilang", 0), {}, "Massa mendatangi PPK menuntut hitung ulang."),
    ("19.06.01", "Demo tolak perluasan tambang dekat pantai wisata", "peristiwa", "sda", "Lingkungan",
     "demonstrasi", "sedang", "terverifikasi", 45, ("warga", "Aliansi pemuda Manggar", 200),
     ("perusahaan", "Perusahaan tambang", 0), {}, "Aksi damai menolak izin tambang di dekat pantai wisata."),
    ("19.06.04", "Sengketa tapal batas Kelapa Kampit", "potensi", "batas_wilayah", "Pemekaran wilayah",
     "tanpa_kekerasan", "rendah", "draf", 2, ("warga", "Pemerintah desa A", 0), ("warga", "Pemerintah desa B", 0),
     {}, "Perbedaan peta batas desa pada rencana pembangunan kantor desa."),
    ("19.71.01", "Unjuk rasa mahasiswa di kantor DPRD", "peristiwa", "politik", "Program pemerintah",
     "demonstrasi", "sedang", "selesai", 350, ("mahasiswa", "Aliansi BEM se-Babel", 600),
     ("pemerintah", "DPRD Provinsi", 0), {"injured": 1}, "Aksi menolak kenaikan harga BBM; sempat saling dorong "
     "di gerbang DPRD, selesai setelah perwakilan diterima pimpinan dewan."),
    ("19.71.02", "Pengeroyokan pencuri sepeda motor", "peristiwa", "sosial_budaya", "Pencurian", "pengeroyokan",
     "tinggi", "selesai", 220, ("warga", "Warga Taman Sari", 20), ("warga", "Terduga pencuri", 1),
     {"injured": 1}, "Terduga pencuri dihakimi massa sebelum diamankan polisi."),
    ("19.71.05", "Sengketa lahan perumahan Gerunggang", "potensi", "ekonomi", "Lahan", "tanpa_kekerasan", "sedang",
     "dilaporkan", 1, ("warga", "Warga pemilik SKT", 35), ("perusahaan", "Pengembang perumahan", 0), {},
     "Warga memasang spanduk dan menghentikan alat berat pengembang di lahan yang diklaim."),
    ("19.71.03", "Ketegangan antarkelompok suporter sepak bola", "potensi", "sara", "Olahraga",
     "tanpa_kekerasan", "sedang", "terverifikasi", 15, ("warga", "Suporter klub A", 300),
     ("warga", "Suporter klub B", 250), {}, "Saling ejek di media sosial menjelang laga final turnamen."),
    ("19.71.06", "Penolakan rumah ibadah", "potensi", "sara", "Antaragama", "tanpa_kekerasan", "tinggi",
     "ditangani", 60, ("warga", "Sekelompok warga", 40), ("agama", "Panitia pembangunan", 10), {},
     "Penolakan izin pembangunan rumah ibadah; FKUB memfasilitasi dialog."),
]
# A second round across the regencies, shorter, so the map and lists have volume in every state.
EXTRA = [
    ("19.01.03", "Blokade jalan tambang oleh warga Merawang", "peristiwa", "sda", "blokade", "sedang", "selesai", 430),
    ("19.01.04", "Sengketa tanah ulayat Mendo Barat", "potensi", "ekonomi", "tanpa_kekerasan", "rendah", "selesai", 380),
    ("19.01.06", "Unjuk rasa buruh kebun Bakam", "peristiwa", "ekonomi", "demonstrasi", "rendah", "selesai", 250),
    ("19.02.03", "Nelayan Selat Nasik tolak tambak udang", "potensi", "sda", "tanpa_kekerasan", "sedang", "ditolak", 170),
    ("19.02.05", "Perkelahian antarkampung Badau", "peristiwa", "sosial_budaya", "perkelahian", "sedang", "selesai", 330),
    ("19.03.02", "Sengketa wilayah tangkap nelayan Lepar", "potensi", "distribusi_sda", "tanpa_kekerasan", "sedang",
     "ditangani", 95),
    ("19.03.04", "Perusakan alat berat kebun sawit", "peristiwa", "ekonomi", "pengrusakan", "tinggi", "pemulihan", 180),
    ("19.04.03", "Protes hasil seleksi perangkat desa", "potensi", "politik", "tanpa_kekerasan", "rendah", "selesai", 460),
    ("19.04.05", "Tambang timah dekat sekolah ditolak", "potensi", "sda", "tanpa_kekerasan", "sedang", "dilaporkan", 4),
    ("19.05.02", "Demo sopir truk angkutan pasir", "peristiwa", "ekonomi", "demonstrasi", "rendah", "selesai", 290),
    ("19.05.04", "Sengketa lahan plasma Kelapa", "potensi", "ekonomi", "tanpa_kekerasan", "sedang", "terverifikasi", 55),
    ("19.05.06", "Bentrok penambang dan nelayan Parittiga", "peristiwa", "sda", "bentrokan", "tinggi", "ditangani", 25),
    ("19.06.02", "Penolakan tambang pasir kuarsa Gantung", "potensi", "sda", "tanpa_kekerasan", "sedang", "selesai", 410),
    ("19.06.05", "Ketegangan pembagian bantuan sosial", "potensi", "ekonomi", "tanpa_kekerasan", "rendah", "ditolak", 140),
    ("19.71.02", "Isu hoaks antaretnis di media sosial", "potensi", "sara", "tanpa_kekerasan", "tinggi", "selesai", 160),
    ("19.71.05", "Unjuk rasa pedagang pasar relokasi", "peristiwa", "ekonomi", "demonstrasi", "sedang", "pemulihan", 85),
]
EXTRA_CATEGORY = {"sda": "Sumber daya alam (tambang timah, hutan, laut)", "ekonomi": "Lahan", "politik":
                  "Pemilihan kepala desa", "sosial_budaya": "Balas dendam atas penghinaan", "sara": "Antaretnis/antarsuku",
                  "distribusi_sda": "Akses", "batas_wilayah": "Pemekaran wilayah"}
PATHS = {
    "draf": [], "dilaporkan": ["submit"], "terverifikasi": ["submit", "verify"],
    "ditangani": ["submit", "verify", "handle"], "pemulihan": ["submit", "verify", "handle", "recover"],
    "selesai": ["submit", "verify", "handle", "recover", "close"], "ditolak": ["submit", "reject"],
}
FOLLOW_UPS = {
    "handle": ("koordinasi", "Rapat koordinasi Tim Terpadu dengan Polres, Kodim dan camat; pengamanan lokasi."),
    "recover": ("rekonsiliasi", "Pertemuan perdamaian para pihak difasilitasi bupati, tokoh adat dan FKUB."),
    "close": ("rehabilitasi", "Pemantauan lanjutan: situasi kondusif, kesepakatan damai dipatuhi."),
}


def seed_incidents() -> int:
    User = get_user_model()
    actor = User.objects.filter(username="staf.provinsi").first()
    if actor is None or not Category.objects.exists():
        return 0
    reporters = {code: User.objects.filter(username=name).first()
                 for code, name in (("19.01", "staf.bangka"), ("19.71", "anggota.tim"))}
    rng = random.Random(19)
    today = timezone.localdate()
    created = 0
    rows = [s + (None,) for s in SCENARIOS] + [
        (kec, title, kind, source, EXTRA_CATEGORY[source], form, sev, status, days, ("warga", "", 0), ("warga", "", 0),
         {"injured": rng.randint(0, 3)} if kind == "peristiwa" else {}, None, True)
        for kec, title, kind, source, form, sev, status, days in EXTRA
    ]
    for row in rows:
        (kec_code, title, kind, source, category_name, form, severity, status, days, a, b, impact, chronology,
         _extra) = row
        regency = Region.objects.get(code=kec_code[:5])
        if Incident.objects.filter(title=title, region=regency).exists():
            continue
        kecamatan = Region.objects.get(code=kec_code)
        desa = kecamatan.children.order_by("code")[rng.randrange(max(kecamatan.children.count(), 1))] \
            if kecamatan.children.exists() else None
        lat, lng = POINTS.get(kec_code, (None, None))
        category = Category.objects.filter(name=category_name).first() or Category.objects.first()
        occurred = today - datetime.timedelta(days=days)
        team = Team.objects.filter(region=regency, status=Team.Status.AKTIF).first()
        reporter = reporters.get(kec_code[:5]) or actor
        if reporter.username == "anggota.tim" and status == "draf":
            reporter = actor
        fields = {
            "title": title, "kind": kind, "source": source, "category": category, "violence_form": form,
            "severity": severity, "occurred_on": occurred, "region": regency, "kecamatan": kecamatan, "desa": desa,
            "chronology": chronology or f"{title}. Laporan awal dari anggota tim di lapangan; situasi dipantau.",
            "party_a_type": a[0], "party_a_name": a[1], "party_a_size": a[2] or None,
            "party_b_type": b[0], "party_b_name": b[1], "party_b_size": b[2] or None,
            "phase": "penghentian" if kind == "peristiwa" else "pencegahan",
            "info_source": rng.choice(["anggota_tim", "masyarakat", "media", "aparat"]),
            "classification": "terbatas" if severity == "kritis" else "biasa",
            "handling_team": team,
            **impact,
        }
        if lat is not None:
            fields["latitude"] = Decimal(str(round(lat + rng.uniform(-0.03, 0.03), 5)))
            fields["longitude"] = Decimal(str(round(lng + rng.uniform(-0.03, 0.03), 5)))
        incident = services.incident_create(reporter=reporter, **fields)
        for step in PATHS[status]:
            user = reporter if step == "submit" else actor
            if step in FOLLOW_UPS and kind == "peristiwa" or step == "handle":
                follow_kind, text = FOLLOW_UPS[step]
                services.follow_up_add(incident=incident, user=actor, date=min(occurred + datetime.timedelta(days=2),
                                                                                today),
                                       kind=follow_kind, description=text)
            incident = services.incident_transition(
                incident=incident, user=user, name=step,
                reason="Setelah dicek di lapangan, informasi tidak terbukti." if step == "reject" else "",
            )
        # Demo history reads as it would have happened: each step a day after the previous one.
        base = timezone.make_aware(datetime.datetime.combine(occurred, datetime.time(9, 30)))
        steps = list(incident.transitions.order_by("id"))
        for i, step_row in enumerate(steps):
            step_row.at = min(base + datetime.timedelta(days=max(i - 1, 0), hours=i), timezone.now())
            step_row.save(update_fields=["at"])
        # The report's time is its sending, which the submit step stamps "now": set it with the steps
        # (the detail page showed "Pelapor ... today" above a timeline months old).
        sent = next((row.at for row in steps if row.to_status == Incident.Status.DILAPORKAN), base)
        Incident.objects.filter(pk=incident.pk).update(reported_at=sent)
        generations.bump("incidents")  # update() sends no post_save (kesbang.core.generations)
        if kind == "peristiwa" and severity == "kritis" and status == "ditangani" and days < 40:
            start = occurred + datetime.timedelta(days=1)
            services.conflict_status_declare(
                incident=incident, user=actor, scale="kabkota", decree_number=f"188.45/{incident.pk}/2026",
                decree_date=start, start_date=start, end_date=start + datetime.timedelta(days=59),
                dprd_consulted_on=start - datetime.timedelta(days=0),
            )
        created += 1
    return created


# Reports from the public (/lapor/) waiting for triage or already decided: the queue and its pages.
PUBLIC_REPORTS = [
    # (kecamatan or regency code, days ago, situation, text, contact (name, phone) or None, decision)
    ("19.01.02", 0, "potensi", "Sejak pagi puluhan warga dua dusun berkumpul di batas kebun sawit dan saling "
     "mengancam; ada yang membawa parang. Warga minta petugas segera datang.", ("Rahmat", "0812-7788-1200"), ""),
    ("19.01.05", 1, "peristiwa", "Perahu nelayan dan ponton tambang timah bersenggolan di laut dekat pantai; dua "
     "nelayan luka ringan, nelayan lain berkumpul di dermaga.", None, ""),
    ("19.71.01", 2, "potensi", "Ada selebaran yang menghasut warga pendatang dan warga lokal menjelang pemilihan "
     "ketua RW; beberapa pemuda berjaga malam.", ("", "0813-6655-4400"), ""),
    ("19.02.01", 6, "potensi", "Tetangga ribut soal utang motor, sudah didamaikan pak RT.", None, "bukan_konflik"),
]


def seed_public_reports() -> int:
    """The demo's public reports, once (idempotent by their text)."""
    from incidents import intake
    from incidents.models import PublicReport

    actor = get_user_model().objects.filter(username="staf.provinsi").first()
    created = 0
    now = timezone.now()
    for code, days, situation, text, contact, decision in PUBLIC_REPORTS:
        if PublicReport.objects.filter(description=text).exists():
            continue
        place = Region.objects.filter(code=code).first()
        if place is None:
            continue
        regency = place if place.level in (Region.Level.KABUPATEN, Region.Level.KOTA) else place.parent
        fields = {"description": text, "situation": situation, "region": regency,
                  "occurred_on": timezone.localdate() - datetime.timedelta(days=days),
                  "kecamatan": place if place != regency else None, "anonymous": contact is None}
        if contact:
            fields.update(reporter_name=contact[0], reporter_phone=contact[1])
        report = intake.public_report_submit(**fields).report
        PublicReport.objects.filter(pk=report.pk).update(
            submitted_at=now - datetime.timedelta(days=days, hours=2), consent_at=now - datetime.timedelta(days=days))
        generations.bump("incidents")
        if decision and actor is not None:
            report.refresh_from_db()
            intake.public_report_reject(report=report, user=actor, reason=decision,
                                        note="Persoalan pribadi, sudah selesai di tingkat RT.")
        created += 1
    return created
