"""``ictgraph suggest``'s path rules and savings as hypothesis properties over random estates
(queries/suggest/engine.py and the modules it uses); the small inline estates and the sample
are in tests/test_analysis_suggest.py."""
from __future__ import annotations

import datetime as dt
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ictgraph.queries.estate import iter_usage
from ictgraph.queries.suggest import suggest
from ictgraph.queries.suggest.savings_file import default_savings_model, savings_model_from_mapping
from tests.test_analysis_suggest import AS_OF, CATALOGUE, graph_of

# --- the path rules as properties over random estates ----------------------------------------

PRODUCTS = ["capita/revenues", "nec/revenues", "system-c/las", "olm/eclipse"]


@st.composite
def random_estates(draw: st.DrawFn) -> list[tuple[str, bytes]]:
    """2–7 councils of mixed tiers with revenues and social-care systems, contracts and neighbours."""
    n = draw(st.integers(2, 7))
    ids = [f"O{i}" for i in range(n)]
    docs = [yaml.safe_load(CATALOGUE.replace("members: [D1, D2]", f"members: [{ids[0]}, {ids[1]}]"))]
    hosts: list[str] = []
    for i, oid in enumerate(ids):
        otype = draw(st.sampled_from(["district", "district", "unitary", "county"]))
        near = sorted(set(draw(st.lists(st.sampled_from(ids), max_size=3))) - {oid})
        doc: dict[str, Any] = {"format": "ictgraph/v1", "organisation": {
            "id": oid, "type": otype, "nation": "England", "region": "East", "neighbours": near,
            "population": draw(st.integers(1000, 900000))}, "systems": [], "contracts": []}
        for kind, caps in (("revs", ["council-tax", "business-rates"]), ("asc", ["adult-social-care"])):
            if (kind == "revs") == (otype == "county") or (kind == "asc" and otype == "district"):
                continue
            caps = caps[:draw(st.integers(1, len(caps)))]
            choice = draw(st.sampled_from(PRODUCTS[:2] if kind == "revs" else PRODUCTS[2:]) | st.just("hosted"))
            system: dict[str, Any] = {"id": kind, "name": kind, "capabilities": caps, "hosting": "saas",
                                      "lifecycle": draw(st.sampled_from(["invest", "tolerate", "migrate", "eliminate"]))}
            if choice == "hosted" and kind == "revs" and hosts:
                system.update(hosting="hosted-by-partner", host=draw(st.sampled_from(hosts)))
            else:
                system["product"] = choice if choice != "hosted" else PRODUCTS[0 if kind == "revs" else 2]
                if kind == "revs":
                    hosts.append(f"{oid}/revs")
            doc["systems"].append(system)
            if draw(st.booleans()):
                end = draw(st.dates(dt.date(2025, 1, 1), dt.date(2033, 12, 31)))
                doc["contracts"].append({"id": f"c-{kind}", "supplier": "capita", "covers": [kind],
                                         "start": "2019-01-01", "end": end.isoformat(),
                                         "annual_value": draw(st.integers(0, 600000))})
        docs.append(doc)
    return [(f"{i}.yaml", yaml.safe_dump(d, sort_keys=False).encode()) for i, d in enumerate(docs)]


def _check_suggestion(s: dict[str, Any], uses: dict[tuple[str, str], list[Any]], types: dict[str, str]) -> None:
    steps, there = s["steps"], s["already_there"]
    orgs = [t["organisation"] for t in steps + there]
    assert sorted(orgs) == s["organisations"] and len(set(orgs)) == len(orgs)          # each organisation once
    assert [(t["go_live"], t["organisation"]) for t in steps] == sorted((t["go_live"], t["organisation"]) for t in steps)
    for t in steps:
        assert t["go_live"] > t["not_before"] or t["break_cost"] > 0                   # never early without paying
        assert t["capabilities"] and set(t["capabilities"]) <= set(s["capabilities"])
        assert all((t["organisation"], c) in uses for c in t["capabilities"])           # only what it has
        assert not all(u.product == s["target_product"] and u.host_organisation == s["lead"]
                       for c in t["capabilities"] for u in uses[(t["organisation"], c)])  # already there: no step
        if "adult-social-care" in s["capabilities"]:
            assert types[t["organisation"]] != "district"
    assert any(u.product == s["target_product"] and u.host_system is None                # the lead is on the target
               for c in s["capabilities"] for u in uses.get((s["lead"], c), ()))
    for key in ("annual_saving", "npv", "one_off_cost_range"):
        assert s[key]["low"] <= s[key]["central"] <= s[key]["high"]
    for key in ("low", "central", "high"):                                                # totals = sum of parts
        assert s["annual_saving"][key] == sum(p["annual_saving"][key] for p in steps + there)
        assert s["npv"][key] == sum(p["npv"][key] for p in steps + there)
    assert s["one_off_cost"] == sum(t["one_off_cost"] for t in steps)


def test_path_rules_hold_on_random_estates() -> None:
    checked = {"suggestions": 0, "steps": 0}          # the examples must have exercised the rules

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(random_estates(), st.booleans())
    def rules_hold(files: list[tuple[str, bytes]], break_early: bool) -> None:
        graph = graph_of(files)
        model = savings_model_from_mapping({"schedule": {"break_early": break_early}}, "t", default_savings_model())
        result = suggest(graph, as_of=AS_OF, model=model)
        uses: dict[tuple[str, str], list[Any]] = {}
        for use in iter_usage(graph):
            uses.setdefault((use.organisation, use.capability), []).append(use)
        types = {d["organisation"]["id"]: d["organisation"]["type"]
                 for d in (yaml.safe_load(data) for _, data in files) if "organisation" in d}
        for s in result["suggestions"]:
            if s["kind"] == "shared-platform":              # the other kinds: tests/test_analysis_<kind>.py
                _check_suggestion(s, uses, types)
                checked["suggestions"] += 1
                checked["steps"] += len(s["steps"])

    rules_hold()
    assert checked["suggestions"] > 0 and checked["steps"] > 0, checked


def test_savings_are_monotone_in_the_saving_rate() -> None:
    compared = [0]                                     # the examples must have compared something

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(random_estates(), st.floats(0.0, 0.3))
    def monotone(files: list[tuple[str, bytes]], more: float) -> None:
        graph = graph_of(files)
        base = default_savings_model()
        higher = savings_model_from_mapping({"saving_rate": {k: min(1.0, v + more) for k, v in
                                                             base.saving_rate.as_dict().items()}}, "t", base)
        low = {s["id"]: s for s in suggest(graph, as_of=AS_OF, model=base)["suggestions"]}
        high = {s["id"]: s for s in suggest(graph, as_of=AS_OF, model=higher)["suggestions"]}
        assert set(low) <= set(high)
        for sid, s in low.items():
            for key in ("low", "central", "high"):
                assert high[sid]["annual_saving"][key] >= s["annual_saving"][key]
            compared[0] += 1

    monotone()
    assert compared[0] > 0
