"""The English catalog is complete and the English interface really is English.

Indonesian is the source language (the msgids are Indonesian); English is chosen with the switcher
(the language cookie). A string added to a template or to Python without an English translation
would leave the English interface half Indonesian: these tests catch it.
"""

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import require
from tests.factories import make_member, make_team

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[-#0 +]*\d*(?:\.\d+)?[sdfir]|%%|%[sd]|\{[a-z_]*\}")


PO_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(line: str) -> str:
    """The text of a quoted .po line, with the C escapes gettext writes undone."""
    text = line[line.index('"') + 1: line.rindex('"')]
    return re.sub(r"\\(.)", lambda m: PO_ESCAPES.get(m.group(1), m.group(0)), text)


def parse_po(path: Path) -> list[dict]:
    """Entries of a .po file as dicts: flags, msgctxt, msgid, msgid_plural, msgstr (list)."""
    entries, entry, field = [], None, None

    def finish():
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            finish()
            entry, field = None, None
            continue
        if line.startswith("#~"):
            continue  # obsolete
        if entry is None:
            entry = {"flags": set(), "msgctxt": None, "msgid_plural": None, "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"].update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith("msgctxt "):
            field, entry["msgctxt"] = "msgctxt", _unquote(line)
        elif line.startswith("msgid_plural "):
            field, entry["msgid_plural"] = "msgid_plural", _unquote(line)
        elif line.startswith("msgid "):
            field, entry["msgid"] = "msgid", _unquote(line)
        elif line.startswith("msgstr["):
            index = int(line[7:line.index("]")])
            field = ("msgstr", index)
            entry["msgstr"][index] = _unquote(line)
        elif line.startswith("msgstr "):
            field = ("msgstr", 0)
            entry["msgstr"][0] = _unquote(line)
        elif line.startswith('"'):
            if isinstance(field, tuple):
                entry["msgstr"][field[1]] += _unquote(line)
            else:
                entry[field] += _unquote(line)
    return [e for e in entries if e["msgid"]]  # without the header


def test_english_catalog_exists_and_is_not_trivial():
    assert PO.exists(), "run makemessages -l en"
    assert len(parse_po(PO)) > 100


def test_every_english_entry_is_translated_and_none_is_fuzzy():
    entries = parse_po(PO)
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"].values()) or not e["msgstr"]]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert not untranslated, f"untranslated English entries: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy English entries: {fuzzy[:10]}"
    plurals = [e for e in entries if e["msgid_plural"]]
    assert all(sorted(e["msgstr"]) == [0, 1] for e in plurals), "English has two plural forms"


def test_english_translations_keep_the_placeholders():
    wrong = []
    for e in parse_po(PO):
        wanted = sorted(PLACEHOLDER.findall(e["msgid"]))
        for text in e["msgstr"].values():
            if sorted(PLACEHOLDER.findall(text)) != wanted:
                wrong.append((e["msgid"], text))
    assert not wrong, wrong[:5]


def test_msgfmt_reports_no_untranslated_or_fuzzy_entries():
    require(bool(shutil.which("msgfmt")), "msgfmt is not installed (apt-get install gettext)")
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(PO)],
        capture_output=True, text=True, env={"LC_ALL": "C", "PATH": "/usr/bin:/bin"}, check=False,
    )
    assert result.returncode == 0, result.stderr
    stats = result.stderr.strip()
    assert "translated message" in stats and "untranslated" not in stats and "fuzzy" not in stats, stats


def test_compiled_catalog_matches_the_po():
    """The committed .mo holds every translation of the .po (compilemessages was run after editing)."""
    assert MO.exists(), "run compilemessages -l en"
    with MO.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    stale = []
    for e in parse_po(PO):
        msgid = e["msgid"] if e["msgctxt"] is None else f"{e['msgctxt']}\x04{e['msgid']}"
        if e["msgid_plural"]:
            got = catalog._catalog.get((msgid, 1))
            expected = e["msgstr"][1]
        else:
            got = catalog._catalog.get(msgid)
            expected = e["msgstr"][0]
        if got != expected:
            stale.append(e["msgid"])
    assert not stale, f"locale/en/LC_MESSAGES/django.mo is out of date; recompile. First: {stale[:5]}"


# --- The English interface ---------------------------------------------------------------------------

def _h1(body: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", body, re.S)
    assert match, "page has no <h1>"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


@pytest.fixture
def english(client, staf_provinsi):
    client.force_login(staf_provinsi)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def team(db):
    team = make_team("19", name="Tim Terpadu PKS Provinsi Kepulauan Bangka Belitung")
    make_member(team, "ketua", name="Drs. H. Tarmin, M.Si.")
    return team


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "english_heading", "indonesian"),
    [
        ("/", "Dashboard", ["Dasbor", "Beranda", "Keluar", "Anggota aktif"]),
        ("/tim/", "Integrated Team", ["Daftarkan tim", "Daftar orang", "Hapus filter", "Tingkat"]),
        ("/tim/rencana-aksi/", "Integrated Action Plan", ["Rencana Aksi Terpadu", "Semua tahun"]),
        ("/tim/orang/", "Person register", ["Daftar orang", "Tambah orang", "Cari"]),
    ],
)
def test_pages_in_english_have_english_headings(english, team, url, english_heading, indonesian):
    response = english.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'lang="en"' in body
    assert _h1(body) == english_heading
    for text in indonesian:
        assert f">{text}<" not in body and f"> {text}<" not in body, f"{url} still shows {text!r}"


@pytest.mark.django_db
def test_team_detail_in_english(english, team):
    body = english.get(team.get_absolute_url()).content.decode()
    assert "Membership history" in body and "Riwayat keanggotaan" not in body
    assert "Decree" in body and "Surat Keputusan" not in body
    assert "Chair" in body and ">Ketua<" not in body


@pytest.mark.django_db
def test_without_the_cookie_the_same_pages_stay_indonesian(client, staf_provinsi, team):
    client.force_login(staf_provinsi)
    assert _h1(client.get("/tim/orang/").content.decode()) == "Daftar orang"
    assert _h1(client.get("/tim/rencana-aksi/").content.decode()) == "Rencana Aksi Terpadu"
