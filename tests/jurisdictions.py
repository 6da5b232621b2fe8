"""Two jurisdictions for tests and benches that need a second one: the demo jurisdiction
and a copy of it under another name, each filing into its own folder, each with the demo's
facilitator roster."""

from pathlib import Path

from domain.policy import DEMO_FILE, load_jurisdictions

HOME = "demo"
OTHER = "north"  # a second jurisdiction: its staff must never see demo's cases
# The demo roster: two endorsed facilitators, then one in training.
FACILITATOR, CO_FACILITATOR, TRAINEE = load_jurisdictions(DEMO_FILE)[HOME].roster


def two_jurisdictions_file(folder: Path) -> Path:
    """`HOME` and `OTHER`, filing into `folder/court/<id>`, their police dropping into
    `folder/police/<id>`; returns the TOML file."""
    demo = DEMO_FILE.read_text(encoding="utf-8")
    demo = demo.replace('root = "var/court/demo"', f'root = "{folder / "court" / HOME}"')
    demo = demo.replace('"var/police/demo"', f'"{folder / "police" / HOME}"')
    other = (
        demo.replace(f"jurisdictions.{HOME}", f"jurisdictions.{OTHER}")
        .replace(f"court/{HOME}", f"court/{OTHER}")
        .replace(f"police/{HOME}", f"police/{OTHER}")
    )
    other = "\n".join(line for line in other.splitlines() if not line.startswith("#"))
    path = folder / "jurisdictions.toml"
    path.write_text(demo + "\n" + other, encoding="utf-8")
    return path
