"""The survivors list of docs/mutation.md, from the results `make mutation` left in
mutants/: `.venv/bin/python docs/mutation_survivors.py > survivors.md`. Why a mutant is
equivalent is kept here, by mutant name; any other survivor is listed as open."""

import re
import subprocess
from collections import defaultdict

MUTMUT = ".venv/bin/mutmut"
REASONS = [
    (
        "adapters.xml.hardened.x__parser__",
        "equivalent",
        (
            "what mutmut puts (None, or the argument left out) is lxml's own default; "
            "`no_network=False` lets nothing through either, since libxml2 is asked for no DTD "
            "or entity at all (only a network the tests cannot reach could tell)"
        ),
    ),
    (
        "adapters.xml.hardened.x__as_utf8__",
        "equivalent",
        "`ASCII` names the same codec as `ascii`",
    ),
    (
        "adapters.xml.hardened.x__recoded__",
        "equivalent",
        "`UTF-8` names the same codec as `utf-8`",
    ),
    (
        "adapters.xml.hardened.x__declares_doctype__mutmut_7",
        "equivalent",
        "the loop ends by `return` or when no `<` is left; `at` is never -2",
    ),
    (
        "adapters.xml.hardened.x__declares_doctype__mutmut_47",
        "equivalent",
        (
            "an unclosed comment or instruction: from any of these positions the answer is "
            "False either way"
        ),
    ),
    (
        "adapters.xml.hardened.x__declares_doctype__mutmut_48",
        "equivalent",
        (
            "an unclosed comment or instruction: from any of these positions the answer is "
            "False either way"
        ),
    ),
    (
        "adapters.xml.hardened.x__declares_doctype__mutmut_36",
        "equivalent",
        (
            "an instruction's target has at least one character, so its `?>` never starts at "
            "`at + 2` in a document libxml2 accepts"
        ),
    ),
    (
        "adapters.xml.hardened.x__declares_doctype__mutmut_20",
        "equivalent",
        (
            "searching from four characters earlier finds the same `-->`: the four before it "
            "are the comment's own `<!--`"
        ),
    ),
    (
        "adapters.xml.hardened.x_parse_xml__mutmut_21",
        "equivalent",
        "lxml always gives a syntax error's position",
    ),
    (
        "adapters.xml.hardened.x_parse_xml__mutmut_30",
        "equivalent",
        "lxml sets both whenever a DOCTYPE was parsed",
    ),
    (
        "adapters.xml.hardened.x__libxml2_message__",
        "equivalent",
        "libxml2's messages always carry text and end with exactly one `, line L, column C`",
    ),
    (
        "api.auth.xǁKeySetVerifierǁ__init__",
        "equivalent",
        (
            "`float('-INF')` is `float('-inf')`; `_fetched_at` is set by the first fetch before"
            " anything reads it"
        ),
    ),
    (
        "api.auth.xǁKeySetVerifierǁverify__mutmut_2",
        "equivalent",
        "`None` is as false as `False`",
    ),
    (
        "api.auth.xǁKeySetVerifierǁ_key_set__mutmut_10",
        "equivalent",
        (
            "the attempt throttle right after is at least as strict (an attempt is never older "
            "than the last fetch)"
        ),
    ),
    (
        "api.auth.xǁKeySetVerifierǁ_key_set__mutmut_11",
        "equivalent",
        (
            "the attempt throttle right after is at least as strict (an attempt is never older "
            "than the last fetch)"
        ),
    ),
    (
        "domain.diff.x_changed_paths__",
        "equivalent",
        "the two lists' lengths are checked equal just before",
    ),
    (
        "domain.court_reports.x_build_report__mutmut_4",
        "equivalent",
        "read only as `if shared`, where `None` and `[]` agree",
    ),
    (
        "domain.referral.x_normalise_case_number__mutmut_13",
        "equivalent",
        "the `or` after it turns both into the same fallback",
    ),
    (
        "domain.tasks.x_inbox_entry__",
        "equivalent",
        "`InboxEntry` ignores the fields it does not list",
    ),
    (
        "domain.withholding.x_withhold_victim_details__",
        "equivalent",
        ("only strings are scrubbed, and the model reads its values back from either form of dump"),
    ),
    (
        "domain.reports.xǁCourtReportǁdocument_bytes__",
        "open",
        ("the filed document's bytes (and its hash) would change; no fast test pins the layout"),
    ),
]


def reason_for(name: str) -> tuple[str, str]:
    for prefix, kind, why in REASONS:
        if name.startswith(prefix):
            return kind, why
    return "open", "no fast test tells this change apart yet"


def _cell(text: str) -> str:
    return "`" + text.replace("|", "\\|")[:90] + "`"


def main() -> None:
    out = subprocess.run([MUTMUT, "results"], capture_output=True, text=True).stdout
    names = [line.split(":")[0].strip() for line in out.splitlines() if line.endswith("survived")]
    groups: dict[str, list[tuple[str, str, str, str]]] = defaultdict(list)
    for name in names:
        shown = subprocess.run([MUTMUT, "show", name], capture_output=True, text=True).stdout
        lines = [
            line
            for line in shown.splitlines()
            if line[:1] in "+-" and not line.startswith(("+++", "---"))
        ]
        before = next((line[1:].strip() for line in lines if line.startswith("-")), "")
        after = next((line[1:].strip() for line in lines if line.startswith("+")), "(removed)")
        function = re.sub(r"__mutmut_\d+$", "", name)
        kind, why = reason_for(name)
        groups[function].append((name.rsplit("_", 1)[1], before, after, f"{kind}: {why}"))
    counts: dict[str, int] = defaultdict(int)
    for rows in groups.values():
        for row in rows:
            counts[row[3].split(":")[0]] += 1
    print(f"{len(names)} survived: {counts['equivalent']} equivalent, {counts['open']} open.\n")
    for function in sorted(groups):
        readable = function.replace("ǁ", ".").replace(".x_", ".").replace(".x.", ".")
        print(f"### `{readable}`\n")
        print("| # | from | to | why |\n|---|---|---|---|")
        for number, before, after, why in groups[function]:
            print(f"| {number} | {_cell(before)} | {_cell(after)} | {why} |")
        print()


if __name__ == "__main__":
    main()
