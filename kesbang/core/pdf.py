"""One PDF renderer for every printed document (reports, the SK appendix, meeting letters, attendance
sheets and meeting reports): WeasyPrint through its public API only.

    pdf = render_pdf(html)                      # relative URLs (img/logo.svg) resolve under static/
    pdf = render_pdf(html, base_url=some_dir)
    pdf = render_pdf_parts([html_1, html_2, ...], stamp=footer_html)   # a long document, see below

A long document (the periodic report) renders in parts: each part is a WeasyPrint document of its
own, laid out, written and freed before the next (WeasyPrint holds the whole box tree of a document
until it is written, so one 50-page document peaks at hundreds of MB), and the parts are joined with
pypdf, their bookmarks kept. What counts across parts (page N of M) is drawn last: ``stamp(sizes)``
returns the HTML of a document of one page per joined page (each the size given), whose pages are
laid over the joined ones.

Every PDF gets the lean stylesheet ``kesbang/core/pdf_ua.css`` (the elements our PDF templates use,
with the values of WeasyPrint's HTML5 user-agent sheet) as a user stylesheet, so a template never
depends on what the user-agent sheet of a given WeasyPrint version says. WeasyPrint is imported on
first use: it takes about a second to import, which every web process, worker and test run would
otherwise pay at start-up.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterable
from io import BytesIO
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


def _pypdf():
    """pypdf's reader and writer, imported without its ``cryptography`` provider.

    pypdf picks a provider for encrypted PDFs at import, and takes ``cryptography`` when it is installed
    (it is, for the webhook secrets): 9 MB of resident memory in the process that builds a report,
    the difference between the caturwulan report's 156 MB peak and its 148 MB (``make bench``, target
    150). These PDFs are never encrypted (we only join the parts we have just written), so pypdf's own
    fallback provider is enough; the block lasts for pypdf's import only. Where pypdf was imported
    already (a test reading a PDF), it is used as it is."""
    import sys

    provider = "pypdf._crypt_providers._cryptography"
    if "pypdf" not in sys.modules and provider not in sys.modules:
        sys.modules[provider] = None  # ``from <provider> import ...`` raises ImportError: the fallback
        try:
            import pypdf  # noqa: F401 - imported here, under the block
        finally:
            if sys.modules.get(provider, 0) is None:
                del sys.modules[provider]
    from pypdf import PdfReader, PdfWriter

    return PdfReader, PdfWriter


def render_pdf_parts(
    parts: Iterable[str],
    *,
    base_url: str | Path | None = None,
    front: Callable[[list[int], int], str] | None = None,
    stamp: Callable[[list[tuple[float, float]]], str] | None = None,
    front_pages: int = 2,
) -> bytes:
    """One PDF of the HTML ``parts``, rendered one at a time and joined in order (bookmarks kept).

    ``front(page_counts, own_pages)``: the HTML of the part that goes first, made after the others
    (it is told how many pages each has, for a table of contents, and how many pages it takes
    itself, ``front_pages`` at first; asked again, at most twice, while it takes another number).
    ``stamp``: drawn over every page (see the module's docstring)."""
    PdfReader, PdfWriter = _pypdf()

    writer = PdfWriter()
    counts = []
    # A part's box tree is full of reference cycles: collect it before the next part is laid out, or
    # two parts' trees are alive at once. The objects that were there before are frozen out of the
    # collections (a full one over a Django process' heap costs tens of ms per part).
    gc.freeze()
    try:
        for html in parts:
            reader = PdfReader(BytesIO(render_pdf(html, base_url=base_url)))
            writer.append(reader)
            counts.append(len(reader.pages))
            gc.collect()
    finally:
        gc.unfreeze()
    if front is not None:
        own = front_pages
        for _attempt in range(3):
            reader = PdfReader(BytesIO(render_pdf(front(counts, own), base_url=base_url)))
            if len(reader.pages) == own:
                break
            own = len(reader.pages)
        writer.merge(0, reader)
    if stamp is not None:
        sizes = [(float(page.mediabox.width), float(page.mediabox.height)) for page in writer.pages]
        overlay = PdfReader(BytesIO(render_pdf(stamp(sizes), base_url=base_url)))
        for page, over in zip(writer.pages, overlay.pages, strict=True):
            page.merge_page(over)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
