"""The Cypher query library: headers are the documentation, and every query runs on the
loaded sample estate with its declared parameters and returns its declared columns."""
from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections.abc import Iterator
from typing import Any

import neo4j
import pytest

from ictgraph.graph_loader.errors import UsageError
from ictgraph.graph_loader import load_graph
from ictgraph.queries.catalog import CYPHER_DIR, CypherQuery, bind_params, find_query, list_queries
from ictgraph.queries.plan import plan
from ictgraph.queries.programme import save_programme
from ictgraph.queries.runner import run_named_writes, run_read_only
from tests.neo4j_helpers import SAMPLE, sample_files, write_files

QUERIES = list_queries()
WRITES = list_queries(mode="write")
# Arguments for every declared parameter, chosen so that each query has rows on the sample.
ARGUMENTS = {
    "product": "capita/one-revenues-benefits", "capability": "council-tax", "organisation": "E07000117",
    "a": "E07000117", "b": "E07000122", "from": "2026-01-01", "to": "2031-12-31",
    # queries/cypher/sharing (sharing beyond applications)
    "small_racks": "6", "costly_ratio": "1.25", "kinds": "psn,wan", "as_of": "2026-11-27", "thin_fte": "1.0",
    "small_population": "150000", "months": "12",
    # queries/cypher/programme (read): the sample's programme, saved while they run (saved_programme)
    "programme": "sample",
}


def test_the_library_has_the_questions_architects_ask_first() -> None:
    names = {q.name for q in QUERIES}
    assert {"who_runs_product", "organisations_by_capability", "contracts_ending", "shared_products",
            "vendor_concentration", "systems_without_contract", "partner_hosted_systems",
            "sharing_candidates", "nearest_host"} <= names


@pytest.mark.parametrize("query", QUERIES + WRITES, ids=lambda q: q.name)
def test_each_header_parses_and_matches_its_file(query: CypherQuery) -> None:
    assert query.path.stem == query.name
    assert query.path.parent.parent == CYPHER_DIR
    assert query.mode in ("read", "write") and query.description and query.returns
    assert {p.name for p in query.params} == query.used_params
    statement = [line for line in query.text.splitlines() if line.strip() and not line.startswith("//")]
    assert not any(line.rstrip().endswith(";") for line in statement), "one statement, no semicolons"


def test_bind_params_types_values_and_names_what_is_missing() -> None:
    query = find_query("contracts_ending")
    assert bind_params(query, {"from": "2026-01-01", "to": "2026-12-31"}) == {
        "from": dt.date(2026, 1, 1), "to": dt.date(2026, 12, 31)}
    with pytest.raises(UsageError, match="needs --param to=..."):
        bind_params(query, {"from": "2026-01-01"})
    with pytest.raises(UsageError, match="must be a date"):
        bind_params(query, {"from": "1/1/2026", "to": "2026-12-31"})


def test_an_unknown_query_name_suggests_close_ones() -> None:
    with pytest.raises(UsageError) as raised:
        find_query("who_runs_products")
    assert raised.value.hint and "who_runs_product" in raised.value.hint


def test_write_statements_are_not_what_the_query_command_lists() -> None:
    assert WRITES and {q.name for q in WRITES}.isdisjoint(q.name for q in QUERIES)
    with pytest.raises(UsageError, match='no query named "create_programme"'):
        find_query("create_programme")


@pytest.fixture(scope="module")
def loaded(neo4j_driver: neo4j.Driver, clean_neo4j_module: None) -> neo4j.Driver:
    write_files(neo4j_driver, sample_files())
    return neo4j_driver


@functools.lru_cache(maxsize=1)
def sample_plan() -> dict[str, Any]:
    return plan(load_graph([SAMPLE]), as_of=dt.date(2026, 11, 27), samples=50)


@contextlib.contextmanager
def saved_programme(driver: neo4j.Driver, query: CypherQuery) -> Iterator[None]:
    """For a query of queries/cypher/programme: the sample's programme saved while it runs,
    and deleted after, so that the database holds what it held before (nodes and relationships)."""
    name = ARGUMENTS["programme"]
    if query.area != "programme" or driver.execute_query(
            "MATCH (p:Programme {name: $name}) RETURN count(p) AS n", name=name).records[0]["n"]:
        yield
        return
    save_programme(driver, name, sample_plan())
    try:
        yield
    finally:
        run_named_writes(driver, [("delete_programme", {"programme": name})])


def check_runs_on_the_sample(driver: neo4j.Driver, query: CypherQuery) -> None:
    """``query`` runs on the loaded sample with ``ARGUMENTS`` and returns its declared columns
    and some rows (shared with tests/test_auth.py, which runs it signed in)."""
    params = bind_params(query, {p.name: ARGUMENTS[p.name] for p in query.params})
    with saved_programme(driver, query):
        result = run_read_only(driver, query.text, params)
    assert tuple(result.columns) == query.returns
    assert result.rows, f"{query.name} returned no rows on the sample estate"


@pytest.mark.neo4j
@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_each_query_runs_on_the_sample_with_its_declared_columns(loaded: neo4j.Driver, query: CypherQuery) -> None:
    check_runs_on_the_sample(loaded, query)


@pytest.mark.neo4j
def test_who_runs_product_finds_the_planted_group(loaded: neo4j.Driver) -> None:
    query = find_query("who_runs_product")
    rows = run_read_only(loaded, query.text, {"product": "capita/one-revenues-benefits"}).rows
    assert sorted({r[0] for r in rows}) == ["E07000117", "E07000120", "E07000122", "E07000125"]


@pytest.mark.neo4j
def test_nearest_host_counts_neighbour_hops(loaded: neo4j.Driver) -> None:
    query = find_query("nearest_host")
    rows: list[list[Any]] = run_read_only(loaded, query.text, {
        "organisation": "E07000117", "product": "capita/one-revenues-benefits", "capability": "council-tax"}).rows
    assert rows and rows[0][2] == 1 and rows == sorted(rows, key=lambda r: (r[2], r[0]))
