"""The latest reports' PDFs, kept in this process by the hash of the report's content.

Each report's PDF is rendered once per process (up to `KEPT_PDFS` of the latest): a filing
retried while the court is down, and the API's PDF of a report already filed, take the
bytes rendered first rather than another tenth of a second of CPU or more. Kept in this
process's memory only, never written anywhere. This module loads no renderer, so a
process that renders elsewhere (rendering/pdf_processes.py) keeps its PDFs without
loading WeasyPrint.
"""

import hashlib
import threading
from collections import OrderedDict

from domain.reports import CourtReport

KEPT_PDFS = 64  # about 40 KB each: a few MB at most


def content_key(report: CourtReport) -> str:
    """SHA-256 of the report's JSON: what a render reads, so one content is one key, and
    the same bytes are what rendering again would give."""
    return hashlib.sha256(report.model_dump_json().encode()).hexdigest()


class KeptPdfs:
    def __init__(self, size: int = KEPT_PDFS) -> None:
        self._size = size
        self._pdfs: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()  # renders finish in threads as well as on the loop

    def kept(self, key: str) -> bytes | None:
        with self._lock:
            pdf = self._pdfs.get(key)
            if pdf is not None:
                self._pdfs.move_to_end(key)
            return pdf

    def keep(self, key: str, pdf: bytes) -> None:
        with self._lock:
            self._pdfs[key] = pdf
            self._pdfs.move_to_end(key)
            while len(self._pdfs) > self._size:
                self._pdfs.popitem(last=False)


KEPT = KeptPdfs()
