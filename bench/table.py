"""The benchmark's results as a Markdown table: time, peak memory and the target's ratio per cell."""
from __future__ import annotations

from typing import Any


def _rate(result: dict[str, Any], name: str) -> str:
    rate = result.get(name, {}).get("elements_per_second")
    return f"{rate:,} el/s" if rate else "–"


def _cell(result: dict[str, Any], name: str, ratio: str | None = None) -> str:
    if name not in result:
        return "–"
    text = f"{result[name]['seconds']:.1f} s, {result[name]['peak_mb']:.0f} MB"
    return text + (f" ({result['ratios'][ratio]}×)" if ratio and ratio in result.get("ratios", {}) else "")


def _plan_cell(result: dict[str, Any]) -> str:
    if "plan" not in result:
        return "–"
    p, ratio = result["plan"], result.get("ratios", {})
    solver = p["solver"]
    return (f"{p['seconds']:.1f} s, {p['peak_mb']:.0f} MB ({ratio.get('plan_vs_suggest', '–')}× time, "
            f"{ratio.get('plan_vs_suggest_memory', '–')}× memory); {solver['status']}, gap {solver['gap']:.2%}, "
            f"solve {solver['seconds']:.1f} s; {p['moves']} moves")


def _load_cells(result: dict[str, Any]) -> tuple[str, str]:
    """The load's end-to-end and write-phase cells (the ratios only where the floor ran)."""
    found, load = result.get("ratios", {}), result.get("load")
    if not load:
        return "–", "–"
    throughput = f" ({found['load_vs_create_throughput']}×)" if "load_vs_create_throughput" in found else ""
    end_to_end = (_rate(result, "load") if load.get("elements_per_second") else _cell(result, "load")) + throughput
    if not load.get("write_seconds"):
        return end_to_end, "–"
    write = f"{load['write_seconds']:.1f} s"
    if load.get("write_elements_per_second"):
        write += f", {load['write_elements_per_second']:,} el/s"
    if "load_write_vs_create_write" in found:
        write += f" ({found['load_write_vs_create_write']}×)"
    return end_to_end, write


def markdown(document: dict[str, Any]) -> str:
    """The results as a Markdown table (time, peak memory and the target's ratio per cell)."""
    head = ["size", "YAML", "elements", "parse PyYAML C", "parse yaml-rs", "validate (× fastest parse)",
            "suggest (× fastest parse)", "plan (× suggest; solver)", "bare CREATE", "load end to end (× CREATE throughput)",
            "load's write phase (× CREATE)", "reload", "suggest --neo4j (× embedded)"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for size, r in document["results"].items():
        load, write = _load_cells(r)
        lines.append("| " + " | ".join([
            size, f"{r['megabytes']:.1f} MB", f"{r.get('elements', '–'):,}" if "elements" in r else "–",
            _cell(r, "parse_pyyaml"), _cell(r, "parse_yaml_rs"), _cell(r, "validate", "validate_vs_fastest_parse"),
            _cell(r, "suggest", "suggest_vs_fastest_parse"), _plan_cell(r), _rate(r, "create"), load, write, _cell(r, "reload"),
            _cell(r, "suggest_neo4j", "suggest_neo4j_vs_embedded")]) + " |")
    for pair, steps in document.get("growth", {}).items():
        lines += ["", f"Growth {pair}: " + ", ".join(f"{k} {v}×" for k, v in steps.items())]
    if document.get("growth_400_vs_100"):
        lines += ["", "Growth 400 over 100 organisations (issue 14's target: at most 4.5×): "
                  + ", ".join(f"{k} {v}×" for k, v in document["growth_400_vs_100"].items())]
    return "\n".join(lines) + "\n"
