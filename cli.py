"""The ``ictgraph`` command: parse arguments, call one library function, render the result."""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from graph_loader import EstateError, GraphLoaderError, check_paths, load_into_neo4j
from graph_loader.connect import Neo4jSettings, open_driver
from graph_loader.report import render_problems, summarise_clean
from queries import render
from queries.clusters import clusters_document, clusters_table, find_clusters
from queries.source import open_estate_graph
from queries.suggest import load_savings_model, step_table, suggestion_table
from queries.suggest import suggest as run_suggest
from queries.windows import find_windows, windows_table
from queries.catalog import bind_params, find_query, list_queries, parse_param_pairs
from queries.runner import run_read_only

app = typer.Typer(
    name="ictgraph", no_args_is_help=True, pretty_exceptions_show_locals=False,
    help="A knowledge graph of public-sector ICT estates: validate inventories, find where "
         "organisations could share, and load the graph into Neo4j.",
)
F = TypeVar("F", bound=Callable[..., Any])


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


@app.callback()
def _group(
    ctx: typer.Context,
    uri: Annotated[str | None, typer.Option(envvar="NEO4J_URI", help="Neo4j URI (the password comes only from NEO4J_PASSWORD or a prompt).")] = None,
    user: Annotated[str | None, typer.Option(envvar="NEO4J_USER", help="Neo4j user.")] = None,
    database: Annotated[str | None, typer.Option(envvar="NEO4J_DATABASE", help="Neo4j database.")] = None,
) -> None:
    """ictgraph: a knowledge graph of public-sector ICT estates."""
    ctx.obj = Neo4jSettings.from_env(uri, user, database)


def _settings(ctx: typer.Context) -> Neo4jSettings:
    settings: Neo4jSettings = ctx.obj
    if settings.password is None and settings.uri.startswith(("neo4j+s://", "bolt+s://", "neo4j+ssc://", "bolt+ssc://")) and sys.stdin.isatty():
        password = typer.prompt(f"Password for {settings.user} at {settings.safe_uri}", hide_input=True)
        settings = dataclasses.replace(settings, password=password)
    return settings


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r} is not a date; write YYYY-MM-DD, e.g. 2026-11-27") from exc


EstatePaths = Annotated[list[Path], typer.Argument(help="YAML files or directories (searched recursively).", show_default=False)]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
AsOf = Annotated[str | None, typer.Option("--as-of", help="The date to plan from (YYYY-MM-DD); default today.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress messages on stderr.")]


def _progress(quiet: bool) -> Callable[[str], None] | None:
    return None if quiet else (lambda message: typer.echo(f"ictgraph: {message}", err=True))


def _fail(error: GraphLoaderError) -> typer.Exit:
    if isinstance(error, EstateError):
        typer.echo(render_problems(error.problems), err=True, nl=False)
    else:
        typer.echo(f"Error: {error.message}", err=True)
        if error.hint:
            typer.echo(f"Hint: {error.hint}", err=True)
    return typer.Exit(code=error.exit_code)


def handles_errors(command: F) -> F:
    """Expected errors become a message and an exit code, never a traceback."""
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except GraphLoaderError as error:
            raise _fail(error) from None
    return wrapper  # type: ignore[return-value]


def _emit(result: dict[str, Any], table: tuple[list[str], list[list[Any]]], fmt: Format) -> None:
    if fmt is Format.json:
        typer.echo(render.to_json(result), nl=False)
    elif fmt is Format.csv:
        typer.echo(render.to_csv(*table), nl=False)
    else:
        typer.echo(render.to_table(*table), nl=False)


@app.command()
@handles_errors
def validate(paths: EstatePaths) -> None:
    """Check an estate against the inventory format; report every problem at once.

    Example: ictgraph validate fixtures/sample
    """
    checked = check_paths(paths)
    if checked.errors:
        typer.echo(render_problems(checked.problems), nl=False)
        raise typer.Exit(code=1)
    for warning in checked.warnings:
        typer.echo(warning.render())
    typer.echo(summarise_clean(checked.file_count, len(checked.items), len(checked.warnings)), nl=False)


Neo4jFlag = Annotated[bool, typer.Option("--neo4j", help="Read the graph from Neo4j instead of YAML files.")]
OptionalPaths = Annotated[list[Path] | None, typer.Argument(help="YAML files or directories (omit with --neo4j).", show_default=False)]


def _graph(ctx: typer.Context, paths: list[Path] | None, neo4j: bool, quiet: bool) -> Any:
    return open_estate_graph(paths or [], _settings(ctx) if neo4j else None, _progress(quiet))


def _as_of(value: str | None) -> dt.date:
    return _parse_date(value) or dt.date.today()


@app.command()
@handles_errors
def clusters(ctx: typer.Context, paths: OptionalPaths = None, neo4j: Neo4jFlag = False,
             fmt: FormatOption = Format.table, quiet: Quiet = False) -> None:
    """Find shared-application clusters: same product per capability, and similar estates.

    Example: ictgraph clusters fixtures/sample --format json
    """
    found = find_clusters(_graph(ctx, paths, neo4j, quiet))
    _emit(clusters_document(found), clusters_table(found), fmt)


@app.command()
@handles_errors
def windows(ctx: typer.Context, paths: OptionalPaths = None, neo4j: Neo4jFlag = False, as_of: AsOf = None,
            months: Annotated[int, typer.Option(min=1, max=120, help="Contracts ending within this many months of each other share a window.")] = 12,
            fmt: FormatOption = Format.table, quiet: Quiet = False) -> None:
    """Find procurement windows: contracts for one capability that end together.

    Example: ictgraph windows fixtures/sample --as-of 2026-11-27 --months 12
    """
    result = find_windows(_graph(ctx, paths, neo4j, quiet), as_of=_as_of(as_of), months=months)
    _emit(result, windows_table(result), fmt)


@app.command()
@handles_errors
def suggest(ctx: typer.Context, paths: OptionalPaths = None, neo4j: Neo4jFlag = False, as_of: AsOf = None,
            savings_model: Annotated[Path | None, typer.Option("--savings-model", help="A YAML or JSON file replacing the savings assumptions.")] = None,
            steps: Annotated[bool, typer.Option("--steps", help="Table/CSV: one row per step instead of per suggestion.")] = False,
            fmt: FormatOption = Format.table, quiet: Quiet = False) -> None:
    """Suggest consolidations: who moves to which shared platform, when, at what saving.

    Example: ictgraph suggest fixtures/sample --as-of 2026-11-27 --format json
    """
    model = load_savings_model(savings_model)
    result = run_suggest(_graph(ctx, paths, neo4j, quiet), as_of=_as_of(as_of), model=model)
    _emit(result, step_table(result) if steps else suggestion_table(result), fmt)


@app.command()
@handles_errors
def load(ctx: typer.Context, paths: EstatePaths, quiet: Quiet = False) -> None:
    """Validate an estate and write it to Neo4j; nothing is written if it has errors.

    A reload replaces each organisation in the estate and leaves the others alone.

    Example: ictgraph load fixtures/sample
    """
    summary = load_into_neo4j(paths, _settings(ctx), _progress(quiet))
    typer.echo(render.to_table(["change", "count"], [[k, v] for k, v in summary.as_dict().items()]), nl=False)


Params = Annotated[list[str] | None, typer.Option("--param", "-p", help="A query parameter as key=value (repeat).")]
Timeout = Annotated[float, typer.Option(help="Stop the query after this many seconds.")]
RowCap = Annotated[int, typer.Option("--max-rows", help="Return at most this many rows.")]


@app.command()
@handles_errors
def query(ctx: typer.Context,
          name: Annotated[str | None, typer.Argument(help="The query's name (see --list).", show_default=False)] = None,
          list_: Annotated[bool, typer.Option("--list", help="List the named queries.")] = False,
          param: Params = None, fmt: FormatOption = Format.table, timeout: Timeout = 30.0,
          max_rows: RowCap = 10_000) -> None:
    """Run a named, read-only Cypher query from the library.

    Example: ictgraph query who_runs_product --param product=civica/openrevenues
    """
    if list_ or name is None:
        rows = [[q.area, q.name, ", ".join(f"{p.name}:{p.type}" for p in q.params), q.description] for q in list_queries()]
        _emit({"queries": rows}, (["area", "name", "parameters", "description"], rows), fmt)
        return
    chosen = find_query(name)
    _run_cypher(ctx, chosen.text, bind_params(chosen, parse_param_pairs(param or [])), fmt, timeout, max_rows)


@app.command()
@handles_errors
def cypher(ctx: typer.Context, statement: Annotated[str, typer.Argument(help="One read-only Cypher statement.")],
           param: Params = None, fmt: FormatOption = Format.table, timeout: Timeout = 30.0,
           max_rows: RowCap = 10_000) -> None:
    """Run an ad-hoc read-only Cypher statement (writes are refused).

    Example: ictgraph cypher "MATCH (o:Organisation) RETURN o.id, o.name LIMIT 5"
    """
    _run_cypher(ctx, statement, dict(parse_param_pairs(param or [])), fmt, timeout, max_rows)


def _run_cypher(ctx: typer.Context, text: str, params: dict[str, Any], fmt: Format, timeout: float, cap: int) -> None:
    settings = _settings(ctx)
    with open_driver(settings) as driver:
        result = run_read_only(driver, text, params, database=settings.database, timeout=timeout, row_cap=cap)
    data = {"columns": result.columns, "rows": result.rows, "truncated": result.truncated}
    _emit(data, (result.columns, result.rows), fmt)
    if result.truncated:
        typer.echo(f"ictgraph: stopped at {cap} rows (--max-rows)", err=True)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="ictgraph")


if __name__ == "__main__":
    sys.exit(main())
