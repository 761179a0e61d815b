"""queries/diff_words.py: a sentence for each change, with names rather than keys; a phrasing
of its own for a system's move, a contract's end, a renaming and a new party; the generic
sentence for anything else, including labels and relationship types it does not know."""
from __future__ import annotations

import networkx as nx
import pytest

from ictgraph.graph_loader import Schema
from ictgraph.queries.diff import diff_graphs
from ictgraph.queries.diff_words import CATALOGUE_GROUP, describe_changes, diff_text, label_words, value_words
from tests.diff_helpers import AFTER, BEFORE, graph_at

BRAINTREE, COLCHESTER, MALDON = "Braintree District Council", "Colchester Borough Council", "Maldon District Council"


@pytest.fixture(scope="module")
def said(schema: Schema) -> list[tuple[str, str]]:
    old, new = graph_at(BEFORE), graph_at(AFTER)
    return describe_changes(diff_graphs(old, new, schema), old, new, schema)


@pytest.mark.parametrize(("group", "sentence"), [
    (CATALOGUE_GROUP, "product civica/openrevenues renamed from “OpenRevenues” to “Civica OpenRevenues”"),
    (BRAINTREE, "contract c-revs-2019 removed (Revenues and benefits licence and support, with NEC Software Solutions, "
                "to 2026-09-30)"),
    (BRAINTREE, "data centre dc1 racks used 12 -> 8"),
    (BRAINTREE, "system crm removed (Customer contact, Service Cloud, saas)"),
    (BRAINTREE, "system revs now hosted by Colchester Borough Council's Revenues and benefits (was NEC Revenues and "
                "Benefits, own instance); annual cost £160,000 -> £90,000; no longer hosted in Causeway House server room"),
    (COLCHESTER, "contract c-revs-2021 extended from 2026-09-30 to 2027-09-30; Braintree District Council now a party"),
    (COLCHESTER, "system crm added (Customer contact, Dynamics 365 Customer Service, saas)"),
    (COLCHESTER, "system finance users 140 -> 160"),
    (MALDON, "organisation E07000074 added (Maldon District Council, district, population 65,401)"),
    (MALDON, "system finance added (Financial management, Unit4 ERP, saas)"),
], ids=["renamed", "contract-removed", "datacentre-shrunk", "system-removed", "moved-host", "extended", "system-added",
        "property", "organisation-added", "new-organisations-system"])
def test_a_sentence_for_each_planted_change(said: list[tuple[str, str]], group: str, sentence: str) -> None:
    assert (group, sentence) in said


def test_one_sentence_a_change_in_the_diffs_order(said: list[tuple[str, str]]) -> None:
    assert [group for group, _ in said] == [CATALOGUE_GROUP] + [BRAINTREE] * 4 + [COLCHESTER] * 3 + [MALDON] * 2


def test_the_other_way_round(schema: Schema) -> None:
    old, new = graph_at(AFTER), graph_at(BEFORE)
    said = dict((s.split(" (")[0].split(";")[0], g) for g, s in describe_changes(diff_graphs(old, new, schema), old, new, schema))
    assert said["system revs now runs NEC Revenues and Benefits"] == BRAINTREE
    assert said["contract c-revs-2021 brought forward from 2027-09-30 to 2026-09-30"] == COLCHESTER
    assert said["organisation E07000074 removed"] == MALDON       # the name of an organisation that left


def _pair() -> tuple[nx.MultiDiGraph, nx.MultiDiGraph]:
    old, new = nx.MultiDiGraph(), nx.MultiDiGraph()
    for graph in (old, new):
        graph.add_node(("Organisation", "o"), labels=["Organisation"], id="o", name="Oxbridge Council", source="o.yaml:2")
        graph.add_node(("Capability", "care"), labels=["Capability"], id="care", name="Adult social care")
    return old, new


def test_unknown_labels_and_relationship_types_get_the_generic_sentence(schema: Schema) -> None:
    """What another part of the project may add to schema.yaml (a Measure, REPORTS) is said
    in the generic words until it gets a phrasing of its own."""
    old, new = _pair()
    new.add_node(("Measure", "asc-1"), labels=["Measure"], id="asc-1", name="Satisfaction with care")
    new.add_edge(("Measure", "asc-1"), ("Capability", "care"), key="OF")
    for graph, value in ((old, 60.5), (new, 64)):
        graph.add_node(("ServiceLevel", "o/asc-1/2023"), labels=["ServiceLevel"], id="o/asc-1/2023", organisation="o", local_id="asc-1/2023",
                       value=value, source="o.yaml:9")
    new.add_edge(("Organisation", "o"), ("ServiceLevel", "o/asc-1/2023"), key="REPORTS")
    said = describe_changes(diff_graphs(old, new, schema), old, new, schema)
    assert said == [
        (CATALOGUE_GROUP, "measure asc-1 added (Satisfaction with care)"),
        ("Oxbridge Council", "organisation o now reports asc-1/2023"),
        ("Oxbridge Council", "service level asc-1/2023 value 60.5 -> 64"),
    ]


@pytest.mark.parametrize(("old_attrs", "new_attrs", "sentence"), [
    ({"name": "A"}, {"name": "A", "notes": "kept"}, "system s notes set to kept"),
    ({"name": "A", "version": "5"}, {"name": "A"}, "system s version 5 removed"),
    ({"name": "A", "bespoke": False}, {"name": "A", "bespoke": True}, "system s bespoke no -> yes"),
    ({"name": "A", "annual_cost": 10, "currency": "EUR"}, {"name": "A", "annual_cost": 12.5, "currency": "EUR"},
     "system s annual cost EUR 10 -> EUR 12.5"),
])
def test_generic_property_sentences(schema: Schema, old_attrs: dict[str, object], new_attrs: dict[str, object], sentence: str) -> None:
    old, new = _pair()
    old.add_node(("System", "o/s"), id="o/s", organisation="o", **old_attrs)
    new.add_node(("System", "o/s"), id="o/s", organisation="o", **new_attrs)
    assert describe_changes(diff_graphs(old, new, schema), old, new, schema) == [("Oxbridge Council", sentence)]


def test_a_relationship_whose_properties_change(schema: Schema) -> None:
    old, new = _pair()
    for graph, fte in ((old, 1.0), (new, 2.5)):
        graph.add_node(("Skill", "dba"), id="dba", name="Database administration")
        graph.add_edge(("Organisation", "o"), ("Skill", "dba"), key="HAS_SKILL", fte=fte)
    assert describe_changes(diff_graphs(old, new, schema), old, new, schema) == [
        ("Oxbridge Council", "organisation o has skill Database administration: fte 1 -> 2.5")]


def test_the_text_when_nothing_changed_and_when_a_load_leaves_organisations_alone(schema: Schema) -> None:
    old, new = _pair()
    diff = diff_graphs(old, new, schema, old_name="neo4j (database neo4j)", new_name="estate", left_out=["x", "y"])
    assert diff_text(diff, old, new, schema) == (
        "What changed from neo4j (database neo4j) to estate:\n"
        "(a load leaves alone, so not compared: x, y)\n"
        "  no change\n")


@pytest.mark.parametrize(("value", "words"), [
    (None, "none"), (True, "yes"), (1234567, "1,234,567"), (0.5, "0.5"), (2.0, "2"), (["a", "b"], "a, b"), ([], "none")])
def test_value_words(value: object, words: str) -> None:
    assert value_words(value) == words


@pytest.mark.parametrize(("label", "words"), [("DataCentre", "data centre"), ("ProcurementPlan", "procurement plan"),
                                              ("System", "system"), ("ServiceLevel", "service level")])
def test_label_words(label: str, words: str) -> None:
    assert label_words(label) == words
