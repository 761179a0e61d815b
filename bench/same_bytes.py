"""Do ``suggest`` and ``plan`` still print the same bytes? Digests of their outputs on an estate.

    python bench/same_bytes.py ESTATE > before.json            # on the commit before a change
    python bench/same_bytes.py ESTATE --check before.json      # after it: exit 1 on any difference

For ``suggest`` (JSON, table, CSV, CSV with ``--steps``) and ``plan`` (JSON, table), the SHA-256
of what the command prints for ``--as-of 2026-11-27``, each run as its own process. ``plan``'s
JSON has ``solver.seconds`` (wall time) masked. Both commands solve the programme
(``suggest`` for its ``in_plan`` column) within the solver's node budget and no wall-clock
limit, so the bytes do not depend on the machine's load.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

AS_OF = "2026-11-27"
RUNS = {
    "suggest-json": ["suggest", "--format", "json"],
    "suggest-table": ["suggest"],
    "suggest-csv": ["suggest", "--format", "csv"],
    "suggest-steps": ["suggest", "--format", "csv", "--steps"],
    "plan-json": ["plan", "--format", "json"],
    "plan-table": ["plan"],
}
SECONDS = re.compile(rb'"seconds": [0-9.eE+-]+')


def digest(estate: Path, args: list[str]) -> str:
    command = [sys.executable, "-c", "from ictgraph.cli import main; main()", *args, str(estate), "--as-of", AS_OF, "-q"]
    output = subprocess.run(command, check=True, capture_output=True).stdout
    return hashlib.sha256(SECONDS.sub(b'"seconds": 0', output)).hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("estate", type=Path)
    parser.add_argument("--check", type=Path, help="Digests saved before: report differences, exit 1 on any.")
    args = parser.parse_args(argv)
    found = {name: digest(args.estate, run) for name, run in RUNS.items()}
    if args.check is None:
        print(json.dumps(found, indent=2))
        return 0
    saved = json.loads(args.check.read_text(encoding="utf-8"))
    differ = sorted(name for name in found if saved.get(name) != found[name])
    for name in sorted(found):
        print(f"{'DIFFERENT' if name in differ else 'same':9}  {name}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
