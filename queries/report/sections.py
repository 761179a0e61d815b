"""The report's sections, each from the plain results of one analysis (:class:`ReportData`).

Section ids are fixed (``SECTION_IDS``); the test of the report checks each one and its figures."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ictgraph.queries.report import charts, figures
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
SOON_MONTHS = 12


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


def _orgs(data: ReportData, ids: Sequence[str]) -> str:
    return ", ".join(short_name(data.name(o)) for o in ids)


def _title(s: Mapping[str, Any], data: ReportData) -> str:
    """``capabilities on product, led by lead`` — the parts a suggestion kind has."""
    text = f'{s["kind"]}: {" + ".join(s["capabilities"])}'
    text += f' on {s["target_product"]}' if s.get("target_product") else ""
    return text + (f', led by {data.name(s["lead"])}' if s.get("lead") else "")


def _suggestion(data: ReportData, rank: int, s: Mapping[str, Any]) -> str:
    cur = s["currency"]
    saving = s["annual_saving"]
    facts = (f'<div class="figures"><span>saving a year <b>{money(saving["low"], cur)} to '
             f'{money(saving["high"], cur)}</b> (central {money(saving["central"], cur)})</span>'
             f'<span>one-off cost <b>{money(s["one_off_cost"], cur)}</b></span>'
             f'<span>net present value <b>{money(s["npv"]["central"], cur)}</b></span>'
             f'<span>score <b>{number(s["score"], 3)}</b></span></div>\n')
    path = table(["wave", "organisation", "action", "not before", "go-live", "saving (central)", "one-off cost"],
                 [[st.get("wave"), data.name(st["organisation"]), st.get("action"), st.get("not_before"),
                   st.get("go_live"), money((st.get("annual_saving") or {}).get("central"), cur),
                   money(st.get("one_off_cost"), cur)] for st in s["steps"]], numeric=(5, 6), caption="Path",
                 nowrap=(3, 4))
    why = "".join(f"<li>{esc(line)}</li>" for line in s["rationale"])
    return (f'<article class="suggestion" id="suggestion-{rank}">\n<h3>{rank}. {esc(_title(s, data))}</h3>\n'
            f'{facts}{path}<ul>{why}</ul>\n<p class="lead">{esc(s["id"])}</p>\n</article>\n')


def _ranked(data: ReportData) -> list[Mapping[str, Any]]:
    return list(data.suggestions["suggestions"])[:TOP_SUGGESTIONS]


def suggestions_section(data: ReportData) -> Section:
    ranked, cur = _ranked(data), data.suggestions["currency"]
    rows = [[RawHtml(f'<a href="#suggestion-{i}">{i}</a>'), _title(s, data), len(s["organisations"]),
             f'{money(s["annual_saving"]["low"], cur)} to {money(s["annual_saving"]["high"], cur)}',
             money(s["one_off_cost"], cur), money(s["npv"]["central"], cur)] for i, s in enumerate(ranked, 1)]
    body = (f'<p class="lead">{len(data.suggestions["suggestions"])} suggestions, ranked by score; the first '
            f"{len(ranked)} below, with their paths and rationale further down. Savings are ranges; the "
            "assumptions are at the end.</p>\n"
            + figure("savings", figures.savings_ranges(ranked, cur),
                     "Annual saving range of each ranked suggestion (low to high, central marked)")
            + table(["rank", "suggestion", "organisations", "saving a year", "one-off cost", "net present value"],
                    rows, numeric=(2, 3, 4, 5)))
    return Section("suggestions", "Ranked suggestions", body)


def paths_section(data: ReportData) -> Section:
    body = "".join(_suggestion(data, i, s) for i, s in enumerate(_ranked(data), 1))
    return Section("paths", "Suggestion paths and rationale", body or "<p>No suggestion.</p>\n")


def windows_section(data: ReportData) -> Section:
    windows = data.windows["windows"]
    soon = (data.as_of + dt.timedelta(days=round(SOON_MONTHS * 30.44))).isoformat()
    rows = [[w["capability"], w["start"], w["end"], _orgs(data, w["organisations"]), [p["plan"] for p in w["plans"]],
             "; ".join(f"{c} {v:,.0f}" for c, v in w["combined_annual_value"].items())]
            for w in sorted(windows, key=lambda w: (w["start"], w["capability"])) if w["start"] <= soon]
    body = (f'<p class="lead">{len(windows)} procurement windows after {data.as_of.isoformat()}: contracts for one '
            "capability ending close together, when organisations could buy or move together. The table lists "
            f"the {len(rows)} opening within {SOON_MONTHS} months; <code>ictgraph windows</code> lists all.</p>\n"
            + figure("timeline", figures.contract_timeline(data.ends, windows, data.as_of),
                     "Contract end dates per capability, with procurement windows shaded")
            + table(["capability", "first end", "last end", "organisations", "plans", "combined annual value"], rows,
                    numeric=(5,), nowrap=(1, 2)))
    return Section("windows", "Contract end dates and procurement windows", body)


def market_section(data: ReportData) -> Section:
    market = data.benchmark["market"]
    rows = [[m["capability"], m["vendors"][0]["name"], f'{m["dependency"]["organisations"]} of {m["dependency"]["of"]}',
             number(m["hhi_organisations"]), m["level"]] for m in market if m["dependency"]]
    body = (figure("market", figures.market_shares(market),
                   "Market share of organisations per capability, largest three vendors, with the HHI")
            + table(["capability", "supplier", "organisations", "HHI", "level"], rows, numeric=(3,),
                    caption="Capabilities depending on one supplier across many organisations"))
    return Section("market", "Market share and supplier dependency", body)


def clusters_section(data: ReportData) -> Section:
    similar = [c for c in data.clusters if c["kind"] == "similar-estate"]
    same = sorted((c for c in data.clusters if c["kind"] == "same-product"),
                  key=lambda c: (-len(c["organisations"]), c["capability"], c["product"]))[:15]
    body = (figure("clusters", figures.cluster_similarity(data.similarities, similar, data.names),
                   "Similarity of estates, organisations ordered by cluster")
            + table(["cluster", "organisations", "core stack items"],
                    [[i, _orgs(data, c["organisations"]), len(c["core"])] for i, c in enumerate(similar, 1)],
                    numeric=(2,), caption="Similar-estate clusters")
            + table(["capability", "product", "organisations"],
                    [[c["capability"], c["product"], len(c["organisations"])] for c in same], numeric=(2,),
                    caption="Largest same-product groups"))
    return Section("clusters", "Clusters", body)


def _flag(mark: str | None) -> RawHtml:
    return RawHtml(f'<span class="flag-{esc(mark)}">{esc(mark)}</span>' if mark else "")


def benchmark_section(data: ReportData) -> Section:
    result, cur = data.benchmark, data.benchmark["currency"]
    flagged = [r for r in result["capabilities"] if r["per_head"]["outlier"] == "high"]
    flagged.sort(key=lambda r: (-(r["excess_over_median"] or 0), r["capability"], r["organisation"]))
    rows = [[r["capability"], r["name"], r["per_head"]["peer_group"], number(r["cost_per_head"], 2),
             number(r["per_head"]["median"], 2), _flag(r["per_head"]["outlier"]),
             money(r["excess_over_median"], r["currency"])] for r in flagged]
    body = (figure("peers", charts.peer_distributions(result["organisations"], cur),
                   "Annual cost per head of each organisation within its peer group")
            + figure("capabilities", charts.capability_strips(result["capabilities"], data.names),
                     "Annual cost per head per capability, every organisation placed")
            + table(["capability", "organisation", "peer group", "cost per head", "peer median", "outlier",
                     "excess over median a year"], rows, numeric=(3, 4, 6),
                    caption="High outliers: where a capability costs far more per head than the peers pay"))
    return Section("benchmark", "Benchmark", body)


def _status(status: str) -> RawHtml:
    return RawHtml(f'<span class="status status-{esc(status.replace(" ", "-"))}">{esc(status)}</span>')


def _snapshot_rows(data: ReportData) -> list[list[Any]]:
    rows = []
    for p in data.objectives["partnerships"]:
        for s in p["snapshots"]:
            rows.append([p["name"], s["snapshot"], s["date"], number(s["members_cost_per_head"], 2),
                         number(s["peer_median_cost_per_head"], 2), s["peers"], s["note"] or ""])
    return rows


def objectives_section(data: ReportData) -> Section:
    result = data.objectives
    rows = [[o["partnership_name"] or o["partnership"], o["description"], o["baseline"], o["target"], o["due"],
             (o["latest"] or {}).get("value"), _status(o["status"]), o["reason"]] for o in result["objectives"]]
    body = (figure("objectives", charts.objective_progress(result["objectives"]),
                   "Progress of each partnership objective towards its target")
            + table(["partnership", "objective", "baseline", "target", "due", "latest", "status", "why"], rows,
                    numeric=(2, 3, 5), nowrap=(4,))
            + table(["partnership", "snapshot", "date", "members' cost per head", "peer median", "peers", "note"],
                    _snapshot_rows(data), numeric=(3, 4, 5), nowrap=(2,),
                    caption="Members' annual cost per head for the partnership's capabilities, before and after"))
    return Section("objectives", "Partnership objectives", body)


def assumptions_section(data: ReportData) -> Section:
    body = ("<h3>Savings model</h3>\n" + definitions(data.suggestions["assumptions"])
            + "<h3>Benchmark</h3>\n" + definitions(data.benchmark["assumptions"])
            + "<h3>Objectives</h3>\n" + definitions(data.objectives["assumptions"]))
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
