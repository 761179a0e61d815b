"""Tracking a programme: ``ictgraph track``."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ictgraph.cli_common import (AllRows, AsOf, Format, FormatOption, Neo4jFlag, Quiet, as_of_or_today, emit,
                                 handles_errors, progress, settings)
from ictgraph.queries.source import open_estate_graph
from ictgraph.queries.track import track as run_track
from ictgraph.queries.track import track_summary, track_table
from ictgraph.queries.track.inputs import parse_snapshots, programme_and_estate

app = typer.Typer()

Snapshots = Annotated[list[str] | None, typer.Option("--snapshot", metavar="DATE=PATH", help="A dated snapshot of the estate (repeatable): when each change first appears, for slippage.")]
ProgrammeName = Annotated[str | None, typer.Option("--programme", metavar="NAME", help="With --neo4j: track the programme saved in Neo4j as NAME (then every argument is the later estate; none: the estate in Neo4j).")]
Args = Annotated[list[Path] | None, typer.Argument(metavar="PROGRAMME NEW...", help="The programme (JSON from `ictgraph plan --format json`), then the later estate's YAML files or directories.", show_default=False)]


@app.command()
@handles_errors
def track(ctx: typer.Context, args: Args = None, as_of: AsOf = None, snapshot: Snapshots = None,
          programme: ProgrammeName = None, neo4j: Neo4jFlag = False, fmt: FormatOption = Format.table,
          all_rows: AllRows = False, quiet: Quiet = False) -> None:
    """Did the programme deliver? Each move's status, realised saving against forecast, slippage.

    Example: ictgraph track programme.json fixtures/sample-later --as-of 2028-06-30
    """
    day = as_of_or_today(as_of)
    dated = [(d, open_estate_graph([p], None, progress(quiet))) for d, p in parse_snapshots(snapshot or [])]
    saved, new_paths = programme_and_estate(args or [], programme, neo4j, settings(ctx) if neo4j else None)
    new = open_estate_graph(new_paths, settings(ctx) if neo4j and not new_paths else None, progress(quiet))
    result = run_track(saved, new, as_of=day, snapshots=dated)
    if fmt is Format.table:
        typer.echo(track_summary(result), nl=False)
    emit(result, track_table(result), fmt, all_rows=all_rows)
