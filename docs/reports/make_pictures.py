"""Pictures of one report of each kind for the README: the sample reports the rendering
tests use (tests/rendering/samples.py), rendered to PDF as the service files them, then
page 1 of each to PNG with poppler's pdftoppm (Debian: apt-get install poppler-utils).

    .venv/bin/python docs/reports/make_pictures.py
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from domain.enums import ReportKind  # noqa: E402
from rendering.pdf import render_pdf  # noqa: E402
from tests.rendering.samples import sample_report  # noqa: E402

DPI = 70


def main() -> int:
    if shutil.which("pdftoppm") is None:
        print("needs pdftoppm: apt-get install poppler-utils", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as scratch:
        for kind in ReportKind:
            pdf = Path(scratch) / f"{kind.value}.pdf"
            pdf.write_bytes(render_pdf(sample_report(kind)))
            target = HERE / kind.value
            subprocess.run(
                ["pdftoppm", "-png", "-r", str(DPI), "-f", "1", "-l", "1", "-singlefile",
                 str(pdf), str(target)],
                check=True,
            )  # fmt: skip
            print(f"{target}.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
