"""Court report PDFs per second on one core, against WeasyPrint alone on the same HTML.

One progress report with 24 agreed items (three pages of Letter) is rendered two ways
in alternating rounds, in this one process:

    plain  WeasyPrint on the report's HTML page: no PDF/A, no shipped fonts, no page
           furniture (the machine's fonts, WeasyPrint's defaults)
    ours   rendering.pdf.render_pdf_afresh from the report (render_pdf would give the bytes
           it kept from the first render): its page words and local dates, the
           glyph check, the template, PDF/A-2u with the shipped fonts embedded and the
           case number and page n of N on every page

Rates are per second of the process's CPU time, i.e. on one core. Prints
`bench report_pdf: <n> per s` (ours; target >= 3) and
`bench report_pdf: ratio <ours/plain>` (target >= 0.8: what we add around WeasyPrint
costs little).
"""

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from weasyprint import HTML

from rendering.html import render_html
from rendering.pdf import render_pdf_afresh
from tests.rendering.pdfa import reader
from tests.rendering.samples import long_report

TARGET_PER_SECOND = 3.0
TARGET_RATIO = 0.8


def per_second(work: Callable[[], object], renders: int) -> float:
    """Renders per second of this process's CPU time: one core's worth, however many other
    processes share the machine (wall time on a loaded 2-core machine measures them)."""
    started = time.process_time()
    for _ in range(renders):
        work()
    return renders / (time.process_time() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--renders", type=int, default=4, help="per way and round")
    args = parser.parse_args()

    report = long_report(items=24)
    html = render_html(report)

    def ours() -> bytes:
        return render_pdf_afresh(report)

    def plain() -> bytes:
        pdf = HTML(string=html).write_pdf()
        assert pdf is not None
        return bytes(pdf)

    pages = len(reader(ours()).pages)  # also warms fonts and caches, as plain() does next
    plain()
    ratios, rates = [], []
    for _ in range(args.rounds):
        plain_rate = per_second(plain, args.renders)
        our_rate = per_second(ours, args.renders)
        ratios.append(our_rate / plain_rate)
        rates.append(our_rate)
    print(
        f"report_pdf: {pages}-page report, ours {statistics.median(rates):.2f}/s, "
        f"ratio per round {', '.join(f'{r:.2f}' for r in ratios)}"
    )
    rate, ratio = statistics.median(rates), statistics.median(ratios)
    print(f"bench report_pdf: {rate:.1f} per s", flush=True)
    print(f"bench report_pdf: ratio {ratio:.2f}", flush=True)
    if rate < TARGET_PER_SECOND or ratio < TARGET_RATIO:
        print(
            f"report_pdf: below target ({TARGET_PER_SECOND:g} per s, ratio {TARGET_RATIO:g})",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
