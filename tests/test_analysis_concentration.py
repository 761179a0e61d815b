"""Market concentration (queries/concentration.py): shares, the HHI, its levels, dependency."""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from ictgraph.graph_loader import build_graph, load_graph, rows_from_files
from ictgraph.queries.concentration import concentration_level, hhi, market_concentration

ROOT = Path(__file__).resolve().parents[1]
VENDORS = ("a", "b", "c")
CATALOGUE = {"format": "ictgraph/v1", "catalogue": {
    "vendors": [{"id": v, "name": f"Vendor <{v.upper()}> & Co"} for v in VENDORS],
    "products": [{"id": f"{v}/p", "name": f"P{v}", "vendor": v} for v in VENDORS],
    "capabilities": [{"id": "gis", "name": "GIS"}]}}


def estate(uses: dict[str, list[str | None]], values: dict[str, float] | None = None,
           currency: dict[str, str] | None = None) -> Any:
    """Organisations → the vendor of each of their GIS systems (None: bespoke)."""
    docs: list[dict[str, Any]] = [CATALOGUE]
    for oid, vendors in uses.items():
        systems = [{"id": f"s{i}", "name": "GIS", "capabilities": ["gis"], "hosting": "saas",
                    **({"product": f"{v}/p"} if v else {"bespoke": True})} for i, v in enumerate(vendors)]
        doc: dict[str, Any] = {"format": "ictgraph/v1", "organisation": {"id": oid, "name": oid, "type": "district"},
                               "systems": systems, "contracts": [
            {"id": f"c{i}", "supplier": v or "a", "covers": [f"s{i}"], "start": "2024-01-01", "end": "2028-01-01",
             "annual_value": (values or {}).get(oid, 1000.0)} for i, v in enumerate(vendors)]}
        if currency and oid in currency:
            doc = {"currency": currency[oid], **doc}
        docs.append(doc)
    files = [(f"{i}.yaml", yaml.safe_dump(d, sort_keys=False).encode()) for i, d in enumerate(docs)]
    return build_graph(*rows_from_files(files))


@pytest.mark.parametrize(("shares", "index", "level"), [
    ({"a": 1.0}, 10_000, "highly concentrated"), ({"a": 0.5, "b": 0.5}, 5_000, "highly concentrated"),
    ({v: 0.25 for v in "abcd"}, 2_500, "highly concentrated"), ({v: 0.2 for v in "abcde"}, 2_000, "concentrated"),
    ({v: 0.1 for v in "abcdefghij"}, 1_000, "unconcentrated"), ({}, 0, "unconcentrated")])
def test_hhi_and_its_levels(shares: dict[str, float], index: float, level: str) -> None:
    assert hhi(shares) == pytest.approx(index)
    assert concentration_level(hhi(shares)) == level


def test_an_organisation_with_two_vendors_is_split_between_them() -> None:
    [entry] = market_concentration(estate({"O1": ["a", "b"], "O2": ["a"], "O3": [None]}))
    shares = {v["vendor"]: v["organisation_share"] for v in entry["vendors"]}
    assert shares == {"a": 0.75, "b": 0.25}
    assert [v["organisations"] for v in entry["vendors"]] == [2, 1]
    assert entry["organisations"] == 2 and entry["bespoke_organisations"] == 1
    assert entry["hhi_organisations"] == pytest.approx(75 ** 2 + 25 ** 2)
    assert entry["vendors"][0]["name"] == "Vendor <A> & Co"


def test_spend_is_shared_per_currency_and_bespoke_spend_left_out() -> None:
    graph = estate({"O1": ["a"], "O2": ["b"], "O3": ["b"], "O4": [None]}, values={"O1": 3000.0},
                   currency={"O3": "EUR"})
    [entry] = market_concentration(graph)
    by_vendor = {v["vendor"]: v for v in entry["vendors"]}
    assert by_vendor["a"]["spend"] == {"GBP": 3000.0} and by_vendor["b"]["spend"] == {"EUR": 1000.0, "GBP": 1000.0}
    assert by_vendor["a"]["spend_share"] == {"GBP": 0.75} and by_vendor["b"]["spend_share"] == {"EUR": 1.0, "GBP": 0.25}
    assert entry["hhi_spend"] == {"EUR": 10_000.0, "GBP": pytest.approx(75 ** 2 + 25 ** 2)}


@pytest.mark.parametrize(("uses", "dependent"), [
    ({f"O{i}": ["a"] for i in range(5)}, True),                                          # one supplier, five
    ({f"O{i}": ["a"] for i in range(4)}, False),                                         # too few to matter
    ({**{f"O{i}": ["a"] for i in range(5)}, **{f"P{i}": ["b"] for i in range(5)}}, True),   # half is enough
    ({**{f"O{i}": ["a"] for i in range(5)}, **{f"P{i}": ["b"] for i in range(6)}}, True),   # the leader is b
    ({**{f"O{i}": ["a"] for i in range(5)}, **{f"P{i}": ["b", "c"] for i in range(6)}}, False),
])
def test_dependency_on_one_supplier(uses: dict[str, list[str | None]], dependent: bool) -> None:
    [entry] = market_concentration(estate(uses))
    assert (entry["dependency"] is not None) == dependent
    if dependent:
        assert entry["dependency"]["vendor"] == entry["vendors"][0]["vendor"]


@settings(max_examples=80, deadline=None)
@given(st.dictionaries(st.sampled_from([f"O{i}" for i in range(8)]),
                       st.lists(st.sampled_from([*VENDORS, None]), min_size=1, max_size=3), min_size=1))
def test_organisation_shares_sum_to_one(uses: dict[str, list[str | None]]) -> None:
    for entry in market_concentration(estate(uses)):
        assert math.fsum(v["organisation_share"] for v in entry["vendors"]) == pytest.approx(1, abs=5e-4 * len(VENDORS))
        assert 10_000 / len(entry["vendors"]) - 1 <= entry["hhi_organisations"] <= 10_000
        for shares in ({c: s for v in entry["vendors"] for c, s in v["spend_share"].items()},):
            assert all(0 <= s <= 1 for s in shares.values())


def test_the_sample_market() -> None:
    market = {m["capability"]: m for m in market_concentration(load_graph([ROOT / "fixtures" / "sample"]))}
    assert market["productivity"]["dependency"]["vendor"] == "microsoft"
    assert market["council-tax"]["vendors"][0]["vendor"] == "nec" and market["council-tax"]["dependency"]
    assert market["adult-social-care"]["dependency"] is None
    assert all(m["level"] in ("unconcentrated", "concentrated", "highly concentrated") for m in market.values())
