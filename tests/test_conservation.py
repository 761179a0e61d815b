"""Conservation: every item of a valid estate is in the graph, once, and nothing else is.

The expected graph is computed here from the YAML alone (``yaml.safe_load_all``, the pure
Python reader, not the loader's), following the inventory-format spec: one node per
distinct item of each section (identical duplicates once), organisations with an inventory
or named in ``neighbours``, ``parties`` or partnership ``members``/``lead``, and every
relationship the spec lists (a v1.1 service level keyed ``ORG/MEASURE/PERIOD``, the measure's
canonical id and the financial year or the date); ``people`` become ``HAS_SKILL {fte}`` (summed per skill) and
the ``ict_roles`` / ``ict_role_fte`` of the organisation. Then nodes and relationships
of the built graph must be exactly those: counted per label, and compared element by
element."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import yaml
from hypothesis import given

from ictgraph.graph_loader import build_graph, rows_from_files
from ictgraph.graph_loader.sources import read_estate_files
from tests.estates import ROOT, spec_examples
from tests.strategies import Estate, estates
from tests.test_fuzz import FUZZ

AWKWARD = ROOT / "tests" / "awkward_estates"
OWNED = {"systems": "System", "contracts": "Contract", "datacentres": "DataCentre", "networks": "Network",
         "policies": "Policy", "procurement_plans": "ProcurementPlan"}
OWNER_EDGE = {"System": "RUNS", "Contract": "HOLDS", "DataCentre": "OPERATES", "Network": "CONNECTS_TO",
              "Policy": "ADOPTS", "ProcurementPlan": "PLANS", "ServiceLevel": "REPORTS"}
CATALOGUE = {"vendors": "Vendor", "products": "Product", "capabilities": "Capability", "skills": "Skill",
             "partnerships": "Partnership", "measures": "Measure"}
NAMED = ("Vendor", "Product", "Capability", "Skill", "Measure")   # referred to by id, name or alias
COUNCIL_TYPES = {"unitary", "county", "district", "metropolitan", "london-borough", "welsh-principal",
                 "scottish", "ni-district"}
# (label, field) -> (relationship, target label, reversed): the spec's relationships, plus the
# refinements schema.yaml documents (PARTY_TO, PROVIDED_BY, LED_BY); a v1.1 contract's
# `capabilities` are FOR.
REFERENCES = {
    "System": [("product", "INSTANCE_OF", "Product", False), ("host", "HOSTED_BY", "System", False),
               ("capabilities", "SUPPORTS", "Capability", False), ("datacentre", "HOSTED_IN", "DataCentre", False),
               ("integrates_with", "INTEGRATES_WITH", "System", False)],
    "Contract": [("supplier", "WITH", "Vendor", False), ("covers", "COVERS", "System", False),
                 ("parties", "PARTY_TO", "Organisation", True), ("capabilities", "FOR", "Capability", False)],
    "Network": [("provider", "PROVIDED_BY", "Vendor", False)],
    "ProcurementPlan": [("capabilities", "FOR", "Capability", False)],
    "Product": [("vendor", "MADE_BY", "Vendor", False), ("requires_skills", "REQUIRES", "Skill", False)],
    "Capability": [("parent", "PART_OF", "Capability", False)],
    "Partnership": [("members", "MEMBER_OF", "Organisation", True), ("lead", "LED_BY", "Organisation", False),
                    ("capabilities", "COVERS", "Capability", False)],
    "Organisation": [("neighbours", "NEIGHBOURS", "Organisation", False)],
    "Measure": [("capability", "OF", "Capability", False)],
    "ServiceLevel": [("measure", "OF", "Measure", False)],
}
Key = tuple[str, str]
_FOLD = re.compile(r"[\s_-]+")


def fold(text: str) -> str:
    return _FOLD.sub(" ", text.strip().casefold())


@dataclass(frozen=True)
class YamlItem:
    """One item as the YAML writes it: its node key, its owner and its mapping."""

    label: str
    key: str
    owner: str | None
    data: dict[str, Any]


def yaml_documents(files: list[tuple[str, bytes]]) -> Iterator[dict[str, Any]]:
    for _, data in files:
        yield from (d for d in yaml.safe_load_all(data.decode("utf-8-sig")) if d is not None)


def yaml_items(files: list[tuple[str, bytes]]) -> list[YamlItem]:
    """Every item of every document (duplicates included), organisations first."""
    items = []
    for document in yaml_documents(files):
        if "organisation" in document:
            org = document["organisation"]["id"]
            items.append(YamlItem("Organisation", org, None, document["organisation"]))
            items += [YamlItem(OWNED[s], f"{org}/{e['id']}", org, e)
                      for s in OWNED for e in document.get(s) or []]
            items += [YamlItem("Person", "", org, e) for e in document.get("people") or []]
            items += [YamlItem("ServiceLevel", "", org, e) for e in document.get("service_levels") or []]
        for section, label in CATALOGUE.items():
            for entry in (document.get("catalogue") or {}).get(section) or []:
                items.append(YamlItem(label, entry["id"], None, entry))
                items += [YamlItem("Objective", f"{entry['id']}/{o['id']}", entry["id"], o)
                          for o in entry.get("objectives") or []]
    return items


@dataclass
class ExpectedGraph:
    nodes: set[Key] = field(default_factory=set)
    edges: set[tuple[str, Key, Key]] = field(default_factory=set)
    skills: dict[tuple[str, str], float] = field(default_factory=lambda: defaultdict(float))
    roles: dict[str, dict[str, float]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(float)))
    councils: set[str] = field(default_factory=set)


class _Resolver:
    """References as the spec defines them: catalogue ids, names and aliases folded; bare
    local ids in the referring organisation; ``ORG/LOCAL`` as written; organisations as written."""

    def __init__(self, items: list[YamlItem]) -> None:
        self.folded: dict[tuple[str, str], str] = {}
        for item in items:
            if item.label in NAMED:
                for word in [item.key, item.data["name"], *(item.data.get("aliases") or [])]:
                    self.folded[(item.label, fold(word))] = item.key

    def __call__(self, label: str, text: str, owner: str | None) -> str:
        if label in NAMED:
            return self.folded[(label, fold(text))]
        if label == "Organisation" or "/" in text:
            return text
        return f"{owner}/{text}"


def _service_level_key(item: YamlItem, resolve: _Resolver) -> YamlItem:
    """A service level has no id: its key is ORG/MEASURE/PERIOD."""
    period = item.data.get("financial_year") or item.data["date"]
    return YamlItem(item.label, f"{item.owner}/{resolve('Measure', item.data['measure'], None)}/{period}",
                    item.owner, item.data)


def expected_graph(files: list[tuple[str, bytes]]) -> ExpectedGraph:
    items = yaml_items(files)
    resolve, expected = _Resolver(items), ExpectedGraph()
    items = [_service_level_key(i, resolve) if i.label == "ServiceLevel" else i for i in items]
    for item in items:
        if item.label == "Person":
            if item.data.get("skill") is not None:
                expected.skills[(item.owner or "", resolve("Skill", item.data["skill"], None))] += item.data["fte"]
            else:
                expected.roles[item.owner or ""][item.data["role"]] += item.data["fte"]
            continue
        own = (item.label, item.key)
        expected.nodes.add(own)
        if item.label in OWNER_EDGE:
            expected.edges.add((OWNER_EDGE[item.label], ("Organisation", item.owner or ""), own))
        if item.label == "Objective":
            expected.edges.add(("PURSUES", ("Partnership", item.owner or ""), own))
        if item.label == "Organisation" and item.data.get("type") in COUNCIL_TYPES:
            expected.councils.add(item.key)
        for name, relationship, target, backwards in REFERENCES.get(item.label, []):
            value = item.data.get(name)
            for text in (value if isinstance(value, list) else [] if value is None else [value]):
                other = (target, resolve(target, text, item.owner))
                expected.edges.add((relationship, other, own) if backwards else (relationship, own, other))
    for org, skill in expected.skills:
        expected.edges.add(("HAS_SKILL", ("Organisation", org), ("Skill", skill)))
    for _, start, end in list(expected.edges):
        expected.nodes.update(k for k in (start, end) if k[0] == "Organisation")
    return expected


def assert_conserved(files: list[tuple[str, bytes]]) -> nx.MultiDiGraph:
    """The graph of ``files`` has exactly the expected nodes, relationships, skills and roles."""
    expected = expected_graph(files)
    graph = build_graph(*rows_from_files(files))
    assert Counter(label for label, _ in graph.nodes) == Counter(label for label, _ in expected.nodes)
    assert set(graph.nodes) == expected.nodes
    edges = [(kind, u, v) for u, v, kind in graph.edges(keys=True)]
    assert Counter(kind for kind, _, _ in edges) == Counter(kind for kind, _, _ in expected.edges)
    assert len(edges) == len(set(edges)) and set(edges) == expected.edges
    for (org, skill), fte in expected.skills.items():
        assert graph.edges[("Organisation", org), ("Skill", skill), "HAS_SKILL"]["fte"] == pytest.approx(fte)
    for label, key in expected.nodes:
        attrs = graph.nodes[(label, key)]
        if label == "Organisation":
            roles = expected.roles.get(key, {})
            assert attrs.get("ict_roles", []) == sorted(roles)
            assert attrs.get("ict_role_fte", []) == pytest.approx([roles[r] for r in sorted(roles)])
            assert ("Council" in attrs["labels"]) == (key in expected.councils)
    return graph


def estate_files(path: Path) -> list[tuple[str, bytes]]:
    paths = sorted(path.rglob("*.yaml")) if path.is_dir() else [path]
    return [(p.relative_to(path if path.is_dir() else path.parent).as_posix(), p.read_bytes()) for p in paths]


def test_the_sample_estate_is_conserved() -> None:
    graph = assert_conserved(read_estate_files([ROOT / "fixtures" / "sample"]))
    assert graph.number_of_nodes() > 500  # a real check of a real estate, not of an empty one


@pytest.mark.parametrize("estate", ["valid/minimal.yaml", "valid/identical_duplicate", "valid/contract_by_capability.yaml"])
def test_the_valid_fixtures_are_conserved(estate: str) -> None:
    assert_conserved(estate_files(ROOT / "fixtures" / estate))


def test_the_spec_examples_are_conserved() -> None:
    assert_conserved(spec_examples())


def test_the_spec_examples_with_the_v1_1_contract_by_capability_are_conserved() -> None:
    contract = [f for f in spec_examples("v1.1") if f[0] == "spec-example-3.yaml"]
    graph = assert_conserved(spec_examples() + contract)
    assert ("Capability", "council-tax") in graph[("Contract", "E07000117/ocds-b5fd17-2f0e1c")]


@pytest.mark.parametrize("estate", sorted(p.name for p in AWKWARD.iterdir() if not p.name.startswith(".")))
def test_each_awkward_estate_is_conserved(estate: str) -> None:
    assert_conserved(estate_files(AWKWARD / estate))


def test_identical_duplicates_count_once_and_people_add_up() -> None:
    graph = assert_conserved(estate_files(AWKWARD / "split_organisation"))
    assert [n for n in graph.nodes if n[0] == "System"] == [("System", "E06000047/revs")]
    durham = graph.nodes[("Organisation", "E06000047")]
    assert (durham["ict_roles"], durham["ict_role_fte"]) == (["architect"], [1.5])
    assert graph.edges[("Organisation", "E06000047"), ("Skill", "oracle-dba"), "HAS_SKILL"]["fte"] == 1.5


@FUZZ
@given(estates())
def test_generated_estates_are_conserved(estate: Estate) -> None:
    assert_conserved(estate.files())


def test_the_spec_examples_with_the_v1_1_service_levels_are_conserved() -> None:
    levels = [f for f in spec_examples("v1.1") if f[0] in ("spec-example-4.yaml", "spec-example-5.yaml")]
    graph = assert_conserved(spec_examples() + levels)
    assert graph.has_edge(("ServiceLevel", "E06000005/council-tax-collected-in-year/2024-03-31"),
                          ("Measure", "council-tax-collected-in-year"), "OF")
