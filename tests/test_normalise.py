"""Step 3: rows exactly as the graph holds them: keys, aliases, dates, provenance."""
from __future__ import annotations

import datetime as dt
import random

from ictgraph.graph_loader import NodeKey, rows_from_files
from tests.estates import CATALOGUE, files, spec_examples

INVENTORY = """\
format: ictgraph/v1
organisation: {id: E07000117, name: Burnley, type: district, nation: England}
systems:
  - {id: revs, name: Revenues, product: Civica Open Revenues, capabilities: [Council Tax, business_rates], hosting: on-premise, datacentre: dc1}
datacentres:
  - {id: dc1, name: Town Hall, racks: 4, racks_used: 2, annual_cost: 1000.5}
contracts:
  - {id: c1, supplier: Civica UK Ltd, covers: [revs], start: '2020-04-01', end: 2026-03-31, annual_value: 120000}
people:
  - {skill: Oracle database administration, fte: 0.5}
  - {skill: oracle-dba, fte: 0.25}
  - {role: head-of-ict, fte: 1}
procurement_plans:
  - {id: p1, capabilities: [council-tax], expected: 2027-01, estimated_value: 500000}
"""


def rows() -> tuple[dict[NodeKey, dict], dict[tuple[str, str, str], dict]]:
    nodes, edges = rows_from_files(files(catalogue=CATALOGUE, org=INVENTORY))
    return ({n.node_key: n.props() for n in nodes},
            {(e.type, e.start.key, e.end.key): e.props() for e in edges})


def test_owned_items_are_keyed_org_slash_local_with_owner_and_source() -> None:
    nodes, _ = rows()
    system = nodes[NodeKey("System", "E07000117/revs")]
    assert (system["id"], system["local_id"], system["organisation"]) == ("E07000117/revs", "revs", "E07000117")
    assert system["source"] == "org.yaml:4"


def test_aliases_resolve_to_catalogue_ids() -> None:
    _, edges = rows()
    assert ("INSTANCE_OF", "E07000117/revs", "civica/openrevenues") in edges
    assert ("SUPPORTS", "E07000117/revs", "council-tax") in edges
    assert ("SUPPORTS", "E07000117/revs", "business-rates") in edges
    assert ("WITH", "E07000117/c1", "civica") in edges


def test_dates_are_dates_and_money_is_numeric_with_currency() -> None:
    nodes, _ = rows()
    contract = nodes[NodeKey("Contract", "E07000117/c1")]
    assert contract["start_date"] == dt.date(2020, 4, 1) and contract["end_date"] == dt.date(2026, 3, 31)
    assert contract["annual_value"] == 120000 and contract["currency"] == "GBP"
    assert nodes[NodeKey("ProcurementPlan", "E07000117/p1")]["expected"] == dt.date(2027, 1, 1)


def test_skills_add_up_and_roles_become_organisation_properties() -> None:
    nodes, edges = rows()
    assert edges[("HAS_SKILL", "E07000117", "oracle-dba")] == {"fte": 0.75}
    organisation = nodes[NodeKey("Organisation", "E07000117")]
    assert (organisation["ict_roles"], organisation["ict_role_fte"]) == (("head-of-ict",), (1.0,))


def test_local_authorities_also_carry_the_council_label() -> None:
    nodes, _ = rows_from_files(spec_examples())
    labels = {n.key: n.labels for n in nodes if n.label == "Organisation"}
    assert labels == {"E06000005": ("Organisation", "Council"), "E06000047": ("Organisation", "Council"),
                      "E06000057": ("Organisation",)}


def test_bare_organisations_have_only_an_id() -> None:
    nodes, _ = rows_from_files(spec_examples())
    bare = next(n for n in nodes if n.key == "E06000057")
    assert bare.props() == {"id": "E06000057"}


def test_a_different_currency_is_kept_beside_the_amount() -> None:
    euro = INVENTORY.replace("format: ictgraph/v1\n", "format: ictgraph/v1\ncurrency: EUR\n")
    nodes, _ = rows_from_files(files(catalogue=CATALOGUE, org=euro))
    assert {n.props()["currency"] for n in nodes if n.label == "Contract"} == {"EUR"}


def test_rows_do_not_depend_on_file_or_document_order() -> None:
    estate = spec_examples()
    expected = rows_from_files(estate)
    shuffled = list(estate)
    random.Random(7).shuffle(shuffled)
    renamed_sources = [(name, data) for name, data in shuffled]
    assert rows_from_files(renamed_sources) == expected
