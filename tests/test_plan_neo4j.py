"""The programme in the graph (queries/programme.py, queries/cypher/programme/): ``plan
--neo4j`` gives the embedded bytes; ``--save NAME`` writes one Programme and its Moves linked
to the estate in one transaction, replaces a programme of that name, and leaves the estate
as it was; loads neither count nor remove what a save wrote."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import neo4j
import pytest
from typer.testing import CliRunner, Result

from ictgraph.cli import app
from ictgraph.graph_loader import load_schema
from ictgraph.graph_loader.errors import DatabaseError, UsageError
from ictgraph.queries.programme import programme_rows
from ictgraph.queries.runner import run_named_writes
from tests.neo4j_helpers import SAMPLE

AS_OF = "2026-11-27"
NAME = "sample-2027"
SCHEMA = load_schema()
BESIDE_LABELS = sorted(SCHEMA.programme.labels)
BESIDE_TYPES = sorted(SCHEMA.programme.relationships)


def invoke(uri: str, *args: str) -> Result:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NEO4J_URI", uri)
        return CliRunner().invoke(app, list(args))


def plan_json(uri: str, *args: str) -> dict[str, Any]:
    result = invoke(uri, "plan", *args, "--as-of", AS_OF, "--format", "json", "--quiet")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def save(uri: str, name: str = NAME) -> Result:
    result = invoke(uri, "plan", "--neo4j", "--as-of", AS_OF, "--save", name, "--format", "csv")
    assert result.exit_code == 0, result.output
    return result


def digest(driver: neo4j.Driver, beside: bool, bookkeeping: bool = True) -> str:
    """Every node (labels, properties) and relationship (type, ends, properties) of the
    estate (``beside=False``) or of what saves wrote (``beside=True``); without ``bookkeeping``,
    leaving out what a load writes for its own use (`source` lines, the digests' nodes)."""
    schema = load_schema()
    skip = set() if bookkeeping else set(schema.bookkeeping)
    labels = BESIDE_LABELS if bookkeeping else [*BESIDE_LABELS, schema.load_digest_label]
    nodes, _, _ = driver.execute_query(
        "MATCH (n) WHERE any(l IN labels(n) WHERE l IN $labels) = $beside "
        "RETURN labels(n) AS labels, properties(n) AS props", labels=labels, beside=beside)
    rels, _, _ = driver.execute_query(
        "MATCH (a)-[r]->(b) WHERE (type(r) IN $types) = $beside "
        "RETURN type(r) AS type, labels(a) AS al, properties(a) AS a, labels(b) AS bl, b.id AS b, "
        "properties(r) AS props", types=BESIDE_TYPES, beside=beside)

    def kept(props: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in props.items() if k not in skip}

    canonical = sorted(json.dumps([sorted(r["labels"]), kept(r["props"])], sort_keys=True, default=str) for r in nodes)
    canonical += sorted(json.dumps([r["type"], r["al"], r["a"].get("id"), r["a"].get("programme"), r["bl"], r["b"],
                                    kept(r["props"])], sort_keys=True, default=str) for r in rels)
    return hashlib.sha256("\n".join(canonical).encode()).hexdigest() + f" {len(nodes)} nodes {len(rels)} rels"


def count(driver: neo4j.Driver, text: str, **params: Any) -> int:
    records, _, _ = driver.execute_query(text, params)
    return int(records[0][0])


@pytest.fixture(scope="module")
def loaded(neo4j_uri: str, neo4j_driver: neo4j.Driver, clean_neo4j_module: None) -> str:
    assert invoke(neo4j_uri, "load", str(SAMPLE), "--quiet").exit_code == 0
    return neo4j_uri


@pytest.fixture(scope="module")
def embedded() -> dict[str, Any]:
    return plan_json("bolt://127.0.0.1:9", str(SAMPLE))


def without_seconds(result: dict[str, Any]) -> dict[str, Any]:
    return {**result, "solver": {k: v for k, v in result["solver"].items() if k != "seconds"}}


@pytest.mark.neo4j
@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_plan_from_neo4j_gives_the_embedded_bytes(loaded: str, fmt: str) -> None:
    runs = [invoke(loaded, "plan", *where, "--as-of", AS_OF, "--format", fmt, "--quiet")
            for where in ([str(SAMPLE)], ["--neo4j"])]
    assert all(r.exit_code == 0 for r in runs), [r.output for r in runs]
    if fmt == "json":
        assert without_seconds(json.loads(runs[1].stdout)) == without_seconds(json.loads(runs[0].stdout))
        strip = [json.dumps(without_seconds(json.loads(r.stdout))) for r in runs]
        assert strip[0] == strip[1]
    else:
        lines = [[line for line in r.stdout.splitlines() if "seconds" not in line and " s)" not in line] for r in runs]
        assert lines[0] == lines[1] and len(lines[0]) > 20


@pytest.mark.neo4j
def test_save_writes_the_programme_and_leaves_the_estate_as_it_was(loaded: str, neo4j_driver: neo4j.Driver,
                                                                    embedded: dict[str, Any]) -> None:
    estate = digest(neo4j_driver, beside=False)
    first = save(loaded)
    assert f'\nictgraph: saved programme "{NAME}": {len(embedded["moves"])} moves, ' in first.stderr
    assert "not linked" not in first.stderr
    assert digest(neo4j_driver, beside=False) == estate
    saved = digest(neo4j_driver, beside=True)
    again = save(loaded)
    assert f'\nictgraph: replaced programme "{NAME}"' in again.stderr
    assert digest(neo4j_driver, beside=True) == saved, "the same plan saves the same graph"
    assert digest(neo4j_driver, beside=False) == estate
    assert count(neo4j_driver, "MATCH (p:Programme {name: $n}) RETURN count(p)", n=NAME) == 1
    assert count(neo4j_driver, "MATCH (m:Move {programme: $n}) RETURN count(m)", n=NAME) == len(embedded["moves"])


@pytest.mark.neo4j
def test_the_saved_programme_carries_the_plans_totals_and_links(loaded: str, neo4j_driver: neo4j.Driver,
                                                                embedded: dict[str, Any]) -> None:
    save(loaded)
    records, _, _ = neo4j_driver.execute_query("MATCH (p:Programme {name: $n}) RETURN properties(p) AS p", n=NAME)
    props, totals = records[0]["p"], embedded["totals"]
    assert props["as_of"].to_native() == dt.date.fromisoformat(AS_OF) and props["solver_status"] == "Optimal"
    assert (props["npv_central"], props["npv_p10"], props["npv_p90"]) == tuple(totals["npv"][k] for k in ("central", "p10", "p90"))
    assert props["one_off_cost"] == totals["one_off_cost"]
    assert props["annual_saving_central"] == totals["annual_saving"]["central"]
    assert props["years"] == [y["year"] for y in embedded["years"]] and "created" not in props
    steps = sum(len(m["steps"]) for m in embedded["moves"])
    assert count(neo4j_driver, "MATCH (:Move {programme: $n})-[r:MOVES]->(:Organisation) RETURN count(r)", n=NAME) == steps
    assert count(neo4j_driver, "MATCH (:Move {programme: $n})-[r:MOVE_LED_BY]->(:Organisation) RETURN count(r)",
                 n=NAME) == sum(1 for m in embedded["moves"] if m["lead"])
    rows = programme_rows(NAME, embedded)
    assert count(neo4j_driver, "MATCH (:Move {programme: $n})-[r:CONCERNS]->() RETURN count(r)", n=NAME) == len(rows.concerns)
    top = max(embedded["moves"], key=lambda m: m["npv"]["central"])
    if top["target_product"]:
        assert count(neo4j_driver, "MATCH (:Move {programme: $n, id: $id})-[:CONCERNS {role: 'target'}]->(p:Product {id: $p}) "
                     "RETURN count(p)", n=NAME, id=top["id"], p=top["target_product"]) == 1


@pytest.mark.neo4j
def test_two_programmes_live_side_by_side(loaded: str, neo4j_driver: neo4j.Driver, embedded: dict[str, Any]) -> None:
    save(loaded)
    save(loaded, "other")
    assert count(neo4j_driver, "MATCH (m:Move) RETURN count(m)") == 2 * len(embedded["moves"])
    listed = invoke(loaded, "query", "programmes", "--format", "json")
    assert [row["programme"] for row in json.loads(listed.stdout)["rows"]] == ["other", NAME]
    neo4j_driver.execute_query("MATCH (m:Move {programme: 'other'}) DETACH DELETE m")
    neo4j_driver.execute_query("MATCH (p:Programme {name: 'other'}) DETACH DELETE p")


@pytest.mark.neo4j
def test_a_reload_after_a_save_changes_nothing_and_keeps_the_programme(loaded: str, neo4j_driver: neo4j.Driver) -> None:
    save(loaded)
    estate, programme = digest(neo4j_driver, beside=False), digest(neo4j_driver, beside=True)
    result = invoke(loaded, "load", str(SAMPLE), "--quiet")
    assert result.exit_code == 0, result.output
    changes = dict(line.split()[:2] for line in result.stdout.splitlines() if line.startswith(("nodes_", "relationships_")))
    assert {k: v for k, v in changes.items() if k != "nodes_unchanged"} == {
        k: "0" for k in ("nodes_created", "nodes_updated", "nodes_removed", "relationships_created",
                         "relationships_updated", "relationships_removed")}
    assert (digest(neo4j_driver, beside=False), digest(neo4j_driver, beside=True)) == (estate, programme)


@pytest.mark.neo4j
def test_a_move_does_not_keep_a_stale_catalogue_entry_alive(loaded: str, neo4j_driver: neo4j.Driver,
                                                            tmp_path: Path) -> None:
    save(loaded)
    estate = digest(neo4j_driver, beside=False, bookkeeping=False)  # the copy's files have other paths
    neo4j_driver.execute_query("MATCH (m:Move {programme: $n}) WITH m LIMIT 1 "
                               "CREATE (m)-[:CONCERNS {role: 'target'}]->(:Product {id: 'gone/product'})", n=NAME)
    # The estate re-exported with the product gone: other bytes (so the files' digest does
    # not end the load early), the same content (so every scope's digest still matches).
    exported = shutil.copytree(SAMPLE, tmp_path / "sample")
    first = min(exported.rglob("*.yaml"))
    first.write_text(first.read_text() + "\n# re-exported\n")
    assert invoke(loaded, "load", str(exported), "--quiet").exit_code == 0
    assert count(neo4j_driver, "MATCH (p:Product {id: 'gone/product'}) RETURN count(p)") == 0
    assert digest(neo4j_driver, beside=False, bookkeeping=False) == estate
    assert count(neo4j_driver, "MATCH (p:Programme {name: $n}) RETURN count(p)", n=NAME) == 1


@pytest.mark.neo4j
def test_the_named_queries_list_the_moves_and_one_organisations_part(loaded: str, embedded: dict[str, Any]) -> None:
    save(loaded)
    moves = json.loads(invoke(loaded, "query", "programme_moves", "--param", f"programme={NAME}",
                              "--format", "json").stdout)
    assert len(moves["rows"]) == len(embedded["moves"])
    assert {row["move"] for row in moves["rows"]} == {m["id"] for m in embedded["moves"]}
    firsts = [row["first_go_live"] for row in moves["rows"]]
    assert firsts == sorted(firsts)
    org = "E07000117"
    part = json.loads(invoke(loaded, "query", "organisation_programme", "--param", f"programme={NAME}",
                             "--param", f"organisation={org}", "--format", "json").stdout)
    steps = sorted((m["id"], s["action"], s["go_live"]) for m in embedded["moves"] for s in m["steps"]
                   if s["organisation"] == org)
    leads = sorted(m["id"] for m in embedded["moves"] if m["lead"] == org)
    rows = part["rows"]
    assert sorted((r["move"], r["action"], r["go_live"]) for r in rows if r["action"] != "lead") == steps
    assert sorted(r["move"] for r in rows if r["action"] == "lead") == leads
    assert steps, "the organisation takes part in the programme"


@pytest.mark.neo4j
def test_the_save_is_one_transaction(loaded: str, neo4j_driver: neo4j.Driver) -> None:
    save(loaded)
    before = digest(neo4j_driver, beside=True)
    with pytest.raises(DatabaseError):
        run_named_writes(neo4j_driver, [("delete_programme", {"programme": NAME}),
                                        ("create_programme", {"programme": NAME, "props": ["not", "a", "map"],
                                                              "moves": []})])
    assert digest(neo4j_driver, beside=True) == before


@pytest.mark.neo4j
def test_the_constraints_name_a_programme_and_a_move(loaded: str, neo4j_driver: neo4j.Driver) -> None:
    save(loaded)
    records, _, _ = neo4j_driver.execute_query("SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type")
    found = {(tuple(r["labelsOrTypes"]), tuple(r["properties"])) for r in records if r["type"] == "UNIQUENESS"}
    assert {(("Programme",), ("name",)), (("Move",), ("programme", "id"))} <= found


def test_save_without_neo4j_is_refused_before_any_work() -> None:
    result = CliRunner().invoke(app, ["plan", str(SAMPLE), "--save", NAME, "--as-of", AS_OF])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: --save needs --neo4j")
    assert result.stdout == ""


def test_only_named_write_statements_run_as_writes() -> None:
    with pytest.raises(UsageError, match='no query named "programme_moves"'):
        run_named_writes(None, [("programme_moves", {"programme": NAME})])  # type: ignore[arg-type]


@pytest.mark.parametrize("label", sorted(SCHEMA.programme.labels) + sorted(SCHEMA.programme.relationships))
def test_what_a_save_writes_never_shares_a_name_with_the_estate(label: str) -> None:
    assert label not in SCHEMA.labels and label not in SCHEMA.relationships


def test_programme_rows_link_every_step_and_never_twice(embedded: dict[str, Any]) -> None:
    rows = programme_rows(NAME, embedded)
    assert len(rows.steps) == sum(len(m["steps"]) for m in embedded["moves"])
    keys = [(c["move"], c["label"], c["id"], c["role"]) for c in rows.concerns]
    assert len(keys) == len(set(keys))
    assert {c["label"] for c in rows.concerns} <= set(SCHEMA.programme.relationships["CONCERNS"].ends)
    contracts = {(m["id"], k) for m in embedded["moves"] for s in m["steps"] for k in s["contracts"]}
    assert contracts <= {(c["move"], c["id"]) for c in rows.concerns if c["label"] == "Contract"}
    assert all(isinstance(m["props"]["first_go_live"], dt.date) for m in rows.moves)
