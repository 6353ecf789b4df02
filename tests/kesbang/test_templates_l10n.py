"""USE_THOUSAND_SEPARATOR is on (Indonesian "12.700 insiden"), so every integer a template prints is
grouped: an id, a year or a page number written into a form value, an id attribute, a link or a
data attribute would become "1.234" and break once the database grows. Such values must pass
through ``|unlocalize`` (``{% load l10n %}``) or ``|stringformat:"d"``."""

import pathlib
import re

TEMPLATES = pathlib.Path(__file__).resolve().parents[2] / "templates"
# {{ thing.pk }}, {{ thing.id }}, {{ thing.team_id }}, page={{ ...page_number }}, year=plan.year
RISKY = [
    re.compile(r"\{\{\s*[\w.]+\.(?:pk|id|\w+_id)\s*\}\}"),
    re.compile(r"page=\{\{\s*[\w.]+page_number\s*\}\}"),
    re.compile(r"\b\w+=[\w.]*\.year(?=[\s%])"),
    re.compile(r"data-[\w-]+=\"\{\{\s*[\w.]+\s*\}\}\""),
]
ALLOWED_DATA = {"name", "cell.period"}  # strings, not numbers


def test_no_localised_integers_in_machine_readable_places():
    offenders = []
    for path in sorted(TEMPLATES.rglob("*")):
        if not path.is_file() or path.suffix not in {".html", ".txt"}:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for pattern in RISKY:
                for match in pattern.finditer(line):
                    text = match.group(0)
                    inner = re.search(r"\{\{\s*([\w.]+)\s*\}\}", text)
                    if inner and inner.group(1) in ALLOWED_DATA:
                        continue
                    offenders.append(f"{path.relative_to(TEMPLATES)}:{number}: {text}")
    assert not offenders, "add |unlocalize or |stringformat:\"d\":\n" + "\n".join(offenders)
