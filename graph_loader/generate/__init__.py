"""A seeded generator of realistic national-scale estates, with the truth it planted.

``generate_estate`` is pure: it returns ``(name, text)`` files in the inventory format and a
JSON-ready truth document (planted clusters, same-product groups, procurement windows);
``write_estate`` is the one file-system step. The same arguments give byte-identical files.

>>> estate = generate_estate(organisations=4, systems_per_org=3, seed=1)
>>> [name for name, _ in estate.files][:2]
['catalogue.yaml', 'organisations/england/E06000001.yaml']
>>> sorted(estate.truth)
['clusters', 'parameters', 'same_product', 'windows']
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ictgraph.graph_loader.generate.catalogue import build_catalogue
from ictgraph.graph_loader.generate.emit import catalogue_text, inventory_text
from ictgraph.graph_loader.generate.estate import Estate, build_systems, plant_windows
from ictgraph.graph_loader.generate.organisations import Organisation, build_organisations

__all__ = ["TRUTH_FILE", "GeneratedEstate", "generate_estate", "write_estate"]
TRUTH_FILE = "truth.json"


@dataclass(frozen=True)
class GeneratedEstate:
    """The files of a generated estate and the truth it was generated from."""

    files: list[tuple[str, str]]
    truth: dict[str, Any]


def _same_product(estate: Estate) -> list[dict[str, Any]]:
    """The exact group-by: (capability, product) → organisations, two or more only; a
    partner-hosted system counts on its host's product, bespoke software on none."""
    groups: dict[tuple[str, str], set[str]] = {}
    for org, systems in estate.systems.items():
        for system in systems:
            if system.product is not None:
                groups.setdefault((system.capability, system.product), set()).add(org)
    return [{"capability": c, "product": p, "organisations": sorted(orgs)}
            for (c, p), orgs in sorted(groups.items()) if len(orgs) >= 2]


def _truth(parameters: dict[str, Any], organisations: list[Organisation], estate: Estate) -> dict[str, Any]:
    clusters: dict[str, list[str]] = {}
    for org in organisations:
        clusters.setdefault(org.cluster, []).append(org.id)
    return {"parameters": parameters,
            "clusters": {c: sorted(members) for c, members in sorted(clusters.items())},
            "same_product": _same_product(estate), "windows": estate.windows}


def _file_name(org: Organisation) -> str:
    return f"organisations/{org.nation.lower().replace(' ', '-')}/{org.id}.yaml"


def generate_estate(*, organisations: int, systems_per_org: int, seed: int = 0, adherence: float = 0.8,
                    zipf_exponent: float = 1.0, bespoke_share: float = 0.02, hosted_share: float = 0.04,
                    cluster_size: int = 12, windows: int | None = None) -> GeneratedEstate:
    """A seeded estate of ``organisations`` councils running ``systems_per_org`` systems each.

    ``windows`` planted procurement windows (default: one per ten organisations, at least one).
    """
    if organisations < 1 or systems_per_org < 1:
        raise ValueError("organisations and systems_per_org must be at least 1")
    window_count = max(1, organisations // 10) if windows is None else windows
    parameters: dict[str, Any] = {"organisations": organisations, "systems_per_org": systems_per_org, "seed": seed,
                  "adherence": adherence, "zipf_exponent": zipf_exponent, "bespoke_share": bespoke_share,
                  "hosted_share": hosted_share, "cluster_size": cluster_size,
                  "windows": window_count,
                  "windows_as_of": "2025-01-01", "windows_months": 12}
    rng = random.Random(seed)
    catalogue = build_catalogue(rng, systems_per_org, zipf_exponent)
    orgs = build_organisations(rng, organisations, cluster_size)
    datacentres = {o.id: rng.random() < 0.6 for o in orgs}
    estate = build_systems(rng, catalogue, orgs, systems_per_org=systems_per_org, adherence=adherence,
                           bespoke_share=bespoke_share, hosted_share=hosted_share, datacentres=datacentres)
    plant_windows(rng, estate, orgs, window_count)
    files = [("catalogue.yaml", catalogue_text(catalogue))]
    files += sorted((_file_name(o), inventory_text(rng, o, estate.systems[o.id], datacentres[o.id])) for o in orgs)
    return GeneratedEstate(files, _truth(parameters, orgs, estate))


def write_estate(estate: GeneratedEstate, out_dir: Path) -> int:
    """Write the files under ``out_dir`` and ``truth.json`` beside them; the bytes written."""
    written = 0
    for name, text in [*estate.files, (TRUTH_FILE, json.dumps(estate.truth, indent=1, sort_keys=True) + "\n")]:
        path = out_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode()
        path.write_bytes(data)
        written += len(data)
    return written
