"""``export``: GraphML, neo4j-admin CSVs and ArchiMate OEF, each parsed back and checked by structure."""
from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from ictgraph.cli import app
from ictgraph.graph_loader import EdgeRow, NodeRow, load_rows
from ictgraph.graph_loader.exports.admin_csv import admin_csv_files
from ictgraph.graph_loader.exports.archimate import ELEMENT_TYPES, NS, XSI, archimate_tree
from ictgraph.graph_loader.exports.graphml import graphml_graph
from tests.estates import ROOT

SAMPLE = ROOT / "fixtures" / "sample"
Q = f"{{{NS}}}"


@pytest.fixture(scope="module")
def rows() -> tuple[list[NodeRow], list[EdgeRow]]:
    (nodes, edges), _ = load_rows([SAMPLE])
    return nodes, edges


def test_graphml_reads_back_with_every_node_and_edge(rows: tuple[list[NodeRow], list[EdgeRow]], tmp_path: Path) -> None:
    nodes, edges = rows
    nx.write_graphml(graphml_graph(nodes, edges), tmp_path / "g.graphml")
    back = nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True)
    assert (back.number_of_nodes(), back.number_of_edges()) == (len(nodes), len(edges))
    durham = back.nodes["Organisation:E06000047"]
    assert durham["label"] == "Durham County Council" and durham["labels"] == "Organisation:Council"
    assert durham["key"] == "E06000047" and isinstance(durham["population"], int)
    contract = next(d for n, d in back.nodes(data=True) if n.startswith("Contract:"))
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", contract["end_date"])   # dates as ISO text
    assert Counter(d["type"] for *_, d in back.edges(data=True)) == Counter(e.type for e in edges)


def test_graphml_is_plain_graphml(rows: tuple[list[NodeRow], list[EdgeRow]], tmp_path: Path) -> None:
    nx.write_graphml(graphml_graph(*rows), tmp_path / "g.graphml")
    root = ET.parse(tmp_path / "g.graphml").getroot()
    assert root.tag == "{http://graphml.graphdrawing.org/xmlns}graphml"
    names = [k.get("attr.name") for k in root.iter("{http://graphml.graphdrawing.org/xmlns}key") if k.get("for") == "node"]
    assert len(names) == len(set(names)) and "label" in names     # one type per attribute


def read_csv(text: str) -> tuple[list[str], list[list[str]]]:
    header, *body = list(csv.reader(text.splitlines()))
    return header, body


def test_admin_csv_layout(rows: tuple[list[NodeRow], list[EdgeRow]]) -> None:
    nodes, edges = rows
    files = admin_csv_files(nodes, edges)
    ids: dict[str, set[str]] = {}
    for name, text in files.items():
        header, body = read_csv(text)
        if name.startswith("nodes_"):
            label = name.removeprefix("nodes_").removesuffix(".csv")
            assert header[0] == f"id:ID({label})" and header[-1] == ":LABEL"
            assert all(re.fullmatch(r"[a-z_]+:(string|long|double|boolean|date)(\[\])?", h) for h in header[1:-1])
            ids[label] = {r[0] for r in body}
    for name, text in files.items():
        if name.startswith("relationships_"):
            header, body = read_csv(text)
            start, end = (re.fullmatch(r":(?:START|END)_ID\((\w+)\)", h).group(1) for h in header[:2])  # type: ignore[union-attr]
            assert header[2] == ":TYPE"
            assert all(r[0] in ids[start] and r[1] in ids[end] for r in body), name
    assert sum(len(v) for v in ids.values()) == len(nodes)
    assert sum(len(read_csv(t)[1]) for n, t in files.items() if n.startswith("relationships_")) == len(edges)


def test_admin_csv_types(rows: tuple[list[NodeRow], list[EdgeRow]]) -> None:
    header, body = read_csv(admin_csv_files(*rows)["nodes_Contract.csv"])
    assert {"start_date:date", "end_date:date", "parties:string[]"} <= set(header)
    header, body = read_csv(admin_csv_files(*rows)["nodes_Organisation.csv"])
    durham = dict(zip(header, next(r for r in body if r[0] == "E06000047")))
    assert durham[":LABEL"] == "Organisation;Council" and durham["population:long"].isdigit()


def test_archimate_structure(rows: tuple[list[NodeRow], list[EdgeRow]]) -> None:
    nodes, edges = rows
    model = archimate_tree(nodes, edges).getroot()
    assert model.tag == f"{Q}model"
    assert [c.tag.removeprefix(Q) for c in model] == ["name", "documentation", "elements", "relationships",
                                                      "organizations", "propertyDefinitions"]
    elements = model.findall(f"{Q}elements/{Q}element")
    relationships = model.findall(f"{Q}relationships/{Q}relationship")
    ids = [e.get("identifier") for e in elements + relationships]
    assert len(ids) == len(set(ids)) == len(nodes) + len(edges)
    assert all(re.fullmatch(r"[A-Za-z_][\w.-]*", i or "") for i in ids)       # xs:ID
    kinds = Counter(e.get(f"{{{XSI}}}type") for e in elements)
    assert kinds["ApplicationComponent"] == sum(1 for n in nodes if n.label == "System")
    assert kinds["BusinessActor"] == sum(1 for n in nodes if n.label in ("Organisation", "Vendor"))
    assert set(kinds) <= set(ELEMENT_TYPES.values())
    element_ids = {e.get("identifier") for e in elements}
    assert all(r.get("source") in element_ids and r.get("target") in element_ids for r in relationships)


def test_archimate_relationships_and_references(rows: tuple[list[NodeRow], list[EdgeRow]]) -> None:
    nodes, edges = rows
    model = archimate_tree(nodes, edges).getroot()
    relationships = model.findall(f"{Q}relationships/{Q}relationship")
    kinds = Counter(r.get(f"{{{XSI}}}type") for r in relationships)
    assert kinds["Realization"] == sum(1 for e in edges if e.type == "SUPPORTS")
    assert kinds["Composition"] == sum(1 for e in edges if e.type == "PART_OF")
    assert kinds["Serving"] == sum(1 for e in edges if e.type == "RUNS")
    referenced = {i.get("identifierRef") for i in model.iter(f"{Q}item") if i.get("identifierRef")}
    assert referenced == {x.get("identifier") for x in model.iter() if x.tag in (f"{Q}element", f"{Q}relationship")}
    definitions = {d.get("identifier") for d in model.iter(f"{Q}propertyDefinition")}
    assert {p.get("propertyDefinitionRef") for p in model.iter(f"{Q}property")} == definitions


@pytest.mark.parametrize(("fmt", "target"), [("graphml", "estate.graphml"), ("archimate", "estate.xml"), ("csv", "csv")])
def test_the_command_writes_files_that_parse(runner: CliRunner, tmp_path: Path, fmt: str, target: str) -> None:
    result = runner.invoke(app, ["export", str(SAMPLE), "--format", fmt, "-o", str(tmp_path / target), "-q"])
    assert result.exit_code == 0, result.output
    if fmt == "csv":
        assert result.stdout.startswith(f"cd {tmp_path / target} && neo4j-admin database import full ")
        assert (tmp_path / target / "nodes_System.csv").is_file()
    elif fmt == "graphml":
        assert nx.read_graphml(tmp_path / target).number_of_nodes() > 1000
    else:
        assert ET.parse(tmp_path / target).getroot().tag == f"{Q}model"


def test_an_estate_with_errors_is_not_exported(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", str(ROOT / "fixtures" / "invalid" / "end_before_start.yaml"),
                                 "--format", "graphml", "-o", str(tmp_path / "x.graphml")])
    assert result.exit_code == 1 and not (tmp_path / "x.graphml").exists()


def test_csv_needs_a_new_directory(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "old.csv").write_text("x\n")
    result = runner.invoke(app, ["export", str(SAMPLE), "--format", "csv", "-o", str(tmp_path)])
    assert result.exit_code == 2 and "is not an empty directory" in result.stderr
