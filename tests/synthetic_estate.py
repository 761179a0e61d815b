"""A seeded synthetic estate with planted clusters, written as YAML file contents.

Not a test module: tests import it to build estates that pass the real validator and
whose true same-product groups and planted similar-estate clusters are known.

The generator follows the benchmark of ``shared/notes/analytics.md`` §1: a catalogue of
``capabilities`` capabilities, each with 3–8 products whose market shares follow Zipf's
law; ``organisations`` organisations split round-robin into ``clusters`` planted
clusters; each cluster has a stack (one product per capability, drawn uniformly so that
clusters differ); per capability an organisation follows its cluster's stack with
probability ``adherence``, otherwise it picks a product by market share. A small share
of systems is bespoke (no product) or hosted by an earlier organisation running the
chosen product (the tenant counts on the host's product). Each system running a product
directly has a contract with the product's vendor; a share of the organisations write in
euros (``currency: EUR``) and have a procurement plan.

>>> estate = generate_estate(organisations=6, capabilities=3, clusters=2, seed=1)
>>> [name for name, _ in estate.files][:2]
['catalogue.yaml', 'orgs/SYN0000.yaml']
>>> sorted(estate.planted) == sorted(estate.products)
True
"""
from __future__ import annotations

import datetime as dt
import os
import random
import subprocess
import sys
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from math import comb
from pathlib import Path
from typing import Any

import yaml

FORMAT = "ictgraph/v1"
ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2025, 4, 1)


@dataclass(frozen=True)
class SyntheticEstate:
    """Generated files and the truth they were generated from.

    ``products[org][capability]`` is the product the organisation runs for the capability
    (None for bespoke software); ``planted[org]`` its planted cluster number.
    """

    files: list[tuple[str, bytes]]
    planted: dict[str, int]
    products: dict[str, dict[str, str | None]] = field(repr=False)

    def same_product_truth(self) -> dict[tuple[str, str], list[str]]:
        """The exact group-by: (capability, product) → sorted organisations, ≥ 2 only."""
        groups: dict[tuple[str, str], set[str]] = {}
        for org, stack in self.products.items():
            for capability, product in stack.items():
                if product is not None:
                    groups.setdefault((capability, product), set()).add(org)
        return {key: sorted(orgs) for key, orgs in sorted(groups.items()) if len(orgs) >= 2}


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _dump(document: dict[str, Any]) -> str:
    return yaml.dump(document, Dumper=_DUMPER, sort_keys=False, allow_unicode=True)


def _catalogue(rng: random.Random, capabilities: int, vendors: int) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The catalogue document and, per capability, its products in market-share order."""
    vendor_ids = [f"vendor-{v:02d}" for v in range(vendors)]
    products, by_capability, capability_rows = [], {}, []
    for c in range(capabilities):
        capability = f"cap-{c:02d}"
        capability_rows.append({"id": capability, "name": f"Capability {c:02d}"})
        ids = []
        for p in range(rng.randint(3, 8)):
            vendor = rng.choice(vendor_ids)
            ids.append(f"{vendor}/{capability}-p{p}")
            products.append({"id": ids[-1], "name": f"Product {p} for capability {c:02d}", "vendor": vendor})
        by_capability[capability] = ids
    catalogue = {"vendors": [{"id": v, "name": f"Vendor {v[-2:]}"} for v in vendor_ids],
                 "products": products, "capabilities": capability_rows}
    return {"format": FORMAT, "catalogue": catalogue}, by_capability


def _zipf_weights(count: int, exponent: float) -> list[float]:
    return [1.0 / (rank + 1) ** exponent for rank in range(count)]


def _contract(rng: random.Random, system: str, product: str, index: int) -> dict[str, Any]:
    start = dt.date(rng.randint(2018, 2024), rng.choice([1, 4, 7, 10]), 1)
    end = dt.date(start.year + rng.randint(3, 7), start.month, 1) - dt.timedelta(days=1)
    return {"id": f"k-{index:03d}", "supplier": product.split("/")[0], "covers": [system],
            "start": start, "end": end, "notice_months": rng.choice([3, 6, 12]),
            "annual_value": rng.randint(10, 500) * 1000}


def _system(org: str, capability: str, product: str | None, host: str | None) -> dict[str, Any]:
    system: dict[str, Any] = {"id": f"s-{capability}", "name": f"{capability} system", "capabilities": [capability]}
    if host is not None:
        system.update(hosting="hosted-by-partner", host=f"{host}/s-{capability}")
    elif product is None:
        system.update(bespoke=True, hosting="on-premise")
    else:
        system.update(product=product, hosting="saas")
    return system


def _plan(rng: random.Random, capabilities: list[str]) -> dict[str, Any]:
    return {"id": "plan-1", "capabilities": [rng.choice(capabilities)],
            "expected": f"{rng.randint(2025, 2030)}-{rng.randint(1, 12):02d}",
            "estimated_value": rng.randint(1, 40) * 50000, "open_to_partners": rng.random() < 0.5}


def _inventory(org: str, number: int, systems: list[dict[str, Any]], deals: list[dict[str, Any]],
               euros: bool) -> dict[str, Any]:
    document: dict[str, Any] = {"format": FORMAT}
    if euros:
        document["currency"] = "EUR"
    document["organisation"] = {"id": org, "name": f"Synthetic council {number}", "type": "unitary",
                                "nation": "England"}
    document["systems"] = systems
    if deals:
        document["contracts"] = deals
    return document


def generate_estate(*, organisations: int = 300, capabilities: int = 40, clusters: int = 20,
                    adherence: float = 0.7, zipf_exponent: float = 1.0, bespoke_share: float = 0.02,
                    hosted_share: float = 0.05, vendors: int = 12, contracts: bool = True,
                    euro_share: float = 0.0, plan_share: float = 0.0, seed: int = 0) -> SyntheticEstate:
    """A seeded synthetic estate: one catalogue file and one inventory file per organisation."""
    rng = random.Random(seed)
    catalogue, by_capability = _catalogue(rng, capabilities, vendors)
    stacks = [{c: rng.choice(ids) for c, ids in by_capability.items()} for _ in range(clusters)]
    files = [("catalogue.yaml", _dump(catalogue).encode())]
    planted: dict[str, int] = {}
    products: dict[str, dict[str, str | None]] = {}
    runners: dict[tuple[str, str], str] = {}  # first organisation running a product directly
    for o in range(organisations):
        org, cluster = f"SYN{o:04d}", o % clusters
        planted[org], products[org] = cluster, {}
        systems: list[dict[str, Any]] = []
        deals: list[dict[str, Any]] = []
        for capability, ids in by_capability.items():
            product: str | None = stacks[cluster][capability]
            if rng.random() >= adherence:
                product = rng.choices(ids, weights=_zipf_weights(len(ids), zipf_exponent))[0]
            if rng.random() < bespoke_share:
                product = None
            host = runners.get((capability, product or "")) if rng.random() < hosted_share else None
            products[org][capability] = product
            systems.append(_system(org, capability, product, host))
            if product is not None and host is None:
                runners.setdefault((capability, product), org)
                if contracts:
                    deals.append(_contract(rng, f"s-{capability}", product, len(deals)))
        document = _inventory(org, o, systems, deals, rng.random() < euro_share)
        if rng.random() < plan_share:
            document["procurement_plans"] = [_plan(rng, sorted(by_capability))]
        files.append((f"orgs/{org}.yaml", _dump(document).encode()))
    return SyntheticEstate(files, planted, products)


def _shuffle_lists(value: Any, rng: random.Random) -> Any:
    if isinstance(value, dict):
        return {key: _shuffle_lists(item, rng) for key, item in value.items()}
    if isinstance(value, list):
        items = [_shuffle_lists(item, rng) for item in value]
        rng.shuffle(items)
        return items
    return value


def shuffle_estate(files: Sequence[tuple[str, bytes]], seed: int) -> list[tuple[str, bytes]]:
    """The same estate with its files, the documents in each file and every list shuffled.

    >>> shuffle_estate([("a.yaml", b"format: x\\nl: [1, 2, 3]\\n---\\nformat: y\\n")], seed=3)[0][0]
    'a.yaml'
    """
    rng = random.Random(seed)
    shuffled = []
    for name, data in files:
        documents = [_shuffle_lists(d, rng) for d in yaml.load_all(data.decode(), Loader=_LOADER)]
        rng.shuffle(documents)
        text = yaml.dump_all(documents, Dumper=_DUMPER, sort_keys=False, allow_unicode=True)
        shuffled.append((name, text.encode()))
    rng.shuffle(shuffled)
    return shuffled


def adjusted_rand_index(truth: Sequence[Hashable], predicted: Sequence[Hashable]) -> float:
    """Hubert and Arabie's adjusted Rand index of two labelings of the same items.

    >>> adjusted_rand_index([0, 0, 1, 1], [5, 5, 7, 7])
    1.0
    >>> round(adjusted_rand_index([0, 0, 1, 1], [0, 1, 0, 1]), 9)
    -0.5
    """
    pairs = Counter(zip(truth, predicted))
    index = sum(comb(n, 2) for n in pairs.values())
    rows = sum(comb(n, 2) for n in Counter(truth).values())
    cols = sum(comb(n, 2) for n in Counter(predicted).values())
    expected = rows * cols / comb(len(truth), 2)
    maximum = (rows + cols) / 2
    return 1.0 if maximum == expected else (index - expected) / (maximum - expected)


def run_with_hash_seeds(script: str, *hash_seeds: str) -> list[bytes]:
    """The standard output of ``script`` run at once under each ``PYTHONHASHSEED``."""
    path = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    runs = [subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE,
                             env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": path})
            for seed in hash_seeds]
    outputs = [run.communicate()[0] for run in runs]
    if any(run.returncode for run in runs):
        raise RuntimeError(f"the script failed under PYTHONHASHSEED {hash_seeds}")
    return outputs
