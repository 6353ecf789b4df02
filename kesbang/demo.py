"""Demo data for a first look at Kesbang (``manage.py seed_demo``). Idempotent: safe to run twice.

Writes go through the apps' services; what already exists (by natural key) is left as it is.
"""

import os

from django.contrib.auth import get_user_model
from django.db import transaction

from teams import services as team_services
from teams.access import Role
from teams.models import Institution, Person, Region

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
    ("Kolonel Inf. Agus Santoso, S.Sos.", "Danrem 045/Garuda Jaya", "Korem 045/Garuda Jaya", "0717-422045", "", None, None),
    ("Dr. Siti Nurhaliza, S.H., M.H.", "Asisten Intelijen", "Kejati Babel", "0717-439900", "", None, None),
    ("Ir. Bambang Wijaya", "Kepala BIN Daerah", "BIN Daerah Babel", "", "", None, None),
    ("Kolonel Laut (P) Dedi Kurniawan", "Danlanal Babel", "Lanal Babel", "", "", None, None),
    ("Laksma TNI (Purn.) Yusuf Effendi", "Staf Ahli Bidang Keamanan", "Kemhan", "", "", None, None),
    ("Dr. H. Ahmad Sobari, M.Ag.", "Ketua FKUB", "FKUB Prov. Babel", "0812-7300-1100", "", None, None),
]


def _institution(name: str, short: str, kind: str, region: Region) -> Institution:
    existing = Institution.objects.filter(name=name).first()
    return existing or team_services.institution_create(name=name, short_name=short, kind=kind, region=region)


def _person(name: str, position: str, institution: Institution, region: Region, phone="", email="") -> Person:
    existing = Person.objects.filter(name=name, institution=institution).first()
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
        _person(f"{head} {bare}", f"{head} {bare}", pemda, regency)
        staff = _person(f"Staf Kesbangpol {bare}", "Analis Kewaspadaan Nasional", kesbang, regency,
                        email=f"kesbangpol.{regency.code.replace('.', '')}@example.go.id")
        _person(f"Kasat Intelkam Polres {bare}", "Kasat Intelkam", polres, regency)
        _person(f"Pasi Intel {REGENCY_KODIM[regency.code].split(' (')[0]}", "Pasi Intel", kodim, regency)
        _person(f"Kasi Intelijen Kejari {bare}", "Kepala Seksi Intelijen", kejari, regency)
        if regency.code == "19.01":
            _login("staf.bangka", Role.STAF_KABKOTA, staff)
        if regency.code == "19.71":
            member = _person("AKP Rudi Hartono, S.H.", "Kanit Intelkam", polres, regency, phone="0813-6600-7711",
                             email="rudi.hartono@example.go.id")
            _login("anggota.tim", Role.ANGGOTA_TIM, member)
    return {
        "institutions": Institution.objects.count(),
        "people": Person.objects.count(),
        "logins": get_user_model().objects.filter(person__isnull=False).count(),
    }
