"""The ``generate`` command: write a seeded synthetic estate, with the truth it planted."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ictgraph.cli_common import handles_errors
from ictgraph.graph_loader.generate import TRUTH_FILE, generate_estate, write_estate

app = typer.Typer()


@app.command()
@handles_errors
def generate(out_dir: Annotated[Path, typer.Argument(help="Directory to write the estate into (created if missing).", show_default=False)],
             organisations: Annotated[int, typer.Option(min=1, help="Number of councils.")] = 50,
             systems_per_org: Annotated[int, typer.Option(min=1, help="Systems each council runs.")] = 400,
             seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same bytes.")] = 0) -> None:
    """Write a realistic synthetic estate and, beside it, truth.json (planted clusters, same-product groups, windows).

    Example: ictgraph generate --organisations 50 --systems-per-org 400 --seed 1 estate/
    """
    estate = generate_estate(organisations=organisations, systems_per_org=systems_per_org, seed=seed)
    written = write_estate(estate, out_dir)
    typer.echo(f"Wrote {len(estate.files)} files ({written / 1e6:.1f} MB) and {TRUTH_FILE} to {out_dir}")
