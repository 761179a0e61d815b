"""Reading a programme saved by ``ictgraph plan --format json`` for tracking."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ictgraph.graph_loader.errors import UsageError

__all__ = ["check_programme", "read_programme"]

HINT = "save one with `ictgraph plan ESTATE --as-of DATE --format json > programme.json`"


MOVE_KEYS = ("id", "kind", "steps", "annual_saving")
STEP_KEYS = ("organisation", "action")
BASELINE_KEYS = ("annual_spend", "scope", "contracts", "uses", "hosts", "products")


def _check_move(move: Any, where: str) -> None:
    if not isinstance(move, dict) or any(k not in move for k in MOVE_KEYS):
        raise UsageError(f"{where}: a move lacks one of {', '.join(MOVE_KEYS)}", HINT)
    for step in [*move["steps"], *(move.get("already_there") or [])]:
        if not isinstance(step, dict) or any(k not in step for k in STEP_KEYS):
            raise UsageError(f"{where}: move {move['id']} has a step without {' or '.join(STEP_KEYS)}", HINT)
        if not isinstance(step.get("baseline"), dict) or any(k not in step["baseline"] for k in BASELINE_KEYS):
            raise UsageError(f"{where}: move {move['id']} has a step without a baseline "
                             "(saved by an older ictgraph)", "plan it again: " + HINT)


def check_programme(programme: Any, where: str) -> dict[str, Any]:
    """``programme`` when it is a plan whose steps carry baselines; a clear error otherwise."""
    if (not isinstance(programme, dict) or not isinstance(programme.get("moves"), list) or "as_of" not in programme
            or not isinstance(programme.get("totals"), dict)):
        raise UsageError(f"{where}: not a programme (a JSON object with as_of, totals and moves)", HINT)
    for move in programme["moves"]:
        _check_move(move, where)
    return programme


def read_programme(path: Path) -> dict[str, Any]:
    """The programme in the JSON file ``path``."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise UsageError(f"{path}: cannot read the programme ({error.strerror or error})", HINT) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise UsageError(f"{path}:{error.lineno}: not JSON ({error.msg})", HINT) from None
    return check_programme(data, str(path))
