"""One OCDS procurement process to inventory entries: contracts, or a procurement plan. Pure.

A notice names a buyer, suppliers, dates, a value and what was bought, never the buyer's
system. So each award becomes contracts in format v1.1 (``docs/inventory-format.md``,
"Version 1.1") that name what they pay for as ``capabilities`` instead of ``covers``: the
notice's CPV division (:mod:`.cpv`), a procurement category the catalogue says is not a
business capability. No system is written, no product or ``bespoke`` guessed, no hosting
supposed: values the notice gives are kept as given; values it does not give stay out, or
are named in ``notes``."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ictgraph.graph_loader.imports.names import fold_name, local_id, split_suppliers
from ictgraph.graph_loader.imports.ocds_read import Award, Notice, Period, SupplierRef
from ictgraph.graph_loader.imports.vendors import VendorBook
from ictgraph.graph_loader.imports.writer import Flow

__all__ = ["Entries", "Process", "contract_entries", "group_processes", "plan_entry"]

SMALL_AWARD = 1000.0
CLOSED_AWARDS = ("cancelled", "unsuccessful")
PORTALS = {"ocds-b5fd17": "Contracts Finder", "ocds-h6vhtk": "Find a Tender",
           "ocds-kuma6s": "Sell2Wales", "ocds-r6ebe6": "Public Contracts Scotland"}


@dataclass(frozen=True)
class Process:
    """Every release of one ``ocid``: the latest notice, and each award as last published."""

    ocid: str
    latest: Notice
    awards: tuple[tuple[Award, Notice], ...]
    releases: int
    cpv: tuple[str, ...]


@dataclass
class Entries:
    """What one process adds to its buyer's inventory, and what the report must say."""

    contracts: list[dict[str, Any]] = field(default_factory=list)
    plans: list[dict[str, Any]] = field(default_factory=list)
    not_imported: list[dict[str, str]] = field(default_factory=list)
    flagged: list[dict[str, str]] = field(default_factory=list)


def group_processes(notices: Iterable[Notice]) -> tuple[list[Process], int]:
    """Processes by ocid, each release counted once; also the number of duplicate releases."""
    unique: dict[str, Notice] = {}
    total = 0
    for notice in notices:
        total += 1
        unique.setdefault(notice.release_id, notice)
    by_ocid: dict[str, list[Notice]] = defaultdict(list)
    for notice in unique.values():
        by_ocid[notice.ocid].append(notice)
    processes = []
    for ocid, group in sorted(by_ocid.items()):
        group.sort(key=lambda n: (n.date, n.published, n.release_id))
        awards: dict[str, tuple[Award, Notice]] = {}
        for notice in group:
            awards.update({award.id: (award, notice) for award in notice.awards})
        cpv = tuple(dict.fromkeys(code for notice in reversed(group) for code in notice.cpv))
        processes.append(Process(ocid, group[-1], tuple(awards.values()), len(group), cpv))
    return processes, total - len(unique)


def portal(ocid: str) -> str:
    """The publishing portal, from the ocid prefix.

    >>> portal("ocds-kuma6s-147801"), portal("ocds-zzzzzz-1")
    ('Sell2Wales', 'OCDS')
    """
    return next((name for prefix, name in PORTALS.items() if ocid.startswith(prefix + "-")), "OCDS")


def _money(value: float | None, currency: str | None) -> str:
    return f"{currency or 'GBP'} {value:,.2f}".replace(".00", "") if value is not None else "not given"


def _suppliers(award: Award) -> list[SupplierRef]:
    found: list[SupplierRef] = []
    for supplier in award.suppliers:
        names = split_suppliers(supplier.name)
        found += [supplier] if len(names) <= 1 else [SupplierRef(n) for n in names]
    return list(dict.fromkeys(s for s in found if s.name.strip()))


def _checks(award: Award, notice: Notice, suppliers: list[SupplierRef], period: Period) -> list[str]:
    checks = []
    if award.value is not None and award.value < SMALL_AWARD:
        days = (period.end - period.start).days + 1 if period.start and period.end else None
        span = f" for a contract of {days} days" if days else ""
        checks.append(f"award value {_money(award.value, award.currency)} is implausibly small{span}")
    title = fold_name(notice.title or "")
    for supplier in suppliers:
        if title and fold_name(supplier.name) == title:
            checks.append(f"the supplier name {supplier.name!r} equals the notice's title: the real supplier may be missing")
    if period.source == "tender.contractPeriod":
        checks.append("the award gives no contract period: dates are the tender's estimate")
    return checks


def _refusal(award: Award, period: Period | None, suppliers: list[SupplierRef]) -> str | None:
    if award.status in CLOSED_AWARDS:
        return f"the award is {award.status}"
    if not suppliers:
        return "the award names no supplier (a contract needs `supplier`)"
    if period is None or period.start is None or period.end is None:
        missing = [k for k, v in (("start", period and period.start), ("end", period and period.end)) if not v]
        return f"the notice gives no contract {' or '.join(missing)} (a contract needs `start` and `end`)"
    if period.end < period.start:
        return f"the contract ends ({period.end}) before it starts ({period.start})"
    return None


def _contract_notes(process: Process, award: Award, notice: Notice, period: Period,
                    suppliers: list[SupplierRef], checks: list[str]) -> str:
    parts = [(f"Imported from OCDS: {portal(process.ocid)} notice {process.ocid}, release {notice.release_id} "
              f"of {notice.date}, award {award.id}.")]
    if award.value is not None:
        parts.append(f"Award value {_money(award.value, award.currency)} for the whole contract"
                     f"{' and all its suppliers' if len(suppliers) > 1 else ''}; the notice gives no annual value.")
    else:
        parts.append("The notice gives no award value.")
    parts.append(f"Dates from {period.source}.")
    if len(suppliers) > 1:
        parts.append(f"One of {len(suppliers)} suppliers on this award: {', '.join(s.name for s in suppliers)}.")
    parts += [f"Check: {check}." for check in checks]
    parts.append(f"CPV {', '.join(process.cpv[:6])}." if process.cpv else "No CPV code given.")
    parts.append("The notice names no system: add `covers` with the systems it pays for once known.")
    return " ".join(parts + ([f"Notice: {notice.url}"] if notice.url else []))


def contract_entries(process: Process, award: Award, notice: Notice, vendors: VendorBook,
                     category: str) -> Entries:
    """The contracts of one award, one per supplier, each for the notice's CPV category."""
    entries, suppliers = Entries(), _suppliers(award)
    period = award.period or notice.tender_period
    refusal = _refusal(award, period, suppliers)
    where = {"notice": process.ocid, "award": award.id}
    if refusal is not None or period is None:
        entries.not_imported.append({**where, "why": refusal or "no contract period"})
        return entries
    assert period.start is not None and period.end is not None
    checks = _checks(award, notice, suppliers, period)
    notes = _contract_notes(process, award, notice, period, suppliers, checks)
    for index, supplier in enumerate(suppliers, start=1):
        contract_id = local_id(award.id) if len(suppliers) == 1 else local_id(f"{award.id}-{index}")
        contract: dict[str, Any] = {"id": contract_id, "title": notice.title,
                                    "supplier": vendors.resolve(supplier.name, supplier.company_number),
                                    "capabilities": Flow([f"cpv-{category}"]), "start": period.start, "end": period.end}
        if period.max_end is not None and period.max_end >= period.end:
            contract["max_end"] = period.max_end
        contract["notes"] = notes
        entries.contracts.append({k: v for k, v in contract.items() if v is not None})
        entries.flagged += [{**where, "contract": contract_id, "check": c} for c in checks]
    return entries


def plan_entry(process: Process, category: str, currency: str = "GBP") -> dict[str, Any]:
    """A tender or planning notice (no award yet) as a procurement plan."""
    notice = process.latest
    expected, source = notice.expected or (notice.date, "the notice's date")
    plan: dict[str, Any] = {"id": local_id(process.ocid), "capabilities": Flow([f"cpv-{category}"]),
                            "expected": expected}
    value_note = "The notice gives no estimated value."
    if notice.tender_value is not None and (notice.tender_currency or currency) == currency:
        plan["estimated_value"] = notice.tender_value
        value_note = "estimated_value is the notice's tender value."
    elif notice.tender_value is not None:
        value_note = f"Tender value {_money(notice.tender_value, notice.tender_currency)} (another currency: left out)."
    plan["notes"] = " ".join([
        (f"Imported from OCDS: {portal(process.ocid)} {'/'.join(notice.tags) or 'tender'} notice {process.ocid} "
         f"of {notice.date}: {notice.title!r}."), f"`expected` is {source}.", value_note,
        f"cpv-{category} is the notice's CPV division: what it buys, not the capabilities it serves.",
        *([f"Notice: {notice.url}"] if notice.url else [])])
    return plan

