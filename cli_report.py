"""The benchmarking and governance commands: benchmark, objectives, and the HTML report."""
from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from ictgraph.cli_common import (AsOf, Format, FormatOption, Neo4jFlag, OptionalPaths, Quiet, as_of_or_today, emit,
                        handles_errors, estate_graph)
from ictgraph.queries.benchmark import benchmark as run_benchmark
from ictgraph.queries.benchmark import benchmark_table
from ictgraph.queries.estate import display_names
from ictgraph.queries.objectives import find_objectives, objectives_table
from ictgraph.queries.report import write_report
from ictgraph.queries.report.data import DATA_DIR
from ictgraph.queries.service_benchmark import service_benchmark, service_people_table, service_table
from ictgraph.queries.suggest.savings_file import load_savings_model
from ictgraph.queries.track import read_programme

app = typer.Typer()


class View(str, Enum):
    capabilities = "capabilities"
    organisations = "organisations"
    market = "market"
    service = "service"



@app.command()
@handles_errors
def benchmark(ctx: typer.Context, paths: OptionalPaths = None, neo4j: Neo4jFlag = False,
              view: Annotated[View, typer.Option("--view", help="Table/CSV: one row per capability and organisation, per organisation, or per capability and vendor (market); service: levels of service beside cost (its own JSON).")] = View.capabilities,
              min_peers: Annotated[int, typer.Option("--min-peers", min=2, help="The smallest peer group compared.")] = 5,
              fmt: FormatOption = Format.table, quiet: Quiet = False) -> None:
    """Benchmark annual cost per head and per named user within peer groups; market concentration.

    Example: ictgraph benchmark fixtures/sample --view organisations
    Example: ictgraph benchmark fixtures/sample --view service --format json
    """
    graph = estate_graph(ctx, paths, neo4j, quiet)
    if view is View.service:
        service = service_benchmark(graph, min_peers=min_peers)
        names = display_names(graph, "Organisation")
        emit(service, service_table(service, names), fmt, people=service_people_table(service, names))
        return
    result = run_benchmark(graph, min_peers=min_peers)
    emit(result, benchmark_table(result, view.value), fmt)


@app.command()
@handles_errors
def objectives(ctx: typer.Context, paths: OptionalPaths = None, neo4j: Neo4jFlag = False, as_of: AsOf = None,
               fmt: FormatOption = Format.table, quiet: Quiet = False) -> None:
    """Show each partnership objective's status from its measurements and trend.

    Example: ictgraph objectives fixtures/sample --as-of 2026-11-27
    """
    result = find_objectives(estate_graph(ctx, paths, neo4j, quiet), as_of=as_of_or_today(as_of))
    emit(result, objectives_table(result), fmt)


@app.command()
@handles_errors
def report(ctx: typer.Context, paths: OptionalPaths = None, neo4j: Neo4jFlag = False, as_of: AsOf = None,
           output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")] = Path("report.html"),
           savings_model: Annotated[Path | None, typer.Option("--savings-model", help="A YAML or JSON file replacing the savings assumptions.")] = None,
           months: Annotated[int, typer.Option(min=1, max=120, help="Contracts ending within this many months of each other share a window.")] = 12,
           programme: Annotated[Path | None, typer.Option("--programme", help="A programme saved by `ictgraph plan --format json`: add a \"Programme tracking\" section, this estate being the later one.")] = None,
           quiet: Quiet = False) -> None:
    """Write one self-contained HTML report: suggestions, windows, market, clusters, benchmark, objectives.

    Tables show their first 20 rows; every row is written as CSV in report-data/ beside the page.

    Example: ictgraph report fixtures/sample --as-of 2026-11-27 -o report.html
    """
    model = load_savings_model(savings_model)
    tracked = read_programme(programme) if programme else None
    size, tables = write_report(estate_graph(ctx, paths, neo4j, quiet), output, as_of=as_of_or_today(as_of), model=model,
                        months=months, tracked=tracked)
    if not quiet:
        typer.echo(f"ictgraph: wrote {tables} full tables as CSV in {output.parent / DATA_DIR}", err=True)
        typer.echo(f"ictgraph: wrote {output} ({size:,} bytes)", err=True)
