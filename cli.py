"""The ``ictgraph`` command: parse arguments, call one library function, render the result.

This module holds the root command and the estate commands (validate and the analyses);
``cli_database`` adds the Neo4j commands. Shared options and error handling: ``cli_common``."""
from __future__ import annotations

import gc
import logging
import sys
from pathlib import Path
from typing import Annotated

import typer

from ictgraph import cli_database
from ictgraph import cli_diff
from ictgraph import cli_generate
from ictgraph import cli_io
from ictgraph import cli_plan
from ictgraph import cli_report
from ictgraph import cli_track
from ictgraph.cli_common import (AllRows, AsOf, EstatePaths, Format, FormatOption, Neo4jFlag, OptionalPaths, Quiet,
                        as_of_or_today, emit, handles_errors, estate_graph, estate_view)
from ictgraph.graph_loader import check_paths
from ictgraph.graph_loader.connect import Neo4jSettings
from ictgraph.graph_loader.report import render_problems, summarise_clean
from ictgraph.queries.estate import display_names
from ictgraph.queries.clusters import clusters_document, clusters_table, find_clusters
from ictgraph.queries.explain import explain as run_explain
from ictgraph.queries.explain import explain_text
from ictgraph.queries.render import to_json
from ictgraph.queries.plan import suggest_in_plan
from ictgraph.queries.suggest import load_savings_model, step_table, suggestion_people_table, suggestion_table
from ictgraph.queries.windows import find_windows, windows_table

app = typer.Typer(
    name="ictgraph", no_args_is_help=True, pretty_exceptions_show_locals=False,
    help="A knowledge graph of public-sector ICT estates: validate inventories, find where "
         "organisations could share, and load the graph into Neo4j.",
)


@app.callback()
def _group(
    ctx: typer.Context,
    uri: Annotated[str | None, typer.Option(envvar="NEO4J_URI", help="Neo4j URI (the password comes only from NEO4J_PASSWORD or a prompt).")] = None,
    user: Annotated[str | None, typer.Option(envvar="NEO4J_USER", help="Neo4j user.")] = None,
    database: Annotated[str | None, typer.Option(envvar="NEO4J_DATABASE", help="Neo4j database.")] = None,
) -> None:
    """ictgraph: a knowledge graph of public-sector ICT estates."""
    # The driver logs its retries with tracebacks; without a handler Python would print
    # them on stderr. ictgraph reports failures itself, as one line and an exit code.
    logging.getLogger("neo4j").addHandler(logging.NullHandler())
    ctx.obj = Neo4jSettings.from_env(uri, user, database)



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


@app.command()
@handles_errors
def clusters(ctx: typer.Context, paths: OptionalPaths = None, neo4j: Neo4jFlag = False,
             fmt: FormatOption = Format.table, all_rows: AllRows = False, quiet: Quiet = False) -> None:
    """Find shared-application clusters: same product per capability, and similar estates.

    Example: ictgraph clusters fixtures/sample --format json
    """
    graph = estate_graph(ctx, paths, neo4j, quiet)
    found = find_clusters(graph)
    emit(clusters_document(found), clusters_table(found), fmt, all_rows=all_rows,
         people=clusters_table(found, display_names(graph, "Organisation")))


@app.command()
@handles_errors
def windows(ctx: typer.Context, paths: OptionalPaths = None, neo4j: Neo4jFlag = False, as_of: AsOf = None,
            months: Annotated[int, typer.Option(min=1, max=120, help="Contracts ending within this many months of each other share a window.")] = 12,
            fmt: FormatOption = Format.table, all_rows: AllRows = False, quiet: Quiet = False) -> None:
    """Find procurement windows: contracts for one capability that end together.

    Example: ictgraph windows fixtures/sample --as-of 2026-11-27 --months 12
    """
    graph = estate_graph(ctx, paths, neo4j, quiet)
    result = find_windows(graph, as_of=as_of_or_today(as_of), months=months)
    emit(result, windows_table(result), fmt, all_rows=all_rows,
         people=windows_table(result, display_names(graph, "Organisation")))


@app.command()
@handles_errors
def suggest(ctx: typer.Context, paths: OptionalPaths = None, neo4j: Neo4jFlag = False, as_of: AsOf = None,
            savings_model: Annotated[Path | None, typer.Option("--savings-model", help="A YAML or JSON file replacing the savings assumptions.")] = None,
            steps: Annotated[bool, typer.Option("--steps", help="Table/CSV: one row per step instead of per suggestion.")] = False,
            fmt: FormatOption = Format.table, all_rows: AllRows = False, quiet: Quiet = False) -> None:
    """Suggest consolidations: who moves to which shared platform, when, at what saving.

    Example: ictgraph suggest fixtures/sample --as-of 2026-11-27 --format json
    """
    model = load_savings_model(savings_model)
    views = [estate_view(ctx, paths, neo4j, quiet)]     # the records only: the graph is freed
    names = views[0].names["Organisation"]
    result = suggest_in_plan(views.pop(), as_of=as_of_or_today(as_of), model=model)   # handed over, freed before the solve
    table = step_table(result) if steps else suggestion_table(result)
    emit(result, table, fmt, all_rows=all_rows, people=None if steps else suggestion_people_table(result, names))


@app.command()
@handles_errors
def explain(ctx: typer.Context, system: Annotated[str, typer.Argument(help="The system, as ORG/SYSTEM (e.g. E07000117/revs).", show_default=False)],
            paths: OptionalPaths = None, neo4j: Neo4jFlag = False, as_of: AsOf = None,
            fmt: FormatOption = Format.table, quiet: Quiet = False) -> None:
    """Why is this system not shared? Who else could, what already does, what stands in the way.

    Example: ictgraph explain E07000117/revs fixtures/sample --as-of 2026-11-27
    """
    if fmt is Format.csv:
        raise typer.BadParameter("explain prints plain text (table) or json", param_hint="--format")
    result = run_explain(estate_graph(ctx, paths, neo4j, quiet), system, as_of=as_of_or_today(as_of))
    typer.echo(to_json(result) if fmt is Format.json else explain_text(result), nl=False)


app.add_typer(cli_database.app)
app.add_typer(cli_diff.app)
app.add_typer(cli_generate.app)
app.add_typer(cli_io.app)
app.add_typer(cli_plan.app)
app.add_typer(cli_report.app)
app.add_typer(cli_track.app)


def main() -> None:
    """Console-script entry point."""
    # One command is one short batch over millions of records that hold no reference cycles.
    # Python's cyclic collector would rescan all of them each time the heap grows, and free
    # nothing: on a national estate that was a third of `suggest`'s time, at the same peak
    # memory without it (docs/scale.md). Reference counting still frees everything else.
    gc.disable()
    app(prog_name="ictgraph")


if __name__ == "__main__":
    sys.exit(main())
