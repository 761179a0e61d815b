"""The ``ictgraph`` command: parse arguments, call one library function, render the result."""
from __future__ import annotations

import datetime as dt
import functools
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from graph_loader import EstateError, GraphLoaderError, check_paths
from graph_loader.report import render_problems, summarise_clean
from queries import render

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
def _group() -> None:
    """ictgraph: a knowledge graph of public-sector ICT estates."""


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


def main() -> None:
    """Console-script entry point."""
    app(prog_name="ictgraph")


if __name__ == "__main__":
    sys.exit(main())
