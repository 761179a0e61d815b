"""``ictgraph import ocds``: OCDS release packages to inventory YAML. Pure apart from reading
the inputs and writing the files.

Steps: read every release (:mod:`.ocds_read`); count each release once and group them by
ocid, the latest version of each award winning (:func:`.ocds_map.group_processes`); keep the
processes with a selected CPV code (ICT by default, :mod:`.cpv`); resolve the buyer to an
organisation through the register on the notice's date (:mod:`.authorities`); then an award
becomes format v1.1 contracts for what the notice bought, with no system
(:func:`.ocds_map.contract_entries`), and a process without an award becomes a procurement
plan. Suppliers become vendors
(:mod:`.vendors`). Everything that could not be resolved or imported is in the report."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ictgraph.graph_loader.imports.authorities import (
    Authority,
    AuthorityIndex,
    BuyerMatch,
    read_register,
)
from ictgraph.graph_loader.imports.catalogues import known_vendors, read_catalogues
from ictgraph.graph_loader.imports.cpv import (
    ICT_PREFIXES,
    category_entry,
    category_of,
    is_selected,
)
from ictgraph.graph_loader.imports.names import slugify
from ictgraph.graph_loader.imports.ocds_map import (
    Entries,
    Process,
    contract_entries,
    group_processes,
    plan_entry,
)
from ictgraph.graph_loader.imports.ocds_read import Notice, read_release_files
from ictgraph.graph_loader.imports.vendors import VendorBook
from ictgraph.graph_loader.imports.writer import (
    ImportResult,
    OutputFile,
    check_output,
    render_document,
    report_file,
    write_files,
)

__all__ = ["build_ocds_estate", "import_ocds"]

HEADER = ("Contracts name what their notice bought (cpv-*, a procurement category) as `capabilities`: the "
          "notices name no system. Add `covers` with the systems they pay for, and real capabilities, once known.")


@dataclass
class _Estate:
    """The inventories being built, one per organisation, and the report's lists."""

    vendors: VendorBook
    authorities: dict[str, Authority] = field(default_factory=dict)
    entries: dict[str, Entries] = field(default_factory=lambda: defaultdict(Entries))
    categories: set[str] = field(default_factory=set)
    buyers: dict[str, BuyerMatch] = field(default_factory=dict)
    buyer_notices: Counter[str] = field(default_factory=Counter)
    counts: Counter[str] = field(default_factory=Counter)

    def add(self, organisation: str, found: Entries) -> None:
        mine = self.entries[organisation]
        for name in ("contracts", "plans", "not_imported", "flagged"):
            getattr(mine, name).extend(getattr(found, name))


def _import_process(estate: _Estate, process: Process, index: AuthorityIndex, prefixes: tuple[str, ...]) -> None:
    if not is_selected(process.cpv, prefixes):
        estate.counts["outside the CPV selection"] += 1
        return
    buyer = process.latest.buyer or ""
    match = index.resolve(buyer, process.latest.date)
    estate.buyers[buyer] = match
    estate.buyer_notices[buyer] += 1
    if match.authority is None:
        estate.counts["buyer not resolved"] += 1
        return
    organisation = match.authority.organisation_id
    estate.authorities[organisation] = match.authority
    category = category_of(process.cpv, prefixes) or "00"
    estate.categories.add(category)
    if process.awards:
        for award, notice in process.awards:
            estate.add(organisation, contract_entries(process, award, notice, estate.vendors, category))
    else:
        estate.entries[organisation].plans.append(plan_entry(process, category))
    estate.counts["imported"] += 1


def _inventory(organisation: str, authority: Authority, found: Entries) -> OutputFile:
    body: dict[str, Any] = {"organisation": {"id": organisation}}
    for key, items in (("contracts", found.contracts), ("procurement_plans", found.plans)):
        if items:
            body[key] = sorted(items, key=lambda e: str(e["id"]))
    header = [(f"{authority.name} ({organisation}): contracts and procurement plans from OCDS notices, "
               "written by `ictgraph import ocds`."), HEADER]
    return OutputFile(f"{organisation}-{slugify(authority.nice_name or authority.name)}.yaml",
                      render_document(body, header))


def _catalogue(estate: _Estate) -> OutputFile:
    catalogue: dict[str, Any] = {}
    if vendors := estate.vendors.new_vendors():
        catalogue["vendors"] = vendors
    catalogue["capabilities"] = [category_entry(c) for c in sorted(estate.categories)]
    header = ["Vendors and procurement categories created by `ictgraph import ocds`.",
              "Vendors are suppliers named by the notices; cpv-* capabilities are procurement categories, not business "
              "capabilities (see their notes)."]
    return OutputFile("catalogue.yaml", render_document({"catalogue": catalogue}, header))


def _buyer_report(estate: _Estate) -> dict[str, Any]:
    resolved, unresolved = [], []
    for name, match in sorted(estate.buyers.items()):
        row = {"name": name, "notices": estate.buyer_notices[name], "how": match.how}
        if match.authority is not None:
            resolved.append({**row, "organisation": match.authority.organisation_id, "as": match.authority.name})
        else:
            unresolved.append({**row, "candidates_or_closest": list(match.candidates)})
    return {"resolved": resolved, "unresolved": unresolved}


def _report(estate: _Estate, processes: list[Process], duplicates: int, unreadable: int) -> dict[str, Any]:
    found = list(estate.entries.values())
    return {
        "command": "import ocds",
        "releases": {"distinct": sum(p.releases for p in processes), "duplicates_counted_once": duplicates,
                     "without_ocid_or_date": unreadable},
        "processes": {"total": len(processes), **dict(sorted(estate.counts.items()))},
        "written": {"organisations": sum(1 for f in found if f.contracts or f.plans),
                    "contracts": sum(len(f.contracts) for f in found),
                    "procurement_plans": sum(len(f.plans) for f in found),
                    "new_vendors": len(estate.vendors.new_vendors()),
                    "catalogue_vendors_used": estate.vendors.count_existing_used()},
        "buyers": _buyer_report(estate),
        "suppliers_resolved_by": dict(sorted(estate.vendors.resolved_by.items())),
        "not_imported": [x for f in found for x in f.not_imported],
        "flagged": [x for f in found for x in f.flagged],
    }


def build_ocds_estate(notices: list[Notice], authorities: list[Authority], *,
                      prefixes: tuple[str, ...] = ICT_PREFIXES, vendors: VendorBook | None = None,
                      unreadable: int = 0) -> tuple[list[OutputFile], dict[str, Any]]:
    """The inventory files and the report for ``notices``; pure."""
    processes, duplicates = group_processes(notices)
    estate, index = _Estate(vendors or VendorBook()), AuthorityIndex(authorities)
    for process in processes:
        _import_process(estate, process, index, prefixes)
    files = [_inventory(org, estate.authorities[org], found) for org, found in sorted(estate.entries.items())
             if found.contracts or found.plans]
    if files:
        files.append(_catalogue(estate))
    return files, _report(estate, processes, duplicates, unreadable)


def import_ocds(files: list[Path], register: Path, out_dir: Path, *, prefixes: tuple[str, ...] = ICT_PREFIXES,
                catalogues: list[Path] | None = None, overwrite: bool = False) -> ImportResult:
    """Read OCDS files, resolve buyers through ``register``, write the estate under ``out_dir``."""
    notices, unreadable = read_release_files(files)
    documents, raw = read_catalogues(catalogues or [])
    written, report = build_ocds_estate(notices, read_register(register), prefixes=prefixes,
                                        vendors=VendorBook(known_vendors(documents)), unreadable=unreadable)
    report = {**report, "inputs": [str(f) for f in files], "cpv_prefixes": list(prefixes) or "all",
              "problems": [p.render() for p in check_output(written, raw) if p.is_error]}
    written.append(report_file(report))
    write_files(out_dir, written, overwrite=overwrite)
    return ImportResult(written, report)
