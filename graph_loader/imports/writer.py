"""Import output: inventory YAML that reads like a hand-written file, written all at once.

Rendering is pure (:func:`render_document`); :func:`write_files` is the one step that
touches the disk. An import checks its own files with the validator before it writes them
(:func:`check_output`), so a file it writes either validates or the report says why."""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ictgraph.graph_loader import check_files
from ictgraph.graph_loader.errors import UsageError
from ictgraph.graph_loader.model import Problem

__all__ = ["Flow", "ImportResult", "OutputFile", "check_output", "render_document", "report_file", "report_rows", "write_files"]

FORMAT = "ictgraph/v1.1"   # what imports write: a contract may name capabilities, not systems
REPORT_NAME = "import-report.json"


class Flow(list):  # type: ignore[type-arg]
    """A list written in flow style: ``capabilities: [cpv-48]``."""


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        return super().increase_indent(flow, False)


_Dumper.add_representer(Flow, lambda dumper, data: dumper.represent_sequence(
    "tag:yaml.org,2002:seq", data, flow_style=True))


@dataclass(frozen=True)
class OutputFile:
    """A file an import writes: its path inside the output directory and its text."""

    path: str
    text: str


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote and its report (the JSON-ready summary the CLI shows)."""

    files: list[OutputFile]
    report: dict[str, Any]


def _comment(lines: Iterable[str]) -> str:
    return "".join(f"# {line}".rstrip() + "\n" for line in lines)


def render_yaml(data: Any) -> str:
    """YAML in the house layout: keys in the given order, indented lists, UTF-8 kept."""
    return str(yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                         default_flow_style=False))


def render_document(body: dict[str, Any], header: Iterable[str] = (),
                    commented: Iterable[tuple[str, dict[str, Any]]] = ()) -> str:
    """One document: comment lines, ``format:``, the body, then entries written as comments.

    ``commented`` holds ``(why, entry)`` pairs for entries that cannot be valid yet (a
    required value is missing): they are kept, commented out, under a line saying why, so
    that the file validates and the missing values are in front of whoever completes it.

    >>> print(render_document({"organisation": {"id": "E06000047"}}, ["County Durham"]), end="")
    # County Durham
    format: ictgraph/v1.1
    organisation:
      id: E06000047
    """
    text = _comment(header) + render_yaml({"format": FORMAT, **body})
    for why, entry in commented:
        text += "\n" + _comment([why]) + _comment(render_yaml([entry]).splitlines())
    return text


def check_output(files: list[OutputFile], extra: Iterable[tuple[str, bytes]] = ()) -> list[Problem]:
    """The validator's problems with the output files (with ``extra`` files beside them)."""
    named = [(f.path, f.text.encode("utf-8")) for f in files if f.path.endswith(".yaml")]
    return check_files(named + list(extra)).problems


def report_file(report: dict[str, Any]) -> OutputFile:
    return OutputFile(REPORT_NAME, json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n")


def write_files(out_dir: Path, files: list[OutputFile], *, overwrite: bool) -> list[Path]:
    """Write every file under ``out_dir``; refuse a non-empty directory unless ``overwrite``."""
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f'"{out_dir}" is a file, not a directory', "give -o a directory to write the estate into")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not overwrite:
        raise UsageError(f'"{out_dir}" is not empty',
                         "choose a new directory, or add --overwrite to replace the files this import writes")
    written = []
    try:
        for file in files:
            target = out_dir / file.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(file.text, encoding="utf-8")
            written.append(target)
    except OSError as exc:
        raise UsageError(f'cannot write "{exc.filename}": {exc.strerror}') from exc
    return written


def report_rows(report: dict[str, Any], prefix: str = "") -> list[list[Any]]:
    """A report as ``[what, detail]`` rows for a table: nested keys joined with dots, one row
    per list entry, a mapping entry written ``key: value, ...``.

    >>> report_rows({"written": {"contracts": 2}, "flagged": [{"notice": "n1", "check": "small"}]})
    [['written.contracts', 2], ['flagged', 'notice: n1, check: small']]
    """
    rows: list[list[Any]] = []
    for key, value in report.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            rows += report_rows(value, f"{name}.")
        elif isinstance(value, list):
            rows += [[name, ", ".join(f"{k}: {v}" for k, v in item.items()) if isinstance(item, dict) else item]
                     for item in value]
        else:
            rows.append([name, value])
    return rows
