"""mySociety's register of UK local authorities, and buyer names resolved against it. Pure
apart from :func:`read_register`.

The register (``uk_local_authorities_current.csv`` or ``..._future.csv``) has one row per
past, current or announced authority, with its GSS code, dates and alternative spellings.
A buyer name resolves in tiers, stopping at the first tier that names any authority:

1. the whole name, folded (:func:`~graph_loader.imports.names.fold_name`), against every
   official name, short name and alternative spelling;
2. the whole name without the words for a council's kind ("Harrow Council" and "London
   Borough of Harrow" both serve "harrow");
3. a part of the name: the text before "(", the pieces between " - ", "," and "/", and the
   text up to the word "council" ("Suffolk County Council Passenger Transport").

Among the authorities a tier names, the notice's date decides: the one in office that day
(start ≤ date ≤ end; on a hand-over day, the newer one); if none was, the abolished
authority's single successor in office (``replaced-by``). Anything else is unresolved,
never guessed."""
from __future__ import annotations

import csv
import datetime as dt
import difflib
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from ictgraph.graph_loader.errors import UsageError
from ictgraph.graph_loader.imports.names import core_council_name, fold_name

__all__ = ["Authority", "AuthorityIndex", "BuyerMatch", "read_register"]

REQUIRED_COLUMNS = ("local-authority-code", "official-name", "gss-code", "start-date", "end-date",
                    "nation", "region", "local-authority-type")


@dataclass(frozen=True)
class Authority:
    """One row of the register."""

    code: str
    gss: str | None
    name: str
    nice_name: str
    kind: str
    kind_name: str
    nation: str | None
    region: str | None
    population: int | None
    start: dt.date | None
    end: dt.date | None
    replaced_by: tuple[str, ...]
    county: str | None
    alt_names: tuple[str, ...]

    @property
    def organisation_id(self) -> str:
        """The GSS code; the register's own stable code for the few rows without one."""
        return self.gss or self.code

    def serves_on(self, day: dt.date) -> bool:
        """In office on ``day`` (both ends inclusive: registers differ on which end they give)."""
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def is_current(self, day: dt.date) -> bool:
        """Started on or before ``day`` and not yet abolished on it."""
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass(frozen=True)
class BuyerMatch:
    """A buyer name resolved to an authority, or why not; ``how`` says which tier matched."""

    name: str
    authority: Authority | None
    how: str
    candidates: tuple[str, ...] = ()


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip()) if text.strip() else None
    except ValueError:
        return None


def _population(text: str) -> int | None:
    try:
        return round(float(text)) if text.strip() else None
    except ValueError:
        return None


def _authority(row: dict[str, str]) -> Authority:
    def get(key: str) -> str:
        return " ".join((row.get(key) or "").split())
    return Authority(
        code=get("local-authority-code"), gss=get("gss-code") or None, name=get("official-name"),
        nice_name=get("nice-name"), kind=get("local-authority-type"),
        kind_name=get("local-authority-type-name"), nation=get("nation") or None,
        region=get("region") or None, population=_population(get("pop-2020")),
        start=_date(get("start-date")), end=_date(get("end-date")),
        replaced_by=tuple(c.strip() for c in get("replaced-by").split(",") if c.strip()),
        county=get("county-la") or None,
        alt_names=tuple(n.strip() for n in (row.get("alt-names") or "").split(",") if n.strip()))


def read_register(path: Path) -> list[Authority]:
    """Every row of a mySociety register CSV; :class:`UsageError` if it is not one."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise UsageError(f'cannot read the register "{path}": {exc}') from exc
    if missing:
        raise UsageError(f'"{path}" is not a register of local authorities: no column {", ".join(missing)}',
                         "give mySociety's uk_local_authorities_current.csv (or ..._future.csv)")
    return [_authority(row) for row in rows if (row.get("local-authority-code") or "").strip()]


def _name_parts(name: str) -> list[str]:
    """The parts of a buyer name that tier 3 tries, in order.

    >>> _name_parts("Suffolk County Council Passenger Transport")
    ['Suffolk County Council']
    >>> _name_parts("Caerphilly County Borough Council - Education")
    ['Caerphilly County Borough Council', 'Education', 'Caerphilly County Borough Council']
    """
    before_aside = name.split("(")[0]
    pieces = [p for p in re.split(r"\s+-\s+|,|/", before_aside) if p.strip()]
    up_to_council = re.findall(r"^(.*?\bcouncil)\b", name, flags=re.IGNORECASE)
    return [p.strip() for p in [before_aside, *pieces, *up_to_council] if p.strip() != name.strip()]


class AuthorityIndex:
    """Buyer names to authorities, through every spelling the register knows."""

    def __init__(self, authorities: list[Authority]) -> None:
        self.by_code = {a.code: a for a in authorities}
        self._exact: dict[str, set[str]] = defaultdict(set)
        self._core: dict[str, set[str]] = defaultdict(set)
        self._spellings = {fold_name(n): a.name for a in authorities for n in (a.name, *a.alt_names)}
        self._by_word: dict[str, set[str]] = defaultdict(set)
        for spelling in self._spellings:
            for word in core_council_name(spelling).split():
                self._by_word[word].add(spelling)
        self._hints: dict[str, tuple[str, ...]] = {}
        for a in authorities:
            for spelling in (a.name, a.nice_name, *a.alt_names):
                if spelling:
                    self._exact[fold_name(spelling)].add(a.code)
                    if core := core_council_name(spelling):
                        self._core[core].add(a.code)

    def _tiers(self, name: str) -> list[tuple[str, set[str]]]:
        tiers = [("name", self._exact.get(fold_name(name), set())),
                 ("name without council words", self._core.get(core_council_name(name), set()))]
        for part in _name_parts(name):
            tiers.append((f"part of the name: {part!r}", self._exact.get(fold_name(part), set())
                          or self._core.get(core_council_name(part), set())))
        return tiers

    def resolve(self, name: str, on: dt.date) -> BuyerMatch:
        """The authority ``name`` meant on ``on``; ``authority`` is None if not exactly one."""
        for how, codes in self._tiers(name):
            if codes:
                return self._by_date(name, how, sorted(codes), on)
        return BuyerMatch(name, None, "no authority of that name", self._closest(name))

    def _closest(self, name: str) -> tuple[str, ...]:
        """Names like ``name`` that share a word with it, for the report (never to resolve)."""
        if name not in self._hints:
            near = {s for word in core_council_name(name).split() for s in self._by_word.get(word, ())}
            matches = difflib.get_close_matches(fold_name(name), sorted(near), n=3, cutoff=0.6)
            self._hints[name] = tuple(dict.fromkeys(self._spellings[m] for m in matches))
        return self._hints[name]

    def _by_date(self, name: str, how: str, codes: list[str], on: dt.date) -> BuyerMatch:
        found = [self.by_code[c] for c in codes]
        serving = [a for a in found if a.serves_on(on)]
        if serving:
            newest = max(serving, key=lambda a: a.start or dt.date.min)
            if sum(1 for a in serving if a.start == newest.start) == 1:
                return BuyerMatch(name, newest, how)
            return BuyerMatch(name, None, f"{how}: several authorities in office on {on}", tuple(codes))
        successors = {s for a in found for s in self._successors(a, on)}
        if len(successors) == 1:
            chosen = self.by_code[successors.pop()]
            return BuyerMatch(name, chosen, f"{how}, abolished by {on}: its successor")
        what = "its successors are several" if successors else "no authority of that name was in office"
        return BuyerMatch(name, None, f"{how}: {what} on {on}", tuple(codes))

    def _successors(self, authority: Authority, on: dt.date, depth: int = 0) -> set[str]:
        found: set[str] = set()
        for code in authority.replaced_by:
            successor = self.by_code.get(code)
            if successor is None or depth > 5:
                continue
            found |= {code} if successor.serves_on(on) else self._successors(successor, on, depth + 1)
        return found
