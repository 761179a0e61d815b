"""Text for the outcome of a validation: problem lines and the closing count."""
from __future__ import annotations

from ictgraph.graph_loader.model import Problem


def render_problems(problems: list[Problem]) -> str:
    """Every problem in ``FILE:LINE:COL: error: WHAT`` form, then a count line."""
    lines = [p.render() for p in problems]
    errors = sum(1 for p in problems if p.is_error)
    warnings = len(problems) - errors
    lines.append(f"{errors} error(s), {warnings} warning(s)")
    return "\n".join(lines) + "\n"


def summarise_clean(files: int, items: int, warnings: int) -> str:
    return f"ok: {files} file(s), {items} item(s), {warnings} warning(s)\n"
