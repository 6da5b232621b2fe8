"""The survivors list of docs/mutation.md, from the results `make mutation` left in
mutants/: `.venv/bin/python docs/mutation_survivors.py > survivors.md`.

Why a mutant is equivalent is kept here, keyed by its function and by the change itself
(a fragment of the line before and of the line after), not by mutmut's number: the
numbers shift whenever a function changes, and a reason kept by number would then
explain some other mutant. A survivor no reason matches is listed as open."""

import re
import subprocess
from collections import defaultdict
from typing import NamedTuple

MUTMUT = ".venv/bin/mutmut"
OPEN = "open: no fast test tells this change apart yet"


class Equivalent(NamedTuple):
    function: str  # mutmut's name for it, without `__mutmut_<n>`
    before: str  # a fragment of the line the mutant changes
    after: str  # a fragment of that line in the mutant, or "(removed)"
    why: str


LXML_DEFAULTS = (
    "what mutmut puts (None, or the argument left out) is lxml's own default; "
    "`no_network=False` lets nothing through either, since libxml2 is asked for no DTD "
    "or entity at all (only a network the tests cannot reach could tell)"
)
UNCLOSED = (
    "an unclosed comment or instruction: from any of these positions the answer is False either way"
)
LIBXML2_MESSAGES = (
    "libxml2's messages always carry text and end with exactly one `, line L, column C`"
)
THROTTLE = (
    "the attempt throttle right after is at least as strict (an attempt is never older "
    "than the last fetch)"
)
NEVER_READ_BEFORE_FETCH = (
    "`float('-INF')` is `float('-inf')`; `_fetched_at` is set by the first fetch before "
    "anything reads it"
)
SAME_LENGTHS = "the two lists' lengths are checked equal just before"
EITHER_DUMP = (
    "only strings are scrubbed, and the model reads its values back from either form of dump"
)
EVERY_KIND_RECOMMENDS = (
    "every kind but the final report has a recommendation, and a final report always has "
    "a compliance level, so the default is never read"
)
TZDATA_NAMES = (
    "tzdata names every zone at every instant, and no name begins with `X` (checked over "
    "every zone, 1900-2040)"
)

REASONS = [
    *(
        Equivalent("adapters.xml.hardened.x__parser", before, after, LXML_DEFAULTS)
        for before, after in (
            ("resolve_entities=False", "resolve_entities=None"),
            ("no_network=True", "no_network=None"),
            ("load_dtd=False", "load_dtd=None"),
            ("dtd_validation=False", "dtd_validation=None"),
            ("huge_tree=False", "huge_tree=None"),
            ("no_network=True", "(removed)"),
            ("load_dtd=False", "(removed)"),
            ("dtd_validation=False", "(removed)"),
            ("huge_tree=False", "(removed)"),
            ("no_network=True", "no_network=False"),
        )
    ),
    Equivalent(
        "adapters.xml.hardened.x__as_utf8",
        '.decode("ascii"',
        '.decode("ASCII"',
        "`ASCII` names the same codec as `ascii`",
    ),
    Equivalent(
        "adapters.xml.hardened.x__recoded",
        '.encode("utf-8")',
        '.encode("UTF-8")',
        "`UTF-8` names the same codec as `utf-8`",
    ),
    Equivalent(
        "adapters.xml.hardened.x__declares_doctype",
        "while at != -1:",
        "while at != -2:",
        "the loop ends by `return` or when no `<` is left; `at` is never -2",
    ),
    Equivalent("adapters.xml.hardened.x__declares_doctype", "at = -1 if", "at = +1 if", UNCLOSED),
    Equivalent("adapters.xml.hardened.x__declares_doctype", "at = -1 if", "at = -2 if", UNCLOSED),
    Equivalent(
        "adapters.xml.hardened.x__declares_doctype",
        'document.find(b"?>", at + 2)',
        'document.find(b"?>", at + 3)',
        (
            "an instruction's target has at least one character, so its `?>` never starts at "
            "`at + 2` in a document libxml2 accepts"
        ),
    ),
    Equivalent(
        "adapters.xml.hardened.x_parse_xml",
        "if e.position else",
        "if (e.position) or True else",
        "lxml always gives a syntax error's position",
    ),
    Equivalent(
        "adapters.xml.hardened.x_parse_xml",
        "docinfo.doctype or docinfo.internalDTD",
        "docinfo.doctype and docinfo.internalDTD",
        "lxml sets both whenever a DOCTYPE was parsed",
    ),
    Equivalent(
        "adapters.xml.hardened.x__libxml2_message",
        "error.msg or str(error)",
        "error.msg or str(None)",
        LIBXML2_MESSAGES,
    ),
    Equivalent(
        "adapters.xml.hardened.x__libxml2_message",
        "message.rpartition(",
        "message.partition(",
        LIBXML2_MESSAGES,
    ),
    Equivalent(
        "adapters.xml.hardened.x__libxml2_message",
        "head if sep else",
        "head if (sep) or True else",
        LIBXML2_MESSAGES,
    ),
    Equivalent(
        "api.auth.xǁKeySetVerifierǁ__init__",
        'self._fetched_at = float("-inf")',
        "self._fetched_at = None",
        NEVER_READ_BEFORE_FETCH,
    ),
    Equivalent(
        "api.auth.xǁKeySetVerifierǁ__init__",
        'self._fetched_at = float("-inf")',
        'self._fetched_at = float("-INF")',
        NEVER_READ_BEFORE_FETCH,
    ),
    Equivalent(
        "api.auth.xǁKeySetVerifierǁ__init__",
        'self._attempted_at = float("-inf")',
        'self._attempted_at = float("-INF")',
        NEVER_READ_BEFORE_FETCH,
    ),
    Equivalent(
        "api.auth.xǁKeySetVerifierǁverify",
        "self._key_set(refresh=False)",
        "self._key_set(refresh=None)",
        "`None` is as false as `False`",
    ),
    Equivalent(
        "api.auth.xǁKeySetVerifierǁ_key_set",
        "now - self._fetched_at > JWKS_MIN_REFETCH_SECONDS",
        "now + self._fetched_at > JWKS_MIN_REFETCH_SECONDS",
        THROTTLE,
    ),
    Equivalent(
        "api.auth.xǁKeySetVerifierǁ_key_set",
        "now - self._fetched_at > JWKS_MIN_REFETCH_SECONDS",
        "now - self._fetched_at >= JWKS_MIN_REFETCH_SECONDS",
        THROTTLE,
    ),
    *(
        Equivalent("domain.diff.x_changed_paths", "strict=True", after, SAME_LENGTHS)
        for after in ("strict=None", "after, )", "strict=False")
    ),
    Equivalent(
        "domain.diff.x__against_case",
        "pop(name, None)",
        "pop(name, )",
        (
            "a referral's court always dumps its `hearings` (a field with a default list, "
            "never excluded), so the default of `pop` is never read"
        ),
    ),
    Equivalent(
        "domain.quiet_hours.xǁQuietHoursǁholds",
        "if self.start < self.end:",
        "if self.start <= self.end:",
        "equal start and end returned False on the line before",
    ),
    Equivalent(
        "domain.quiet_hours.xǁQuietHoursǁends_after",
        ">= self.end:",
        "> self.end:",
        (
            "the two differ only at the end itself, which is not in quiet hours (they hold "
            "up to just before it), so `ends_after` returned None before this line"
        ),
    ),
    Equivalent(
        "domain.agreement.xǁObligationǁdue_dates",
        "self.every_days or 0",
        "self.every_days or 1",
        (
            "`every_days` is left out only for an item due once (the model refuses a "
            "recurring one without it, and 0), due on `first_due` whatever the step"
        ),
    ),
    *(
        Equivalent("domain.court_reports.x__recommendation", '.get(kind, "")', after, reason)
        for after, reason in (
            (".get(kind, None)", EVERY_KIND_RECOMMENDS),
            (".get(kind, )", EVERY_KIND_RECOMMENDS),
            ('.get(kind, "XXXX")', EVERY_KIND_RECOMMENDS),
        )
    ),
    Equivalent(
        "domain.facilitation.x_endorsement_problem",
        "_who(entry, entry.id)",
        "_who(entry, None)",
        "`_who` reads its second argument only when there is no roster entry; here there is one",
    ),
    Equivalent(
        "domain.local_time.x_abbreviation", '.tzname() or ""', '.tzname() or "XXXX"', TZDATA_NAMES
    ),
    Equivalent("domain.local_time.x_abbreviation", 'in "+-"', 'in "XX+-XX"', TZDATA_NAMES),
    Equivalent(
        "domain.person_match.xǁPersonMatcherǁ_key_matches",
        "mine is None or other is None or",
        "mine is None and other is None or",
        (
            "with one side missing `mine != other` is true anyway (None equals no value); with "
            "both missing, both forms return False"
        ),
    ),
    Equivalent(
        "domain.policy.x_load_jurisdictions",
        'encoding="utf-8"',
        'encoding="UTF-8"',
        "`UTF-8` names the same codec as `utf-8`",
    ),
    Equivalent(
        "domain.referral.x_normalise_case_number",
        "unicodedata.name(char, '')",
        "unicodedata.name(char, None)",
        "the `or` after it turns both into the same fallback",
    ),
    Equivalent(
        "domain.report_page.x_report_page",
        "local_date(i.occurred_on, tz)",
        "local_date(i.occurred_on, None)",
        "an incident's day is a `date`, written as recorded: the zone is read only for a time",
    ),
    Equivalent(
        "domain.risk.x_risk_level",
        "level = instrument.bands[0].level",
        "level = None",
        (
            "the loop always sets the level: the first band starts at or below `min_score` "
            "(the model refuses any other) and a score below `min_score` is refused just before"
        ),
    ),
    Equivalent(
        "domain.tasks.x_inbox_entry",
        "include=set(InboxEntry.model_fields)",
        "include=None",
        "`InboxEntry` ignores the fields it does not list",
    ),
    *(
        Equivalent(
            "domain.withholding.x_withhold_victim_details", 'mode="json"', after, EITHER_DUMP
        )
        for after in ("mode=None", 'mode="XXjsonXX"', 'mode="JSON"')
    ),
]


def reason_for(function: str, before: str, after: str) -> str:
    for known in REASONS:
        if known.function == function and known.before in before and known.after in after:
            return f"equivalent: {known.why}"
    return OPEN


def _cell(text: str) -> str:
    return "`" + text.replace("|", "\\|")[:90] + "`"


def _change(name: str) -> tuple[str, str]:
    """The mutated line before and after (the first of each), from `mutmut show`."""
    shown = subprocess.run([MUTMUT, "show", name], capture_output=True, text=True).stdout
    lines = [
        line
        for line in shown.splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    before = next((line[1:].strip() for line in lines if line.startswith("-")), "")
    after = next((line[1:].strip() for line in lines if line.startswith("+")), "(removed)")
    return before, after


def main() -> None:
    out = subprocess.run([MUTMUT, "results"], capture_output=True, text=True).stdout
    names = [line.split(":")[0].strip() for line in out.splitlines() if line.endswith("survived")]
    groups: dict[str, list[tuple[str, str, str, str]]] = defaultdict(list)
    for name in names:
        before, after = _change(name)
        function = re.sub(r"__mutmut_\d+$", "", name)
        why = reason_for(function, before, after)
        groups[function].append((name.rsplit("_", 1)[1], before, after, why))
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
