"""Step 1: YAML bytes to located Python values. Pure: no file system access, no judgement
beyond what YAML itself requires (syntax, encoding, duplicate keys, alias expansion)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from graph_loader.located import LocatedList, LocatedMap
from graph_loader.model import Location, Problem

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_DEPTH = 64
# Alias expansion may visit at most this many nodes beyond the document's own: enough
# for any honest reuse of an anchor, far too few for the "billion laughs" pattern.
ALIAS_EXPANSION_ALLOWANCE = 100_000


@dataclass(frozen=True)
class RawDocument:
    """One YAML document of one file, before any validation."""

    file: str
    index: int
    body: Any
    location: Location


@dataclass
class ParsedFile:
    file: str
    documents: list[RawDocument] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class _ParseFailure(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _location(name: str, node: Node) -> Location:
    return Location(name, node.start_mark.line + 1, node.start_mark.column + 1)


def _distinct_nodes(root: Node) -> int:
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, MappingNode):
            stack.extend(n for pair in node.value for n in pair)
    return len(seen)


class _Converter:
    """Turns one composed YAML node tree into LocatedMap / LocatedList / scalars."""

    def __init__(self, name: str, budget: int) -> None:
        self.name = name
        self.budget = budget
        self.constructor = SafeConstructor()

    def fail(self, node: Node, message: str, hint: str | None = None) -> _ParseFailure:
        return _ParseFailure(Problem(_location(self.name, node), message, hint))

    def convert(self, node: Node, depth: int = 0) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise self.fail(node, "too many alias expansions (a YAML alias bomb?)",
                            "inventories do not need YAML anchors and aliases; write the values out")
        if depth > MAX_DEPTH:
            raise self.fail(node, f"nesting deeper than {MAX_DEPTH} levels")
        if isinstance(node, MappingNode):
            return self.mapping(node, depth)
        if isinstance(node, SequenceNode):
            result = LocatedList(_location(self.name, node))
            for item in node.value:
                result.item_locations.append(_location(self.name, item))
                result.append(self.convert(item, depth + 1))
            return result
        return self.scalar(node)

    def scalar(self, node: Node) -> Any:
        try:
            return self.constructor.construct_object(node, deep=True)
        except (ConstructorError, ValueError, OverflowError) as exc:
            problem = getattr(exc, "problem", None) or str(exc)
            raise self.fail(node, f"cannot read the value {node.value!r}: {problem}") from exc

    def mapping(self, node: MappingNode, depth: int) -> LocatedMap:
        self.constructor.flatten_mapping(node)
        result = LocatedMap(_location(self.name, node))
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise self.fail(key_node, "a mapping key must be a plain value")
            key = self.scalar(key_node)
            if key in result:
                first = result.key_locations[key]
                raise self.fail(key_node, f"duplicate key {key!r} (first at line {first.line})",
                                "a key may appear once in a mapping; merge the two entries")
            result.key_locations[key] = _location(self.name, key_node)
            result[key] = self.convert(value_node, depth + 1)
        return result


def _decode(name: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise _ParseFailure(Problem(
            Location(name, line, column), f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            "save the file as UTF-8; names keep their spelling (Ynys Môn) in UTF-8")) from exc


def _yaml_problem(name: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    where = Location(name, mark.line + 1, mark.column + 1) if mark else Location(name)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"YAML syntax error: {problem}" + (f" ({context})" if context else "")
    hint = "YAML indents with spaces, not tabs" if "\t" in str(problem) or "tab" in str(problem) else None
    return Problem(where, message, hint)


def parse_file(name: str, data: bytes) -> ParsedFile:
    """Parse every YAML document of one file, keeping line and column of each value."""
    parsed = ParsedFile(name)
    try:
        text = _decode(name, data)
        for index, node in enumerate(yaml.compose_all(text, Loader=_Loader)):
            if node is None:
                continue
            converter = _Converter(name, _distinct_nodes(node) + ALIAS_EXPANSION_ALLOWANCE)
            body = converter.convert(node)
            parsed.documents.append(RawDocument(name, index, body, _location(name, node)))
    except _ParseFailure as failure:
        parsed.problems.append(failure.problem)
    except yaml.YAMLError as exc:
        parsed.problems.append(_yaml_problem(name, exc))
    except RecursionError:
        parsed.problems.append(Problem(Location(name), f"nesting deeper than {MAX_DEPTH} levels"))
    if not parsed.documents and not parsed.problems:
        parsed.problems.append(Problem(Location(name, 1, 1), "the file is empty",
                                       "an inventory starts with `format: ictgraph/v1`"))
    return parsed
