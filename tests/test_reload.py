"""Reloads that cost what changed: the content digest of each scope (the catalogue, each
organisation) lets a reload skip what the database already holds, and never a change."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import neo4j
import pytest

from ictgraph.graph_loader import load_into_neo4j, load_schema, rows_from_files
from ictgraph.graph_loader.connect import Neo4jSettings
from ictgraph.graph_loader.digest import files_digest
from ictgraph.graph_loader.model import EdgeRow, NodeKey
from ictgraph.graph_loader.write import LoadSummary, write_rows
from tests.estates import CATALOGUE, files
from tests.neo4j_fixture import wipe_database
from tests.neo4j_helpers import graph_digest, stored_graph, subgraph_of, write_files
from tests.test_write import BURNLEY, PENDLE

pytestmark = pytest.mark.neo4j

ESTATE = files(catalogue=CATALOGUE, burnley=BURNLEY, pendle=PENDLE)
RENAMED = files(catalogue=CATALOGUE, burnley=BURNLEY.replace("name: Revenues,", "name: Revenues and Benefits,"),
                pendle=PENDLE)
SCOPES = 3  # the catalogue, Burnley, Pendle


def fresh_digest(driver: neo4j.Driver, estate: list[tuple[str, bytes]]) -> str:
    """The whole graph (bookkeeping nodes included) after loading ``estate`` into an empty database."""
    wipe_database(driver)
    write_files(driver, estate)
    return graph_digest(driver)


def test_an_unchanged_reload_reads_back_no_scope_and_writes_nothing(clean_neo4j: neo4j.Driver) -> None:
    first = write_files(clean_neo4j, ESTATE)
    before = graph_digest(clean_neo4j)
    again = write_files(clean_neo4j, ESTATE)
    assert (first.scopes_diffed, first.scopes_skipped) == (SCOPES, 0)
    assert (again.scopes_diffed, again.scopes_skipped, again.units) == (0, SCOPES, 0)
    assert again.as_dict() == dict.fromkeys(again.as_dict(), 0) | {"nodes_unchanged": first.as_dict()["nodes_created"]}
    assert graph_digest(clean_neo4j) == before


def test_one_changed_organisation_is_the_only_scope_diffed_and_the_graph_equals_a_fresh_load(
        clean_neo4j: neo4j.Driver) -> None:
    write_files(clean_neo4j, ESTATE)
    summary = write_files(clean_neo4j, RENAMED)
    assert (summary.scopes_diffed, summary.scopes_skipped) == (1, SCOPES - 1)
    assert summary.as_dict()["nodes_updated"] == 1
    reloaded = graph_digest(clean_neo4j)
    assert reloaded == fresh_digest(clean_neo4j, RENAMED)


def test_an_organisation_left_out_of_the_estate_is_untouched_and_a_removed_item_removed(
        clean_neo4j: neo4j.Driver) -> None:
    write_files(clean_neo4j, ESTATE)
    pendle_before = subgraph_of(stored_graph(clean_neo4j), "E07000122")
    no_revs = BURNLEY.replace("  - {id: revs, name: Revenues, product: civica/openrevenues, capabilities: [council-tax], hosting: saas}\n", "")
    summary = write_files(clean_neo4j, files(catalogue=CATALOGUE, burnley=no_revs.replace("[revs, crm]", "[crm]")))
    assert (summary.scopes_diffed, summary.scopes_skipped, summary.as_dict()["nodes_removed"]) == (1, 1, 1)
    graph = stored_graph(clean_neo4j)
    assert ("System", "E07000117/revs") not in graph and subgraph_of(graph, "E07000122") == pendle_before


def test_a_database_changed_by_hand_is_repaired_by_a_full_load(clean_neo4j: neo4j.Driver) -> None:
    write_files(clean_neo4j, ESTATE)
    clean = graph_digest(clean_neo4j)
    clean_neo4j.execute_query("MATCH (s:System {id: 'E07000122/revs'}) SET s.name = 'edited by hand'")
    trusting = write_files(clean_neo4j, ESTATE)
    assert trusting.scopes_diffed == 0 and graph_digest(clean_neo4j) != clean   # the digests are trusted
    full = write_rows(clean_neo4j, load_schema(), *rows_from_files(ESTATE), full=True)
    assert (full.scopes_diffed, full.as_dict()["nodes_updated"]) == (SCOPES, 1)
    assert graph_digest(clean_neo4j) == clean


def test_a_changed_schema_makes_every_scope_differ(clean_neo4j: neo4j.Driver, tmp_path: Path) -> None:
    write_files(clean_neo4j, ESTATE)
    schema = load_schema()
    edited = tmp_path / "schema.yaml"
    edited.write_bytes(schema.source_path.read_bytes() + b"\n# a new version of the schema\n")
    summary = write_rows(clean_neo4j, dataclasses.replace(schema, source_path=edited), *rows_from_files(ESTATE))
    assert (summary.scopes_diffed, summary.scopes_skipped) == (SCOPES, 0)
    assert write_files(clean_neo4j, ESTATE).scopes_diffed == SCOPES   # and back again


def _with_hosting(crm: bool) -> tuple[list, list]:
    """Burnley and Pendle, Pendle's system hosted by Burnley's `crm`, which Burnley may no
    longer list (rows made by hand: the validator would refuse the reference)."""
    nodes, edges = rows_from_files(ESTATE)
    hosted = EdgeRow("HOSTED_BY", NodeKey("System", "E07000122/revs"), NodeKey("System", "E07000117/crm"))
    if not crm:
        nodes = [n for n in nodes if n.node_key != hosted.end]
        edges = [e for e in edges if hosted.end not in (e.start, e.end)]
    return nodes, edges + [hosted]


def test_a_skipped_scope_whose_relationship_a_deletion_took_is_diffed_after_all(clean_neo4j: neo4j.Driver) -> None:
    schema = load_schema()
    write_rows(clean_neo4j, schema, *_with_hosting(crm=True))
    summary: LoadSummary = write_rows(clean_neo4j, schema, *_with_hosting(crm=False))
    assert (summary.scopes_diffed, summary.scopes_skipped) == (2, 1)   # Burnley, then Pendle
    reloaded = graph_digest(clean_neo4j)
    wipe_database(clean_neo4j)
    write_rows(clean_neo4j, schema, *_with_hosting(crm=False))
    assert reloaded == graph_digest(clean_neo4j)


def _load_dir(uri: str, auth: tuple[str, str] | None, estate: Path, **options: bool) -> LoadSummary:
    password = auth[1] if auth else None
    return load_into_neo4j([estate], Neo4jSettings(uri=uri, user=auth[0] if auth else "neo4j", password=password),
                           **options)


def _estate_dir(tmp_path: Path, estate: list[tuple[str, bytes]]) -> Path:
    for name, data in estate:
        (tmp_path / name).write_bytes(data)
    return tmp_path


def test_a_reload_of_the_same_files_stops_before_parsing_until_any_other_load(
        clean_neo4j: neo4j.Driver, neo4j_uri: str, neo4j_auth: tuple[str, str] | None, tmp_path: Path) -> None:
    estate = _estate_dir(tmp_path, ESTATE)
    first = _load_dir(neo4j_uri, neo4j_auth, estate)
    before = graph_digest(clean_neo4j)
    again = _load_dir(neo4j_uri, neo4j_auth, estate)
    assert again.files_unchanged and not first.files_unchanged
    assert (again.scopes_diffed, again.scopes_skipped, again.units) == (0, SCOPES, 0)
    assert again.as_dict() == dict.fromkeys(again.as_dict(), 0) | {"nodes_unchanged": first.as_dict()["nodes_created"]}
    assert graph_digest(clean_neo4j) == before
    _load_dir(neo4j_uri, neo4j_auth, _estate_dir(tmp_path, RENAMED))   # forgets the first files' digest
    _estate_dir(tmp_path, ESTATE)
    back = _load_dir(neo4j_uri, neo4j_auth, estate)
    assert (back.files_unchanged, back.units, back.scopes_diffed, back.as_dict()["nodes_updated"]) == (False, 1, 1, 1)
    assert graph_digest(clean_neo4j) == before
    full = _load_dir(neo4j_uri, neo4j_auth, estate, full=True)
    assert (full.scopes_diffed, full.as_dict()["nodes_unchanged"]) == (SCOPES, first.as_dict()["nodes_created"])


def test_the_files_digest_covers_names_bytes_and_schema(tmp_path: Path) -> None:
    schema = load_schema()
    edited = tmp_path / "schema.yaml"
    edited.write_bytes(schema.source_path.read_bytes() + b"\n# edited\n")
    digests = {files_digest(schema, ESTATE), files_digest(schema, RENAMED),
               files_digest(schema, [("moved/" + name, data) for name, data in ESTATE]),
               files_digest(dataclasses.replace(schema, source_path=edited), ESTATE)}
    assert len(digests) == 4 and files_digest(schema, ESTATE) == files_digest(schema, list(ESTATE))


def test_a_failed_load_forgets_the_files_digest(clean_neo4j: neo4j.Driver, neo4j_uri: str,
                                                neo4j_auth: tuple[str, str] | None, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from ictgraph.graph_loader import DatabaseError
    from ictgraph.graph_loader.statements import Statements
    estate = _estate_dir(tmp_path, ESTATE)
    _load_dir(neo4j_uri, neo4j_auth, estate)
    original = Statements.merge_nodes
    monkeypatch.setattr(Statements, "merge_nodes", lambda self, label: original(self, label) + " WITH n RETURN 1 / 0 AS x")
    with pytest.raises(DatabaseError):   # the catalogue unchanged, Burnley fails
        _load_dir(neo4j_uri, neo4j_auth, _estate_dir(tmp_path, RENAMED))
    monkeypatch.undo()
    _estate_dir(tmp_path, ESTATE)
    again = _load_dir(neo4j_uri, neo4j_auth, estate)
    assert (again.files_unchanged, again.units, again.scopes_diffed, again.scopes_skipped) == (False, 0, 0, SCOPES)
