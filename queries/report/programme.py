"""The report's opening section: the optimised programme (:func:`queries.plan.plan`) — its
totals with the P10–P90 range, one-off costs and savings per financial year (a table and a
bar chart), and a timeline of go-lives by move (the moves with the largest NPV, one row each,
with a count of the rest), then the largest moves as a table."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ictgraph.queries.report.data import DataTable, capped_table
from ictgraph.queries.report.page import Section, esc, figure, money, number, table
from ictgraph.queries.report.svg import ACCENT, ALERT, MUTED, PALETTE, date_axis, day, new_figure, plain, short_name, svg_figure

__all__ = ["TOP_MOVES", "move_label", "move_title", "moves_data", "programme_section", "programme_timeline",
           "programme_years", "top_moves"]

TOP_MOVES = 30        # rows of the timeline
TABLE_MOVES = 15      # rows of the table of moves
Plan = Mapping[str, Any]
Move = Mapping[str, Any]


def top_moves(result: Plan, count: int = TOP_MOVES) -> list[Move]:
    """The ``count`` moves with the largest central NPV (ties by id)."""
    return sorted(result["moves"], key=lambda m: (-m["npv"]["central"], m["id"]))[:count]


def move_title(move: Move, names: Mapping[str, str]) -> str:
    """``kind: capabilities on product, led by lead``."""
    text = move["kind"] + (f': {" + ".join(move["capabilities"])}' if move.get("capabilities") else "")
    text += f' on {move["target_product"]}' if move.get("target_product") else ""
    lead = move.get("lead")
    return text + (f", led by {short_name(names.get(lead, lead))}" if lead else "")


def move_label(move: Move, names: Mapping[str, str], width: int = 40) -> str:
    """A short label for an axis: ``capabilities on product · lead`` (the kind when no capability)."""
    what = " + ".join(move.get("capabilities") or []) or move["kind"]
    what = what if len(what) <= width else what[:width - 1] + "…"
    product = move.get("target_product")
    lead = move.get("lead")
    return what + (f' on {product.split("/")[-1]}' if product else "") + (
        f" · {short_name(names.get(lead, lead))}" if lead else "")


def _go_lives(move: Move) -> list[str]:
    return sorted(s["go_live"] for s in move["steps"] if s.get("go_live"))


@svg_figure("programme-years")
def programme_years(years: Sequence[Mapping[str, Any]], currency: str | None) -> Figure:
    """Per financial year: one-off cost and the annual saving that starts in it (central,
    the low–high range as a whisker), and the run rate of savings reached by its end."""
    fig = new_figure(10, 3.4)
    ax = fig.add_subplot()
    xs = list(range(len(years)))
    ax.bar([x - 0.2 for x in xs], [y["one_off_cost"] for y in years], width=0.4, color=ALERT, alpha=0.8,
           label="one-off cost")
    saving = [y["annual_saving"] for y in years]
    ax.bar([x + 0.2 for x in xs], [s["central"] for s in saving], width=0.4, color=ACCENT,
           yerr=[[s["central"] - s["low"] for s in saving], [s["high"] - s["central"] for s in saving]],
           error_kw={"ecolor": "#333333", "capsize": 3, "linewidth": 0.8}, label="new saving a year (low-high)")
    ax.plot(xs, [y.get("run_rate", y["annual_saving"])["central"] for y in years], color=ACCENT, marker="o",
            linewidth=1.2, linestyle="--", label="run rate of savings a year (central)")
    ax.set_xticks(xs, [f'{y["year"]}\n{y["go_lives"]} go-lives' for y in years])
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:,.0f}")
    ax.set_ylabel(plain(currency or "mixed currencies"))
    fig.legend(fontsize=7.5, loc="outside lower center", ncols=3)
    ax.set_title("Programme: one-off cost and savings per financial year (April to March)")
    if not years:
        fig.text(0.5, 0.5, "no move in the programme", ha="center")
    return fig


def _kind_colours(moves: Sequence[Move]) -> dict[str, str]:
    return {kind: PALETTE[i % len(PALETTE)] for i, kind in enumerate(sorted({m["kind"] for m in moves}))}


@svg_figure("programme-timeline")
def programme_timeline(moves: Sequence[Move], total: int, names: Mapping[str, str], as_of: dt.date) -> Figure:
    """One row per move (the largest by NPV, earliest first): a bar from its first to its
    last go-live, a dot at each step's go-live; colour by kind."""
    rows = sorted((m for m in moves if _go_lives(m)), key=lambda m: (_go_lives(m)[0], -m["npv"]["central"], m["id"]))
    colours = _kind_colours(rows)
    fig = new_figure(10, 1.4 + 0.24 * max(1, len(rows)))
    ax = fig.add_subplot()
    for y, move in enumerate(rows):
        dates = [day(d) for d in _go_lives(move)]
        colour = colours[move["kind"]]
        ax.plot([dates[0], dates[-1]], [y, y], color=colour, linewidth=5, alpha=0.35, solid_capstyle="round")
        ax.scatter(dates, [y] * len(dates), s=14, color=colour, zorder=3, linewidths=0)
    ax.axvline(day(as_of), color=ALERT, linewidth=1, linestyle="--")
    ax.set_yticks(range(len(rows)), [plain(move_label(m, names)) for m in rows], fontsize=7)
    ax.set_ylim(len(rows) - 0.4, -0.6)
    date_axis(ax.xaxis)
    handles = [Line2D([], [], color=c, marker="o", linewidth=3, alpha=0.7, label=k) for k, c in colours.items()]
    fig.legend(handles=handles, fontsize=7.5, loc="outside lower center", ncols=max(1, len(handles)))
    rest = total - len(rows)
    more = f"{rest} more moves in the plan; " if rest > 0 else ""
    ax.set_title(f"Go-lives by move, the {len(rows)} with the largest NPV\n{more}dashed line: as of")
    if not rows:
        fig.text(0.5, 0.5, "no go-live in the programme", ha="center", color=MUTED)
    return fig


def _totals(result: Plan) -> str:
    cur, t = result["currency"], result["totals"]
    npv, saving = t["npv"], t["annual_saving"]
    return ('<div class="figures" id="programme-totals">'
            f'<span>net present value <b>{money(npv["central"], cur)}</b> (P10 {money(npv["p10"], cur)} to '
            f'P90 {money(npv["p90"], cur)}; P50 {money(npv["p50"], cur)})</span>'
            f'<span>saving a year <b>{money(saving["low"], cur)} to {money(saving["high"], cur)}</b> '
            f'(central {money(saving["central"], cur)})</span>'
            f'<span>one-off cost <b>{money(t["one_off_cost"], cur)}</b></span></div>\n')


def _years_table(result: Plan) -> str:
    cur = result["currency"]
    rows = [[y["year"], money(y["one_off_cost"], cur), money(y["annual_saving"]["central"], cur),
             f'{money(y["annual_saving"]["low"], cur)} to {money(y["annual_saving"]["high"], cur)}',
             money(y.get("run_rate", y["annual_saving"])["central"], cur), y["go_lives"]] for y in result["years"]]
    return table(["financial year", "one-off cost", "new saving a year (central)", "new saving a year (range)",
                  "run rate a year (central)", "go-lives"], rows, numeric=(1, 2, 3, 4, 5), nowrap=(0,),
                 caption="One-off costs and savings per financial year")


def moves_data(result: Plan, names: Mapping[str, str]) -> DataTable:
    """Every move of the programme, the largest central NPV first."""
    rows = [[m["id"], move_title(m, names), len(m["organisations"]), (_go_lives(m) or [""])[0],
             m["annual_saving"]["low"], m["annual_saving"]["central"], m["annual_saving"]["high"], m["one_off_cost"],
             m["npv"]["central"], m["probability_positive_npv"], result["currency"]]
            for m in top_moves(result, len(result["moves"]))]
    return DataTable("programme-moves", ["id", "move", "organisations", "first go-live", "saving a year (low)",
                                         "saving a year (central)", "saving a year (high)", "one-off cost",
                                         "net present value (central)", "chance NPV > 0", "currency"], rows)


def _moves_table(result: Plan, shown: Sequence[Move], names: Mapping[str, str], full: DataTable) -> str:
    cur = result["currency"]
    rows = [[move_title(m, names), len(m["organisations"]), (_go_lives(m) or [""])[0],
             money(m["annual_saving"]["central"], cur), money(m["one_off_cost"], cur), money(m["npv"]["central"], cur),
             number(m["probability_positive_npv"] * 100) + "%"] for m in shown]
    caption = f"The {len(shown)} moves with the largest net present value, of {len(result['moves'])}"
    return capped_table(full, rows, ["move", "organisations", "first go-live", "saving a year (central)",
                                     "one-off cost", "net present value", "chance NPV > 0"],
                        numeric=(1, 3, 4, 5, 6), nowrap=(2,), caption=caption)


def programme_section(result: Plan, names: Mapping[str, str], as_of: dt.date) -> Section:
    """The programme: totals, years (table and chart), timeline and the largest moves."""
    solver, shown, full = result["solver"], top_moves(result), moves_data(result, names)
    candidates = len(result["moves"]) + len(result["not_chosen"])
    body = (f'<p class="lead">{len(result["moves"])} moves chosen from {candidates} candidates so that no two '
            f"claim the same organisation's capability, data centre or contract, maximising the total "
            f'{esc(result["objective"])} net present value ({esc(solver["name"])}: {esc(solver["status"])}, gap '
            f'{solver["gap"]:.2%}). Totals are sums over the moves, nothing counted twice; the P10 to P90 range '
            "comes from a Monte Carlo over the savings model's ranges. <code>ictgraph plan</code> lists every "
            "step.</p>\n" + _totals(result)
            + figure("programme-years", programme_years(result["years"], result["currency"]),
                     "One-off cost and savings per financial year")
            + _years_table(result)
            + figure("programme-timeline", programme_timeline(shown, len(result["moves"]), names, as_of),
                     "Go-lives by move, the moves with the largest net present value")
            + _moves_table(result, shown[:TABLE_MOVES], names, full))
    return Section("programme", "The programme", body, [full])
