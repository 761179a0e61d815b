"""The named Cypher queries: ``queries/cypher/<area>/<name>.cypher``, one statement each,
opened by a ``//`` header that is also their documentation:

    // name: find_contracts_ending
    // description: Contracts ending between two dates, by capability.
    // mode: read
    // param from: date  First day of the window
    // returns: capability, organisation, contract, end_date, annual_value
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ictgraph.graph_loader.errors import UsageError

CYPHER_DIR = Path(__file__).resolve().parent / "cypher"
PARAM_TYPES = ("string", "int", "float", "date", "bool", "list", "map")
_HEADER = re.compile(r"^//\s*(name|description|mode|returns):\s*(.*)$|^//\s*(param)\s+(.*)$")
_PARAM = re.compile(r"^(\w+):\s*(\w+)\s+(.*)$")
_USED = re.compile(r"\$(\w+)")


@dataclass(frozen=True)
class QueryParam:
    name: str
    type: str
    meaning: str


@dataclass(frozen=True)
class CypherQuery:
    name: str
    area: str
    description: str
    mode: str
    params: tuple[QueryParam, ...]
    returns: tuple[str, ...]
    text: str
    path: Path

    @property
    def used_params(self) -> set[str]:
        body = "\n".join(line for line in self.text.splitlines() if not line.lstrip().startswith("//"))
        return set(_USED.findall(body))


def parse_query_file(path: Path) -> CypherQuery:
    """Header and statement of one ``.cypher`` file; ValueError if the header is malformed."""
    fields: dict[str, str] = {}
    params: list[QueryParam] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _HEADER.match(line.strip())
        if not match:
            continue
        key, value = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
        if key == "param":
            param = _PARAM.match(value)
            if not param or param.group(2) not in PARAM_TYPES:
                raise ValueError(f"{path}: bad param line {value!r}; write `// param NAME: TYPE  meaning`")
            params.append(QueryParam(*param.groups()))
        else:
            fields[key] = value.strip()
    missing = {"name", "description", "mode", "returns"} - set(fields)
    if missing:
        raise ValueError(f"{path}: header lacks {', '.join(sorted(missing))}")
    return CypherQuery(fields["name"], path.parent.name, fields["description"], fields["mode"], tuple(params),
                       tuple(c.strip() for c in fields["returns"].split(",")), path.read_text(encoding="utf-8"), path)


def list_queries(directory: Path = CYPHER_DIR, mode: str | None = "read") -> list[CypherQuery]:
    """Every named query of ``mode`` (``read``: what ``ictgraph query`` runs; ``write``: the
    statements ictgraph itself writes with; None: both), sorted by area and name."""
    found = (parse_query_file(p) for p in directory.rglob("*.cypher"))
    return sorted((q for q in found if mode is None or q.mode == mode), key=lambda q: (q.area, q.name))


def find_query(name: str, directory: Path = CYPHER_DIR, mode: str | None = "read") -> CypherQuery:
    queries = {q.name: q for q in list_queries(directory, mode)}
    if name not in queries:
        import difflib
        close = difflib.get_close_matches(name, sorted(queries), n=3)
        raise UsageError(f'no query named "{name}"',
                         f"did you mean {', '.join(close)}?" if close else "list them with `ictgraph query --list`")
    return queries[name]


def _coerce(param: QueryParam, text: str) -> Any:
    try:
        if param.type == "int":
            return int(text)
        if param.type == "float":
            return float(text)
        if param.type == "date":
            return dt.date.fromisoformat(text)
        if param.type == "bool":
            if text.lower() not in ("true", "false"):
                raise ValueError(text)
            return text.lower() == "true"
        if param.type == "list":
            return [v.strip() for v in text.split(",") if v.strip()]
        return text
    except ValueError:
        raise UsageError(f'parameter "{param.name}" must be a {param.type}, got {text!r}',
                         "dates are YYYY-MM-DD; lists are comma-separated") from None


def bind_params(query: CypherQuery, given: dict[str, str]) -> dict[str, Any]:
    """Typed parameter values from ``key=value`` text; every declared parameter is required."""
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        raise UsageError(f'query "{query.name}" has no parameter "{unknown[0]}"',
                         f"its parameters: {', '.join(declared) or 'none'}")
    missing = [p.name for p in query.params if p.name not in given]
    if missing:
        raise UsageError(f'query "{query.name}" needs --param {missing[0]}=...',
                         f"{missing[0]}: {declared[missing[0]].meaning}")
    return {name: _coerce(declared[name], value) for name, value in given.items()}


def parse_param_pairs(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        if "=" not in pair:
            raise UsageError(f"--param {pair!r} is not key=value", "write --param capability=council-tax")
        key, value = pair.split("=", 1)
        out[key.strip()] = value
    return out
