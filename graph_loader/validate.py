"""Step 2: every problem of an estate, at once, sorted by file and line. Pure."""
from __future__ import annotations

from dataclasses import dataclass

from ictgraph.graph_loader.collect import Item, collect_items
from ictgraph.graph_loader.fields import check_item_fields
from ictgraph.graph_loader.index import EstateIndex, build_index
from ictgraph.graph_loader.model import Problem
from ictgraph.graph_loader.parse import ParsedFile
from ictgraph.graph_loader.references import reference_problems
from ictgraph.graph_loader.rules import rule_problems
from ictgraph.graph_loader.schema import Schema


@dataclass(frozen=True)
class CheckedEstate:
    """The estate's items and index, with every problem found in them."""

    items: list[Item]
    index: EstateIndex
    problems: list[Problem]
    file_count: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


def validate_estate(schema: Schema, parsed: list[ParsedFile]) -> CheckedEstate:
    """Check the parsed files against the schema and each other; collect every problem."""
    problems: list[Problem] = [p for f in parsed for p in f.problems]
    documents = [d for f in parsed for d in f.documents]
    items, outline_problems = collect_items(schema, documents)
    problems += outline_problems
    index = build_index(schema, items)
    if index.keyed:  # field checks name the items keyed by their fields by that key
        items = [index.keyed.get(item.location, item) for item in items]
    for item in items:
        problems += check_item_fields(schema, item)
    problems += index.problems
    problems += reference_problems(index, items)
    problems += rule_problems(schema, index, items)
    return CheckedEstate(items, index, sorted(set(problems)), len(parsed))
