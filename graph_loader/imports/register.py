"""``ictgraph import register``: an application register (a row per application) to one
organisation's inventory. Pure apart from reading the inputs and writing the files.

A row becomes a system: ``name``; ``product`` from the product and supplier columns (a
product of an existing catalogue when its name matches, else a new catalogue product of the
supplier's vendor), or ``bespoke: true`` when the supplier is "in-house"; ``capabilities``
from the service area (an existing capability when the name matches, else a new one named as
the register names it: the council's own word for what the application serves);
``hosting``, ``users``, ``annual_cost``. A contract end (with a contract start and a
supplier) becomes a contract covering the system; while the system is incomplete (and so
commented out), the contract names the system's service areas as ``capabilities`` instead
(format v1.1, which the import writes) and says in its notes which application it pays for.

Nothing is invented. A row that lacks a value the format requires is still written, but as
a commented-out entry under a line that names what is missing, so that the file validates
and the gap is in front of whoever completes it. Cells that could not be read are reported."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ictgraph.graph_loader.errors import UsageError
from ictgraph.graph_loader.imports.catalogues import known_names, known_vendors, read_catalogues
from ictgraph.graph_loader.imports.names import fold_name, slugify
from ictgraph.graph_loader.imports.register_read import (
    Table,
    find_header,
    map_columns,
    read_table,
)
from ictgraph.graph_loader.imports.register_values import (
    cell_text,
    parse_date,
    parse_hosting,
    parse_money,
    parse_users,
)
from ictgraph.graph_loader.imports.vendors import VendorBook
from ictgraph.graph_loader.imports.writer import (
    Flow,
    ImportResult,
    OutputFile,
    check_output,
    render_document,
    report_file,
    write_files,
)
from ictgraph.graph_loader.schema import load_schema

__all__ = ["build_register_estate", "import_register"]

IN_HOUSE = frozenset({"in house", "inhouse", "bespoke", "internal", "developed in house", "home grown", "homegrown"})


@dataclass
class _Register:
    """The inventory and catalogue being built from one register."""

    table: Table
    columns: dict[str, int]
    vendors: VendorBook
    known_products: dict[str, str]
    known_capabilities: dict[str, str]
    hosting_words: dict[str, str]
    products: dict[str, dict[str, Any]] = field(default_factory=dict)
    capabilities: dict[str, dict[str, Any]] = field(default_factory=dict)
    systems: list[dict[str, Any]] = field(default_factory=list)
    contracts: list[dict[str, Any]] = field(default_factory=list)
    incomplete: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    values: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)

    def cell(self, cells: list[Any], name: str) -> Any:
        column = self.columns.get(name)
        return cells[column] if column is not None and column < len(cells) else None

    def unread(self, row: int, name: str, value: Any, why: str) -> None:
        self.values.append({"row": row, "field": name, "value": cell_text(value), "why": why})

    def new_id(self, name: str) -> str:
        base = slugify(name, 48)
        candidate, serial = base, 2
        while candidate in self.ids:
            candidate, serial = f"{base}-{serial}", serial + 1
        self.ids.add(candidate)
        return candidate

    def product(self, system: dict[str, Any], cells: list[Any], missing: list[str]) -> None:
        supplier, product = cell_text(self.cell(cells, "supplier")), cell_text(self.cell(cells, "product"))
        if IN_HOUSE & {fold_name(supplier), fold_name(product)}:
            system["bespoke"] = True
        elif product and (known := self.known_products.get(fold_name(f"{supplier} {product}"))
                          or self.known_products.get(fold_name(product))):
            system["product"] = known
        elif product and supplier:
            system["product"] = self.new_product(self.vendors.resolve(supplier), product)
        elif product:
            missing.append(f"the vendor of product {product!r} (no supplier given)")
        elif supplier:
            missing.append(f"`product` (the register names the supplier {supplier!r} but no product) or `bespoke: true`")
        else:
            missing.append("`product` or `bespoke: true` (no supplier or product given)")

    def new_product(self, vendor: str, name: str) -> str:
        product_id = f"{vendor}/{slugify(name)}"
        self.products.setdefault(product_id, {"id": product_id, "name": name, "vendor": vendor})
        return product_id

    def capability_ids(self, value: Any) -> list[str]:
        found = []
        for area in (a.strip() for a in re.split(r"[;|,\n]", cell_text(value)) if a.strip()):
            known = self.known_capabilities.get(fold_name(area))
            if known is None:
                known = slugify(area)
                self.capabilities.setdefault(known, {
                    "id": known, "name": area,
                    "notes": "A service area as the application register names it; map it to your capability tree."})
            found.append(known)
        return list(dict.fromkeys(found))

    def details(self, system: dict[str, Any], cells: list[Any], row: int, missing: list[str]) -> None:
        raw = self.cell(cells, "hosting")
        hosting = parse_hosting(raw, self.hosting_words)
        if hosting and hosting != "hosted-by-partner":
            system["hosting"] = hosting
        else:
            why = "needs the partner's system as `host`" if hosting else "not a hosting value the format knows"
            missing.append(f"`hosting` (the register says {cell_text(raw)!r})" if cell_text(raw) else "`hosting`")
            if cell_text(raw):
                self.unread(row, "hosting", raw, why + "; map it with --hosting WORD=VALUE")
        for name, parse in (("users", parse_users), ("annual_cost", parse_money)):
            raw = self.cell(cells, name)
            value = parse(raw)
            if value is not None:
                system[name] = value
            elif cell_text(raw):
                self.unread(row, name, raw, "not a plain number")

    def row(self, row: int, cells: list[Any]) -> None:
        name = cell_text(self.cell(cells, "name"))
        if not name:
            self.skipped.append({"row": row, "why": "no application name"})
            return
        system: dict[str, Any] = {"id": self.new_id(name), "name": name}
        missing: list[str] = []
        self.product(system, cells, missing)
        if capabilities := self.capability_ids(self.cell(cells, "service_area")):
            system["capabilities"] = Flow(capabilities)
        else:
            missing.append("`capabilities` (no service area given)")
        self.details(system, cells, row, missing)
        system["notes"] = f"From the application register {self.table.name}, row {row}."
        if missing:
            self.incomplete.append((f"row {row}, {name!r}: needs {'; '.join(missing)}", system))
        else:
            self.systems.append(system)
        self.contract(system, cells, row, complete=not missing)

    def contract(self, system: dict[str, Any], cells: list[Any], row: int, complete: bool) -> None:
        raw_end, raw_start = self.cell(cells, "contract_end"), self.cell(cells, "contract_start")
        if not cell_text(raw_end):
            return
        if system.get("bespoke"):
            self.unread(row, "contract_end", raw_end, "an in-house system has no supplier to hold a contract")
            return
        end, start = parse_date(raw_end), parse_date(raw_start)
        for name, raw, value in (("contract_end", raw_end, end), ("contract_start", raw_start, start)):
            if cell_text(raw) and value is None:
                self.unread(row, name, raw, "not a date (write 2026-03-31 or 31/03/2026)")
        supplier = cell_text(self.cell(cells, "supplier"))
        contract: dict[str, Any] = {"id": f"{system['id']}-contract", "supplier": self.vendors.resolve(supplier) if supplier else None,
                                    **_pays_for(system, complete), "start": start, "end": end,
                                    "notes": f"From the application register {self.table.name}, row {row}."}
        missing = [f"`{k}`" for k in ("supplier", "start", "end") if contract[k] is None]
        if start is None and end is not None:
            missing[missing.index("`start`")] = "`start` (the register gives only the end)"
        contract = {k: v for k, v in contract.items() if v is not None}
        if not complete and "capabilities" in contract:
            contract["notes"] += (f" It pays for {system['name']!r}, commented out until complete: then give "
                                  f"`covers: [{system['id']}]`.")
        elif not complete:
            missing.append(f"its system {system['id']!r} to be completed first, or a service area")
        if missing or (start and end and end < start):
            self.incomplete.append((f"row {row}, contract: needs {'; '.join(missing) or '`end` after `start`'}", contract))
        else:
            self.contracts.append(contract)


def _pays_for(system: dict[str, Any], complete: bool) -> dict[str, Any]:
    """What a row's contract pays for: its system, once that is complete; until then the
    system's service areas, which the register gives (no system is invented to cover)."""
    if complete:
        return {"covers": Flow([system["id"]])}
    return {"capabilities": Flow(system["capabilities"])} if system.get("capabilities") else {}


def _files(register: _Register, organisation: str) -> list[OutputFile]:
    body: dict[str, Any] = {"organisation": {"id": organisation}}
    if register.systems:
        body["systems"] = register.systems
    if register.contracts:
        body["contracts"] = register.contracts
    header = [(f"{organisation}: applications from the register {register.table.name}, written by "
               "`ictgraph import register`.")]
    if register.incomplete:
        header.append(f"{len(register.incomplete)} entries at the end are commented out: each needs what its "
                      "comment says; complete it and move it under `systems:` or `contracts:`.")
    inventory = render_document(body, header, register.incomplete)
    catalogue: dict[str, Any] = {}
    for key, entries in (("vendors", register.vendors.new_vendors()),
                         ("products", sorted(register.products.values(), key=lambda e: e["id"])),
                         ("capabilities", sorted(register.capabilities.values(), key=lambda e: e["id"]))):
        if entries:
            catalogue[key] = entries
    files = [OutputFile(f"{organisation}-{slugify(Path(register.table.name).stem)}.yaml", inventory)]
    if catalogue:
        files.append(OutputFile("catalogue.yaml", render_document(
            {"catalogue": catalogue}, [f"Vendors, products and service areas from {register.table.name}."])))
    return files


def _report(register: _Register) -> dict[str, Any]:
    headers = register.table.headers
    return {
        "command": "import register", "register": register.table.name, "rows": len(register.table.rows),
        "columns": {f: headers[i] for f, i in register.columns.items()},
        "unmapped_columns": [h for i, h in enumerate(headers) if h and i not in register.columns.values()],
        "written": {"systems": len(register.systems), "contracts": len(register.contracts),
                    "incomplete_entries": len(register.incomplete), "new_vendors": len(register.vendors.new_vendors()),
                    "new_products": len(register.products), "new_capabilities": len(register.capabilities)},
        "incomplete": [why for why, _ in register.incomplete],
        "unread_values": register.values, "skipped_rows": register.skipped,
    }


def build_register_estate(table: Table, organisation: str, *, columns: dict[str, str] | None = None,
                          hosting: dict[str, str] | None = None,
                          catalogue_documents: list[Any] | None = None) -> tuple[list[OutputFile], dict[str, Any]]:
    """The inventory files and report of one register; pure."""
    if not load_schema().patterns["org_id"].match(organisation):
        raise UsageError(f'"{organisation}" is not an organisation id', "give its GSS code, e.g. E06000047")
    documents = catalogue_documents or []
    table = find_header(table, columns or {})
    register = _Register(table, map_columns(table.headers, columns or {}), VendorBook(known_vendors(documents)),
                         known_names(documents, "products"), known_names(documents, "capabilities"), hosting or {})
    if "name" not in register.columns:
        raise UsageError("no column names the applications", "map one with --column name=HEADER")
    for row, cells in table.rows:
        register.row(row, cells)
    return _files(register, organisation), _report(register)


def import_register(path: Path, organisation: str, out_dir: Path, *, columns: dict[str, str] | None = None,
                    hosting: dict[str, str] | None = None, sheet: str | None = None,
                    catalogues: list[Path] | None = None, overwrite: bool = False) -> ImportResult:
    """Read an application register and write ``organisation``'s inventory under ``out_dir``."""
    documents, raw = read_catalogues(catalogues or [])
    files, report = build_register_estate(read_table(path, sheet), organisation, columns=columns,
                                          hosting=hosting, catalogue_documents=documents)
    report["problems"] = [p.render() for p in check_output(files, raw) if p.is_error]
    files.append(report_file(report))
    write_files(out_dir, files, overwrite=overwrite)
    return ImportResult(files, report)
