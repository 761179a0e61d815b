"""``ictgraph import service-levels``: a long-format table of official measures (Oflog's, for
one) to format v1.1 measures and service levels. Pure apart from reading the inputs and
writing the files.

Each row's authority code is resolved through mySociety's register on the last day of the
row's financial year (31 March), so that an authority's code of the time (Northamptonshire
before 2021, Bournemouth and Poole before 2019, Cumbria before 2023) gives the organisation
the register has for that code and day; a code the register does not have, or not on that
day, is reported, never guessed. Blank values are left out and counted. Each measure becomes
a catalogue entry (its id slugged from its code, its ``better`` from the rows' direction, the
capability ``--capability``); each authority a file with its ``service_levels``."""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ictgraph.graph_loader.errors import UsageError
from ictgraph.graph_loader.imports.authorities import Authority, AuthorityIndex, read_register
from ictgraph.graph_loader.imports.catalogues import known_names, read_catalogues
from ictgraph.graph_loader.imports.measures_read import MeasureRow, parse_rows, read_measure_rows
from ictgraph.graph_loader.imports.names import fold_name, slugify
from ictgraph.graph_loader.imports.writer import (
    ImportResult,
    OutputFile,
    check_output,
    render_document,
    report_file,
    write_files,
)
from ictgraph.graph_loader.schema import load_schema

__all__ = ["DEFAULT_CAPABILITY", "UNITS", "import_service_levels", "summary_line"]

DEFAULT_CAPABILITY = "adult-social-care"
CATALOGUE_FILE = "measures.yaml"
# The units of Oflog's adult social care measures, which its table does not say (read from the
# values: ASC1 runs 6.1 to 8.9, ASC2 0 to 0.49, ASC6 132 to 18,232). Other codes get no unit.
UNITS = {"ASC1": "score (0 to 12)", "ASC2": "score (0 to 1)", "ASC3": "percent", "ASC4": "percent",
         "ASC5": "percent", "ASC6": "per 100,000 adults", "ASC7": "percent"}


@dataclass(frozen=True)
class Measure:
    id: str
    code: str
    name: str
    better: str


def year_end(year: str) -> dt.date:
    """The last day of a financial year: ``2020-21`` ends on 2021-03-31."""
    return dt.date(int(year[:4]) + 1, 3, 31)


def _span(authority: Authority) -> str:
    """When an authority was in office, as the register says it."""
    if authority.start and authority.end:
        return f"{authority.start} to {authority.end}"
    if authority.start or authority.end:
        return f"from {authority.start}" if authority.start else f"until {authority.end}"
    return "with no dates"


class AuthorityCodes:
    """Authority codes (GSS, or the register's own) to the authority in office on a day."""

    def __init__(self, authorities: list[Authority]) -> None:
        self.by_code: dict[str, list[Authority]] = defaultdict(list)
        for authority in authorities:
            for code in {authority.organisation_id, authority.code}:
                self.by_code[code].append(authority)
        self.names = AuthorityIndex(authorities)

    def resolve(self, code: str, name: str, on: dt.date) -> Authority | str:
        """The authority, or why there is none (with the register's authority of that name then)."""
        known = self.by_code.get(code, [])
        serving = [a for a in known if a.serves_on(on)]
        if len(serving) == 1:
            return serving[0]
        if len(serving) > 1:
            why = f"code {code} ({name}) names several authorities in office on {on}: " + \
                ", ".join(a.name for a in serving)
        elif known:
            spans = "; ".join(f"{a.name}, {_span(a)}" for a in known)
            why = f"code {code} ({name}) was not in office on {on} ({spans})"
        else:
            why = f"code {code} ({name}) is not in the register"
        match = self.names.resolve(name, on) if name else None
        if match is not None and match.authority is not None:
            why += f"; the register's authority of that name then is {match.authority.organisation_id}"
        return why


def _measures(rows: list[MeasureRow], known: dict[str, str]) -> tuple[dict[str, Measure], list[str]]:
    """Each measure code's catalogue entry (an existing one's id when the catalogue knows the
    code or name), and the problems: rows of one measure that disagree on its direction."""
    names: dict[str, Counter[str]] = defaultdict(Counter)
    betters: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        names[row.measure_code][row.measure] += 1
        betters[row.measure_code].add(row.better)
    found, problems = {}, []
    for code in sorted(names):
        name = min(names[code], key=lambda n: (-names[code][n], n))
        measure_id = known.get(fold_name(code)) or known.get(fold_name(name)) or slugify(code)
        if len(betters[code]) > 1:
            problems.append(f"measure {code}: the rows disagree on its direction ({', '.join(sorted(betters[code]))})")
        found[code] = Measure(measure_id, code, name, sorted(betters[code])[0])
    return found, problems


def _levels(rows: list[MeasureRow], codes: AuthorityCodes, measures: dict[str, Measure],
            path: Path) -> tuple[dict[str, dict[tuple[str, str], MeasureRow]], dict[str, Authority], list[str]]:
    """Rows by organisation and (measure, year), the organisations' authorities, and problems."""
    levels: dict[str, dict[tuple[str, str], MeasureRow]] = defaultdict(dict)
    authorities: dict[str, Authority] = {}
    problems = []
    for row in rows:
        found = codes.resolve(row.authority_code, row.authority_name, year_end(row.year))
        if isinstance(found, str):
            problems.append(f"{path}:{row.line}: {found}")
            continue
        org = authorities.setdefault(found.organisation_id, found).organisation_id
        key = (measures[row.measure_code].id, row.year)
        first = levels[org].setdefault(key, row)
        if first.value != row.value:
            problems.append(f"{path}:{row.line}: {org} has two values for {key[0]} in {row.year}: "
                            f"{row.value} here and {first.value} on line {first.line}; the first is kept")
    return levels, authorities, problems


def _catalogue_file(measures: dict[str, Measure], known: dict[str, str], capability: str,
                    new_capability: dict[str, str] | None, table: Path) -> OutputFile | None:
    """The catalogue of the measures (and the capability) that the given catalogues lack."""
    entries = []
    for measure in sorted(measures.values(), key=lambda m: m.id):
        if fold_name(measure.id) in known:
            continue
        entry: dict[str, Any] = {"id": measure.id, "name": measure.name, "capability": capability,
                                 "better": measure.better}
        if measure.code in UNITS:
            entry["unit"] = UNITS[measure.code]
        if fold_name(measure.code) != fold_name(measure.id):
            entry["aliases"] = [measure.code]
        entries.append(entry)
    body: dict[str, Any] = {"capabilities": [new_capability]} if new_capability else {}
    if entries:
        body["measures"] = entries
    header = [f"Measures of {table.name}, imported by `ictgraph import service-levels`: ids from the measures' "
              "codes, `better` from the table's direction.",
              "Units are ictgraph's reading of the values where the table gives none: check them."]
    return OutputFile(CATALOGUE_FILE, render_document({"catalogue": body}, header)) if body else None


def _organisation_file(authority: Authority, levels: dict[tuple[str, str], MeasureRow], table: Path) -> OutputFile:
    org = authority.organisation_id
    entries = [{"measure": measure, "financial_year": year, "value": row.value}
               for (measure, year), row in sorted(levels.items())]
    header = [f"{authority.name} ({org}): {len(entries)} service level{'s' * (len(entries) != 1)} from {table.name}, "
              "imported by `ictgraph import service-levels`."]
    text = render_document({"organisation": {"id": org}, "service_levels": entries}, header)
    return OutputFile(f"{org}-{slugify(authority.nice_name or authority.name)}-service-levels.yaml", text)


def _capability(capability: str, documents: list[Any]) -> tuple[str, dict[str, str] | None]:
    """The capability's id (a given catalogue's, by id, name or alias), and its new entry if none has it."""
    known = known_names(documents, "capabilities")
    if fold_name(capability) in known:
        return known[fold_name(capability)], None
    if not load_schema().patterns["slug"].match(capability):
        raise UsageError(f"--capability {capability!r} is neither a capability of the given catalogue nor a valid id",
                         "give a capability id such as adult-social-care (lower case, digits and hyphens)")
    return capability, {"id": capability, "name": capability.replace("-", " ").capitalize()}


@dataclass(frozen=True)
class _Inputs:
    table: Path
    register: Path
    rows: list[dict[str, str]]
    authorities: list[Authority]
    catalogue_documents: list[Any]


def build_service_levels(inputs: _Inputs, capability: str) -> tuple[list[OutputFile], dict[str, Any]]:
    """The files to write and the report (without the validator's problems)."""
    rows, row_problems, blanks = parse_rows(inputs.rows)
    capability_id, new_capability = _capability(capability, inputs.catalogue_documents)
    known = known_names(inputs.catalogue_documents, "measures")
    measures, problems = _measures(rows, known)
    levels, authorities, unresolved = _levels(rows, AuthorityCodes(inputs.authorities), measures, inputs.table)
    files = [_organisation_file(authorities[org], levels[org], inputs.table) for org in sorted(levels)]
    catalogue = _catalogue_file(measures, known, capability_id, new_capability, inputs.table)
    counts = Counter(measure for org in levels for measure, _ in levels[org])
    report = {
        "command": "import service-levels", "table": str(inputs.table), "register": str(inputs.register), "capability": capability_id,
        "rows_read": len(inputs.rows), "blanks_left_out": blanks,
        "service_levels_written": sum(len(v) for v in levels.values()), "authorities": len(levels),
        "measures": [{"id": m.id, "code": m.code, "better": m.better, "unit": UNITS.get(m.code, ""),
                      "service_levels": counts[m.id]} for m in sorted(measures.values(), key=lambda m: m.id)],
        "problems": [f"{inputs.table}:{p.line}: {p.message}" for p in row_problems] + problems + unresolved,
    }
    return ([catalogue] if catalogue else []) + files, report


def summary_line(report: dict[str, Any]) -> str:
    """The one line a terminal shows: rows read, written, blanks left out, authorities."""
    return (f"{report['rows_read']} rows read, {report['service_levels_written']} service levels written, "
            f"{report['blanks_left_out']} blanks left out, {report['authorities']} authorities"
            + (f", {len(report['problems'])} problem(s)" if report["problems"] else ""))


def import_service_levels(table: Path, register: Path, out_dir: Path, *, capability: str = DEFAULT_CAPABILITY,
                          catalogues: list[Path] | None = None, overwrite: bool = False) -> ImportResult:
    """Write the table's measures and each authority's service levels under ``out_dir``."""
    documents, raw = read_catalogues(catalogues or [])
    inputs = _Inputs(table, register, read_measure_rows(table), read_register(register), documents)
    files, report = build_service_levels(inputs, capability)
    report["problems"] += [p.render() for p in check_output(files, raw) if p.is_error]
    files.append(report_file(report))
    write_files(out_dir, files, overwrite=overwrite)
    return ImportResult(files, report)
