"""The bridges: ``import`` (councils, OCDS notices, application registers, official measures), ``export``
(GraphML, neo4j-admin CSV, ArchiMate), ``schema`` (the format as a table or a JSON Schema)
and the hidden ``docs`` that writes the CLI reference, ``docs/cli.md``."""
from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from ictgraph.cli_common import (
    AsOf,
    EstatePaths,
    Format,
    FormatOption,
    Quiet,
    as_of_or_today,
    emit,
    handles_errors,
    progress,
)
from ictgraph.graph_loader import load_schema
from ictgraph.graph_loader.errors import UsageError
from ictgraph.graph_loader.exports import export_estate, import_command, render_json_schema
from ictgraph.graph_loader.imports import (
    ImportResult,
    import_councils,
    import_ocds,
    import_register,
    import_service_levels,
    report_rows,
    summary_line,
)
from ictgraph.graph_loader.imports.cpv import ICT_PREFIXES

app = typer.Typer()
import_app = typer.Typer(no_args_is_help=True, help="Start an estate from data that exists: the register of "
                         "councils, OCDS contract notices, a council's application register, official measures.")
app.add_typer(import_app, name="import")

Output = Annotated[Path, typer.Option("--output", "-o", help="The directory to write into (new or empty).", show_default=False)]
Overwrite = Annotated[bool, typer.Option("--overwrite", help="Write into a non-empty directory, replacing files of the same names.")]
Register = Annotated[Path, typer.Option("--register", help="mySociety's register of UK local authorities (CSV).", show_default=False)]
Catalogues = Annotated[list[Path] | None, typer.Option("--catalogue", help="An existing catalogue whose names to resolve to (repeat).", show_default=False)]


class ExportFormat(str, Enum):
    graphml = "graphml"
    csv = "csv"
    archimate = "archimate"


def _pairs(values: list[str] | None, option: str) -> dict[str, str]:
    pairs = {}
    for value in values or []:
        key, sep, rest = value.partition("=")
        if not sep or not key.strip() or not rest.strip():
            raise UsageError(f"{option} {value!r} is not KEY=VALUE", f"write e.g. {option} name=Application")
        pairs[key.strip()] = rest.strip()
    return pairs


def _finish(result: ImportResult, out: Path, fmt: Format) -> None:
    emit(result.report, (["what", "detail"], report_rows(result.report)), fmt)
    typer.echo(f"ictgraph: wrote {len(result.files)} file(s) to {out}", err=True)
    if result.report.get("problems"):
        raise typer.Exit(code=1)


@import_app.command("councils")
@handles_errors
def import_councils_command(
        register: Annotated[Path, typer.Argument(help="mySociety's register of UK local authorities (CSV).", show_default=False)],
        out: Output, all_: Annotated[bool, typer.Option("--all", help="Also abolished and announced authorities.")] = False,
        as_of: AsOf = None, overwrite: Overwrite = False, fmt: FormatOption = Format.table) -> None:
    """Organisation stubs (GSS code, name, type, nation, region, population, parent county), one file each.

    Example: ictgraph import councils uk_local_authorities_current.csv -o estate/councils
    """
    result = import_councils(register, out, as_of=as_of_or_today(as_of), everything=all_, overwrite=overwrite)
    _finish(result, out, fmt)


@import_app.command("ocds")
@handles_errors
def import_ocds_command(
        files: Annotated[list[Path], typer.Argument(help="OCDS release or record packages (JSON).", show_default=False)],
        register: Register, out: Output, catalogue: Catalogues = None,
        cpv: Annotated[list[str] | None, typer.Option("--cpv", help=f"Keep notices with a CPV code starting so (repeat; default {', '.join(ICT_PREFIXES)}).", show_default=False)] = None,
        all_cpv: Annotated[bool, typer.Option("--all-cpv", help="Keep notices whatever they bought.")] = False,
        overwrite: Overwrite = False, fmt: FormatOption = Format.table) -> None:
    """Contracts and procurement plans from OCDS notices; buyers resolved through the register.

    Example: ictgraph import ocds notices.json --register uk_local_authorities_current.csv -o estate/ocds
    """
    prefixes = () if all_cpv else tuple(cpv or ICT_PREFIXES)
    result = import_ocds(files, register, out, prefixes=prefixes, catalogues=catalogue, overwrite=overwrite)
    _finish(result, out, fmt)


@import_app.command("register")
@handles_errors
def import_register_command(
        path: Annotated[Path, typer.Argument(help="The application register (.csv or .xlsx).", show_default=False)],
        organisation: Annotated[str, typer.Option("--organisation", help="The organisation's id (its GSS code).", show_default=False)],
        out: Output, column: Annotated[list[str] | None, typer.Option("--column", help="FIELD=HEADER: the column holding a field (repeat); others are guessed.", show_default=False)] = None,
        hosting: Annotated[list[str] | None, typer.Option("--hosting", help="WORD=VALUE: a hosting word of the register, e.g. Cloud=saas (repeat).", show_default=False)] = None,
        sheet: Annotated[str | None, typer.Option("--sheet", help="The .xlsx sheet (default: the first).", show_default=False)] = None,
        catalogue: Catalogues = None, overwrite: Overwrite = False, fmt: FormatOption = Format.table) -> None:
    """One organisation's systems and contracts from its application register.

    Fields: name, supplier, product, service_area, hosting, contract_start, contract_end, annual_cost, users.

    Example: ictgraph import register applications.xlsx --organisation E06000047 -o estate/durham
    """
    result = import_register(path, organisation, out, columns=_pairs(column, "--column"),
                             hosting=_pairs(hosting, "--hosting"), sheet=sheet, catalogues=catalogue, overwrite=overwrite)
    _finish(result, out, fmt)


@import_app.command("service-levels")
@handles_errors
def import_service_levels_command(
        table: Annotated[Path, typer.Argument(help="A long-format table of measures (CSV), as Oflog publishes them.", show_default=False)],
        register: Register, out: Output, catalogue: Catalogues = None,
        capability: Annotated[str, typer.Option("--capability", help="The capability the measures are of (added to the catalogue when absent).")] = "adult-social-care",
        overwrite: Overwrite = False, fmt: FormatOption = Format.table) -> None:
    """Measures and each authority's service levels from a table of official measures; authorities resolved through the register by the financial year.

    Columns: Financial year, Local authority code, Local authority name, Measure, Code, Value, rank_order.

    Example: ictgraph import service-levels adult_social_care_measures.csv --register uk_local_authorities_current.csv -o estate/service-levels
    """
    result = import_service_levels(table, register, out, capability=capability, catalogues=catalogue, overwrite=overwrite)
    typer.echo(f"ictgraph: {summary_line(result.report)}", err=True)
    _finish(result, out, fmt)


@app.command()
@handles_errors
def export(paths: EstatePaths,
           fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="graphml (Gephi, yEd), csv (neo4j-admin import) or archimate (Open Exchange Format).", show_default=False)],
           out: Annotated[Path, typer.Option("--output", "-o", help="The file to write (a new directory for csv).", show_default=False)],
           quiet: Quiet = False) -> None:
    """Export a valid estate as GraphML, neo4j-admin import CSVs or an ArchiMate model.

    Example: ictgraph export fixtures/sample --format archimate -o estate.xml
    """
    written = export_estate(paths, fmt.value, out, progress(quiet))
    typer.echo(f"ictgraph: wrote {len(written)} file(s) to {out}", err=True)
    if fmt is ExportFormat.csv:
        typer.echo(f"cd {out} && {import_command([p.name for p in written if p.suffix == '.csv'])}")


@app.command()
@handles_errors
def schema(json_schema: Annotated[bool, typer.Option("--json-schema", help="Print a JSON Schema for editors instead.")] = False,
           fmt: FormatOption = Format.table) -> None:
    """Show the inventory format's fields from schema.yaml, or a JSON Schema of it for editors.

    Example: ictgraph schema --json-schema > inventory.schema.json
    """
    if json_schema:
        typer.echo(render_json_schema(), nl=False)
        return
    schema = load_schema()
    rows = [[s.where, name, f.type, f.required, f.since or s.since or schema.format_versions[0]]
            for s in schema.sections.values() for name, f in s.fields.items()]
    emit({"fields": rows}, (["section", "field", "type", "required", "since"], rows), fmt)


@app.command(hidden=True)
def docs(ctx: typer.Context) -> None:
    """Print the CLI reference, generated from the commands' help.

    Example: ictgraph docs > docs/cli.md
    """
    typer.echo(cli_reference(ctx.find_root().command, type(ctx)), nl=False)


def _help_text(text: str) -> str:
    lines = []
    for line in text.strip().splitlines():
        if line.strip().startswith("Example: "):
            lines += ["Example:", "", "```sh", line.strip().removeprefix("Example: "), "```"]
        else:
            lines.append(line.strip())
    return "\n".join(lines)


def _command_reference(command: Any, ctx: typer.Context, path: str) -> list[str]:
    parts = [f"## `{path}`", "", _help_text(command.help or ""), "",
             f"Usage: `{path} {' '.join(command.collect_usage_pieces(ctx))}`", ""]
    records = [p.get_help_record(ctx) for p in command.get_params(ctx)]
    parts += [f"* `{name}`: {help_}" if help_ else f"* `{name}`" for name, help_ in filter(None, records)]
    parts.append("")
    for name in command.list_commands(ctx) if hasattr(command, "list_commands") else []:
        sub = command.get_command(ctx, name)
        if sub is not None and not sub.hidden:
            parts += _command_reference(sub, type(ctx)(sub, info_name=name, parent=ctx), f"{path} {name}")
    return parts


def cli_reference(root: Any, context_class: type[typer.Context], program: str = "ictgraph") -> str:
    """The Markdown reference of every visible command, from the same help ``--help`` shows."""
    intro = ["# ictgraph command reference", "",
             ("Generated from the commands' help by `ictgraph docs > docs/cli.md`; "
              "`tests/test_cli_reference.py` fails when it differs from the commands."), ""]
    return "\n".join(intro + _command_reference(root, context_class(root, info_name=program), program)).rstrip() + "\n"
