"""Step 2a: check each document's outline and pull out its items. Pure."""
from __future__ import annotations

import difflib
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from ictgraph.graph_loader.located import LocatedList, LocatedMap, location_of
from ictgraph.graph_loader.model import Location, Problem
from ictgraph.graph_loader.parse import RawDocument
from ictgraph.graph_loader.schema import Schema, SectionSpec
from ictgraph.graph_loader.values import Invalid, check_scalar


@dataclass(frozen=True)
class Item:
    """One organisation, system, contract, catalogue entry, ... with its provenance."""

    section: SectionSpec
    data: LocatedMap
    owner: str | None
    currency: str
    version: str            # the document's `format:` version
    derived_id: str | None = None   # the local key of a section keyed by its fields (graph_loader/keys.py)

    @property
    def location(self) -> Location:
        return self.data.location

    @property
    def local_id(self) -> str | None:
        if self.section.key:
            return self.derived_id
        value = self.data.get("id")
        return value if isinstance(value, str) else None

    @property
    def key(self) -> str | None:
        """The global key: ``id`` for catalogue entries, ``OWNER/LOCAL`` for owned items."""
        if self.local_id is None:
            return None
        if self.section.scope in ("owned", "nested"):
            return f"{self.owner}/{self.local_id}" if self.owner else None
        return self.local_id


def closest(word: str, known: list[str], limit: int = 3) -> list[str]:
    """The known words closest to ``word``, for "did you mean" hints."""
    return difflib.get_close_matches(word, sorted(known), n=limit, cutoff=0.6)


def did_you_mean(word: str, known: list[str]) -> str | None:
    matches = closest(word, known)
    return f"did you mean {', '.join(repr(m) for m in matches)}?" if matches else None


def later_version_problem(where: Location, what: str, place: str, version: str, since: str) -> Problem:
    """A field or section that the document's format version does not know, but ``since`` does."""
    return Problem(where, f"unknown key {what} in {place}: format {version} does not have it, {since} does",
                   f"write `format: {since}` at the top of the document to use it")


def unknown_key_problems(mapping: LocatedMap, allowed: list[str], what: str,
                         skip: Collection[str] = ()) -> list[Problem]:
    """A problem for each key not ``allowed``, but for those in ``skip`` (reported otherwise)."""
    problems = []
    for key in mapping:
        if key not in allowed and key not in skip:
            hint = did_you_mean(str(key), allowed) or f"known keys: {', '.join(sorted(allowed))}"
            problems.append(Problem(mapping.where(key), f"unknown key {key!r} in {what}", hint))
    return problems


class _DocumentReader:
    def __init__(self, schema: Schema, document: RawDocument) -> None:
        self.schema = schema
        self.document = document
        self.problems: list[Problem] = []
        self.items: list[Item] = []
        self.version = ""

    def problem(self, where: Location, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(where, message, hint))

    def read(self) -> None:
        body = self.document.body
        if not isinstance(body, LocatedMap):
            kind = "a list" if isinstance(body, LocatedList) else f"the value {body!r}"
            self.problem(self.document.location, f"a document must be a mapping, not {kind}",
                         "start the document with `format: ictgraph/v1`")
            return
        if not self._format_ok(body):
            return
        self.version = body["format"]
        self._check_document_fields(body)
        currency = body.get("currency", self.schema.default_currency)
        if not isinstance(currency, str) or not self.schema.patterns["currency"].match(currency):
            self.problem(body.where("currency"), f"currency {currency!r} is not an ISO 4217 code",
                         "write a three-letter code such as GBP or EUR")
            currency = self.schema.default_currency
        self._read_kind(body, currency)

    def _check_document_fields(self, body: LocatedMap) -> None:
        """Fields beside `format:` and `currency:` (which are checked on their own): `notes:`."""
        for name, spec in self.schema.document_fields.items():
            if name in ("format", "currency") or body.get(name) is None:
                continue
            result = check_scalar(body[name], spec, self.schema)
            if isinstance(result, Invalid):
                self.problem(body.where(name), f"`{name}`: {result.message}", result.hint)

    def _format_ok(self, body: LocatedMap) -> bool:
        versions = self.schema.format_versions
        if "format" not in body:
            self.problem(body.location, "missing `format:`", f"start the document with `format: {versions[-1]}`")
            return False
        if body["format"] not in versions:
            self.problem(body.where("format"), f"unknown format {body['format']!r}",
                         f"this version of ictgraph reads {', '.join(versions)}")
            return False
        return True

    def _read_kind(self, body: LocatedMap, currency: str) -> None:
        inventory_key = "organisation"
        is_inventory, is_catalogue = inventory_key in body, "catalogue" in body
        if is_inventory == is_catalogue:
            what = "both `organisation:` and `catalogue:`" if is_inventory else "neither `organisation:` nor `catalogue:`"
            self.problem(body.location, f"the document has {what}",
                         "an inventory has `organisation:`, a catalogue has `catalogue:`; split them with `---`")
            return
        if is_inventory:
            self._read_inventory(body, currency)
        else:
            self._read_catalogue(body, currency)

    def _read_inventory(self, body: LocatedMap, currency: str) -> None:
        sections = self._in_version(body, self.schema.top_level_sections("inventory"), "an inventory document")
        allowed = list(self.schema.document_fields) + list(sections)
        self.problems += unknown_key_problems(body, allowed, "an inventory document",
                                              skip=self.schema.top_level_sections("inventory"))
        organisation = body["organisation"]
        if not isinstance(organisation, LocatedMap):
            self.problem(body.where("organisation"), "`organisation:` must be a mapping",
                         "write `organisation: {id: E06000047, ...}`")
            return
        self.items.append(Item(sections["organisation"], organisation, None, currency, self.version))
        owner = organisation.get("id") if isinstance(organisation.get("id"), str) else None
        for key, section in sections.items():
            if key != "organisation" and key in body:
                self._read_list(body, key, section, owner, currency)

    def _read_catalogue(self, body: LocatedMap, currency: str) -> None:
        self.problems += unknown_key_problems(body, list(self.schema.document_fields) + ["catalogue"],
                                              "a catalogue document")
        catalogue = body["catalogue"]
        if not isinstance(catalogue, LocatedMap):
            self.problem(body.where("catalogue"), "`catalogue:` must be a mapping of sections")
            return
        sections = self._in_version(catalogue, self.schema.top_level_sections("catalogue"), "the catalogue")
        self.problems += unknown_key_problems(catalogue, list(sections), "the catalogue",
                                              skip=self.schema.top_level_sections("catalogue"))
        for key, section in sections.items():
            if key in catalogue:
                self._read_list(catalogue, key, section, None, currency)

    def _in_version(self, body: LocatedMap, sections: dict[str, SectionSpec], what: str) -> dict[str, SectionSpec]:
        """The sections this document's version knows; one given from a later version is an error
        naming that version (and is not read further)."""
        known = {k: s for k, s in sections.items() if self.schema.knows(self.version, s.since)}
        for key in sorted(body.keys() & (sections.keys() - known.keys())):
            self.problems.append(later_version_problem(body.where(key), repr(key), what, self.version,
                                                       sections[key].since or ""))
        return known

    def _read_list(self, parent: LocatedMap, key: str, section: SectionSpec,
                   owner: str | None, currency: str) -> None:
        entries = parent[key]
        if entries is None:
            return
        if not isinstance(entries, LocatedList):
            self.problem(parent.where(key), f"`{key}:` must be a list", f"write each entry as `- id: ...` under `{key}:`")
            return
        for index, entry in enumerate(entries):
            if not isinstance(entry, LocatedMap):
                self.problem(entries.where(index), f"each entry of `{key}:` must be a mapping, not {entry!r}")
                continue
            self.items.append(Item(section, entry, owner, currency, self.version))
            self._read_nested(entry, section, currency)

    def _read_nested(self, entry: LocatedMap, section: SectionSpec, currency: str) -> None:
        for name, spec in section.fields.items():
            if spec.type == "section" and name in entry and spec.section and self.schema.knows(self.version, spec.since):
                owner = entry.get("id") if isinstance(entry.get("id"), str) else None
                self._read_list(entry, name, self.schema.sections[spec.section], owner, currency)


def collect_items(schema: Schema, documents: list[RawDocument]) -> tuple[list[Item], list[Problem]]:
    """Every item of every document, and the problems of the documents' outlines."""
    items: list[Item] = []
    problems: list[Problem] = []
    for document in documents:
        reader = _DocumentReader(schema, document)
        reader.read()
        items += reader.items
        problems += reader.problems
    return items, problems


def value_location(item: Item, name: str) -> Location:
    """Where a field's value stands, for messages about it."""
    return item.data.where(name) if name in item.data else location_of(item.data, item.location)


def field_value(item: Item, name: str) -> Any:
    return item.data.get(name)
