"""The report's "Programme tracking" section (``report NEW --programme PROGRAMME``): the
programme's forecast against the saving realised in the later estate per financial year (a
chart and a table), and each move's status (:func:`queries.track.track`)."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from matplotlib.figure import Figure

from ictgraph.queries.report.data import DataTable, capped_table
from ictgraph.queries.report.page import Section, esc, figure, money, table
from ictgraph.queries.report.programme import move_title
from ictgraph.queries.report.svg import ACCENT, MUTED, new_figure, plain, svg_figure

__all__ = ["TRACKING_FIGURES", "TRACKING_MOVES", "tracking_section", "tracking_years"]

TRACKING_FIGURES = ("tracking-years",)
TRACKING_MOVES = 25    # rows of the table of moves
ORDER = ("overtaken", "partly done", "done", "due", "not yet due")
Tracked = Mapping[str, Any]


@svg_figure("tracking-years")
def tracking_years(years: Sequence[Mapping[str, Any]], currency: str | None) -> Figure:
    """Per financial year of go-live: the forecast annual saving (central) beside the saving
    realised in the later estate."""
    fig = new_figure(10, 3.2)
    ax = fig.add_subplot()
    xs = list(range(len(years)))
    ax.bar([x - 0.2 for x in xs], [y["forecast_central"] for y in years], width=0.4, color=MUTED,
           label="forecast saving a year (central)")
    ax.bar([x + 0.2 for x in xs], [y["realised"] for y in years], width=0.4, color=ACCENT,
           label="realised saving a year")
    ax.axhline(0, color="#333333", linewidth=0.6)
    ax.set_xticks(xs, [y["year"] for y in years])
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:,.0f}")
    ax.set_ylabel(plain(currency or "mixed currencies"))
    fig.legend(fontsize=7.5, loc="outside lower center", ncols=2)
    ax.set_title("Programme tracking: forecast and realised saving by financial year of go-live")
    if not years:
        fig.text(0.5, 0.5, "no move in the programme", ha="center")
    return fig


def _years_table(result: Tracked) -> str:
    cur = result["currency"]
    rows = [[y["year"], money(y["forecast_central"], cur), money(y["realised"], cur),
             "" if y["ratio"] is None else f'{y["ratio"]:.0%}'] for y in result["realisation"]["by_year"]]
    return table(["financial year", "forecast a year (central)", "realised a year", "realised / forecast"], rows,
                 numeric=(1, 2, 3), nowrap=(0,), caption="Forecast and realised saving per financial year")


def _moves(result: Tracked) -> list[Mapping[str, Any]]:
    return sorted(result["moves"], key=lambda m: (ORDER.index(m["status"]), -m["forecast_annual_saving"]["central"],
                                                  m["id"]))


def _moves_table(result: Tracked, names: Mapping[str, str]) -> tuple[str, DataTable]:
    cur, moves = result["currency"], _moves(result)
    full = DataTable("tracking-moves", ["id", "move", "status", "steps", "forecast a year (central)",
                                        "realised a year", "against forecast", "currency"],
                     [[m["id"], move_title(m, names), m["status"], m["evidence"],
                       m["forecast_annual_saving"]["central"], m["realised_annual_saving"], m["against_forecast"],
                       cur] for m in moves])
    rows = [[move_title(m, names), m["status"], m["evidence"], money(m["forecast_annual_saving"]["central"], cur),
             money(m["realised_annual_saving"], cur), m["against_forecast"]] for m in moves[:TRACKING_MOVES]]
    caption = (f"{len(rows)} of the {len(moves)} moves: those overtaken, partly done or done first, then those due "
               "by forecast saving")
    return capped_table(full, rows, ["move", "status", "steps", "forecast a year (central)", "realised a year",
                                     "against forecast"], numeric=(3, 4), caption=caption), full


def tracking_section(result: Tracked, names: Mapping[str, str]) -> Section:
    """Realisation overall, by year (chart and table), and the moves by status."""
    r, cur = result["realisation"], result["currency"]
    moves, full = _moves_table(result, names)
    share = "" if r["ratio"] is None else f' ({r["ratio"]:.0%})'
    counts = ", ".join(f"{n} {esc(k)}" for k, n in r["moves"].items())
    service = r.get("service") or {}
    if any(service.values()):
        counts += ". Levels of service on the moves' capabilities (member and measure): " + ", ".join(
            f"{n} {esc(k)}" for k, n in service.items())
    body = (f'<p class="lead">The programme of {esc(result["programme_as_of"])} against the estate on '
            f'{esc(result["as_of"])}: realised <b>{money(r["realised"], cur)}</b> a year of '
            f'{money(r["forecast_central"], cur)} forecast{share}. Moves: {counts}. The realised saving is the change '
            "in the members' annual spend on each move's scope by the benchmark's allocation rule; "
            "<code>ictgraph track</code> gives every step's status and evidence.</p>\n"
            + figure("tracking-years", tracking_years(r["by_year"], cur),
                     "Forecast and realised saving per financial year of go-live")
            + _years_table(result) + moves)
    return Section("tracking", "Programme tracking", body, [full])
