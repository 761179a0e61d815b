"""Tests of queries/clusters.py: same-product groups and similar-estate clusters."""
from __future__ import annotations

import itertools
from typing import Any

import networkx as nx
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from ictgraph.graph_loader import build_graph, rows_from_files
from ictgraph.queries.clusters import (
    clusters_document, clusters_table, estate_items, find_clusters, holders_by_item, jaccard_similarities,
    nearest_neighbours, similar_estate_communities,
)
from ictgraph.queries.render import to_json
from tests.synthetic_estate import adjusted_rand_index, generate_estate, run_with_hash_seeds, shuffle_estate


CATALOGUE = """\
format: ictgraph/v1
catalogue:
  vendors:
    - {id: capita, name: Capita}
    - {id: civica, name: Civica}
    - {id: unit4, name: Unit4}
    - {id: idox, name: Idox}
    - {id: mhr, name: MHR}
  products:
    - {id: capita/revenues, name: One Revenues and Benefits, vendor: capita}
    - {id: civica/openrevenues, name: OpenRevenues, vendor: civica}
    - {id: unit4/erp, name: Unit4 ERP, vendor: unit4, aliases: [Agresso]}
    - {id: idox/uniform, name: Uniform, vendor: idox}
    - {id: mhr/itrent, name: iTrent, vendor: mhr}
  capabilities:
    - {id: council-tax, name: Council tax}
    - {id: business-rates, name: Business rates}
    - {id: finance, name: Finance}
    - {id: planning, name: Planning}
    - {id: payroll, name: Payroll}
"""


def system(local: str, uses: str | None, capabilities: list[str]) -> dict[str, Any]:
    """A system: ``uses`` is a product, ``host:ORG/LOCAL`` or None (bespoke)."""
    item: dict[str, Any] = {"id": local, "name": local.title(), "capabilities": capabilities}
    if uses is None:
        item.update(bespoke=True, hosting="on-premise")
    elif uses.startswith("host:"):
        item.update(hosting="hosted-by-partner", host=uses[5:])
    else:
        item.update(product=uses, hosting="saas")
    return item


def inventory(org: str, *systems: dict[str, Any]) -> str:
    document = {"format": "ictgraph/v1", "organisation": {"id": org, "name": f"Council {org}", "type": "unitary"},
                "systems": list(systems)}
    return yaml.safe_dump(document, sort_keys=False)


def graph_of(*inventories: str) -> nx.MultiDiGraph:
    files = [("catalogue.yaml", CATALOGUE.encode())]
    files += [(f"org{n}.yaml", text.encode()) for n, text in enumerate(inventories)]
    return build_graph(*rows_from_files(files))


# A, B and C (hosted by A) run Capita for council tax; D is bespoke; E is alone on Civica.
MIXED = [
    inventory("A", system("revs", "capita/revenues", ["council-tax", "business-rates"]),
              system("erp", "unit4/erp", ["finance"])),
    inventory("B", system("revs", "capita/revenues", ["council-tax"]), system("erp", "Agresso", ["finance"]),
              system("plan", "idox/uniform", ["planning"])),
    inventory("C", system("revs", "host:A/revs", ["council-tax"]), system("erp", None, ["finance"])),
    inventory("D", system("revs", None, ["council-tax"]), system("erp", None, ["finance"])),
    inventory("E", system("revs", "civica/openrevenues", ["council-tax"]),
              system("plan", "idox/uniform", ["planning"])),
]


@pytest.fixture(scope="module")
def mixed() -> nx.MultiDiGraph:
    return graph_of(*MIXED)


def same_product(graph: nx.MultiDiGraph, **options: Any) -> dict[str, list[str]]:
    return {c.id: list(c.organisations) for c in find_clusters(graph, kinds=("same-product",), **options)}


def test_same_product_groups_are_exact_and_ordered(mixed: nx.MultiDiGraph) -> None:
    assert same_product(mixed) == {
        "same-product:council-tax:capita/revenues": ["A", "B", "C"],
        "same-product:finance:unit4/erp": ["A", "B"],
        "same-product:planning:idox/uniform": ["B", "E"],
    }
    assert list(same_product(mixed)) == sorted(same_product(mixed))


def test_partner_hosted_system_counts_on_the_hosts_product(mixed: nx.MultiDiGraph) -> None:
    assert "C" in same_product(mixed)["same-product:council-tax:capita/revenues"]


@pytest.mark.parametrize("estate", [
    [inventory("X", system("revs", None, ["council-tax"])), inventory("Y", system("revs", None, ["council-tax"]))],
    [inventory("X", system("revs", None, ["council-tax"])), inventory("Y", system("revs", "host:X/revs", ["council-tax"]))],
], ids=["two-bespoke", "hosted-on-bespoke"])
def test_bespoke_systems_never_cluster(estate: list[str]) -> None:
    assert find_clusters(graph_of(*estate)) == []


def test_a_product_used_by_one_organisation_is_no_group() -> None:
    graph = graph_of(inventory("X", system("a", "capita/revenues", ["council-tax"]),
                               system("b", "capita/revenues", ["council-tax"])),
                     inventory("Y", system("a", "civica/openrevenues", ["council-tax"])))
    assert find_clusters(graph) == []


@pytest.mark.parametrize(("core_share", "core"), [
    (0.8, ["council-tax|capita/revenues"]),
    (0.6, ["council-tax|capita/revenues", "finance|unit4/erp"]),
    (0.3, ["business-rates|capita/revenues", "council-tax|capita/revenues", "finance|unit4/erp",
           "planning|idox/uniform"]),
])
def test_core_stack_is_items_held_by_the_share_of_members(mixed: nx.MultiDiGraph, core_share: float,
                                                          core: list[str]) -> None:
    first = find_clusters(mixed, kinds=("same-product",), core_share=core_share)[0]
    assert (first.id, list(first.core)) == ("same-product:council-tax:capita/revenues", core)


def two_planted_groups() -> list[str]:
    """X1–X4 share one stack, Y1–Y4 another; X4 deviates once towards Y; Z is unique."""
    x_stack = [("revs", "capita/revenues", "council-tax"), ("erp", "unit4/erp", "finance"),
               ("pay", "mhr/itrent", "payroll")]
    y_stack = [("revs", "civica/openrevenues", "council-tax"), ("erp", None, "finance"),
               ("plan", "idox/uniform", "planning")]
    estate = []
    for group, stack in (("X", x_stack), ("Y", y_stack)):
        for n in range(1, 5):
            chosen = list(stack)
            if (group, n) == ("X", 4):
                chosen[0] = y_stack[0]
            estate.append(inventory(f"{group}{n}", *(system(s, p, [c]) for s, p, c in chosen)))
    estate.append(inventory("Z", system("revs", "capita/revenues", ["business-rates"])))
    return estate


def test_similar_estate_recovers_planted_groups_with_their_core() -> None:
    found = find_clusters(graph_of(*two_planted_groups()), kinds=("similar-estate",))
    assert [(c.id, c.kind, c.capability, c.product, list(c.organisations), list(c.core)) for c in found] == [
        ("similar-estate:1", "similar-estate", None, None, ["X1", "X2", "X3", "X4"],
         ["finance|unit4/erp", "payroll|mhr/itrent"]),
        ("similar-estate:2", "similar-estate", None, None, ["Y1", "Y2", "Y3", "Y4"],
         ["council-tax|civica/openrevenues", "planning|idox/uniform"]),
    ]


def test_json_document_has_exactly_the_agreed_shape(mixed: nx.MultiDiGraph) -> None:
    document = clusters_document(find_clusters(mixed))
    assert list(document) == ["clusters"]
    assert all(list(c) == ["id", "kind", "capability", "product", "organisations", "core"]
               for c in document["clusters"])
    assert document["clusters"][0] == {
        "id": "same-product:council-tax:capita/revenues", "kind": "same-product", "capability": "council-tax",
        "product": "capita/revenues", "organisations": ["A", "B", "C"], "core": ["council-tax|capita/revenues"]}
    assert [c["kind"] for c in document["clusters"]][-1] == "similar-estate"


def test_table_has_one_row_per_cluster(mixed: nx.MultiDiGraph) -> None:
    found = find_clusters(mixed)
    columns, rows = clusters_table(found)
    assert columns == ["id", "kind", "capability", "product", "size", "organisations", "core"]
    assert [row[0] for row in rows] == [c.id for c in found]
    assert rows[0][4] == 3


@pytest.mark.parametrize("options", [{"kinds": ("nearest",)}, {"k": 0}, {"core_share": 0}, {"core_share": 1.5}])
def test_bad_options_are_refused(mixed: nx.MultiDiGraph, options: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        find_clusters(mixed, **options)


items_by_org = st.dictionaries(st.sampled_from("ABCDEFGH"), st.lists(st.sampled_from("pqrstuvw"), max_size=6),
                               max_size=8)


@given(items_by_org)
def test_sparse_jaccard_equals_all_pairs(items: dict[str, list[str]]) -> None:
    expected: dict[str, dict[str, float]] = {org: {} for org in sorted(items)}
    for a, b in itertools.permutations(sorted(items), 2):
        shared = len(set(items[a]) & set(items[b]))
        if shared:
            expected[a][b] = shared / len(set(items[a]) | set(items[b]))
    assert jaccard_similarities(items) == expected


def test_nearest_neighbours_break_ties_by_id() -> None:
    similarities = {"A": {"D": 0.5, "B": 0.5, "C": 0.5, "E": 1.0}, "B": {}}
    assert nearest_neighbours(similarities, k=3) == {"A": [("E", 1.0), ("B", 0.5), ("C", 0.5)], "B": []}


@given(items_by_org, st.randoms(use_true_random=False))
@settings(max_examples=50)
def test_communities_do_not_depend_on_input_order(items: dict[str, list[str]], rng: Any) -> None:
    neighbours = nearest_neighbours(jaccard_similarities(items), k=3)
    keys = list(neighbours)
    rng.shuffle(keys)
    reordered = {org: list(reversed(neighbours[org])) for org in keys}
    assert similar_estate_communities(reordered, seed=7) == similar_estate_communities(neighbours, seed=7)


@pytest.fixture(scope="module")
def planted() -> dict[float, tuple[Any, nx.MultiDiGraph]]:
    estates = {}
    for adherence in (0.7, 0.5):
        estate = generate_estate(organisations=150, capabilities=30, clusters=10, adherence=adherence,
                                 contracts=False, seed=11)
        estates[adherence] = estate, build_graph(*rows_from_files(estate.files))
    return estates


@pytest.mark.parametrize(("adherence", "minimum"), [(0.7, 0.95), (0.5, 0.85)])
def test_planted_clusters_are_recovered(planted: dict[float, Any], adherence: float, minimum: float) -> None:
    estate, graph = planted[adherence]
    found = find_clusters(graph, kinds=("similar-estate",))
    predicted = {org: c.id for c in found for org in c.organisations}
    orgs = sorted(estate.planted)
    ari = adjusted_rand_index([estate.planted[o] for o in orgs], [predicted.get(o, o) for o in orgs])
    assert ari >= minimum


@pytest.mark.parametrize("adherence", [0.7, 0.5])
def test_same_product_groups_equal_the_generators_group_by(planted: dict[float, Any], adherence: float) -> None:
    estate, graph = planted[adherence]
    found = find_clusters(graph, kinds=("same-product",))
    assert {(c.capability, c.product): list(c.organisations) for c in found} == estate.same_product_truth()


def test_louvain_seeds_agree_on_planted_data(planted: dict[float, Any]) -> None:
    items = estate_items(planted[0.7][1])
    shared = holders_by_item(items, min_holders=2)
    neighbours = nearest_neighbours(jaccard_similarities({o: [i for i in x if i in shared] for o, x in items.items()}), 10)
    partitions = []
    for seed in range(10):
        found = similar_estate_communities(neighbours, seed=seed)
        partitions.append({org: members[0] for members in found for org in members})
    orgs = sorted(set().union(*partitions))
    scores = [adjusted_rand_index([a.get(o, o) for o in orgs], [b.get(o, o) for o in orgs])
              for a, b in itertools.combinations(partitions, 2)]
    assert sum(scores) / len(scores) >= 0.9


def small_synthetic() -> list[tuple[str, bytes]]:
    estate = generate_estate(organisations=60, capabilities=10, clusters=5, adherence=0.6, seed=5)
    mixed = [("mixed.yaml", "---\n".join([CATALOGUE, *MIXED]).encode())]  # several documents in one file
    return estate.files + mixed


def clusters_json(files: list[tuple[str, bytes]]) -> str:
    return to_json(clusters_document(find_clusters(build_graph(*rows_from_files(files)))))


@pytest.fixture(scope="module")
def reference() -> tuple[list[tuple[str, bytes]], str]:
    files = small_synthetic()
    return files, clusters_json(files)


@pytest.mark.parametrize("seed", [1, 2])
def test_output_is_byte_identical_after_shuffling_files_documents_and_lists(
        reference: tuple[list[tuple[str, bytes]], str], seed: int) -> None:
    files, expected = reference
    assert clusters_json(shuffle_estate(files, seed)) == expected


SCRIPT = """
from tests.synthetic_estate import generate_estate
from ictgraph.graph_loader import build_graph, rows_from_files
from ictgraph.queries.clusters import clusters_document, find_clusters
from ictgraph.queries.render import to_json
estate = generate_estate(organisations=60, capabilities=10, clusters=5, adherence=0.6, seed=5)
print(to_json(clusters_document(find_clusters(build_graph(*rows_from_files(estate.files))))), end="")
"""


def test_output_does_not_depend_on_the_hash_seed() -> None:
    first, second = run_with_hash_seeds(SCRIPT, "0", "4242")
    assert first == second and b"similar-estate:1" in first
