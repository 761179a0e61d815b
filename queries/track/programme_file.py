"""Reading a programme saved by ``ictgraph plan --format json`` for tracking."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ictgraph.graph_loader.errors import UsageError

__all__ = ["check_programme", "read_programme"]

HINT = "save one with `ictgraph plan ESTATE --as-of DATE --format json > programme.json`"


def check_programme(programme: Any, where: str) -> dict[str, Any]:
    """``programme`` when it is a plan whose steps carry baselines; a clear error otherwise."""
    if not isinstance(programme, dict) or not isinstance(programme.get("moves"), list) or "as_of" not in programme:
        raise UsageError(f"{where}: not a programme (a JSON object with as_of and moves)", HINT)
    for move in programme["moves"]:
        for step in [*move.get("steps", []), *move.get("already_there", [])]:
            if "baseline" not in step:
                raise UsageError(f"{where}: move {move.get('id')} has a step without a baseline "
                                 "(saved by an older ictgraph)", "plan it again: " + HINT)
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
