"""Levels of service in a shared-platform suggestion: each joiner's latest level on the move's
capabilities beside the lead's, and a flag in the rationale when the lead's is worse.

A step gains ``service``: ``[{"measure", "period", "value", "lead_value", "lead_period",
"compared"}]``, one entry per measure of the step's capabilities (a measure's own
``capability``, exactly; measures by capability, then id) that the member or the lead has a
value for; a side without one is null. ``compared`` is the member's latest value against the
lead's latest by the measure's direction (:func:`queries.service_levels.compare_levels`):
``"better"`` means the member's service is better than the lead's, so that the move is onto a
platform run by an organisation with a worse service; null when either value is missing or
the measure's ``better`` is ``none``. The key is present only on steps with at least one such
entry, so that an estate without measures gives the same suggestions as before.

The rationale gains one line per such member, for example "Flag: Council L's service is worse
than Council M (M)'s on 2 of 3 measures of Adult social care (…)": measures counted where both
values are known and the measure has a direction. The programme drops the flags of the
members it leaves out (:func:`drop_flags`).
"""
from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from ictgraph.queries.service_levels import ServiceIndex, compare_levels
from ictgraph.queries.suggest.candidates import EstateView

__all__ = ["add_service", "drop_flags", "service_flag", "step_service"]


def step_service(index: ServiceIndex, organisation: str, lead: str,
                 capabilities: Sequence[str]) -> list[dict[str, Any]]:
    """The member's latest level beside the lead's for each measure of ``capabilities``."""
    entries = []
    for capability in sorted(capabilities):
        for measure in index.by_capability.get(capability, ()):
            mine, theirs = index.level(organisation, measure.id), index.level(lead, measure.id)
            if mine is None and theirs is None:
                continue
            compared = None if mine is None or theirs is None else compare_levels(mine[1], theirs[1], measure.better)
            period, value = mine or (None, None)
            lead_period, lead_value = theirs or (None, None)
            entries.append({"measure": measure.id, "period": period, "value": value, "lead_value": lead_value,
                            "lead_period": lead_period, "compared": compared})
    return entries


def _detail(index: ServiceIndex, entry: Mapping[str, Any]) -> str:
    name = index.measures[entry["measure"]].name
    return (f"{name}: {entry['lead_value']:g} in {entry['lead_period']} against "
            f"{entry['value']:g} in {entry['period']}")


def service_flag(view: EstateView, lead: str, step: Mapping[str, Any]) -> str | None:
    """The rationale's flag for one step, or None when the lead's service is nowhere worse."""
    compared = [e for e in step.get("service", ()) if e["compared"] is not None]
    worse = [e for e in compared if e["compared"] == "better"]
    if not worse:
        return None
    index = view.service
    capabilities = sorted({view.name("Capability", index.measures[e["measure"]].capability or "") for e in compared})
    noun = "measure" if len(compared) == 1 else "measures"
    return (f"Flag: {view.name('Organisation', lead)}'s service is worse than "
            f"{view.name('Organisation', step['organisation'])}{_marker(step['organisation'])} {len(worse)} of "
            f"{len(compared)} {noun} of "
            f"{', '.join(capabilities)} ({'; '.join(_detail(index, e) for e in worse)}).")


def _marker(organisation: str) -> str:
    return f" ({organisation})'s on"


def drop_flags(rationale: Sequence[str], organisations: Collection[str]) -> list[str]:
    """The rationale without the flags of ``organisations`` (members a programme leaves out).

    >>> drop_flags(["Flag: A's service is worse than B (b)'s on 1 of 1 measure of X (…).", "Other."], {"b"})
    ['Other.']
    """
    return [line for line in rationale
            if not (line.startswith("Flag: ") and any(_marker(org) in line for org in organisations))]


def add_service(view: EstateView, suggestion: dict[str, Any]) -> dict[str, Any]:
    """The suggestion with ``service`` on its steps and the flags in its rationale (in place).

    Notes
    -----
    O(s·k) for s steps and k measures of their capabilities: the levels are indexed once per
    estate (:func:`queries.service_levels.service_index`).
    """
    if not view.service.latest:
        return suggestion
    for step in suggestion["steps"]:
        service = step_service(view.service, step["organisation"], suggestion["lead"], step["capabilities"])
        if service:
            step["service"] = service
    flags = [flag for step in suggestion["steps"] if (flag := service_flag(view, suggestion["lead"], step))]
    suggestion["rationale"] = [*suggestion["rationale"], *flags]
    return suggestion
