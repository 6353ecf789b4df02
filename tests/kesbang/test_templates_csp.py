"""Templates ready for a Content Security Policy without 'unsafe-inline' (issue 6): no inline
<script> code, no <style> blocks, no style="..." attributes, no on*= handlers. Behaviour lives in
static/js/*.js (data-kb-* attributes), looks in static/css/*.css.

E-mails (inline styles are what mail clients read) and the PDF templates in any .../pdf/ folder
(rendered to a file on the server, never served as a page) are exempt."""

import pathlib
import re

from django.conf import settings

TEMPLATES = pathlib.Path(settings.BASE_DIR) / "templates"
EXEMPT_DIRS = {"emails", "pdf"}  # any app's templates/<app>/pdf/ and templates/emails/
RULES = {
    "inline <script> code": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(ld\+)?json\")[^>]*>", re.I),
    "<style> block": re.compile(r"<style[\s>]", re.I),
    'style="..." attribute': re.compile(r"\sstyle\s*=", re.I),
    "on*= event handler": re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def offending_lines():
    for file in sorted(TEMPLATES.rglob("*.html")):
        name = file.relative_to(TEMPLATES).as_posix()
        if EXEMPT_DIRS & set(name.split("/")[:-1]):
            continue
        for lineno, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            for what, pattern in RULES.items():
                if pattern.search(line):
                    yield f"templates/{name}:{lineno}: {what}: {line.strip()[:140]}"


def test_templates_have_no_inline_script_or_style():
    found = list(offending_lines())
    assert not found, (
        "Inline code or style blocks the coming CSP. Move scripts to static/js/kesbang.js (mark the element "
        "with a data-kb-* attribute; confirm texts go in data-kb-confirm=\"...\") and styles to "
        "static/css/kesbang.css or static/css/<app>.css:\n  " + "\n  ".join(found)
    )


def test_the_rules_catch_what_they_should():
    samples = {
        "<script>alert(1)</script>": True,
        '<script src="/static/js/kesbang.js"></script>': False,
        '<form onsubmit="return confirm(\'x\')">': True,
        '<div style="width: 5%">': True,
        "<style>.a{}</style>": True,
        '<form data-kb-confirm="Hapus?">': False,
    }
    for sample, bad in samples.items():
        assert any(p.search(sample) for p in RULES.values()) is bad, sample
