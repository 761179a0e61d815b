"""Suppliers to catalogue vendor ids, with alias folding; a Companies House number wins. Pure.

A supplier resolves, in order: by its Companies House number to the vendor that number was
first seen with; by its folded name (:func:`~graph_loader.imports.names.fold_supplier`: case,
punctuation, Ltd/Limited/Plc) to an existing catalogue vendor or to one met earlier; else it
becomes a new vendor. Two suppliers whose names fold alike but whose Companies House numbers
differ are different companies, so they stay different vendors."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ictgraph.graph_loader.imports.names import fold_supplier, slugify
from ictgraph.graph_loader.index import fold as validator_fold

__all__ = ["KnownVendor", "VendorBook"]


@dataclass(frozen=True)
class KnownVendor:
    """A vendor of an existing catalogue: its id and every name it answers to."""

    id: str
    names: tuple[str, ...]


@dataclass
class _Vendor:
    id: str
    existing: bool
    company_number: str | None = None
    spellings: Counter[str] = field(default_factory=Counter)
    name_override: str | None = None


class VendorBook:
    """Resolves supplier names; collects the new vendors for the catalogue."""

    def __init__(self, known: list[KnownVendor] | None = None) -> None:
        self._vendors: dict[str, _Vendor] = {}
        self._by_name: dict[str, str] = {}
        self._by_number: dict[str, str] = {}
        for vendor in known or []:
            self._vendors[vendor.id] = _Vendor(vendor.id, existing=True)
            for name in (vendor.id, *vendor.names):
                self._by_name.setdefault(fold_supplier(name), vendor.id)
        self.resolved_by: Counter[str] = Counter()

    def resolve(self, name: str, number: str | None = None) -> str:
        """The vendor id for one supplier name (and Companies House number, if given)."""
        folded = fold_supplier(name) or name.strip().lower()
        vendor_id, how = (self._by_number.get(number) if number else None), "company number"
        if vendor_id is None:
            vendor_id, how = self._by_name_or_new(name, folded, number)
        vendor = self._vendors[vendor_id]
        if number and vendor.company_number is None and not vendor.existing:
            vendor.company_number = number
            self._by_number[number] = vendor_id
        vendor.spellings[name] += 1
        self.resolved_by["existing catalogue" if vendor.existing else how] += 1
        return vendor_id

    def _by_name_or_new(self, name: str, folded: str, number: str | None) -> tuple[str, str]:
        known = self._by_name.get(folded)
        if known is None:
            return self._new(name, folded, number, clash=False), "new"
        if number and self._vendors[known].company_number not in (None, number):
            return self._new(name, folded, number, clash=True), "new"
        return known, "name"

    def _new(self, name: str, folded: str, number: str | None, clash: bool) -> str:
        base = slugify(folded)
        vendor_id = f"{base}-{number.lower()}" if clash and number else base
        serial = 2
        while vendor_id in self._vendors:
            vendor_id, serial = f"{base}-{serial}", serial + 1
        self._vendors[vendor_id] = _Vendor(vendor_id, existing=False, company_number=number,
                                           name_override=f"{name} (Companies House {number})" if clash else None)
        if number:
            self._by_number[number] = vendor_id
        self._by_name.setdefault(folded, vendor_id)
        return vendor_id

    def new_vendors(self) -> list[dict[str, Any]]:
        """Catalogue entries of the vendors this book created, sorted by id."""
        return [_entry(v) for v in sorted(self._vendors.values(), key=lambda v: v.id) if not v.existing]

    def count_existing_used(self) -> int:
        return sum(1 for v in self._vendors.values() if v.existing and v.spellings)


def _entry(vendor: _Vendor) -> dict[str, Any]:
    ranked = sorted(vendor.spellings.items(), key=lambda kv: (-kv[1], kv[0]))
    name = vendor.name_override or ranked[0][0]
    taken = {validator_fold(name), validator_fold(vendor.id)}
    aliases = []
    if vendor.name_override is None:
        for spelling, _ in ranked[1:]:
            if validator_fold(spelling) not in taken:
                taken.add(validator_fold(spelling))
                aliases.append(spelling)
    entry: dict[str, Any] = {"id": vendor.id, "name": name}
    if aliases:
        entry["aliases"] = aliases
    if vendor.company_number:
        entry["notes"] = f"Companies House number {vendor.company_number} (given by an OCDS notice)."
    return entry
