"""The one PDF renderer (kesbang/core/pdf.py): public WeasyPrint API only, the lean stylesheet on every
PDF, relative URLs under static/, and every PDF template's elements covered by the lean sheet."""

import io
import logging
import re
from pathlib import Path

from django.conf import settings

from kesbang.core import pdf

BASE = Path(settings.BASE_DIR)
PROJECT_CODE = [p for app in ("kesbang", "teams", "incidents", "meetings") for p in (BASE / app).rglob("*.py")
                if "migrations" not in p.parts]
# Elements that are inline in any sheet (nothing to say about them) or non-rendered wrappers.
INLINE = {"span", "a", "small", "sup", "sub", "code"}


def test_render_pdf_makes_a_pdf_with_a_relative_image_from_static(caplog):
    caplog.set_level(logging.WARNING, logger="weasyprint")
    data = pdf.render_pdf('<html><body><h1>Judul</h1><img src="img/logo.svg" alt=""><p>Isi</p></body></html>')
    assert data.startswith(b"%PDF-")
    assert not [r for r in caplog.records if r.name.startswith("weasyprint")], caplog.text  # the logo loaded


def test_the_lean_stylesheet_is_applied_to_every_pdf(monkeypatch):
    from weasyprint import HTML

    seen = {}
    original = HTML.write_pdf

    def spy(self, *args, **kwargs):
        seen["stylesheets"] = kwargs.get("stylesheets")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(HTML, "write_pdf", spy)
    pdf.render_pdf("<p>x</p>")
    assert seen["stylesheets"] == [pdf.lean_stylesheet()]
    assert pdf.LEAN_STYLESHEET == BASE / "kesbang" / "core" / "pdf_ua.css" and pdf.LEAN_STYLESHEET.is_file()


def test_only_core_renders_pdfs_and_nothing_uses_weasyprint_private_api():
    users = sorted(str(p.relative_to(BASE)) for p in PROJECT_CODE
                   if re.search(r"^\s*(from|import) weasyprint", p.read_text(encoding="utf-8"), re.M))
    assert users == ["kesbang/core/pdf.py"]
    private = sorted(str(p.relative_to(BASE)) for p in PROJECT_CODE
                     if re.search(r"_ua_stylesheets|UA_COUNTER_STYLE|weasyprint\.html", p.read_text(encoding="utf-8")))
    assert private == []


def test_every_element_of_a_pdf_template_has_a_rule_in_the_lean_stylesheet():
    css = pdf.LEAN_STYLESHEET.read_text(encoding="utf-8")
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    selectors = {s.strip() for rule in re.findall(r"([^{}]+)\{", css) for s in rule.split(",")}
    templates = list((BASE / "templates").glob("*/pdf/*.html"))
    assert len(templates) >= 7
    used = {tag for t in templates for tag in re.findall(r"<([a-z][a-z0-9]*)", t.read_text(encoding="utf-8"))}
    missing = sorted(used - INLINE - {s.split(":")[0] for s in selectors})
    assert not missing, f"add a rule for {missing} to kesbang/core/pdf_ua.css"


def test_a_report_process_never_loads_cryptography():
    """The webhook secrets' ``cryptography`` (9 MB resident) is loaded where a secret is sealed or read,
    and pypdf joins report parts without it: a fresh process that starts Django (every app and admin
    module) and joins a two-part PDF has not imported it (``make bench``'s report peak, target 150 MB)."""
    import os
    import subprocess
    import sys

    code = (
        "import sys, django; django.setup()\n"
        "from kesbang.core import pdf\n"
        "data = pdf.render_pdf_parts(['<p>satu</p>', '<p>dua</p>'])\n"
        "assert data.startswith(b'%PDF-'), data[:10]\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'cryptography'))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kesbang.settings_test"}
    done = subprocess.run([sys.executable, "-c", code], cwd=BASE, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_pypdf_still_joins_parts_when_it_was_imported_before():
    import pypdf  # noqa: F401 - as a test reading PDFs would have

    data = pdf.render_pdf_parts(["<p>satu</p>", "<p>dua</p>"])
    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(data)).pages) == 2
