"""The planted estates of fixtures/planted/ (issue 12), on the embedded path and on the Neo4j
path, and the contract of ``claims`` and ``via`` on them and on the sample.

* ``chain``: four districts in a chain of neighbours on one product come out as one group of
  four for each possible lead, never as pairs;
* ``datacentre``: a mid-sized, costly server room closes into a neighbour's data centre with
  spare racks (money decides, not a size screen);
* ``border``: neighbours either side of the England–Wales border buy their ERP together, the
  rationale naming both procurement regimes; shared platforms keep the nation rule.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import neo4j
import pytest

from ictgraph.graph_loader import load_graph
from ictgraph.graph_loader.sources import read_estate_files
from ictgraph.queries.render import to_json
from ictgraph.queries.suggest import suggest
from ictgraph.queries.suggest.candidates import neighbourhood, read_estate
from ictgraph.queries.suggest.savings_file import default_savings_model
from tests.neo4j_helpers import stored_graph, write_files

ROOT = Path(__file__).resolve().parents[1]
PLANTED = ROOT / "fixtures" / "planted"
SAMPLE = ROOT / "fixtures" / "sample"
AS_OF = dt.date(2026, 11, 27)
ESTATES = ("chain", "datacentre", "border")
CHAIN = ("E07000119", "E07000123", "E07000124", "E07000122")      # Fylde - Preston - Ribble Valley - Pendle
REVS = "shared-platform:business-rates+council-tax:capita/one-revenues-benefits:"
Result = dict[str, Any]


def _by_id(result: Result) -> dict[str, Result]:
    return {s["id"]: s for s in result["suggestions"]}


@pytest.fixture(scope="module")
def embedded() -> dict[str, Result]:
    found = {name: suggest(load_graph([PLANTED / name]), as_of=AS_OF) for name in ESTATES}
    return found | {"sample": suggest(load_graph([SAMPLE]), as_of=AS_OF)}


# --- the planted behaviour, one check per estate, run on both paths ------------------------------

def _depth(s: Result, organisation: str) -> int:
    """Steps from the lead following ``via`` (the lead 0, near the lead 1)."""
    if organisation == s["lead"]:
        return 0
    entry = next(e for e in (*s["steps"], *s["already_there"]) if e["organisation"] == organisation)
    return 1 if not entry["via"] else 1 + _depth(s, entry["via"][0])


def check_chain(result: Result) -> None:
    found = _by_id(result)
    platforms = [s for s in result["suggestions"] if s["kind"] == "shared-platform"]
    assert sorted(s["lead"] for s in platforms) == sorted(CHAIN)          # one suggestion per possible lead
    for lead in CHAIN:
        s = found[REVS + lead]
        assert s["organisations"] == sorted(CHAIN)                         # one group of four, not pairs
        assert [t["action"] for t in s["steps"]] == ["join-hosted"] * 3
        far = CHAIN.index(lead)
        for t in s["steps"]:
            assert _depth(s, t["organisation"]) == abs(CHAIN.index(t["organisation"]) - far)
    ends = found[REVS + "E07000119"]
    assert {t["organisation"]: t["via"] for t in ends["steps"]} == {
        "E07000123": [], "E07000124": ["E07000123"], "E07000122": ["E07000124"]}
    assert all(set(found[REVS + a]["claims"]) & set(found[REVS + b]["claims"]) for a in CHAIN for b in CHAIN)


def check_datacentre(result: Result) -> None:
    [s] = [s for s in result["suggestions"] if s["kind"] == "datacentre"]
    assert s["id"] == "datacentre:E07000126/dc" and s["lead"] == "E07000126"
    [t] = s["steps"]
    assert (t["organisation"], t["action"], t["datacentre"], t["racks"]) == ("E07000123", "close-site",
                                                                             "E07000123/dc", 11)
    assert s["racks"] == {"total": 40, "used": 22, "moving_in": 11, "after": 33}
    assert s["racks"]["after"] <= s["racks"]["total"] and s["npv"]["central"] > 0 and t["npv"]["central"] > 0
    assert t["claims"] == ["E07000123/dc"] and s["claims"] == ["E07000123/dc", "E07000126/dc"]


def check_border(result: Result) -> None:
    found = _by_id(result)
    for plan in ("W06000021/erp-2027", "E06000019/erp-2028"):
        s = found[f"joint-procurement:{plan}"]
        assert s["organisations"] == ["E06000019", "W06000021"]
        assert s["claims"] == ["E06000019/finance", "W06000021/finance"]
        assert ("Members sit under different procurement regimes (England, Wales): use a UK-wide framework open "
                "to both, such as a Crown Commercial Service agreement whose customer list includes them"
                in "\n".join(s["rationale"]))
    platforms = [s for s in result["suggestions"] if s["kind"] == "shared-platform"]
    assert platforms and all("W06000021" not in s["organisations"] for s in platforms)   # the nation rule holds
    jp, sp = found["joint-procurement:W06000021/erp-2027"], found["shared-platform:finance:unit4/erp:E07000080"]
    assert set(jp["claims"]) & set(sp["claims"]) == {"E06000019/finance"}          # they conflict
    assert sp["id"] in jp["alternatives"] and jp["id"] in sp["alternatives"]


CHECKS: dict[str, Callable[[Result], None]] = {"chain": check_chain, "datacentre": check_datacentre,
                                               "border": check_border}


@pytest.mark.parametrize("name", ESTATES)
def test_planted_estate_on_the_embedded_path(embedded: dict[str, Result], name: str) -> None:
    CHECKS[name](embedded[name])


@pytest.mark.neo4j
@pytest.mark.parametrize("name", ESTATES)
def test_planted_estate_on_the_neo4j_path_gives_the_same_bytes(clean_neo4j: neo4j.Driver, name: str,
                                                                embedded: dict[str, Result]) -> None:
    write_files(clean_neo4j, read_estate_files([PLANTED / name]))
    stored = suggest(stored_graph(clean_neo4j), as_of=AS_OF)
    CHECKS[name](stored)
    assert to_json(stored) == to_json(embedded[name])


# --- claims ---------------------------------------------------------------------------------------

CLAIM_FORMATS = {
    "shared-platform": r"[^/]+/[a-z0-9-]+", "joint-procurement": r"[^/]+/[a-z0-9-]+", "datacentre": r"[^/]+/[^/:]+",
    "skills": r"[^/]+/skill:[a-z0-9-]+", "management": r"[^/]+/management", "policy": r"[^/]+/policy:[a-z0-9-]+",
    "network": r"[^/]+/network:[a-z]+",
}


def _all(embedded: dict[str, Result]) -> list[Result]:
    return [s for result in embedded.values() for s in result["suggestions"]]


def test_claims_are_sorted_and_hold_every_step_and_entry_claim(embedded: dict[str, Result]) -> None:
    kinds = set()
    for s in _all(embedded):
        kinds.add(s["kind"])
        parts = [*s["steps"], *s["already_there"]]
        assert s["claims"] == sorted(set(s["claims"])) and s["claims"], s["id"]
        assert all(p["claims"] == sorted(set(p["claims"])) for p in parts), s["id"]
        assert set().union(*(p["claims"] for p in parts)) <= set(s["claims"]), s["id"]
        assert all(re.fullmatch(CLAIM_FORMATS[s["kind"]], c) for c in s["claims"]), s["id"]
        assert {c.split("/")[0] for c in s["claims"]} <= set(s["organisations"]), s["id"]
    assert kinds == set(CLAIM_FORMATS)


@pytest.mark.parametrize("kind", ["shared-platform", "joint-procurement"])
def test_capability_claims_are_each_member_times_its_capabilities(embedded: dict[str, Result], kind: str) -> None:
    for s in (s for s in _all(embedded) if s["kind"] == kind):
        expected = {f"{p['organisation']}/{c}" for p in (*s["steps"], *s["already_there"]) for c in p["capabilities"]}
        assert set(s["claims"]) == expected and {c.split("/")[0] for c in expected} == set(s["organisations"])


def test_data_centre_claims_are_the_sites_and_the_host(embedded: dict[str, Result]) -> None:
    for s in (s for s in _all(embedded) if s["kind"] == "datacentre"):
        assert [t["claims"] for t in s["steps"]] == [[t["datacentre"]] for t in s["steps"]]
        assert s["claims"] == sorted({s["datacentre"], *(t["datacentre"] for t in s["steps"])})
        assert s["datacentre"] not in {t["datacentre"] for t in s["steps"]}       # never host and closed at once


def test_alternatives_are_exactly_the_suggestions_whose_claims_intersect(embedded: dict[str, Result]) -> None:
    for result in embedded.values():
        claims = {s["id"]: set(s["claims"]) for s in result["suggestions"]}
        for s in result["suggestions"]:
            assert set(s["alternatives"]) == {o for o, c in claims.items() if o != s["id"] and c & claims[s["id"]]}


# --- via --------------------------------------------------------------------------------------------

def test_via_names_members_one_step_closer_and_always_reaches_the_lead(embedded: dict[str, Result]) -> None:
    for s in (s for s in _all(embedded) if s["kind"] == "shared-platform"):
        for entry in (*s["steps"], *s["already_there"]):
            assert set(entry["via"]) <= set(s["organisations"]) - {entry["organisation"]}, s["id"]
            if entry["organisation"] == s["lead"]:
                assert entry["via"] == [] and entry["role"] == "lead"
                continue
            depths = {_depth(s, v) for v in entry["via"]}
            assert len(depths) <= 1 and _depth(s, entry["organisation"]) == 1 + (depths.pop() if depths else 0)


@pytest.mark.parametrize("estate", ["chain", "sample"])
def test_via_members_are_near_and_an_empty_via_is_near_the_lead(embedded: dict[str, Result], estate: str) -> None:
    view = read_estate(load_graph([SAMPLE if estate == "sample" else PLANTED / estate]))
    grouping = default_savings_model().grouping
    for s in (s for s in embedded[estate]["suggestions"] if s["kind"] == "shared-platform"):
        caps = tuple(sorted(s["capabilities"]))
        for t in s["steps"]:
            for near in t["via"] or [s["lead"]]:
                assert t["organisation"] in neighbourhood(view, near, caps, grouping), (s["id"], t["organisation"])
