"""Hypothesis strategies for valid ictgraph estates, as YAML files.

Not a test module. :func:`estates` draws an :class:`Estate` (a catalogue and one to three
organisations with systems, contracts, data centres, networks, people, policies and plans)
that obeys every rule of the inventory format, written with ``yaml.safe_dump``. References
use ids, names, aliases and re-cased spellings; ``ORG/LOCAL`` keys name other organisations'
systems and data centres; some organisations are split over two documents, some write in
euros. Names mix awkward characters in: quotes, backticks, ``$``, braces, tabs, newlines
and any printable Unicode. The mutations that break such estates live in ``test_fuzz.py``.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import yaml
from hypothesis import strategies as st

FORMAT = "ictgraph/v1"
FORMAT_V11 = "ictgraph/v1.1"    # its contracts may name capabilities instead of, or beside, systems
_DIGITS = "0123456789"
_LOWER = "abcdefghijklmnopqrstuvwxyz" + _DIGITS
_ALNUM = _LOWER + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
HOSTINGS = ["on-premise", "private-cloud", "public-cloud", "saas"]
ORGANISATION_TYPES = ["unitary", "county", "district", "metropolitan", "london-borough", "welsh-principal",
                      "scottish", "ni-district", "combined-authority", "fire", "police", "health", "other"]
NATIONS = ["England", "Wales", "Scotland", "Northern Ireland", "other"]
ROLES = ["head-of-ict", "ict-manager", "architect", "security-lead", "other"]
AWKWARD = list("\t\n'\"`$\\{}[]#&*!|>%@:,-?") + ["${HOME}", "$(id)", "'})//", "Ynys Môn", "雅典", "أثينا", "👩‍💻"]
_FOLD = re.compile(r"[\s_-]+")


def fold(text: str) -> str:
    """The spec's folding: case-insensitive, runs of spaces, hyphens and underscores as one."""
    return _FOLD.sub(" ", text.strip().casefold())


# Any printable text (no surrogates, no C0/C1 controls: PyYAML's emitter writes U+0085
# raw and reads it back as a line break) with awkward pieces mixed in.
_characters = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from(["\t", "\n"])
texts = st.lists(_characters | st.sampled_from(AWKWARD), max_size=12).map("".join)
names = texts.filter(lambda s: s.strip() != "")
money = st.integers(0, 10**9) | st.floats(0, 1e9, allow_nan=False, allow_infinity=False)
dates = st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31))


def _identifier(first: str, rest: str, longest: int) -> st.SearchStrategy[str]:
    """Cheaper than ``st.from_regex``: a first character, then up to ``longest`` more."""
    return st.tuples(st.sampled_from(first), st.text(rest, max_size=longest)).map("".join)


org_ids = st.tuples(st.sampled_from("EWSN"), st.text(_DIGITS, min_size=8, max_size=8)).map("".join)
local_ids = _identifier(_ALNUM, _ALNUM + "._-", 11)                # ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$
slugs = _identifier(_LOWER, _LOWER + "-", 9)                       # ^[a-z0-9][a-z0-9-]*$
product_ids = st.tuples(slugs, slugs).map("/".join)


def _ids(strategy: st.SearchStrategy[str], count: int) -> st.SearchStrategy[list[str]]:
    return st.lists(strategy, min_size=count, max_size=count, unique=True)


@dataclass
class Estate:
    """A valid estate: its documents per file, and the YAML text of each file."""

    documents: dict[str, list[dict[str, Any]]]

    def files(self) -> list[tuple[str, bytes]]:
        return [(name, dump(docs)) for name, docs in self.documents.items()]


def dump(documents: list[Any]) -> bytes:
    return yaml.safe_dump_all(documents, allow_unicode=True, sort_keys=False).encode("utf-8")


class _Catalogue:
    """Entries of one catalogue kind whose ids, names and aliases never fold together."""

    def __init__(self) -> None:
        self.entries: list[dict[str, Any]] = []
        self.folded: set[str] = set()

    def add(self, entry: dict[str, Any]) -> bool:
        words = [entry["id"], entry["name"], *entry.get("aliases", [])]
        folded = [fold(w) for w in words]
        if any(f in self.folded for f in folded):  # one entry may repeat itself; others may not
            return False
        self.folded.update(folded)
        self.entries.append(entry)
        return True

    def spellings(self, entry: dict[str, Any]) -> list[str]:
        """Every way an inventory may refer to the entry."""
        words = [entry["id"], entry["name"], *entry.get("aliases", [])]
        return [w for w in words if w.strip()] + [entry["id"].upper().replace("-", " _ ")]


def _draw_kind(draw: st.DrawFn, count: int) -> _Catalogue:
    catalogue = _Catalogue()
    for local in draw(_ids(slugs, count)):
        entry: dict[str, Any] = {"id": local, "name": draw(names)}
        if draw(st.booleans()):
            entry["aliases"] = draw(st.lists(names, max_size=2))
        catalogue.add(entry)
    return catalogue


def _refer(draw: st.DrawFn, catalogue: _Catalogue) -> str:
    return draw(st.sampled_from(catalogue.spellings(draw(st.sampled_from(catalogue.entries)))))


@st.composite
def catalogues(draw: st.DrawFn) -> dict[str, _Catalogue]:
    vendors = _draw_kind(draw, draw(st.integers(1, 3)))
    skills = _draw_kind(draw, draw(st.integers(0, 2)))
    products = _Catalogue()
    for local in draw(_ids(product_ids, draw(st.integers(1, 4)))):
        entry: dict[str, Any] = {"id": local, "name": draw(names), "vendor": _refer(draw, vendors)}
        if draw(st.booleans()):
            entry["aliases"] = draw(st.lists(names, max_size=2))
        if skills.entries and draw(st.booleans()):
            entry["requires_skills"] = [_refer(draw, skills)]
        if draw(st.booleans()):
            entry["category"] = draw(slugs)
        products.add(entry)
    capabilities = _Catalogue()
    for local in draw(_ids(slugs, draw(st.integers(1, 4)))):
        entry = {"id": local, "name": draw(names)}
        if capabilities.entries and draw(st.booleans()):
            entry["parent"] = _refer(draw, capabilities)  # an earlier entry: no cycle
        capabilities.add(entry)
    return {"vendors": vendors, "products": products, "capabilities": capabilities, "skills": skills}


def _maybe(draw: st.DrawFn, item: dict[str, Any], key: str, strategy: st.SearchStrategy[Any]) -> None:
    if draw(st.booleans()):
        item[key] = draw(strategy)


def _system(draw: st.DrawFn, local: str, cat: dict[str, _Catalogue], own_dcs: list[str],
            foreign_systems: list[str], foreign_dcs: list[str]) -> dict[str, Any]:
    system: dict[str, Any] = {"id": local, "name": draw(names)}
    kind = draw(st.sampled_from(["product", "bespoke", "host"] if foreign_systems else ["product", "bespoke"]))
    if kind == "host":
        system.update(host=draw(st.sampled_from(foreign_systems)), hosting="hosted-by-partner")
    else:
        system["product" if kind == "product" else "bespoke"] = _refer(draw, cat["products"]) if kind == "product" else True
        system["hosting"] = draw(st.sampled_from(HOSTINGS))
        if system["hosting"] == "on-premise" and (own_dcs or foreign_dcs) and draw(st.booleans()):
            system["datacentre"] = draw(st.sampled_from(own_dcs + foreign_dcs))
    system["capabilities"] = [_refer(draw, cat["capabilities"]) for _ in range(draw(st.integers(1, 2)))]
    _maybe(draw, system, "version", names)
    _maybe(draw, system, "users", st.integers(0, 10**6))
    _maybe(draw, system, "annual_cost", money)
    _maybe(draw, system, "lifecycle", st.sampled_from(["tolerate", "invest", "migrate", "eliminate"]))
    _maybe(draw, system, "criticality", st.sampled_from(["low", "medium", "high"]))
    _maybe(draw, system, "notes", texts)
    return system


def _contract(draw: st.DrawFn, local: str, cat: dict[str, _Catalogue], own: dict[str, list[str]],
              foreign: list[str], version: str) -> dict[str, Any]:
    """A contract; ``own`` maps the organisation's systems to the capabilities they name."""
    start = draw(dates)
    end = start + dt.timedelta(days=draw(st.integers(0, 4000)))
    covers = draw(st.lists(st.sampled_from(sorted(own)), min_size=1, max_size=2, unique=True))
    contract: dict[str, Any] = {"id": local, "supplier": _refer(draw, cat["vendors"]), "covers": covers,
                                "start": start, "end": end}
    if foreign and draw(st.booleans()):
        other = draw(st.sampled_from(foreign))
        contract["covers"] = covers + [other]
        contract["parties"] = [other.split("/", 1)[0]]
    if draw(st.booleans()):
        contract["max_end"] = end + dt.timedelta(days=draw(st.integers(0, 1000)))
    _maybe(draw, contract, "title", names)
    _maybe(draw, contract, "notice_months", st.integers(0, 24))
    _maybe(draw, contract, "annual_value", money)
    _maybe(draw, contract, "framework", names)
    if version == FORMAT_V11 and draw(st.booleans()):
        if draw(st.booleans()):     # by capability alone: what a contract notice says
            del contract["covers"]
            contract["capabilities"] = [_refer(draw, cat["capabilities"]) for _ in range(draw(st.integers(1, 2)))]
        else:                       # both: capabilities of the covered systems
            contract["capabilities"] = [draw(st.sampled_from([c for k in covers for c in own[k]]))]
    return contract


def _datacentre(draw: st.DrawFn, local: str) -> dict[str, Any]:
    racks = draw(st.integers(0, 100))
    centre: dict[str, Any] = {"id": local, "name": draw(names), "racks": racks}
    _maybe(draw, centre, "racks_used", st.integers(0, racks))
    _maybe(draw, centre, "annual_cost", money)
    return centre


def _people(draw: st.DrawFn, cat: dict[str, _Catalogue]) -> list[dict[str, Any]]:
    people = []
    for _ in range(draw(st.integers(0, 3))):
        fte = draw(st.integers(0, 10) | st.floats(0, 10, allow_nan=False))
        if cat["skills"].entries and draw(st.booleans()):
            people.append({"skill": _refer(draw, cat["skills"]), "fte": fte})
        else:
            people.append({"role": draw(st.sampled_from(ROLES)), "fte": fte})
    return people


@st.composite
def _organisation(draw: st.DrawFn, org: str, others: list[str], cat: dict[str, _Catalogue],
                  earlier: dict[str, dict[str, list[str]]]) -> list[dict[str, Any]]:
    """One organisation's documents; ``earlier`` holds the ORG/LOCAL keys of the ones before."""
    foreign_systems = [k for o in earlier.values() for k in o["systems"]]
    foreign_dcs = [k for o in earlier.values() for k in o["datacentres"]]
    header: dict[str, Any] = {"format": draw(st.sampled_from([FORMAT, FORMAT_V11]))}
    if draw(st.booleans()):
        header["currency"] = draw(st.sampled_from(["GBP", "EUR"]))
    organisation: dict[str, Any] = {"id": org, "name": draw(names), "type": draw(st.sampled_from(ORGANISATION_TYPES)),
                                    "nation": draw(st.sampled_from(NATIONS))}
    _maybe(draw, organisation, "population", st.integers(0, 10**7))
    _maybe(draw, organisation, "neighbours", st.lists(st.sampled_from(others + ["E99999999"]), max_size=2, unique=True))
    ids = draw(_ids(local_ids, 12))
    dcs = ids[:draw(st.integers(0, 2))]
    systems = ids[2:2 + draw(st.integers(1, 4))]
    centres = [_datacentre(draw, d) for d in dcs]
    made = [_system(draw, s, cat, dcs, foreign_systems, foreign_dcs) for s in systems]
    own = {s["id"]: s["capabilities"] for s in made}
    body: dict[str, Any] = {
        "datacentres": centres,
        "systems": made,
        "contracts": [_contract(draw, c, cat, own, foreign_systems, header["format"])
                      for c in ids[6:6 + draw(st.integers(0, 2))]],
        "networks": [{"id": n, "name": draw(names), "kind": draw(st.sampled_from(["psn", "wan", "lan", "internet", "other"])),
                      **({"provider": _refer(draw, cat["vendors"])} if draw(st.booleans()) else {})}
                     for n in ids[8:8 + draw(st.integers(0, 1))]],
        "people": _people(draw, cat),
        "policies": [{"id": p, "name": draw(names), "reviewed": draw(dates)} for p in ids[9:9 + draw(st.integers(0, 1))]],
        "procurement_plans": [{"id": p, "capabilities": [_refer(draw, cat["capabilities"])],
                               "expected": draw(dates.map(lambda d: d.strftime("%Y-%m")) | dates),
                               "estimated_value": draw(money), "open_to_partners": draw(st.booleans())}
                              for p in ids[10:10 + draw(st.integers(0, 1))]],
    }
    for system in body["systems"]:
        if draw(st.booleans()):
            system["integrates_with"] = [draw(st.sampled_from(systems + foreign_systems))]
    earlier[org] = {"systems": [f"{org}/{s}" for s in systems], "datacentres": [f"{org}/{d}" for d in dcs]}
    body = {k: v for k, v in body.items() if v}
    if draw(st.booleans()) and len(body) > 1:  # split over two documents, the second repeating the id only
        keys = sorted(body)
        second = {k: body.pop(k) for k in keys[: len(keys) // 2]}
        return [header | {"organisation": organisation} | body, header | {"organisation": {"id": org}} | second]
    return [header | {"organisation": organisation} | body]


@st.composite
def estates(draw: st.DrawFn, max_organisations: int = 3) -> Estate:
    """A valid estate: ``catalogue.yaml`` and one file per organisation."""
    cat = draw(catalogues())
    orgs = draw(st.lists(org_ids, min_size=1, max_size=max_organisations, unique=True))
    earlier: dict[str, dict[str, list[str]]] = {}
    documents = {f"orgs/{org}.yaml": draw(_organisation(org, [o for o in orgs if o != org], cat, earlier)) for org in orgs}
    catalogue: dict[str, Any] = {kind: c.entries for kind, c in cat.items() if c.entries}
    if draw(st.booleans()):
        catalogue["partnerships"] = [_partnership(draw, orgs, cat)]
    return Estate({"catalogue.yaml": [{"format": FORMAT, "catalogue": catalogue}], **documents})


def _partnership(draw: st.DrawFn, orgs: list[str], cat: dict[str, _Catalogue]) -> dict[str, Any]:
    members = draw(st.lists(st.sampled_from(orgs + ["W99999999"]), min_size=1, max_size=3, unique=True))
    partnership: dict[str, Any] = {"id": draw(slugs), "name": draw(names),
                                   "members": members, "status": draw(st.sampled_from(["proposed", "active", "ended"]))}
    _maybe(draw, partnership, "lead", st.sampled_from(members))
    _maybe(draw, partnership, "started", dates)
    if draw(st.booleans()):
        partnership["capabilities"] = [_refer(draw, cat["capabilities"])]
    objectives = []
    for local in draw(st.lists(slugs, max_size=2, unique=True)):
        objective: dict[str, Any] = {"id": local, "description": draw(names)}
        _maybe(draw, objective, "baseline", st.floats(-1e6, 1e6, allow_nan=False))
        _maybe(draw, objective, "measured", st.lists(st.fixed_dictionaries(
            {"date": dates, "value": st.integers(-1000, 1000) | st.floats(-1e6, 1e6, allow_nan=False)}), max_size=2))
        objectives.append(objective)
    if objectives:
        partnership["objectives"] = objectives
    return partnership
