"""The score line of `make mutation`: `mutation: killed <k> of <n>`, from mutmut's stats.

A mutant counts as killed when a test failed on it or it ran past its time limit (a
mutant that hangs the code is caught); one no fast test reaches counts as survived.
Exits non-zero under the bar docs/mutation.md sets.
"""

import json
import sys
from pathlib import Path

BAR = 0.90


def main(stats_file: str) -> int:
    stats = json.loads(Path(stats_file).read_text())
    killed = stats["killed"] + stats["timeout"]
    total = stats["total"] - stats["skipped"]
    print(f"mutation: killed {killed} of {total}")
    print(
        f"  ({killed / total:.1%}; survived {stats['survived']}, reached by no test "
        f"{stats['no_tests']}, suspicious {stats['suspicious']}; `mutmut results` lists them)"
    )
    return 0 if killed >= BAR * total else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
