"""The generated organisations: types and tiers in UK proportions, GSS-like ids, regions,
neighbours and planted clusters.

Pure: a seeded :class:`random.Random` in, plain data out.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import pairwise

# (type, GSS prefix, nation, tier, weight, population range): weights follow the UK's
# principal councils (164 districts, 21 counties, 62 unitaries, 36 metropolitan boroughs,
# 33 London boroughs, 22 Welsh principal councils, 32 Scottish councils, 11 NI districts).
TYPES = (
    ("district", "E07", "England", "district", 164, (40_000, 180_000)),
    ("county", "E10", "England", "county", 21, (450_000, 1_500_000)),
    ("unitary", "E06", "England", "all-purpose", 62, (100_000, 550_000)),
    ("metropolitan", "E08", "England", "all-purpose", 36, (150_000, 1_150_000)),
    ("london-borough", "E09", "England", "all-purpose", 33, (150_000, 400_000)),
    ("welsh-principal", "W06", "Wales", "all-purpose", 22, (60_000, 390_000)),
    ("scottish", "S12", "Scotland", "all-purpose", 32, (20_000, 640_000)),
    ("ni-district", "N09", "Northern Ireland", "all-purpose", 11, (100_000, 350_000)),
)
REGIONS = {
    "England": ("North East", "North West", "Yorkshire and The Humber", "East Midlands", "West Midlands",
                "East of England", "London", "South East", "South West"),
    "Wales": ("Wales",), "Scotland": ("Scotland",), "Northern Ireland": ("Northern Ireland",),
}


@dataclass(frozen=True)
class Organisation:
    """One generated council; ``cluster`` is its planted similar-estate cluster."""

    id: str
    name: str
    type: str
    nation: str
    region: str
    tier: str
    population: int
    cluster: str
    neighbours: tuple[str, ...]


def _type_sequence(count: int) -> list[int]:
    """Indexes into TYPES for ``count`` organisations, in UK proportions (largest remainder)."""
    total = sum(t[4] for t in TYPES)
    quotas = [count * t[4] / total for t in TYPES]
    chosen = [int(q) for q in quotas]
    by_remainder = sorted(range(len(TYPES)), key=lambda i: (chosen[i] - quotas[i], i))
    for i in by_remainder[: count - sum(chosen)]:
        chosen[i] += 1
    return [i for i, n in enumerate(chosen) for _ in range(n)]


def _region(nation: str, number: int) -> str:
    regions = REGIONS[nation]
    if nation == "England" and len(regions) > 1:
        return regions[number % len(regions)]
    return regions[0]


def _clusters_of(members: list[int], cluster_size: int, label: str) -> dict[int, str]:
    count = max(1, round(len(members) / cluster_size))
    return {m: f"{label}-{k % count:02d}" for k, m in enumerate(members)}


def build_organisations(rng: random.Random, count: int, cluster_size: int = 12) -> list[Organisation]:
    """``count`` councils; clusters are planted within a tier (a county and a district run
    different capabilities, so they cannot share an estate); neighbours are adjacent councils
    of the same region."""
    kinds = _type_sequence(count)
    counters: dict[str, int] = {}
    drafts = []
    for number, kind in enumerate(kinds):
        name, prefix, nation, tier, _, (low, high) = TYPES[kind]
        counters[prefix] = counters.get(prefix, 0) + 1
        org = f"{prefix}{counters[prefix]:06d}"
        drafts.append((org, name, nation, _region(nation, counters[prefix]), tier, rng.randint(low, high)))
    tiers: dict[str, list[int]] = {}
    for i, draft in enumerate(drafts):
        tiers.setdefault(draft[4], []).append(i)
    cluster = {i: c for tier, members in sorted(tiers.items()) for i, c in _clusters_of(members, cluster_size, tier).items()}
    regions: dict[str, list[int]] = {}
    for i, draft in enumerate(drafts):
        regions.setdefault(draft[3], []).append(i)
    neighbours: dict[int, list[str]] = {i: [] for i in range(count)}
    for members in regions.values():
        for a, b in pairwise(members):
            neighbours[a].append(drafts[b][0])
            neighbours[b].append(drafts[a][0])
    return [Organisation(org, f"Synthetic {name.replace('-', ' ')} council {org}", name, nation, region, tier,
                         population, cluster[i], tuple(sorted(neighbours[i])))
            for i, (org, name, nation, region, tier, population) in enumerate(drafts)]
