"""Step 1: YAML bytes to located Python values. Pure: no file system access, no judgement
beyond what YAML itself requires (syntax, encoding, duplicate keys, alias expansion)."""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ictgraph.graph_loader.located import LocatedList, LocatedMap
from ictgraph.graph_loader.model import Location, Problem

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR_TAG = "tag:yaml.org,2002:str"


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The C loader, remembering how each plain scalar resolved: a profile of a national
    estate showed PyYAML's Python resolver as the largest cost of parsing, and keys and
    enumerated values repeat. The safe loader has no path resolvers, so the tag depends on
    nothing but (value, implicit)."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._resolved: dict[tuple[str, Any], str] = {}

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is not ScalarNode:
            return super().resolve(kind, value, implicit)
        key = (value, implicit)
        tag = self._resolved.get(key)
        if tag is None:
            tag = self._resolved[key] = super().resolve(kind, value, implicit)
        return tag
MAX_DEPTH = 64
# Alias expansion may visit at most this many nodes beyond the document's own: enough
# for any honest reuse of an anchor, far too few for the "billion laughs" pattern.
ALIAS_EXPANSION_ALLOWANCE = 100_000
# Line breaks as YAML counts them (its marks count lines this way, so must every location).
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
# A tag on a collection is otherwise ignored: `!!python/object/apply:os.system [x]` would
# silently read as the list [x], and `!!set` / `!!omap` as something else than was written.
_PLAIN_COLLECTION_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
_STARTS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_ENDS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


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


def _shown(text: str, limit: int = 60) -> str:
    """``text`` quoted for a message, cut short when long (a value may be megabytes)."""
    return repr(text) if len(text) <= limit else f"{text[:limit]!r}... ({len(text)} characters)"


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
        if not isinstance(node, ScalarNode) and node.tag not in _PLAIN_COLLECTION_TAGS:
            raise self.fail(node, f"cannot read a collection tagged {node.tag!r}",
                            "inventories use plain mappings and lists, without `!` tags")
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
        if node.tag == _STR_TAG and type(node) is ScalarNode:
            return node.value  # what SafeConstructor's construct_yaml_str returns, without its overhead
        try:
            return self.constructor.construct_object(node, deep=True)
        except Exception as exc:  # `!!bool x`, `!!timestamp x`, `!!float ''` raise
            # KeyError, AttributeError, IndexError: whatever the constructor trips on is unreadable
            reason = getattr(exc, "problem", None) or (
                str(exc) if isinstance(exc, ValueError) else f"it is not a valid {node.tag}")
            raise self.fail(node, f"cannot read the value {_shown(node.value)}: {reason}") from exc

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


def _position(name: str, before: str) -> Location:
    """The location just after ``before``, the text from the start of the file."""
    breaks = list(_LINE_BREAK.finditer(before))
    line_start = breaks[-1].end() if breaks else 0
    return Location(name, len(breaks) + 1, len(before) - line_start + 1)


def _decode(name: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        where = _position(name, data[: exc.start].decode("utf-8-sig"))
        raise _ParseFailure(Problem(
            where, f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            "save the file as UTF-8; names keep their spelling (Ynys Môn) in UTF-8")) from exc


def _reader_problem(name: str, text: str, exc: yaml.reader.ReaderError) -> Problem:
    """A character YAML refuses (a control character): located by finding its first occurrence,
    since the reader stops at the first one and its ``position`` counts bytes or characters."""
    character = exc.character if isinstance(exc.character, str) else chr(exc.character)
    offset = text.find(character)
    where = _position(name, text[:offset]) if offset >= 0 else Location(name)
    return Problem(where, f"the file contains the character U+{ord(character):04X}, which YAML does not allow",
                   "delete it; inside a double-quoted string it may be written as an escape such as \\x07")


def _yaml_problem(name: str, text: str, exc: yaml.YAMLError) -> Problem:
    if isinstance(exc, yaml.reader.ReaderError):
        return _reader_problem(name, text, exc)
    mark = getattr(exc, "problem_mark", None)
    where = Location(name, mark.line + 1, mark.column + 1) if mark else Location(name)
    problem = getattr(exc, "problem", None) or str(exc)
    if "maximum nesting depth" in str(problem):
        # PyYAML 6.0.4's libyaml stops deep nesting itself: say it the way older ones get it said.
        return Problem(where, f"nesting deeper than {MAX_DEPTH} levels")
    context = getattr(exc, "context", None)
    message = f"YAML syntax error: {problem}" + (f" ({context})" if context else "")
    lines = _LINE_BREAK.split(text)
    line = lines[mark.line] if mark and mark.line < len(lines) else ""
    indented_with_tab = "\t" in line[: len(line) - len(line.lstrip()) + 1]
    return Problem(where, message, "YAML indents with spaces, not tabs" if indented_with_tab else None)


def _nesting_problem(name: str, text: str) -> Problem | None:
    """A collection nested deeper than MAX_DEPTH, found in the event stream before composing:
    libyaml's composer recurses in C and overflows the stack (a segfault) on deep flow nesting."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, _STARTS):
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    where = Location(name, mark.line + 1, mark.column + 1) if mark else Location(name)
                    return Problem(where, f"nesting deeper than {MAX_DEPTH} levels")
                depth += 1
            elif isinstance(event, _ENDS):
                depth -= 1
    except yaml.YAMLError:
        pass  # composing meets the same error at the same place and reports it
    return None


def parse_file(name: str, data: bytes) -> ParsedFile:
    """Parse every YAML document of one file, keeping line and column of each value."""
    parsed = ParsedFile(name)
    text = ""
    try:
        text = _decode(name, data)
        too_deep = _nesting_problem(name, text)
        if too_deep:
            raise _ParseFailure(too_deep)
        for index, node in enumerate(yaml.compose_all(text, Loader=_Loader)):
            if node is None:
                continue
            # Without a `*` the text has no alias: every node is visited once and the budget is moot.
            budget = _distinct_nodes(node) + ALIAS_EXPANSION_ALLOWANCE if "*" in text else sys.maxsize
            converter = _Converter(name, budget)
            body = converter.convert(node)
            parsed.documents.append(RawDocument(name, index, body, _location(name, node)))
    except _ParseFailure as failure:
        parsed.problems.append(failure.problem)
    except yaml.YAMLError as exc:
        parsed.problems.append(_yaml_problem(name, text, exc))
    except RecursionError:
        parsed.problems.append(Problem(Location(name), f"nesting deeper than {MAX_DEPTH} levels"))
    if not parsed.documents and not parsed.problems:
        parsed.problems.append(Problem(Location(name, 1, 1), "the file is empty",
                                       "an inventory starts with `format: ictgraph/v1`"))
    return parsed
