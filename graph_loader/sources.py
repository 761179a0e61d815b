"""The only file-system step before the graph: find an estate's files and read their bytes."""
from __future__ import annotations

from pathlib import Path

from ictgraph.graph_loader.errors import UsageError

YAML_SUFFIXES = (".yaml", ".yml")


def _display(path: Path) -> str:
    """A stable, readable name: relative to the working directory where possible."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def find_estate_files(paths: list[Path]) -> list[Path]:
    """Every YAML file named or found (recursively) under the given paths, sorted, once each."""
    if not paths:
        raise UsageError("no estate given", "name one or more YAML files or directories")
    found: dict[Path, Path] = {}
    for path in paths:
        if path.is_dir():
            for candidate in path.rglob("*"):
                if candidate.suffix.lower() in YAML_SUFFIXES and candidate.is_file():
                    found.setdefault(candidate.resolve(), candidate)
        elif path.is_file():
            found.setdefault(path.resolve(), path)
        else:
            raise UsageError(f'"{path}" does not exist', "give a YAML file or a directory of them")
    if not found:
        raise UsageError(f"no YAML files under {', '.join(str(p) for p in paths)}",
                         "inventory files end in .yaml or .yml")
    return sorted(found.values(), key=lambda p: _display(p))


def read_estate_files(paths: list[Path]) -> list[tuple[str, bytes]]:
    """(display name, bytes) for each file of the estate, in a stable order."""
    files = []
    for path in find_estate_files(paths):
        try:
            files.append((_display(path), path.read_bytes()))
        except OSError as exc:
            raise UsageError(f'cannot read "{_display(path)}": {exc.strerror}') from exc
    return files
