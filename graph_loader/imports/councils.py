"""``ictgraph import councils``: organisation stubs from mySociety's register. Pure apart
from reading the register and writing the files.

Each authority becomes one file, ``<GSS>-<slug>.yaml``, holding its inventory document with
the organisation only: GSS code, name, type, nation, region and population (the register's
``pop-2020``, ONS mid-2020). The format has no field for a parent county, so a district's
county is said in ``notes`` (and so reaches the graph). Only authorities in office on the
``as_of`` day are written unless ``everything`` is asked for."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ictgraph.graph_loader.imports.authorities import Authority, read_register
from ictgraph.graph_loader.imports.names import slugify
from ictgraph.graph_loader.imports.writer import (
    ImportResult,
    OutputFile,
    check_output,
    render_document,
    report_file,
    write_files,
)

__all__ = ["ORGANISATION_TYPES", "ImportResult", "import_councils", "organisation_stub", "stub_files"]

# mySociety's local-authority-type to the inventory format's organisation type.
ORGANISATION_TYPES = {
    "UA": "unitary", "NMD": "district", "MD": "metropolitan", "LBO": "london-borough",
    "CTY": "county", "WPA": "welsh-principal", "SCO": "scottish", "NID": "ni-district",
    "COMB": "combined-authority", "SRA": "other", "CC": "other",
}
SOURCE = "mySociety's register of UK local authorities (CC-BY-4.0)"


def _notes(authority: Authority, by_code: dict[str, Authority]) -> str | None:
    notes = []
    county = by_code.get(authority.county or "")
    if county is not None:
        notes.append(f"Parent county: {county.name} ({county.organisation_id}).")
    if ORGANISATION_TYPES.get(authority.kind, "other") == "other":
        notes.append(f"Register type: {authority.kind_name or authority.kind} ({authority.kind}); "
                     "the inventory format has no type for it.")
    if authority.end is not None:
        successors = [by_code[c] for c in authority.replaced_by if c in by_code]
        after = ", ".join(f"{s.name} ({s.organisation_id})" for s in successors)
        notes.append(f"Abolished {authority.end.isoformat()}" + (f"; succeeded by {after}." if after else "."))
    return " ".join(notes) or None


def organisation_stub(authority: Authority, by_code: dict[str, Authority]) -> dict[str, Any]:
    """The ``organisation:`` mapping of one authority; absent facts are left out."""
    stub: dict[str, Any] = {"id": authority.organisation_id, "name": authority.name,
                            "type": ORGANISATION_TYPES.get(authority.kind, "other")}
    if authority.nation in ("England", "Wales", "Scotland", "Northern Ireland"):
        stub["nation"] = authority.nation
    for key, value in (("region", authority.region), ("population", authority.population),
                       ("notes", _notes(authority, by_code))):
        if value is not None:
            stub[key] = value
    return stub


def stub_files(authorities: list[Authority], *, as_of: dt.date, everything: bool) -> list[OutputFile]:
    """One file per authority in office on ``as_of`` (every authority if ``everything``)."""
    by_code = {a.code: a for a in authorities}
    chosen = [a for a in authorities if everything or a.is_current(as_of)]
    files = []
    for authority in sorted(chosen, key=lambda a: a.organisation_id):
        header = [(f"{authority.name} ({authority.organisation_id}): organisation stub from {SOURCE}, "
                   f"code {authority.code}."),
                  ("Add systems, contracts and the rest here, or in other files that repeat "
                   f"`organisation: {{id: {authority.organisation_id}}}`.")]
        text = render_document({"organisation": organisation_stub(authority, by_code)}, header)
        files.append(OutputFile(f"{authority.organisation_id}-{slugify(authority.nice_name or authority.name)}.yaml", text))
    return files


def import_councils(register: Path, out_dir: Path, *, as_of: dt.date, everything: bool = False,
                    overwrite: bool = False) -> ImportResult:
    """Write organisation stubs for the register's authorities under ``out_dir``."""
    authorities = read_register(register)
    files = stub_files(authorities, as_of=as_of, everything=everything)
    problems = check_output(files)
    types: dict[str, int] = {}
    for authority in authorities:
        if everything or authority.is_current(as_of):
            kind = ORGANISATION_TYPES.get(authority.kind, "other")
            types[kind] = types.get(kind, 0) + 1
    report = {"command": "import councils", "register": str(register), "as_of": as_of.isoformat(),
              "authorities_in_register": len(authorities), "organisations_written": len(files),
              "by_type": dict(sorted(types.items())),
              "problems": [p.render() for p in problems if p.is_error]}
    files.append(report_file(report))
    write_files(out_dir, files, overwrite=overwrite)
    return ImportResult(files, report)
