"""The programme's model split into independent blocks, so that each is solved on its own.

Parts that share no row never interact: a revenues platform in Lancashire and a data-centre
move in Wales are separate problems. :func:`blocks` finds the connected components of the
parts under the rows (columns fixed at zero are left out: they are zero) and packs the small
ones together, in a canonical order, into blocks of about :data:`BLOCK_COLUMNS` columns: a
national estate becomes a few hundred small models instead of one large one, and HiGHS's
presolve and heuristics work on each at its own scale.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ictgraph.queries.plan.model import Row

__all__ = ["BLOCK_COLUMNS", "Block", "blocks"]

BLOCK_COLUMNS = 200


@dataclass(frozen=True)
class Block:
    """Columns (global part indexes, sorted) and their rows, re-indexed to the block's columns."""

    columns: tuple[int, ...]
    rows: tuple[Row, ...]


def _components(size: int, rows: Sequence[Row], free: Sequence[bool]) -> list[list[int]]:
    parent = list(range(size))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for coefficients, _, _, _ in rows:
        live = [i for i, _ in coefficients if free[i]]
        for other in live[1:]:
            a, b = root(live[0]), root(other)
            if a != b:
                parent[max(a, b)] = min(a, b)
    found: dict[int, list[int]] = {}
    for i in range(size):
        if free[i]:
            found.setdefault(root(i), []).append(i)
    return sorted(found.values(), key=lambda c: c[0])


def _local(rows: Sequence[Row], columns: Sequence[int], free: Sequence[bool],
           pairs: dict[tuple[int, float], tuple[int, float]]) -> tuple[Row, ...]:
    """``rows`` re-indexed to ``columns``. Blocks are small and coefficients mostly ±1, so the
    same few thousand ``(position, coefficient)`` pairs recur across a million terms: each
    is kept once, in ``pairs``."""
    position = {c: k for k, c in enumerate(columns)}
    local = []
    for coefficients, lower, upper, name in rows:
        kept = tuple(pairs.setdefault(pair, pair) for pair in
                     ((position[i], c) for i, c in coefficients if free[i] and i in position))
        if kept:
            local.append((kept, lower, upper, name))
    return tuple(local)


def blocks(size: int, rows: Sequence[Row], upper: Sequence[float], *,
           block_columns: int = BLOCK_COLUMNS) -> list[Block]:
    """The independent blocks of a model of ``size`` columns, in a canonical order.

    Notes
    -----
    Near-linear: one union-find pass over the rows' coefficients, one pass to re-index.
    """
    free = [u > 0 for u in upper]
    row_of: dict[int, list[int]] = {}
    for r, (coefficients, _, _, _) in enumerate(rows):
        first = next((i for i, _ in coefficients if free[i]), None)
        if first is not None:
            row_of.setdefault(first, []).append(r)
    packed, current = [], []
    for component in _components(size, rows, free):
        current += component
        if len(current) >= block_columns:
            packed.append(current)
            current = []
    if current:
        packed.append(current)
    result, pairs = [], {}
    for columns in packed:
        mine = sorted(r for c in columns for r in row_of.get(c, ()))
        result.append(Block(tuple(sorted(columns)), _local([rows[r] for r in mine], sorted(columns), free, pairs)))
    return result
