"""Demo data for a first look at Kesbang (``manage.py seed_demo``). Idempotent: safe to run twice.

Writes go through the apps' services; what already exists (by natural key) is left as it is.
"""

import datetime
import os
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from incidents.models import Incident
from kesbang.demo.incidents import seed_incidents, seed_public_reports
from teams import services as team_services
from teams.access import Role
from teams.deadlines import period_end
from teams.models import ActionPlan, Institution, Membership, Person, Region, Team

DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "kesbang2026")

PROVINCE = "19"
REGENCY_KODIM = {
    "19.01": "Kodim 0413/Bangka",
    "19.02": "Kodim 0414/Belitung",
    "19.03": "Kodim 0432/Bangka Selatan",
    "19.04": "Kodim 0433/Bangka Tengah",
    "19.05": "Kodim 0431/Bangka Barat",
    "19.06": "Kodim 0434/Belitung Timur",
    "19.71": "Kodim 0413/Bangka (Pangkalpinang)",
}

# The regency and city officials of the demo teams: invented names written as officials write them
# (titles and ranks included); the office is in the person's position, never in the name.
# regency code: (head, Kesbangpol analyst, Kasat Intelkam Polres, Pasi Intel Kodim, Kasi Intel Kejari)
REGENCY_PEOPLE = {
    "19.01": ("H. Mulyadi Saputra, S.H., M.H.", "Dewi Anggraini, S.Sos.", "AKP Rahmat Hidayat, S.I.K.",
              "Kapten Inf. Joko Prasetyo", "Andi Firmansyah, S.H., M.H."),
    "19.02": ("Drs. H. Sahrul Effendi, M.Si.", "Nurul Hasanah, S.IP.", "AKP Bayu Setiawan, S.H.",
              "Kapten Inf. Fajar Ramadhan", "Maria Ulfa, S.H."),
    "19.03": ("H. Zulkarnain Arifin, S.E., M.M.", "Rizky Maulana, S.Kom.", "AKP Dimas Aditya, S.I.K., M.H.",
              "Kapten Czi. Hendri Kurniawan", "Yusuf Hamdani, S.H., M.H."),
    "19.04": ("Ir. H. Syamsul Bahri, M.T.", "Lestari Wulandari, S.AP.", "AKP Arief Nugroho, S.H.",
              "Kapten Arh. Teguh Santoso", "Ratna Sari Dewi, S.H."),
    "19.05": ("Hj. Farida Hanum, S.Pd., M.Pd.", "Agus Salim, S.Sos., M.Si.", "AKP Wahyu Pratama, S.I.K.",
              "Kapten Inf. Rudi Setiadi", "Fitriani Lubis, S.H., M.H."),
    "19.06": ("H. Kamarudin Yusuf, S.Ag., M.Si.", "Indra Gunawan, S.IP.", "AKP Ferry Irawan, S.H., M.H.",
              "Kapten Inf. Eko Susanto", "Novita Sari, S.H."),
    "19.71": ("Dr. H. Ahmad Syarifuddin, S.T., M.T.", "Siska Amelia, S.E.", "AKP Heru Prasetya, S.I.K.",
              "Kapten Inf. Yoga Pratama", "Bambang Sutrisno, S.H., M.H."),
}

# (name, short name, kind)
PROVINCIAL_INSTITUTIONS = [
    ("Badan Kesatuan Bangsa dan Politik Provinsi Kepulauan Bangka Belitung", "Kesbangpol Prov. Babel", "kesbangpol"),
    ("Pemerintah Provinsi Kepulauan Bangka Belitung", "Pemprov Babel", "pemda"),
    ("Kepolisian Daerah Kepulauan Bangka Belitung", "Polda Kep. Babel", "polri"),
    ("Komando Resor Militer 045/Garuda Jaya", "Korem 045/Garuda Jaya", "tni"),
    ("Pangkalan TNI Angkatan Laut Bangka Belitung", "Lanal Babel", "tni"),
    ("Kejaksaan Tinggi Kepulauan Bangka Belitung", "Kejati Babel", "kejaksaan"),
    ("Badan Intelijen Negara Daerah Kepulauan Bangka Belitung", "BIN Daerah Babel", "intelijen"),
    ("Kementerian Pertahanan Republik Indonesia", "Kemhan", "kemhan"),
    ("Kantor Wilayah Kementerian Agama Provinsi Kepulauan Bangka Belitung", "Kanwil Kemenag Babel", "kemenag"),
    ("Forum Kerukunan Umat Beragama Provinsi Kepulauan Bangka Belitung", "FKUB Prov. Babel", "forum"),
    ("Satuan Polisi Pamong Praja Provinsi Kepulauan Bangka Belitung", "Satpol PP Prov. Babel", "dinas"),
]

# (name, position, institution short name, phone, email, login username, role)
PROVINCIAL_PEOPLE = [
    ("H. Hidayat Arsani, S.E., M.M.", "Gubernur Kepulauan Bangka Belitung", "Pemprov Babel", "", "", None, None),
    ("Drs. H. Tarmin, M.Si.", "Kepala Badan Kesbangpol", "Kesbangpol Prov. Babel", "0717-438001", "tarmin@kesbangpol.babelprov.go.id", "pimpinan", Role.PIMPINAN),
    ("Rina Oktaviani, S.IP.", "Analis Kebijakan Ahli Muda", "Kesbangpol Prov. Babel", "0812-7100-2201", "rina@kesbangpol.babelprov.go.id", "staf.provinsi", Role.STAF_PROVINSI),
    ("Muhammad Fadli, S.Kom.", "Pranata Komputer", "Kesbangpol Prov. Babel", "0812-7100-2202", "fadli@kesbangpol.babelprov.go.id", "administrator", Role.ADMINISTRATOR),
    ("Brigjen Pol. Dr. Hendra Gunawan, S.I.K., M.H.", "Wakapolda", "Polda Kep. Babel", "0717-421110", "", None, None),
    ("Kombes Pol. Yudhistira Pratama, S.I.K., M.Si.", "Direktur Intelijen dan Keamanan", "Polda Kep. Babel",
     "0717-421120", "ditintelkam@polda-babel.example.go.id", None, None),
    ("Kolonel Inf. Agus Santoso, S.Sos.", "Danrem 045/Garuda Jaya", "Korem 045/Garuda Jaya", "0717-422045", "", None, None),
    ("Dr. Siti Nurhaliza, S.H., M.H.", "Asisten Intelijen", "Kejati Babel", "0717-439900",
     "asintel.kejati@example.go.id", None, None),
    ("Ir. Bambang Wijaya", "Kepala BIN Daerah", "BIN Daerah Babel", "", "", None, None),
    ("Kolonel Laut (P) Dedi Kurniawan", "Danlanal Babel", "Lanal Babel", "", "", None, None),
    ("Laksma TNI (Purn.) Yusuf Effendi", "Staf Ahli Bidang Keamanan", "Kemhan", "", "", None, None),
    ("Dr. H. Ahmad Sobari, M.Ag.", "Ketua FKUB", "FKUB Prov. Babel", "0812-7300-1100", "", None, None),
]


PROVINCIAL_TEAM = {
    "name": "Tim Terpadu Penanganan Konflik Sosial Provinsi Kepulauan Bangka Belitung",
    "decree_number": "188.44/123/Kesbangpol/2025",
    "decree_date": datetime.date(2025, 3, 10),
    "decree_signed_by": "Gubernur Kepulauan Bangka Belitung",
    "period_start": datetime.date(2025, 3, 10),
}
# (person, role) in lampiran-SK order.
PROVINCIAL_SEATS = [
    ("H. Hidayat Arsani, S.E., M.M.", Membership.Role.KETUA),
    ("Brigjen Pol. Dr. Hendra Gunawan, S.I.K., M.H.", Membership.Role.WAKIL_KETUA),
    ("Drs. H. Tarmin, M.Si.", Membership.Role.SEKRETARIS),
    ("Ir. Bambang Wijaya", Membership.Role.KOORDINATOR_PENCEGAHAN),
    ("Kolonel Inf. Agus Santoso, S.Sos.", Membership.Role.KOORDINATOR_PENGHENTIAN),
    ("Dr. H. Ahmad Sobari, M.Ag.", Membership.Role.KOORDINATOR_PEMULIHAN),
    ("Kombes Pol. Yudhistira Pratama, S.I.K., M.Si.", Membership.Role.ANGGOTA),
    ("Dr. Siti Nurhaliza, S.H., M.H.", Membership.Role.ANGGOTA),
    ("Kolonel Laut (P) Dedi Kurniawan", Membership.Role.ANGGOTA),
    ("Laksma TNI (Purn.) Yusuf Effendi", Membership.Role.ANGGOTA),
    ("Rina Oktaviani, S.IP.", Membership.Role.ANGGOTA),
]

# (phase, name, indicator, unit, institution short name, budget, source, targets B04/B08/B12,
#  realisation B04/B08/B12 for periods already over; None = not reported yet)
PROVINCIAL_ACTIVITIES = [
    ("pencegahan", "Pemetaan potensi konflik sosial di tujuh kabupaten/kota",
     "Dokumen peta potensi konflik yang dimutakhirkan", "dokumen", "Kesbangpol Prov. Babel",
     75_000_000, "APBD Provinsi", (1, 1, 1), (1, 1, None)),
    ("pencegahan", "Rapat koordinasi Tim Terpadu",
     "Rakor terlaksana dengan notulen dan rekomendasi", "kali", "Kesbangpol Prov. Babel",
     120_000_000, "APBD Provinsi", (2, 2, 2), (2, 1, None)),
    ("pencegahan", "Sosialisasi pencegahan konflik di daerah rawan sengketa lahan tambang timah",
     "Desa rawan yang mendapat sosialisasi", "desa", "Polda Kep. Babel",
     90_000_000, "APBD Provinsi", (4, 6, 4), (5, None, None)),
    ("pencegahan", "Deteksi dini melalui FKDM",
     "Laporan deteksi dini bulanan dari FKDM kabupaten/kota", "laporan", "BIN Daerah Babel",
     40_000_000, "APBD Provinsi", (4, 4, 4), (4, 3, None)),
    ("pencegahan", "Patroli terpadu perairan dan kawasan tambang timah inkonvensional",
     "Patroli terpadu terlaksana", "kali", "Lanal Babel",
     None, "APBN", (3, 3, 3), (3, None, None)),
    ("penghentian", "Mediasi sengketa batas wilayah desa",
     "Sengketa batas desa yang dimediasi sampai kesepakatan", "kasus", "Kejati Babel",
     35_000_000, "APBD Provinsi", (1, 2, 1), (1, None, None)),
    ("penghentian", "Penyiagaan pasukan pengamanan bila terjadi konflik terbuka",
     "Latihan dan apel siaga terpadu", "kali", "Korem 045/Garuda Jaya",
     None, "APBN", (0, 1, 1), (0, 1, None)),
    ("pemulihan", "Pemulihan pascakonflik: rekonsiliasi para pihak",
     "Pertemuan rekonsiliasi yang menghasilkan kesepakatan damai", "kegiatan", "FKUB Prov. Babel",
     50_000_000, "APBD Provinsi (hibah FKUB)", (0, 1, 1), (0, 1, None)),
    ("pemulihan", "Dialog kerukunan lintas agama dan tokoh adat di wilayah pascakonflik",
     "Dialog terlaksana", "kali", "Kanwil Kemenag Babel",
     25_000_000, "APBN", (1, 1, 1), (1, None, None)),
]


# The logins seed_demo creates (with the published DEMO_PASSWORD), and the one ensure_admin creates.
DEMO_USERNAMES = ("administrator", "pimpinan", "staf.provinsi", "staf.bangka", "anggota.tim")
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1", "testserver"}


def production_signals() -> list[str]:
    """Why this configuration looks like a real installation: HTTPS switched on (DJANGO_SECURE_HTTPS),
    or a host name that is not this machine in DJANGO_ALLOWED_HOSTS. ``make run`` (DEBUG off, but
    127.0.0.1/localhost only, no HTTPS) is a local run, not production."""
    from django.conf import settings

    reasons = []
    if getattr(settings, "SECURE_HTTPS", False):
        reasons.append("DJANGO_SECURE_HTTPS aktif")
    public = [h for h in settings.ALLOWED_HOSTS if h not in LOCAL_HOSTS and not h.endswith(".localhost")]
    if public:
        reasons.append(f"DJANGO_ALLOWED_HOSTS berisi host non-lokal ({', '.join(public[:3])})")
    return reasons


def real_data_signals() -> list[str]:
    """Why this database looks like it holds real data: logins the demo did not create (every real
    incident has a reporter login, kept by PROTECT, so real incidents show up here too)."""
    admin_name = os.environ.get("DJANGO_SUPERUSER_USERNAME", "admin")
    others = get_user_model().objects.exclude(username__in=[*DEMO_USERNAMES, admin_name])
    count = others.count()
    if not count:
        return []
    examples = ", ".join(others.order_by("username").values_list("username", flat=True)[:3])
    return [f"{count} akun yang tidak dibuat oleh demo (mis. {examples})"]


def demo_enrolment_codes() -> dict[str, str]:
    """A fresh two-factor enrolment code for each demo login that must use two-factor and has not
    set it up yet (earlier unused codes are withdrawn). Printed by ``seed_demo``: the demo user sets
    up their own authenticator app; no secret is published."""
    from kesbang.accounts import twofactor

    codes = {}
    for user in get_user_model().objects.filter(username__in=DEMO_USERNAMES).order_by("username"):
        if twofactor.must_use_otp(user) and not twofactor.has_device(user):
            codes[user.username] = twofactor.enrolment_code_issue(user=user)
    return codes


def _institution(name: str, short: str, kind: str, region: Region) -> Institution:
    existing = Institution.objects.filter(name=name).first()
    return existing or team_services.institution_create(name=name, short_name=short, kind=kind, region=region)


def _person(name: str, position: str, institution: Institution, region: Region, phone="", email="",
            *, formerly: str | None = None) -> Person:
    existing = Person.objects.filter(name=name, institution=institution).first()
    if existing is None and formerly:
        # An older demo named this official by the position ("Bupati Bangka"): give them their name.
        old = Person.objects.filter(name=formerly, institution=institution).first()
        if old is not None:
            return team_services.person_update(person=old, name=name, position=position)
    return existing or team_services.person_create(
        name=name, position=position, institution=institution, region=region, phone=phone, email=email
    )


def _login(username: str, role: str, person: Person) -> None:
    if get_user_model().objects.filter(username=username).exists():
        return
    team_services.account_create(username=username, password=DEMO_PASSWORD, role=role, person=person)


@transaction.atomic
def seed_demo() -> dict:
    province = Region.objects.get(code=PROVINCE)
    by_short = {}
    for name, short, kind in PROVINCIAL_INSTITUTIONS:
        by_short[short] = _institution(name, short, kind, province)
    people = {}
    for name, position, short, phone, email, username, role in PROVINCIAL_PEOPLE:
        person = _person(name, position, by_short[short], province, phone, email)
        people[name] = person
        if username:
            _login(username, role, person)

    regencies = list(Region.objects.filter(parent=province).order_by("code"))
    for regency in regencies:
        label = regency.name.replace("Kabupaten ", "Kab. ")
        level = "Kota" if regency.level == Region.Level.KOTA else "Kabupaten"
        bare = regency.name.replace("Kabupaten ", "").replace("Kota ", "")
        kesbang = _institution(f"Badan Kesbangpol {regency.name}", f"Kesbangpol {label}", "kesbangpol", regency)
        pemda = _institution(f"Pemerintah {regency.name}", f"Pemkab {bare}" if level == "Kabupaten" else f"Pemkot {bare}", "pemda", regency)
        polres = _institution(f"Kepolisian Resor {bare}", f"Polres {bare}", "polri", regency)
        kodim = _institution(f"Komando Distrik Militer {REGENCY_KODIM[regency.code]}", REGENCY_KODIM[regency.code], "tni", regency)
        kejari = _institution(f"Kejaksaan Negeri {bare}", f"Kejari {bare}", "kejaksaan", regency)
        head = "Wali Kota" if level == "Kota" else "Bupati"
        kodim_short = REGENCY_KODIM[regency.code].split(" (")[0]
        head_name, staff_name, kasat_name, pasi_name, kasi_name = REGENCY_PEOPLE[regency.code]
        _person(head_name, f"{head} {bare}", pemda, regency, formerly=f"{head} {bare}")
        staff = _person(staff_name, "Analis Kewaspadaan Nasional", kesbang, regency,
                        email=f"kesbangpol.{regency.code.replace('.', '')}@example.go.id",
                        formerly=f"Staf Kesbangpol {bare}")
        _person(kasat_name, "Kasat Intelkam", polres, regency, formerly=f"Kasat Intelkam Polres {bare}")
        _person(pasi_name, "Pasi Intel", kodim, regency, formerly=f"Pasi Intel {kodim_short}")
        _person(kasi_name, "Kepala Seksi Intelijen", kejari, regency, formerly=f"Kasi Intelijen Kejari {bare}")
        if regency.code == "19.01":
            _login("staf.bangka", Role.STAF_KABKOTA, staff)
        if regency.code == "19.71":
            member = _person("AKP Rudi Hartono, S.H.", "Kanit Intelkam", polres, regency, phone="0813-6600-7711",
                             email="rudi.hartono@example.go.id")
            _login("anggota.tim", Role.ANGGOTA_TIM, member)
    provincial_team = _provincial_team(province, people)
    for regency in regencies:
        _regency_team(regency)
    _provincial_plan(provincial_team, by_short)
    seed_incidents()
    seed_public_reports()
    meetings = _demo_meetings(provincial_team, people)
    return {
        "meetings": meetings,
        "teams": Team.objects.count(),
        "plans": ActionPlan.objects.count(),
        "institutions": Institution.objects.count(),
        "people": Person.objects.count(),
        "logins": get_user_model().objects.filter(person__isnull=False).count(),
        "incidents": Incident.objects.count(),
    }


def _team(region: Region, *, name: str, decree_number: str, decree_date, decree_signed_by: str, period_start) -> Team:
    existing = Team.objects.filter(region=region, decree_number=decree_number).first()
    return existing or team_services.team_create(
        region=region, name=name, decree_number=decree_number, decree_date=decree_date,
        decree_signed_by=decree_signed_by, period_start=period_start,
    )


def _seat(team: Team, person: Person, role: str) -> None:
    if team.memberships.filter(person=person, end_date__isnull=True).exists():
        return
    team_services.membership_start(
        team=team, person=person, role=role, start_date=team.period_start, decree_number=team.decree_number
    )


def _provincial_team(province: Region, people: dict[str, Person]) -> Team:
    team = _team(province, **PROVINCIAL_TEAM)
    for name, role in PROVINCIAL_SEATS:
        _seat(team, people[name], role)
    return team


def _regency_team(regency: Region) -> Team:
    bare = regency.name.replace("Kabupaten ", "").replace("Kota ", "")
    head = "Wali Kota" if regency.level == Region.Level.KOTA else "Bupati"
    number = int(regency.code.split(".")[1])
    team = _team(
        regency,
        name=f"Tim Terpadu Penanganan Konflik Sosial {regency.name}",
        decree_number=f"188.45/{number:02d}/Kesbangpol/2025",
        decree_date=datetime.date(2025, 4, 14),
        decree_signed_by=f"{head} {bare}",
        period_start=datetime.date(2025, 4, 14),
    )
    in_region = {p.position: p for p in Person.objects.filter(region=regency).select_related("institution")}
    seats = [
        (f"{head} {bare}", Membership.Role.KETUA),
        ("Analis Kewaspadaan Nasional", Membership.Role.SEKRETARIS),
        ("Kasat Intelkam", Membership.Role.ANGGOTA),
        ("Pasi Intel", Membership.Role.ANGGOTA),
        ("Kepala Seksi Intelijen", Membership.Role.ANGGOTA),
        ("Kanit Intelkam", Membership.Role.ANGGOTA),
    ]
    for position, role in seats:
        person = in_region.get(position)
        if person is not None:
            _seat(team, person, role)
    return team


def _provincial_plan(team: Team, by_short: dict[str, Institution]) -> ActionPlan:
    """This year's plan with realisation for the periods already over (some left empty on purpose,
    so the reminders and the "belum dilaporkan" badges have something to show)."""
    today = timezone.localdate()
    existing = ActionPlan.objects.filter(team=team, year=today.year).first()
    if existing:
        return existing
    plan = team_services.plan_create(
        team=team,
        year=today.year,
        legal_basis_number=f"188.44/{today.year % 100 + 40}/Kesbangpol/{today.year}",
        legal_basis_date=datetime.date(today.year, 1, 20),
        notes="Disusun berdasarkan hasil Rakor Tim Terpadu awal tahun dan peta potensi konflik tahun sebelumnya.",
        user=None,
    )
    periods = ("B04", "B08", "B12")
    for phase, name, indicator, unit, short, budget, source, targets, realised in PROVINCIAL_ACTIVITIES:
        activity = team_services.activity_create(
            plan=plan, phase=phase, name=name, indicator=indicator, unit=unit,
            responsible_institution=by_short[short],
            budget=Decimal(budget) if budget is not None else None, budget_source=source,
            targets={code: Decimal(t) for code, t in zip(periods, targets, strict=True)},
        )
        for ap in activity.periods.all():
            value = realised[periods.index(ap.period)]
            if value is None or period_end(plan.year, ap.period) >= today:
                continue
            team_services.realisation_record(
                activity_period=ap, realisation=Decimal(value),
                narrative=f"{name} periode {ap.period} telah dilaksanakan sesuai jadwal.", user=None,
            )
    return plan


# --- Meetings (issue 8) --------------------------------------------------------------------------

RAKOR_2017_TITLE = (
    "Rapat Koordinasi Penguatan Fungsi Tim Terpadu Penanganan Konflik Sosial Tahun 2017 Tingkat Provinsi/Kota"
)
# Guests of the 2017 Rakor who are not in the register: (name, position, institution, attendance).
RAKOR_2017_GUESTS = [
    ("Drs. Hendri Kusuma, M.Si.", "Kepala Badan Kesbangpol", "Kota Pangkalpinang", "hadir"),
    ("Letkol Inf. Wahyu Hidayat", "Perwakilan Direktorat Jenderal Strategi Pertahanan", "Kemhan", "hadir"),
    ("Syaiful Anwar, S.H.", "Kepala Bagian Hukum", "Setda Kota Pangkalpinang", "hadir"),
    ("Hj. Rosmala Dewi, S.Sos.", "Ketua", "FKDM Kota Pangkalpinang", "hadir"),
    ("H. Abdul Karim, S.Ag.", "Ketua", "FKUB Kota Pangkalpinang", "hadir"),
    ("Iptu Sugeng Riyadi", "Kanit Intelkam", "Polres Pangkalpinang", "terlambat"),
    ("Marlina Sari, S.IP.", "Kepala Bidang Kewaspadaan Nasional", "Kesbangpol Prov. Babel", "hadir"),
    ("Yoga Aditya, S.STP.", "Camat Gerunggang", "Kota Pangkalpinang", "hadir"),
    ("Drs. Rusli Hamzah", "Tokoh masyarakat", "Lembaga Adat Melayu Babel", "hadir"),
    ("Ir. Teddy Saputra", "Kepala Seksi Penanganan Konflik", "Dinas Pertambangan dan Energi Prov. Babel", "hadir"),
]
RAKOR_2017_RESOLUTIONS = [
    ("rumusan", "Tim Terpadu provinsi dan kabupaten/kota memperkuat deteksi dini melalui FKDM dan pelaporan "
                "berkala potensi konflik setiap bulan."),
    ("rumusan", "Pemetaan potensi konflik sosial dimutakhirkan dengan fokus sengketa lahan tambang timah "
                "inkonvensional dan batas wilayah desa."),
    ("rekomendasi", "Pemerintah kabupaten/kota menganggarkan kegiatan Tim Terpadu dalam APBD tahun anggaran 2018."),
    ("rekomendasi", "Pelaporan kinerja Tim Terpadu kepada Kementerian Dalam Negeri dipertahankan tepat waktu, "
                    "meneruskan capaian peringkat ke-9 terbaik nasional tahun 2016."),
    ("rekomendasi", "Rapat koordinasi Tim Terpadu diselenggarakan sekurang-kurangnya dua kali setahun."),
]


def _meeting(team, title: str, *, start, hours: int = 3, **kwargs):
    from meetings import services as meeting_services
    from meetings.models import Meeting

    existing = Meeting.objects.filter(team=team, title=title).first()
    if existing is not None:
        return existing, False
    meeting = meeting_services.meeting_schedule(
        team=team, title=title, start=start, end=start + datetime.timedelta(hours=hours), **kwargs
    )
    return meeting, True


def _demo_meetings(provincial_team: Team, people: dict[str, Person]) -> int:
    from meetings import services as meeting_services
    from meetings.models import Invitation

    tz = timezone.get_current_timezone()
    tarmin = people["Drs. H. Tarmin, M.Si."]
    rina = people["Rina Oktaviani, S.IP."]
    start = timezone.make_aware(datetime.datetime(2017, 5, 10, 9, 0), tz)
    meeting, created = _meeting(
        provincial_team, RAKOR_2017_TITLE, start=start, hours=4, kind="rakor", venue="Hotel Bangka City",
        venue_city="Pangkalpinang", chair=tarmin, opener=tarmin, signatory=tarmin,
        description="Rakor dibuka secara resmi oleh Kepala Badan Kesbangpol Provinsi Kepulauan Bangka Belitung. "
                    "Diharapkan menghasilkan rumusan yang konstruktif untuk mengantisipasi konflik sosial.",
        letter_number="005/0412/Kesbangpol/2017", letter_date=datetime.date(2017, 5, 3),
        copies="Gubernur Kepulauan Bangka Belitung (sebagai laporan)\nSekretaris Daerah Provinsi Kepulauan Bangka Belitung",
        agenda=[
            {"title": "Pembukaan dan sambutan Kepala Badan Kesbangpol", "presenter": tarmin, "duration_minutes": 30},
            {"title": "Paparan situasi dan potensi konflik sosial di Kepulauan Bangka Belitung",
             "presenter": people["Ir. Bambang Wijaya"], "duration_minutes": 45},
            {"title": "Penguatan fungsi Tim Terpadu dan pelaporan kinerja kepada Kemendagri",
             "presenter": rina, "duration_minutes": 45},
            {"title": "Diskusi dan perumusan rekomendasi", "duration_minutes": 90},
            {"title": "Penutup", "presenter": tarmin, "duration_minutes": 15},
        ],
    )
    if created:
        meeting_services.invite_team(meeting=meeting, team=provincial_team)
        for team in Team.objects.filter(level__in=["kabupaten", "kota"], status="aktif").order_by("region__code"):
            meeting_services.invite_team(meeting=meeting, team=team, roles=["ketua", "sekretaris"])
        for name, position, institution, _status in RAKOR_2017_GUESTS:
            meeting_services.invite_guest(meeting=meeting, name=name, position=position, institution=institution)
        absent = {"H. Hidayat Arsani, S.E., M.M.", "Kolonel Laut (P) Dedi Kurniawan"}
        guest_status = {g[0]: g[3] for g in RAKOR_2017_GUESTS}
        for inv in Invitation.objects.filter(meeting=meeting).select_related("person").order_by("pk"):
            if inv.person_id and inv.person.name in absent:
                status, rep = "tidak_hadir", ""
            elif inv.person_id and inv.person.position.startswith(("Bupati", "Wali Kota")):
                status, rep = "diwakili", f"Asisten Pemerintahan ({inv.person.position})"
            else:
                status, rep = guest_status.get(inv.guest_name, "hadir"), ""
            meeting_services.attendance_record(invitation=inv, status=status, representative_name=rep)
        meeting_services.minutes_save(
            meeting=meeting, note_taker="Marlina Sari, S.IP. (Kabid Kewaspadaan Nasional)",
            opening="Rapat dibuka secara resmi pukul 09.15 WIB oleh Kepala Badan Kesbangpol Provinsi Kepulauan "
                    "Bangka Belitung, Drs. H. Tarmin, M.Si. Dalam sambutannya disampaikan bahwa Provinsi Kepulauan "
                    "Bangka Belitung memperoleh penghargaan nasional sebagai peringkat ke-9 terbaik dalam pelaporan "
                    "kinerja Tim Terpadu tahun 2016, dan Rakor diharapkan menghasilkan rumusan yang konstruktif.",
            discussion="Kepala BIN Daerah memaparkan potensi konflik terkait tambang timah inkonvensional, sengketa "
                       "batas desa dan isu SARA menjelang pilkada. Asisten Intelijen Kejati menekankan penegakan "
                       "hukum yang cepat atas sengketa lahan. Perwakilan Kemhan menyampaikan dukungan bela negara. "
                       "Kepala Kesbangpol Kota Pangkalpinang melaporkan kesiapan tim kota.",
            conclusions="Peserta sepakat memperkuat deteksi dini, memutakhirkan peta potensi konflik, dan menjaga "
                        "ketepatan pelaporan kepada Kemendagri.",
        )
        resolutions = [meeting_services.resolution_add(meeting=meeting, kind=k, text=t)
                       for k, t in RAKOR_2017_RESOLUTIONS]
        bangka = Team.objects.filter(region__code="19.01").first()
        items = [
            ("Menyusun format laporan bulanan deteksi dini bagi FKDM kabupaten/kota", people["Ir. Bambang Wijaya"],
             datetime.date(2017, 6, 30), resolutions[0], "selesai"),
            ("Memutakhirkan peta potensi konflik tujuh kabupaten/kota", rina, datetime.date(2017, 8, 31),
             resolutions[1], "selesai"),
            ("Menyurati bupati/wali kota tentang penganggaran Tim Terpadu dalam APBD 2018", tarmin,
             datetime.date(2017, 7, 31), resolutions[2], "selesai"),
            ("Mengirim laporan kinerja Tim Terpadu semester I ke Kemendagri", rina, datetime.date(2017, 7, 15),
             resolutions[3], "dalam_proses"),
        ]
        for description, owner, due, resolution, status in items:
            item = meeting_services.action_item_create(meeting=meeting, description=description, owner_person=owner,
                                                       due_date=due, resolution=resolution)
            if status == "dalam_proses":
                meeting_services.action_item_progress(item=item, text="Draf laporan disusun bersama bidang.",
                                                      status=status)
            elif status == "selesai":
                meeting_services.action_item_progress(item=item, text="Telah dilaksanakan.", status=status)
        if bangka is not None:
            meeting_services.action_item_create(
                meeting=meeting, description="Membentuk sekretariat Tim Terpadu Kabupaten Bangka",
                owner_institution=Institution.objects.filter(short_name__startswith="Kesbangpol Kab. Bangka").first()
                or rina.institution, due_date=datetime.date(2017, 9, 30), resolution=resolutions[4])
        chair_login = tarmin.user
        # The 2017 minutes were approved by the chair two days after the Rakor, not on the seeding day.
        meeting_services.minutes_approve(meeting=meeting, user=chair_login,
                                         approved_at=timezone.make_aware(datetime.datetime(2017, 5, 12, 10, 0), tz))

    # Upcoming meetings: one provincial, one in Kabupaten Bangka, one field visit in Pangkalpinang.
    today = timezone.localdate()

    def at(days: int, hour: int = 9):
        return timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=days),
                                                             datetime.time(hour, 0)), tz)

    upcoming, created = _meeting(
        provincial_team, f"Rapat Evaluasi Tim Terpadu Provinsi Triwulan {(today.month - 1) // 3 + 1} {today.year}",
        start=at(6), kind="evaluasi", venue="Ruang Rapat Badan Kesbangpol", chair=tarmin, opener=tarmin,
        letter_number=f"005/{today.month:02d}15/Kesbangpol/{today.year}",
        agenda=[{"title": "Pembukaan", "presenter": tarmin, "duration_minutes": 15},
                {"title": "Evaluasi realisasi Rencana Aksi Terpadu", "presenter": rina, "duration_minutes": 60},
                {"title": "Tindak lanjut Rakor sebelumnya", "duration_minutes": 45}],
    )
    if created:
        invs = meeting_services.invite_team(meeting=upcoming, team=provincial_team)
        meeting_services.invite_guest(meeting=upcoming, name="Kepala Bidang Kewaspadaan Nasional",
                                      institution="Kesbangpol Prov. Babel")
        for inv, answer in zip(invs, ["hadir", "hadir", "hadir", "tidak_hadir", "diwakilkan"], strict=False):
            meeting_services.invitation_respond(invitation=inv, response=answer,
                                                delegate_name="Kasubdit Kamneg" if answer == "diwakilkan" else "")
    bangka = Team.objects.filter(region__code="19.01", status="aktif").first()
    if bangka is not None:
        rapat, created = _meeting(
            bangka, "Rapat Teknis Penanganan Sengketa Lahan Tambang Timah di Kecamatan Belinyu", start=at(3),
            kind="teknis", venue="Aula Kantor Bupati Bangka", venue_city="Sungailiat",
        )
        if created:
            meeting_services.invite_team(meeting=rapat, team=bangka)
    kota = Team.objects.filter(region__code="19.71", status="aktif").first()
    if kota is not None:
        visit, created = _meeting(
            kota, "Monitoring Lapangan Kawasan Rawan Konflik Kota Pangkalpinang", start=at(10), hours=5,
            kind="monitoring", venue="Kantor Camat Gerunggang", venue_city="Pangkalpinang",
        )
        if created:
            meeting_services.invite_team(meeting=visit, team=kota)
    # Open action items of a recent meeting: one due soon for the Anggota Tim login, one overdue.
    recent, created = _meeting(
        provincial_team, "Rapat Koordinasi Pencegahan Konflik Menjelang Hari Besar Keagamaan", start=at(-20),
        kind="rakor", venue="Ruang Rapat Badan Kesbangpol", chair=tarmin, opener=tarmin,
    )
    if created:
        for i, inv in enumerate(meeting_services.invite_team(meeting=recent, team=provincial_team)):
            meeting_services.attendance_record(invitation=inv, status="tidak_hadir" if i == 0 else "hadir")
        meeting_services.meeting_set_status(meeting=recent, status="selesai")
        meeting_services.minutes_save(meeting=recent, note_taker="Sekretariat Tim Terpadu",
                                      opening="Rapat dibuka oleh Kepala Badan Kesbangpol.",
                                      conclusions="Patroli dan dialog lintas agama diperkuat.")
        r = meeting_services.resolution_add(meeting=recent, text="Patroli terpadu di titik rawan diperkuat.")
        member = Person.objects.filter(user__username="anggota.tim").first()
        if member is not None:
            meeting_services.action_item_create(
                meeting=recent, description="Melaporkan hasil patroli terpadu di Kota Pangkalpinang",
                owner_person=member, due_date=today + datetime.timedelta(days=2), resolution=r)
        meeting_services.action_item_create(
            meeting=recent, description="Menyiapkan dialog tokoh lintas agama", owner_person=people[
                "Dr. H. Ahmad Sobari, M.Ag."], due_date=today - datetime.timedelta(days=5), resolution=r)
    from meetings.models import Meeting

    return Meeting.objects.count()
