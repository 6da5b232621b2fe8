"""Whether the shipped fonts can print a report's text. A character they lack would be
drawn from whatever font the machine happens to have (or as a blank box): a name on a
court document spelled by chance, and different bytes on another machine. Such a report
is refused with the characters named instead."""

import unicodedata
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont

from rendering.errors import ReportRenderError

FONTS = Path(__file__).parent / "fonts"
SHIPPED = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")


@cache
def printable() -> frozenset[int]:
    """Code points every shipped face maps (a name may be set in bold)."""
    maps = [set(TTFont(FONTS / name, lazy=True).getBestCmap()) for name in SHIPPED]
    return frozenset(set.intersection(*maps))


def unprintable(text: str) -> list[str]:
    """Characters of `text` the fonts cannot print, each once, in order of appearance.
    Line breaks and other controls are layout, not glyphs."""
    known = printable()
    missing: dict[str, None] = {}
    for char in text:
        if ord(char) not in known and unicodedata.category(char) not in ("Cc", "Zl", "Zp"):
            missing[char] = None
    return list(missing)


def check_printable(text: str) -> None:
    missing = unprintable(text)
    if missing:
        named = ", ".join(f"{c!r} (U+{ord(c):04X} {unicodedata.name(c, '?')})" for c in missing[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise ReportRenderError(
            f"the report holds characters its fonts cannot print: {named}{more}; "
            "a font covering them must be added to rendering/fonts"
        )
