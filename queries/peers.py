"""Peer groups and distributions: with whom an organisation's figure is compared, and how.

Public entry points:

* :func:`population_band` and :func:`peer_keys`: the groups an organisation belongs to,
  narrowest first;
* :func:`assign_peer_groups` ``(organisations, ids, min_peers)``: each organisation's peer
  group among the organisations that have a value;
* :func:`distribution` ``(values)`` → :class:`Distribution` (quartiles, Tukey fences) and
  :meth:`Distribution.place` (quartile and outlier mark of one value).

Rules (``docs/benchmark.md``):

Peer groups
    Narrowest first: the same organisation type *and* population band; the same type; the
    same tier (``single tier``: unitary, metropolitan, London borough, Welsh principal,
    Scottish councils; ``upper tier``: county; ``lower tier``: district, Northern Ireland
    district). The first of these with at least ``min_peers`` organisations that have a value
    (the organisation itself included) is its peer group; with none, it has no peer group and
    is not compared. An organisation without a type has none; one without a population skips
    the band.
Population bands
    under 100k, 100k–250k, 250k–500k, 500k and over (lower bounds inclusive).
Quartiles
    ``statistics.quantiles(method="inclusive")``: linear interpolation between order
    statistics, the same as a spreadsheet's QUARTILE.INC and numpy's default.
Outliers
    Tukey's fences: above ``P75 + 1.5 × IQR`` is ``high``, below ``P25 − 1.5 × IQR`` is ``low``.
"""
from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ictgraph.queries.estate import Organisation

__all__ = ["BANDS", "FENCE", "MIN_PEERS", "TIERS", "Distribution", "assign_peer_groups", "distribution",
           "peer_keys", "population_band"]

MIN_PEERS = 5
FENCE = 1.5
BANDS: tuple[tuple[int, str], ...] = ((0, "under 100k"), (100_000, "100k-250k"), (250_000, "250k-500k"),
                                      (500_000, "500k and over"))
TIERS: Mapping[str, str] = {
    "unitary": "single tier", "metropolitan": "single tier", "london-borough": "single tier",
    "welsh-principal": "single tier", "scottish": "single tier", "county": "upper tier",
    "district": "lower tier", "ni-district": "lower tier",
}


def population_band(population: int | None) -> str | None:
    """The band of a population (None when unknown).

    >>> population_band(99_999), population_band(100_000), population_band(None)
    ('under 100k', '100k-250k', None)
    """
    if population is None:
        return None
    return [label for floor, label in BANDS if population >= floor][-1]


def peer_keys(organisation: Organisation) -> tuple[str, ...]:
    """The peer groups of an organisation, narrowest first, as labels.

    >>> from ictgraph.queries.estate import Organisation
    >>> peer_keys(Organisation("E07000117", "Burnley", "district", "England", None, 89344, (), True, True))
    ('district, under 100k', 'district', 'lower tier')
    """
    if organisation.type is None:
        return ()
    keys = []
    band = population_band(organisation.population)
    if band is not None:
        keys.append(f"{organisation.type}, {band}")
    keys.append(organisation.type)
    if organisation.type in TIERS:
        keys.append(TIERS[organisation.type])
    return tuple(keys)


def assign_peer_groups(organisations: Mapping[str, Organisation], ids: Iterable[str],
                       min_peers: int = MIN_PEERS) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Each of ``ids`` with a peer group: ``id → (label, sorted members)``.

    ``ids`` are the organisations that have a value for the figure compared; members are
    drawn from them only. Organisations with no group large enough are absent.

    Notes
    -----
    O(n·g) for n organisations and g ≤ 3 keys each.
    """
    chosen = sorted(set(ids))
    members: dict[str, list[str]] = {}
    for oid in chosen:
        for key in peer_keys(organisations[oid]):
            members.setdefault(key, []).append(oid)
    result = {}
    for oid in chosen:
        for key in peer_keys(organisations[oid]):
            if len(members[key]) >= min_peers:
                result[oid] = (key, tuple(members[key]))
                break
    return result


@dataclass(frozen=True)
class Distribution:
    """The spread of a peer group's values."""

    count: int
    p25: float
    median: float
    p75: float

    @property
    def fences(self) -> tuple[float, float]:
        """Tukey's fences: values outside are outliers."""
        spread = self.p75 - self.p25
        return self.p25 - FENCE * spread, self.p75 + FENCE * spread

    def place(self, value: float) -> tuple[int, str | None]:
        """The value's quartile (1–4; on a boundary, the lower one) and outlier mark.

        >>> distribution([1, 2, 3, 4, 100]).place(100)
        (4, 'high')
        """
        quartile = 1 + sum(value > bound for bound in (self.p25, self.median, self.p75))
        low, high = self.fences
        return quartile, "high" if value > high else "low" if value < low else None


def distribution(values: Sequence[float]) -> Distribution:
    """Quartiles of two or more values (inclusive method).

    >>> distribution([1, 2, 3, 4, 5])
    Distribution(count=5, p25=2.0, median=3.0, p75=4.0)
    """
    ordered = sorted(values)
    if len(ordered) < 2:
        raise ValueError(f"a distribution needs two or more values, got {len(ordered)}")
    p25, median, p75 = statistics.quantiles(ordered, n=4, method="inclusive")
    return Distribution(len(ordered), float(p25), float(median), float(p75))
