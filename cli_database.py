"""The Neo4j commands: load an estate, run named or ad-hoc read-only Cypher, and run the
project's own local Neo4j server."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ictgraph.cli_common import EstatePaths, Format, FormatOption, Quiet, emit, handles_errors, progress, settings
from ictgraph.graph_loader import load_into_neo4j
from ictgraph.graph_loader.connect import open_driver
from ictgraph.graph_loader.errors import DatabaseError
from ictgraph.graph_loader.server import ServerInfo, ServerSettings, server_status, start_server, stop_server
from ictgraph.graph_loader.server.auth import read_password
from ictgraph.graph_loader.server.settings import resolve_paths
from ictgraph.queries import render
from ictgraph.queries.catalog import bind_params, find_query, list_queries, parse_param_pairs
from ictgraph.queries.runner import run_read_only

app = typer.Typer()

Params = Annotated[list[str] | None, typer.Option("--param", "-p", help="A query parameter as key=value (repeat).")]
Timeout = Annotated[float, typer.Option(help="Stop the query after this many seconds.")]
RowCap = Annotated[int, typer.Option("--max-rows", help="Return at most this many rows.")]


@app.command()
@handles_errors
def load(ctx: typer.Context, paths: EstatePaths, quiet: Quiet = False,
         unit_size: Annotated[int, typer.Option(min=1, help="Rows per transaction at most (whole organisations; a smaller estate is one transaction).")] = 50_000,
         batch_size: Annotated[int, typer.Option(min=1, help="Rows per UNWIND statement.")] = 5_000,
         full: Annotated[bool, typer.Option("--full", help="Compare every organisation with the database, ignoring the content digests the last load stored (after the database was changed other than by a load).")] = False) -> None:
    """Validate an estate and write it to Neo4j; nothing is written if it has errors.

    A reload replaces each organisation in the estate and leaves the others alone; an
    organisation (or the catalogue) whose content digest equals the one the last load stored
    is skipped without reading it back.

    Example: ictgraph load fixtures/sample
    """
    summary = load_into_neo4j(paths, settings(ctx), progress(quiet), unit_size=unit_size, batch_size=batch_size,
                              full=full)
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
        columns = ["area", "name", "parameters", "description"]
        emit({"queries": [dict(zip(columns, row)) for row in rows]}, (columns, rows), fmt)
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
    data = {"columns": result.columns, "rows": [dict(zip(result.columns, row)) for row in result.rows],
            "truncated": result.truncated}
    emit(data, (result.columns, result.rows), fmt)
    if result.truncated:
        typer.echo(f"ictgraph: stopped at {cap} rows (--max-rows)", err=True)


server_app = typer.Typer(no_args_is_help=True, help="The project's own local Neo4j 5.26 server (no Docker).")
app.add_typer(server_app, name="neo4j")
RunDir = Annotated[Path | None, typer.Option(envvar="ICTGRAPH_NEO4J_RUN_DIR", help="Where the server's state, config and logs live.")]


def _show(info: ServerInfo) -> None:
    typer.echo(info.bolt_uri)
    typer.echo(f"ictgraph: Browser {info.browser_url}; data {info.data_dir}; log {info.log_file}", err=True)
    if info.auth:
        typer.echo(f"ictgraph: authentication on; user neo4j, password in {info.password_file} "
                   "(ictgraph neo4j password)", err=True)


@server_app.command("start")
@handles_errors
def neo4j_start(
    bolt_port: Annotated[int, typer.Option(envvar="ICTGRAPH_NEO4J_BOLT_PORT", help="Bolt port on 127.0.0.1.")] = 7687,
    http_port: Annotated[int, typer.Option(envvar="ICTGRAPH_NEO4J_HTTP_PORT", help="HTTP port (Neo4j Browser at /browser/).")] = 7474,
    assets_port: Annotated[int, typer.Option(help="Port serving the Browser style and guide.")] = 7476,
    heap: Annotated[str, typer.Option(help="Java heap, e.g. 1g.")] = "1g",
    pagecache: Annotated[str, typer.Option(help="Page cache, e.g. 512m.")] = "512m",
    data_dir: Annotated[Path | None, typer.Option(envvar="ICTGRAPH_NEO4J_DATA_DIR", help="Where the database lives (kept across restarts).")] = None,
    run_dir: RunDir = None,
    timeout: Annotated[float, typer.Option(help="Seconds to wait until the server answers.")] = 180.0,
    auth: Annotated[bool, typer.Option("--auth", help="Authentication on: user neo4j with a generated password, kept in the run directory (see `neo4j password`).")] = False,
    quiet: Quiet = False,
) -> None:
    """Start the local Neo4j server (downloaded through Maven the first time) and print its URI.

    Example: ictgraph neo4j start --data-dir ~/ictgraph-db
    """
    server = ServerSettings(bolt_port=bolt_port, http_port=http_port, assets_port=assets_port, heap=heap,
                            pagecache=pagecache, data_dir=data_dir, run_dir=run_dir, startup_timeout=timeout,
                            auth=auth)
    _show(start_server(server, progress(quiet)))


@server_app.command("stop")
@handles_errors
def neo4j_stop(run_dir: RunDir = None, timeout: Annotated[float, typer.Option(help="Seconds to wait for a clean stop.")] = 60.0) -> None:
    """Stop the local Neo4j server cleanly.

    Example: ictgraph neo4j stop
    """
    stopped = stop_server(ServerSettings(run_dir=run_dir), progress(False), timeout=timeout)
    typer.echo("Stopped" if stopped else "No local Neo4j server is running")


@server_app.command("status")
@handles_errors
def neo4j_status(run_dir: RunDir = None) -> None:
    """Show whether the local Neo4j server runs, where, and whether it answers (exit 3 if not running).

    Example: ictgraph neo4j status
    """
    info = server_status(ServerSettings(run_dir=run_dir))
    if info is None:
        typer.echo("No local Neo4j server is running")
        raise typer.Exit(code=3)
    rows = [["bolt", info.bolt_uri], ["browser", info.browser_url], ["pid", info.pid], ["ready", info.ready],
            ["auth", f"on (password in {info.password_file})" if info.auth else "off"],
            ["data", str(info.data_dir)], ["log", str(info.log_file)], ["version", info.neo4j_version]]
    typer.echo(render.to_table(["what", "value"], rows), nl=False)


@server_app.command("password")
@handles_errors
def neo4j_password(run_dir: RunDir = None) -> None:
    """Print the password of the local server started with --auth (user neo4j), on stdout only.

    Example: ictgraph neo4j password
    """
    paths = resolve_paths(ServerSettings(run_dir=run_dir))
    password = read_password(paths)
    if password is None:
        raise DatabaseError(f'no password in "{paths.run_dir}": the local server was not started with --auth',
                            "start it with `ictgraph neo4j start --auth`")
    typer.echo(password)
