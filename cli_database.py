"""The Neo4j commands: load an estate, run named or ad-hoc read-only Cypher, and run the
project's own local Neo4j server."""
from __future__ import annotations

from typing import Annotated, Any

import typer

from cli_common import EstatePaths, Format, FormatOption, Quiet, emit, handles_errors, progress, settings
from graph_loader import load_into_neo4j
from graph_loader.connect import open_driver
from queries import render
from queries.catalog import bind_params, find_query, list_queries, parse_param_pairs
from queries.runner import run_read_only

app = typer.Typer()

Params = Annotated[list[str] | None, typer.Option("--param", "-p", help="A query parameter as key=value (repeat).")]
Timeout = Annotated[float, typer.Option(help="Stop the query after this many seconds.")]
RowCap = Annotated[int, typer.Option("--max-rows", help="Return at most this many rows.")]


@app.command()
@handles_errors
def load(ctx: typer.Context, paths: EstatePaths, quiet: Quiet = False,
         unit_size: Annotated[int, typer.Option(min=1, help="Rows per transaction at most (whole organisations; a smaller estate is one transaction).")] = 50_000,
         batch_size: Annotated[int, typer.Option(min=1, help="Rows per UNWIND statement.")] = 5_000) -> None:
    """Validate an estate and write it to Neo4j; nothing is written if it has errors.

    A reload replaces each organisation in the estate and leaves the others alone.

    Example: ictgraph load fixtures/sample
    """
    summary = load_into_neo4j(paths, settings(ctx), progress(quiet), unit_size=unit_size, batch_size=batch_size)
    typer.echo(render.to_table(["change", "count"], [[k, v] for k, v in summary.as_dict().items()]), nl=False)


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
        emit({"queries": rows}, (["area", "name", "parameters", "description"], rows), fmt)
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
    connection = settings(ctx)
    with open_driver(connection) as driver:
        result = run_read_only(driver, text, params, database=connection.database, timeout=timeout, row_cap=cap)
    data = {"columns": result.columns, "rows": result.rows, "truncated": result.truncated}
    emit(data, (result.columns, result.rows), fmt)
    if result.truncated:
        typer.echo(f"ictgraph: stopped at {cap} rows (--max-rows)", err=True)
