"""What every ictgraph command shares: output formats, options, error handling, rendering.

Only the ``cli*`` modules import typer; the library raises structured errors and this module
turns them into ``Error: ...`` / ``Hint: ...`` lines and exit codes (1 bad data, 2 usage,
3 database), never a traceback."""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import gc
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from ictgraph.graph_loader import EstateError, GraphLoaderError
from ictgraph.graph_loader.connect import Neo4jSettings
from ictgraph.graph_loader.report import render_problems
from ictgraph.queries import render
from ictgraph.queries.source import open_estate_graph
from ictgraph.queries.suggest.candidates import EstateView, read_estate

F = TypeVar("F", bound=Callable[..., Any])
Records = TypeVar("Records")
_LOOPBACK = ("//127.0.0.1", "//localhost", "//[::1]")


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


def settings(ctx: typer.Context) -> Neo4jSettings:
    """The connection settings; a remote server's password is prompted for (hidden) when
    NEO4J_PASSWORD is not set and a person is at the terminal."""
    current: Neo4jSettings = ctx.find_root().obj
    remote = not any(host in current.uri for host in _LOOPBACK)
    if current.password is None and remote and sys.stdin.isatty():
        password = typer.prompt(f"Password for {current.user} at {current.safe_uri}", hide_input=True)
        current = dataclasses.replace(current, password=password)
    return current


def parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r} is not a date; write YYYY-MM-DD, e.g. 2026-11-27") from exc


def as_of_or_today(value: str | None) -> dt.date:
    return parse_date(value) or dt.date.today()


EstatePaths = Annotated[list[Path], typer.Argument(help="YAML files or directories (searched recursively).", show_default=False)]
OptionalPaths = Annotated[list[Path] | None, typer.Argument(help="YAML files or directories (omit with --neo4j).", show_default=False)]
Neo4jFlag = Annotated[bool, typer.Option("--neo4j", help="Read the graph from Neo4j instead of YAML files.")]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
AsOf = Annotated[str | None, typer.Option("--as-of", help="The date to plan from (YYYY-MM-DD); default today.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress messages on stderr.")]
AllRows = Annotated[bool, typer.Option("--all", help="Table: every row, not only the first 20.")]


def _show_progress(message: str) -> None:
    done, total = getattr(message, "done", None), getattr(message, "total", None)
    if total and sys.stderr.isatty():
        filled = round(30 * (done or 0) / total)
        end = "\n" if done == total else ""
        sys.stderr.write(f"\r\033[Kictgraph: [{'#' * filled}{'.' * (30 - filled)}] {message}{end}")
        sys.stderr.flush()
    else:
        typer.echo(f"ictgraph: {message}", err=True)


def progress(quiet: bool) -> Callable[[str], None] | None:
    """Progress on stderr: a bar on a terminal for steps that count, plain lines otherwise."""
    return None if quiet else _show_progress


def estate_graph(ctx: typer.Context, paths: list[Path] | None, neo4j: bool, quiet: bool) -> Any:
    """The graph an analysis reads: from the YAML under ``paths``, or with ``--neo4j`` from Neo4j."""
    return open_estate_graph(paths or [], settings(ctx) if neo4j else None, progress(quiet))


def estate_view(ctx: typer.Context, paths: list[Path] | None, neo4j: bool, quiet: bool) -> EstateView:
    """The records ``suggest`` reads (:func:`read_estate`), without the graph they came from."""
    return estate_records(ctx, paths, neo4j, quiet, read_estate)


def estate_records(ctx: typer.Context, paths: list[Path] | None, neo4j: bool, quiet: bool,
                   read: Callable[[Any], Records]) -> Records:
    """What ``read`` takes from the estate's graph, the graph itself freed.

    The graph is most of the memory and nothing after the records needs it: dropped here, its
    space is reused by the suggestions and the solver's model. It sits in reference cycles
    (networkx's cached views point back at it) and ``main`` turns the cyclic collector off,
    so one collection is run here to free it."""
    records = read(estate_graph(ctx, paths, neo4j, quiet))
    gc.collect()
    return records


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


def emit(result: Any, table: tuple[list[str], list[list[Any]]], fmt: Format, *, all_rows: bool = True,
         people: tuple[list[str], list[list[Any]]] | None = None) -> None:
    """Print ``result`` as JSON, ``table`` as CSV, or an aligned table for a terminal: ``people``
    (names rather than ids) when given, fitted to 120 columns, and its first 20 rows unless
    ``all_rows``."""
    if fmt is Format.json:
        for chunk in render.iter_json(result):    # streamed: a national result is hundreds of MB
            typer.echo(chunk, nl=False)
    elif fmt is Format.csv:
        typer.echo(render.to_csv(*table), nl=False)
    else:
        limit = None if all_rows else render.TERMINAL_ROWS
        typer.echo(render.to_table(*(people or table), width=render.TERMINAL_WIDTH, limit=limit), nl=False)
