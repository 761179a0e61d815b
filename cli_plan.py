"""The consolidation programme: ``ictgraph plan``."""
from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from ictgraph.cli_common import (AllRows, AsOf, Format, FormatOption, Neo4jFlag, OptionalPaths, Quiet, as_of_or_today, emit,
                        estate_records, handles_errors, settings)
from ictgraph.queries.plan import Constraints, plan_estate, plan_table
from ictgraph.queries.plan import plan as run_plan
from ictgraph.queries.plan.tables import plan_summary
from ictgraph.queries.programme import check_save, store_programme
from ictgraph.queries.suggest import load_savings_model

app = typer.Typer()


class Objective(str, Enum):
    central = "central"
    low = "low"


SavingsModelOption = Annotated[Path | None, typer.Option("--savings-model", help="A YAML or JSON file replacing the savings assumptions.")]
Budget = Annotated[float | None, typer.Option("--max-one-off-per-year", min=0, help="Most one-off cost the programme may spend in one financial year (April to March).")]
Joins = Annotated[int | None, typer.Option("--max-joins-per-lead-per-year", min=1, help="Most organisations one lead (host) takes on in one financial year.")]
TimeLimit = Annotated[float | None, typer.Option("--time-limit", min=0.1, help="Wall-clock seconds the solve may take (default: none, so that the same estate gives the same programme on any machine; the solver's node budget bounds its work). The output says whether it proved the optimum.")]
Samples = Annotated[int, typer.Option("--samples", min=1, max=1_000_000, help="Monte Carlo draws of the savings model's ranges.")]
Seed = Annotated[int, typer.Option("--seed", min=0, help="The Monte Carlo's seed.")]
Save = Annotated[str | None, typer.Option("--save", metavar="NAME", help="With --neo4j: write the programme into Neo4j as NAME (Programme and Move nodes linked to the estate), replacing one of that name.")]


@app.command()
@handles_errors
def plan(ctx: typer.Context, paths: OptionalPaths = None, neo4j: Neo4jFlag = False, as_of: AsOf = None,
         savings_model: SavingsModelOption = None,
         objective: Annotated[Objective, typer.Option("--objective", help="Maximise the total central NPV, or the pessimistic (low) one.")] = Objective.central,
         max_one_off_per_year: Budget = None, max_joins_per_lead_per_year: Joins = None,
         time_limit: TimeLimit = None, samples: Samples = 2000, seed: Seed = 0,
         fmt: FormatOption = Format.table, all_rows: AllRows = False, quiet: Quiet = False, save: Save = None) -> None:
    """One optimised consolidation programme: which moves, together, in which years, at what saving, how sure.

    Example: ictgraph plan fixtures/sample --as-of 2026-11-27 --format json
    """
    check_save(save, neo4j)
    day = as_of_or_today(as_of)
    estates = [estate_records(ctx, paths, neo4j, quiet, lambda graph: plan_estate(graph, day))]   # the graph is freed
    result = run_plan(estates.pop(), as_of=day,   # handed over: the records are freed before the solve
                      model=load_savings_model(savings_model), objective=objective.value,
                      limits=Constraints(max_one_off_per_year, max_joins_per_lead_per_year),
                      time_limit=time_limit, samples=samples, seed=seed)
    saved = store_programme(settings(ctx), save, result) if save else None
    if saved and not quiet:
        typer.echo(f"ictgraph: {saved}", err=True)
    if fmt is Format.table:
        typer.echo(plan_summary(result), nl=False)
    emit(result, plan_table(result), fmt, all_rows=all_rows)
