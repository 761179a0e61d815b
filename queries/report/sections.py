"""The report's sections, each from the plain results of one analysis (:class:`ReportData`).

Section ids are fixed (``SECTION_IDS``); the test of the report checks each one and its figures."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ictgraph.queries.report import charts, figures
from ictgraph.queries.report.data import SHOWN_ROWS, DataTable, capped_table
from ictgraph.queries.report.page import (
    RawHtml,
    Section,
    definitions,
    esc,
    figure,
    money,
    number,
    table,
)
from ictgraph.queries.report.programme import programme_section
from ictgraph.queries.report.service import service_section
from ictgraph.queries.report.tracking import tracking_section
from ictgraph.queries.report.svg import short_name

__all__ = ["FIGURES", "OPTIONAL_SECTION_IDS", "SECTION_IDS", "ReportData", "all_sections"]

SECTION_IDS = ("programme", "suggestions", "windows", "market", "clusters", "benchmark", "objectives", "paths", "assumptions")
FIGURES = {"programme": ("programme-years", "programme-timeline"), "suggestions": ("savings",), "windows": ("timeline",), "market": ("market",),
           "clusters": ("clusters",), "benchmark": ("peers", "capabilities"), "objectives": ("objectives",)}
# Sections shown only when the estate has what they show (after the section named beside them).
OPTIONAL_SECTION_IDS = {"tracking": "programme", "service": "benchmark"}
TOP_SUGGESTIONS = 10


@dataclass(frozen=True)
class ReportData:
    """Everything the report shows, as the analyses return it."""

    as_of: dt.date
    currency: str | None
    names: Mapping[str, str]                          # organisation id → name
    suggestions: Mapping[str, Any]                    # queries.suggest.suggest
    windows: Mapping[str, Any]                        # queries.windows.find_windows
    ends: Sequence[tuple[str, dt.date, str]]          # (capability, contract end, organisation) after as_of
    clusters: Sequence[Mapping[str, Any]]             # queries.clusters.clusters_document()["clusters"]
    similarities: Mapping[str, Mapping[str, float]]   # queries.clusters.jaccard_similarities
    benchmark: Mapping[str, Any]                      # queries.benchmark.benchmark
    objectives: Mapping[str, Any]                     # queries.objectives.find_objectives
    programme: Mapping[str, Any] = field(default_factory=dict)  # queries.plan.plan
    service: Mapping[str, Any] = field(default_factory=dict)    # queries.service_benchmark.service_benchmark
    tracking: Mapping[str, Any] = field(default_factory=dict)   # queries.track.track, with --programme

    def name(self, organisation: str | None) -> str:
        return "" if organisation is None else self.names.get(organisation, organisation)


NAMES_IN_A_CELL = 8


def _orgs(data: ReportData, ids: Sequence[str]) -> str:
    """Short names, the first :data:`NAMES_IN_A_CELL` with a count of the rest."""
    shown = ", ".join(short_name(data.name(o)) for o in ids[:NAMES_IN_A_CELL])
    return shown + (f" and {len(ids) - NAMES_IN_A_CELL} more" if len(ids) > NAMES_IN_A_CELL else "")


def _title(s: Mapping[str, Any], data: ReportData) -> str:
    """``capabilities on product, led by lead`` — the parts a suggestion kind has."""
    text = f'{s["kind"]}: {" + ".join(s["capabilities"])}'
    text += f' on {s["target_product"]}' if s.get("target_product") else ""
    return text + (f', led by {data.name(s["lead"])}' if s.get("lead") else "")


STEP_COLUMNS = ["wave", "organisation", "action", "not before", "go-live", "saving (central)", "one-off cost"]


def _steps_data(data: ReportData) -> DataTable:
    """Every step of the ranked suggestions, by rank."""
    rows = [[rank, s["id"], st.get("wave"), data.name(st["organisation"]), st.get("action"), st.get("not_before"),
             st.get("go_live"), (st.get("annual_saving") or {}).get("central"), st.get("one_off_cost"), s["currency"]]
            for rank, s in enumerate(_ranked(data), 1) for st in s["steps"]]
    return DataTable("suggestion-steps", ["rank", "suggestion", *STEP_COLUMNS, "currency"], rows)


def _suggestion(data: ReportData, rank: int, s: Mapping[str, Any], steps: DataTable) -> str:
    cur = s["currency"]
    saving = s["annual_saving"]
    facts = (f'<div class="figures"><span>saving a year <b>{money(saving["low"], cur)} to '
             f'{money(saving["high"], cur)}</b> (central {money(saving["central"], cur)})</span>'
             f'<span>one-off cost <b>{money(s["one_off_cost"], cur)}</b></span>'
             f'<span>net present value <b>{money(s["npv"]["central"], cur)}</b></span>'
             f'<span>score <b>{number(s["score"], 3)}</b></span></div>\n')
    rows = [[st.get("wave"), data.name(st["organisation"]), st.get("action"), st.get("not_before"),
             st.get("go_live"), money((st.get("annual_saving") or {}).get("central"), cur),
             money(st.get("one_off_cost"), cur)] for st in s["steps"][:SHOWN_ROWS]]
    path = table(STEP_COLUMNS, rows, numeric=(5, 6), caption="Path", nowrap=(3, 4))
    rest = len(s["steps"]) - len(rows)
    more = (f'<p class="more">and {rest:,} more steps: every step of the ranked suggestions in '
            f'<a href="{esc(steps.href)}">{esc(steps.href)}</a></p>\n' if rest > 0 else "")
    why = "".join(f"<li>{esc(line)}</li>" for line in s["rationale"])
    return (f'<article class="suggestion" id="suggestion-{rank}">\n<h3>{rank}. {esc(_title(s, data))}</h3>\n'
            f'{facts}<details><summary>Path ({len(s["steps"])} steps) and rationale</summary>\n'
            f'{path}{more}<ul>{why}</ul>\n<p class="lead">{esc(s["id"])}</p>\n</details>\n</article>\n')


def _ranked(data: ReportData) -> list[Mapping[str, Any]]:
    return list(data.suggestions["suggestions"])[:TOP_SUGGESTIONS]


def _suggestions_data(data: ReportData) -> DataTable:
    rows = [[i, s["id"], s["kind"], s["capabilities"], s.get("target_product"), data.name(s.get("lead")),
             len(s["organisations"]), s["annual_saving"]["low"], s["annual_saving"]["central"],
             s["annual_saving"]["high"], s["one_off_cost"], s["npv"]["central"], s["score"], s["currency"]]
            for i, s in enumerate(data.suggestions["suggestions"], 1)]
    return DataTable("suggestions", ["rank", "id", "kind", "capabilities", "target product", "lead", "organisations",
                                     "saving a year (low)", "saving a year (central)", "saving a year (high)",
                                     "one-off cost", "net present value (central)", "score", "currency"], rows)


def suggestions_section(data: ReportData) -> Section:
    ranked, cur, full = _ranked(data), data.suggestions["currency"], _suggestions_data(data)
    rows = [[RawHtml(f'<a href="#suggestion-{i}">{i}</a>'), _title(s, data), len(s["organisations"]),
             f'{money(s["annual_saving"]["low"], cur)} to {money(s["annual_saving"]["high"], cur)}',
             money(s["one_off_cost"], cur), money(s["npv"]["central"], cur)] for i, s in enumerate(ranked, 1)]
    body = (f'<p class="lead">{len(data.suggestions["suggestions"])} suggestions, ranked by score; the first '
            f"{len(ranked)} below, with their paths and rationale further down. Savings are ranges; the "
            "assumptions are at the end.</p>\n"
            + figure("savings", figures.savings_ranges(ranked, cur),
                     "Annual saving range of each ranked suggestion (low to high, central marked)")
            + capped_table(full, rows, ["rank", "suggestion", "organisations", "saving a year", "one-off cost",
                                        "net present value"], numeric=(2, 3, 4, 5)))
    return Section("suggestions", "Ranked suggestions", body, [full])


def paths_section(data: ReportData) -> Section:
    steps = _steps_data(data)
    body = "".join(_suggestion(data, i, s, steps) for i, s in enumerate(_ranked(data), 1))
    lead = (f'<p class="lead">Each ranked suggestion\'s figures; open one for its path and rationale. Every step '
            f'of the ranked suggestions as CSV: <a href="{esc(steps.href)}">{esc(steps.href)}</a></p>\n')
    return Section("paths", "Suggestion paths and rationale", lead + body if body else "<p>No suggestion.</p>\n",
                   [steps])


def _windows_data(data: ReportData) -> DataTable:
    windows = sorted(data.windows["windows"], key=lambda w: (w["start"], w["capability"]))
    rows = [[w["capability"], w["start"], w["end"], [data.name(o) for o in w["organisations"]],
             [p["plan"] for p in w["plans"]], "; ".join(f"{c} {v:.2f}" for c, v in w["combined_annual_value"].items())]
            for w in windows]
    return DataTable("windows", ["capability", "first end", "last end", "organisations", "plans",
                                 "combined annual value"], rows)


def windows_section(data: ReportData) -> Section:
    windows, full = data.windows["windows"], _windows_data(data)
    rows = [[w["capability"], w["start"], w["end"], _orgs(data, w["organisations"]), [p["plan"] for p in w["plans"]],
             "; ".join(f"{c} {v:,.0f}" for c, v in w["combined_annual_value"].items())]
            for w in sorted(windows, key=lambda w: (w["start"], w["capability"]))[:SHOWN_ROWS]]
    body = (f'<p class="lead">{len(windows)} procurement windows after {data.as_of.isoformat()}: contracts for one '
            "capability ending close together, when organisations could buy or move together. The table lists "
            f"the {len(rows)} opening first; <code>ictgraph windows</code> lists all with their contracts.</p>\n"
            + figure("timeline", figures.contract_timeline(data.ends, windows, data.as_of),
                     "Contract end dates per capability, with procurement windows shaded")
            + capped_table(full, rows, numeric=(5,), nowrap=(1, 2)))
    return Section("windows", "Contract end dates and procurement windows", body, [full])


def market_section(data: ReportData) -> Section:
    market = data.benchmark["market"]
    full = DataTable("supplier-dependency", ["capability", "supplier", "organisations", "of", "HHI", "level"],
                     [[m["capability"], m["vendors"][0]["name"], m["dependency"]["organisations"],
                       m["dependency"]["of"], m["hhi_organisations"], m["level"]] for m in market if m["dependency"]])
    rows = [[c, v, f"{n} of {of}", number(hhi), level] for c, v, n, of, hhi, level in full.rows[:SHOWN_ROWS]]
    body = (figure("market", figures.market_shares(market),
                   "Market share of organisations per capability, largest three vendors, with the HHI")
            + capped_table(full, rows, ["capability", "supplier", "organisations", "HHI", "level"], numeric=(3,),
                           caption="Capabilities depending on one supplier across many organisations"))
    return Section("market", "Market share and supplier dependency", body, [full])


def clusters_section(data: ReportData) -> Section:
    similar = [c for c in data.clusters if c["kind"] == "similar-estate"]
    same = sorted((c for c in data.clusters if c["kind"] == "same-product"),
                  key=lambda c: (-len(c["organisations"]), c["capability"], c["product"]))
    estates = DataTable("similar-estates", ["cluster", "organisations", "core stack items", "members"],
                        [[i, len(c["organisations"]), len(c["core"]), [data.name(o) for o in c["organisations"]]]
                         for i, c in enumerate(similar, 1)])
    groups = DataTable("same-product-groups", ["capability", "product", "organisations", "members"],
                       [[c["capability"], c["product"], len(c["organisations"]),
                         [data.name(o) for o in c["organisations"]]] for c in same])
    body = (figure("clusters", figures.cluster_similarity(data.similarities, similar, data.names),
                   "Similarity of estates, organisations ordered by cluster")
            + capped_table(estates, [[i, _orgs(data, c["organisations"]), len(c["core"])]
                                     for i, c in enumerate(similar[:SHOWN_ROWS], 1)],
                           ["cluster", "organisations", "core stack items"], numeric=(2,),
                           caption="Similar-estate clusters")
            + capped_table(groups, [row[:3] for row in groups.rows[:SHOWN_ROWS]],
                           ["capability", "product", "organisations"], numeric=(2,),
                           caption="Largest same-product groups"))
    return Section("clusters", "Clusters", body, [estates, groups])


def _flag(mark: str | None) -> RawHtml:
    return RawHtml(f'<span class="flag-{esc(mark)}">{esc(mark)}</span>' if mark else "")


def benchmark_section(data: ReportData) -> Section:
    result, cur = data.benchmark, data.benchmark["currency"]
    flagged = [r for r in result["capabilities"] if r["per_head"]["outlier"] == "high"]
    flagged.sort(key=lambda r: (-(r["excess_over_median"] or 0), r["capability"], r["organisation"]))
    full = DataTable("cost-outliers", ["capability", "organisation", "peer group", "cost per head", "peer median",
                                       "outlier", "excess over median a year", "currency"],
                     [[r["capability"], r["name"], r["per_head"]["peer_group"], r["cost_per_head"],
                       r["per_head"]["median"], r["per_head"]["outlier"], r["excess_over_median"], r["currency"]]
                      for r in flagged])
    rows = [[r["capability"], r["name"], r["per_head"]["peer_group"], number(r["cost_per_head"], 2),
             number(r["per_head"]["median"], 2), _flag(r["per_head"]["outlier"]),
             money(r["excess_over_median"], r["currency"])] for r in flagged[:SHOWN_ROWS]]
    body = (figure("peers", charts.peer_distributions(result["organisations"], cur),
                   "Annual cost per head of each organisation within its peer group")
            + figure("capabilities", charts.capability_strips(result["capabilities"], data.names),
                     "Annual cost per head per capability, every organisation placed")
            + capped_table(full, rows, ["capability", "organisation", "peer group", "cost per head", "peer median",
                                        "outlier", "excess over median a year"], numeric=(3, 4, 6),
                           caption="High outliers: where a capability costs far more per head than the peers pay"))
    return Section("benchmark", "Benchmark", body, [full])


def _status(status: str) -> RawHtml:
    return RawHtml(f'<span class="status status-{esc(status.replace(" ", "-"))}">{esc(status)}</span>')


def _snapshots_data(data: ReportData) -> DataTable:
    rows = [[p["name"], s["snapshot"], s["date"], s["members_cost_per_head"], s["peer_median_cost_per_head"],
             s["peers"], s["note"] or ""] for p in data.objectives["partnerships"] for s in p["snapshots"]]
    return DataTable("partnership-snapshots", ["partnership", "snapshot", "date", "members' cost per head",
                                               "peer median", "peers", "note"], rows)


def _objectives_data(data: ReportData) -> DataTable:
    rows = [[o["partnership_name"] or o["partnership"], o["description"], o["baseline"], o["target"], o["due"],
             (o["latest"] or {}).get("value"), o["status"], o["reason"]] for o in data.objectives["objectives"]]
    return DataTable("objectives", ["partnership", "objective", "baseline", "target", "due", "latest", "status", "why"],
                     rows)


def objectives_section(data: ReportData) -> Section:
    objectives, snapshots = _objectives_data(data), _snapshots_data(data)
    shown = [[*row[:6], _status(row[6]), row[7]] for row in objectives.rows[:SHOWN_ROWS]]
    snapshot_rows = [[*row[:3], number(row[3], 2), number(row[4], 2), *row[5:]] for row in snapshots.rows[:SHOWN_ROWS]]
    body = (figure("objectives", charts.objective_progress(data.objectives["objectives"]),
                   "Progress of each partnership objective towards its target")
            + capped_table(objectives, shown, numeric=(2, 3, 5), nowrap=(4,))
            + capped_table(snapshots, snapshot_rows, numeric=(3, 4, 5), nowrap=(2,),
                           caption="Members' annual cost per head for the partnership's capabilities, "
                                   "before and after"))
    return Section("objectives", "Partnership objectives", body, [objectives, snapshots])


def assumptions_section(data: ReportData) -> Section:
    groups = (("Savings model", data.suggestions["assumptions"]), ("Benchmark", data.benchmark["assumptions"]),
              ("Objectives", data.objectives["assumptions"]))
    body = "".join(f"<details><summary><h3>{title}</h3></summary>\n{definitions(assumed)}</details>\n"
                   for title, assumed in groups)
    return Section("assumptions", "Assumptions", body)


def all_sections(data: ReportData) -> list[Section]:
    """Every section, in :data:`SECTION_IDS` order, with the optional ones that have something to
    show: "Programme tracking" after the programme when the report tracks one, "Cost and service"
    after the benchmark when the estate has measures."""
    tracking = [tracking_section(data.tracking, data.names)] if data.tracking else []
    service = service_section(data.service)
    return [programme_section(data.programme, data.names, data.as_of), *tracking, suggestions_section(data),
            windows_section(data), market_section(data), clusters_section(data), benchmark_section(data),
            *([service] if service else []), objectives_section(data), paths_section(data),
            assumptions_section(data)]
