"""Step 1, fast lane: read a plainly written file with yaml-rs, a Rust YAML parser about ten
times faster than PyYAML's C loader, and locate each item by a light scan of the text.

PyYAML stays the reference: it reads YAML 1.1, whose plain scalars resolve differently from
yaml-rs's YAML 1.2 (`yes`, `017`, `1e3`, `12:30`, a quoted date), and it gives exact line and
column for every message. So this lane only answers for a file it is sure it reads exactly as
:func:`graph_loader.parse.parse_file` would, and returns ``None`` otherwise; the caller then
reads that file the exact way. It is sure when the text has none of the constructs where the
two parsers part (tags, aliases, flow mappings, several documents, odd line breaks, tabs,
characters YAML forbids, number spellings YAML 1.1 reads otherwise) and every string it reads
would have resolved to a string in YAML 1.1 too. Item locations come from the scan and are
checked against the values: each entry line must name the entry's first key, and the text
must hold exactly as many entry lines as the lists hold mappings.

Only item locations are exact here: other containers carry their item's location. That is
all a valid estate shows (its nodes' ``source``); an estate with any problem is read again the
exact way (:func:`graph_loader.check_files`), so every message keeps its exact place. Pure."""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import yaml.resolver

from ictgraph.graph_loader.located import LocatedList, LocatedMap
from ictgraph.graph_loader.model import Location
from ictgraph.graph_loader.parse import MAX_DEPTH, ParsedFile, RawDocument

try:  # an optional speed-up: without it every file is read the exact way
    import yaml_rs
except ImportError:  # pragma: no cover - yaml-rs is a dependency; this keeps a broken install working
    yaml_rs = None

# Text in which the two parsers may part, or which the scan cannot locate: tags, aliases,
# flow mappings, CR or Unicode line breaks, tabs; and (below) document markers, directives.
_UNSURE_CHARACTERS = re.compile("[!*{\t\r\x85\u2028\u2029]")
_DOCUMENT_MARKERS = ("\n---", "\n...", "\n%")
# Characters YAML refuses (PyYAML's reader names them; yaml-rs may accept some).
_NON_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")
# In a text of ASCII characters, what the lane reads: a line break and the printable characters
# but `!`, `*` and `{`. Deleting these from its bytes leaves nothing, or a character one of the
# two patterns above would find (a tab, a CR, a control character, `!`, `*`, `{`).
_PLAIN_ASCII = bytes(sorted((set(range(0x20, 0x7F)) - set(b"!*{")) | {0x0A}))
# A whole plain scalar spelled as a number YAML 1.1 reads otherwise than YAML 1.2: leading
# zeros (1.1: octal), `0o` (1.1: a string), an exponent without a dot or sign (1.1: a string),
# a leading dot; found where a scalar may start (after a space, `[`, `,` or a line break). Only
# whether there is one counts, so the pattern starts with the scalar's first character (the
# search then skips ahead in C) and looks behind it for the character before and at it for
# the branch: `[-+]?(?:0[0-9_o]|[0-9][0-9_]*(?:\.[0-9_]*)?[eE]|\.[0-9])`, then the rest.
_NUMBER_START = r"(?:0[0-9_o]|[0-9][0-9_]*(?:\.[0-9_]*)?[eE]|\.[0-9])"
_UNSURE_NUMBER = re.compile(
    r"[-+.0-9](?<=[,\[\n ].)"
    r"(?:(?<=[-+])" + _NUMBER_START + r"|(?<=0)[0-9_o]|(?<=[0-9])[0-9_]*(?:\.[0-9_]*)?[eE]|(?<=\.)[0-9])"
    r"[0-9A-Za-z_.:+-]*(?=[ ]*(?:[\n,\]#]|$))")
# A quoted date: yaml-rs makes it a date, YAML 1.1 leaves it a string.
_QUOTED_DATE = re.compile("['\"][0-9]{4}-")
# A block sequence entry that starts a mapping: `- key:` with a plain or simply quoted key.
_ENTRY = re.compile(r"^( *)- +(?!- )([^\s#'\"][^\n]*?|'[^'\n]*'|\"[^\"\n]*\"):(?: |$)", re.M)
_ORGANISATION = re.compile(r"^organisation:[ ]*(?:#[^\n]*)?\n(?:[ ]*(?:#[^\n]*)?\n)*( +)([^\s#][^\n]*?):(?: |$)", re.M)
# YAML 1.1's implicit resolvers, by first character, as PyYAML's safe loader uses them.
_RESOLVERS = yaml.resolver.Resolver.yaml_implicit_resolvers
_RESOLVED_FIRST = frozenset(_RESOLVERS)
_PLAIN_TYPES = (int, float, bool, type(None), date)


class _Unsure(Exception):
    """This lane cannot vouch for the file: read it the exact way."""


def _resolves_in_yaml11(text: str) -> bool:
    """Whether ``text``, written plain, would have been something else than a string in YAML 1.1."""
    return text[:1] in _RESOLVED_FIRST and any(pattern.match(text) for _, pattern in _RESOLVERS[text[:1]])


class _Walk:
    """Turns yaml-rs's values into located containers, in document order, checking each
    scalar and locating each mapping that stands in a list from the scanned entry lines."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.text = text
        self.entries: Iterator[re.Match[str]] = _ENTRY.finditer(text)
        self.line, self.offset = 1, 0
        self.safe: set[Any] = set()  # scalars already checked

    def location_at(self, offset: int) -> Location:
        self.line += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return Location(self.name, self.line, offset - self.text.rfind("\n", 0, offset))

    def entry_location(self, mapping: dict[Any, Any]) -> Location:
        match = next(self.entries, None)
        first_key = next(iter(mapping), None)
        if match is None or match.group(2) != first_key:
            raise _Unsure
        return self.location_at(match.start(2))

    def always_quoted(self, value: str) -> bool:
        """Whether every occurrence of ``value`` in the text is quoted (a version "2025.1"); an
        occurrence inside a longer word or number (7.2 in 77.2) is not one."""
        quoted = self.text.count(f'"{value}"') + self.text.count(f"'{value}'")
        return quoted > 0 and quoted == len(re.findall(rf"(?<![\w.+-]){re.escape(value)}(?![\w.+-])", self.text))

    def organisation_location(self, mapping: dict[Any, Any]) -> Location:
        match = _ORGANISATION.search(self.text, self.offset)
        if match is None or match.group(2) != next(iter(mapping), None):
            raise _Unsure
        return self.location_at(match.start(2))

    def check_scalar(self, value: Any) -> None:
        """Raise unless YAML 1.1 reads ``value`` as yaml-rs did (a string stays a string)."""
        kind = type(value)
        if kind is str:
            if _resolves_in_yaml11(value) and not self.always_quoted(value):
                raise _Unsure
        elif kind not in _PLAIN_TYPES:  # a datetime or a time: YAML 1.1 reads those otherwise
            raise _Unsure
        self.safe.add(value)

    # The two walks below inline the scalar check: they visit every value of the estate.
    def mapping(self, mapping: dict[Any, Any], where: Location, depth: int) -> LocatedMap:
        if depth > MAX_DEPTH:
            raise _Unsure
        result, safe = LocatedMap(where), self.safe
        result.update(mapping)
        for key, item in mapping.items():
            if key not in safe:
                self.check_scalar(key)
            kind = type(item)
            if kind is dict:
                inner = self.organisation_location(item) if depth == 0 and key == "organisation" else where
                result[key] = self.mapping(item, inner, depth + 1)
            elif kind is list:
                result[key] = self.sequence(item, where, depth + 1)
            elif item not in safe:
                self.check_scalar(item)
        return result

    def sequence(self, items: list[Any], where: Location, depth: int) -> LocatedList:
        if depth > MAX_DEPTH:
            raise _Unsure
        result, safe = LocatedList(where), self.safe
        for item in items:
            kind = type(item)
            if kind is dict:
                item = self.mapping(item, self.entry_location(item), depth + 1)
            elif kind is list:
                item = self.sequence(item, where, depth + 1)
            elif item not in safe:
                self.check_scalar(item)
            result.append(item)
        return result

    def finish(self) -> None:
        """Every entry line of the text must have been matched to a mapping of a list."""
        if next(self.entries, None) is not None:
            raise _Unsure


def _plain_enough(text: str) -> bool:
    if text.startswith(("---", "...", "%")) or any(marker in text for marker in _DOCUMENT_MARKERS):
        return False
    if text.isascii():  # the usual case: one pass in C over the bytes for the characters
        if text.encode("ascii").translate(None, _PLAIN_ASCII):
            return False
        return not any(pattern.search(text) for pattern in (_QUOTED_DATE, _UNSURE_NUMBER))
    return not any(pattern.search(text) for pattern in (_UNSURE_CHARACTERS, _NON_PRINTABLE, _QUOTED_DATE, _UNSURE_NUMBER))


def quick_parse_file(name: str, data: bytes) -> ParsedFile | None:
    """The file read as :func:`graph_loader.parse.parse_file` would read it, or ``None`` where
    this lane cannot be sure of that."""
    if yaml_rs is None:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if not _plain_enough(text):
        return None
    try:
        body = yaml_rs.loads(text, parse_datetime=True)
    except Exception:  # noqa: BLE001 - any refusal is for the exact reader to explain
        return None
    if type(body) is not dict or not body:
        return None
    walk = _Walk(name, text)
    try:
        located = walk.mapping(body, Location(name, 1, 1), 0)
        walk.finish()
    except (_Unsure, RecursionError):
        return None
    return ParsedFile(name, [RawDocument(name, 0, located, located.location)])
