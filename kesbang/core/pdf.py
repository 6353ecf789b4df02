"""One PDF renderer for every printed document (reports, the SK appendix, meeting letters, attendance
sheets and meeting reports): WeasyPrint through its public API only.

    pdf = render_pdf(html)                      # relative URLs (img/logo.svg) resolve under static/
    pdf = render_pdf(html, base_url=some_dir)

Every PDF gets the lean stylesheet ``kesbang/core/pdf_ua.css`` (the elements our PDF templates use,
with the values of WeasyPrint's HTML5 user-agent sheet) as a user stylesheet, so a template never
depends on what the user-agent sheet of a given WeasyPrint version says. WeasyPrint is imported on
first use: it takes about a second to import, which every web process, worker and test run would
otherwise pay at start-up.
"""

from __future__ import annotations

import functools
from pathlib import Path

from django.conf import settings

LEAN_STYLESHEET = Path(__file__).with_name("pdf_ua.css")


def default_base_url() -> str:
    """The static folder (a file path, never the site's URL: the PDF never fetches over HTTP)."""
    return str(Path(settings.BASE_DIR) / "static") + "/"


@functools.cache
def lean_stylesheet():
    """The parsed lean stylesheet, once per process."""
    from weasyprint import CSS

    return CSS(filename=str(LEAN_STYLESHEET))


def render_pdf(html: str, *, base_url: str | Path | None = None) -> bytes:
    """The PDF of ``html`` (a rendered template)."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=str(base_url) if base_url else default_base_url())
    return document.write_pdf(stylesheets=[lean_stylesheet()])
