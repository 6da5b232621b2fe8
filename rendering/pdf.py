"""A court report as PDF/A-2u through WeasyPrint: text searchable and mapped to Unicode,
the shipped fonts embedded (subset), the jurisdiction's page size, the case number and
"Page n of N" on every page, and no JavaScript, encryption or attachments.

The bytes depend on the report alone (for the same WeasyPrint and HarfBuzz): the
document's dates are the report's own generation time, the file identifier is a hash of
the content, and nothing is fetched but the fonts shipped here. That is what lets a
resend of one filing carry the same bytes, and the case keep the hash of what the court
received.

Each report's PDF is rendered once per worker (up to `KEPT_PDFS` of the latest): a filing
retried while the court is down, and the API's PDF of a report already filed, take the
bytes rendered first, by the hash of the report's content, rather than another tenth of a
second of CPU or more. Kept in this process's memory only, never written anywhere.
"""

import hashlib
import threading
from collections import OrderedDict
from functools import cache
from pathlib import Path
from typing import Any

from weasyprint import CSS, HTML
from weasyprint.text import ffi
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from domain.report_page import ReportPage, report_page
from domain.reports import CourtReport, PageSize
from rendering.errors import ReportRenderError
from rendering.glyphs import check_printable
from rendering.html import TEMPLATES, render_page_html

FONTS = Path(__file__).parent / "fonts"
PDF_VARIANT = "pdf/a-2u"
PAGE_SIZES: dict[PageSize, str] = {"letter": "letter", "a4": "A4"}

# WeasyPrint's font configuration (fontconfig and Pango underneath) is built once and
# shared; it is not made for two renders at once, and a render holds the GIL anyway.
_rendering = threading.Lock()


class ShippedFilesOnly(URLFetcher):  # type: ignore[misc]
    """Fetches the fonts shipped in this package and nothing else: no network, no other
    file, whatever a template or a stylesheet asks for."""

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        prefix = FONTS.as_uri() + "/"
        if not url.startswith(prefix) or "/" in url[len(prefix) :]:
            raise _Refused(f"a report may load only its shipped fonts, not {url!r}")
        path = FONTS / url[len(prefix) :]
        if not path.is_file():
            raise _Refused(f"no shipped font {path.name!r}")
        return URLFetcherResponse(url, body=path.read_bytes())


class _Refused(FatalURLFetchingError):  # type: ignore[misc]
    pass


KEPT_PDFS = 64  # about 40 KB each: a few MB at most


class RenderedPdfs:
    """The latest reports' PDFs by the SHA-256 of the report's JSON: what a render reads,
    so one content is one key, and the same bytes are what rendering again would give."""

    def __init__(self, size: int = KEPT_PDFS) -> None:
        self._size = size
        self._pdfs: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()  # filings render in threads (adapters/courts/base.py)

    def pdf(self, report: CourtReport) -> bytes:
        check_subsetter()  # a machine without it is told so, whatever is kept
        key = hashlib.sha256(report.model_dump_json().encode()).hexdigest()
        with self._lock:
            kept = self._pdfs.get(key)
            if kept is not None:
                self._pdfs.move_to_end(key)
                return kept
        pdf = render_page_pdf(report_page(report))  # outside the lock: it may refuse
        with self._lock:
            self._pdfs[key] = pdf
            while len(self._pdfs) > self._size:
                self._pdfs.popitem(last=False)
        return pdf


_RENDERED = RenderedPdfs()


def render_pdf(report: CourtReport) -> bytes:
    """The report's PDF: rendered the first time, then the same bytes again."""
    return _RENDERED.pdf(report)


def render_pdf_afresh(report: CourtReport) -> bytes:
    """The report's PDF rendered now, whatever is kept: for checking that one report
    renders to the bytes it rendered to before."""
    return render_page_pdf(report_page(report))


def render_page_pdf(page: ReportPage) -> bytes:
    check_subsetter()
    check_printable(page.text())
    html = render_page_html(page, inline_style=False)
    with _rendering:
        fonts, screen_css, print_css = _stylesheets()
        document = HTML(string=html, base_url=TEMPLATES.as_uri() + "/", url_fetcher=_FETCHER)
        try:
            pdf = document.write_pdf(
                stylesheets=[screen_css, print_css, _page_size(page.page_size)],
                font_config=fonts,
                pdf_variant=PDF_VARIANT,
            )
        except FatalURLFetchingError as e:
            raise ReportRenderError(str(e.__cause__ or e)) from None
    assert pdf is not None  # no target given: the bytes are returned
    return bytes(pdf)


_FETCHER = ShippedFilesOnly()


def check_subsetter() -> None:
    """WeasyPrint cuts the fonts down to the glyphs used with HarfBuzz-Subset when it is
    installed, else with fontTools: other bytes, and slower by half. Rendering on a machine
    without it would file PDFs that the service elsewhere cannot reproduce, so it is
    required, by name."""
    if ffi.harfbuzz_subset is None:
        raise ReportRenderError(
            "court reports need the HarfBuzz-Subset library, so that every machine renders "
            "the same bytes: install it (Debian: apt-get install libharfbuzz-subset0)"
        )


@cache
def _stylesheets() -> tuple[FontConfiguration, CSS, CSS]:
    """The fonts, and the page's stylesheet then paper's, each parsed once per process."""
    fonts = FontConfiguration()
    screen, paper = (
        CSS(
            string=(TEMPLATES / name).read_text(encoding="utf-8"),
            base_url=FONTS.parent.as_uri() + "/",
            url_fetcher=_FETCHER,
            font_config=fonts,
        )
        for name in ("report.css", "print.css")
    )
    return fonts, screen, paper


@cache
def _page_size(size: PageSize) -> CSS:
    return CSS(string=f"@page {{ size: {PAGE_SIZES[size]} portrait; }}")
