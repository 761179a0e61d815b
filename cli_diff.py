"""What changed between two estates: ``ictgraph diff``."""
from __future__ import annotations

from typing import Annotated

import typer

from ictgraph.cli_common import Format, FormatOption, Neo4jFlag, Quiet, emit, handles_errors, progress, settings
from ictgraph.graph_loader import load_schema
from ictgraph.queries.diff import is_empty
from ictgraph.queries.diff_sources import compare_estates
from ictgraph.queries.diff_words import diff_rows, diff_text

app = typer.Typer()

Sides = Annotated[list[str], typer.Argument(metavar="ESTATE", show_default=False,
                  help="Two estates, OLD then NEW (with --neo4j: NEW only). Each a YAML file or directory, "
                       "or REV:PATH for PATH at a git revision of the repository that holds it (e.g. HEAD~1:estate).")]
ExitCode = Annotated[bool, typer.Option("--exit-code", help="Exit 1 when there are changes, 0 when there are none (as `git diff --exit-code`).")]
OldFromNeo4j = Annotated[bool, typer.Option("--neo4j", help="OLD is what Neo4j holds: a dry run of `ictgraph load NEW` (organisations NEW does not define are left out, as a load leaves them alone).")]


@app.command()
@handles_errors
def diff(ctx: typer.Context, sides: Sides, neo4j: OldFromNeo4j = False, fmt: FormatOption = Format.table,
         exit_code: ExitCode = False, quiet: Quiet = False) -> None:
    """What changed between two estates, as a difference of their graphs, in words or JSON.

    Exit 0; with --exit-code, 1 when anything changed. Bad data 1, usage or git 2, database 3.

    Example: ictgraph diff HEAD~1:fixtures/sample fixtures/sample
    """
    if len(sides) != (1 if neo4j else 2):
        raise typer.BadParameter("give OLD and NEW, or --neo4j and NEW", param_hint="ESTATE")
    old, new = (None, sides[0]) if neo4j else (sides[0], sides[1])
    found = compare_estates(old, new, settings(ctx) if neo4j else None, progress(quiet))
    if fmt is Format.table:
        typer.echo(diff_text(found.diff, found.old, found.new, load_schema()), nl=False)
    else:
        emit(found.diff, diff_rows(found.diff, found.old, found.new, load_schema()), fmt)
    if exit_code and not is_empty(found.diff):
        raise typer.Exit(code=1)
