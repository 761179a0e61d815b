"""The generated estate as inventory-format YAML text, written line by line (faster than a
YAML dumper at national scale, and every value is a slug, a number, a date or a JSON-quoted
name, so the text is valid YAML by construction)."""
from __future__ import annotations

import json
import random

from ictgraph.graph_loader.generate.catalogue import SKILLS, VENDORS, Catalogue
from ictgraph.graph_loader.generate.estate import System, month_end
from ictgraph.graph_loader.generate.organisations import Organisation

FORMAT = "format: ictgraph/v1"


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def catalogue_text(catalogue: Catalogue) -> str:
    """The catalogue document."""
    lines = [FORMAT, "catalogue:", "  vendors:"]
    for vendor in VENDORS:
        lines += [f"    - id: {vendor}", f"      name: {_q(vendor.replace('-', ' ').title())}"]
    lines.append("  products:")
    for product, name, vendor, skill in catalogue.product_rows:
        lines += [f"    - id: {product}", f"      name: {_q(name)}", f"      vendor: {vendor}"]
        if skill:
            lines.append(f"      requires_skills: [{skill}]")
    lines.append("  capabilities:")
    for capability, name, parent in catalogue.capabilities:
        lines += [f"    - id: {capability}", f"      name: {_q(name)}"]
        if parent:
            lines.append(f"      parent: {parent}")
    lines.append("  skills:")
    for skill, name in SKILLS:
        lines += [f"    - id: {skill}", f"      name: {_q(name)}"]
    return "\n".join(lines) + "\n"


def _organisation_lines(org: Organisation) -> list[str]:
    lines = [FORMAT, "organisation:", f"  id: {org.id}", f"  name: {_q(org.name)}", f"  type: {org.type}",
             f"  nation: {org.nation}", f"  region: {_q(org.region)}", f"  population: {org.population}"]
    if org.neighbours:
        lines.append(f"  neighbours: [{', '.join(org.neighbours)}]")
    return lines


def _system_lines(system: System) -> list[str]:
    lines = [f"  - id: {system.id}", f"    name: {_q(system.capability.replace('-', ' ').capitalize())}",
             f"    capabilities: [{system.capability}]", f"    hosting: {system.hosting}"]
    if system.host:
        lines.append(f"    host: {system.host}")
    elif system.product is None:
        lines.append("    bespoke: true")
    else:
        lines.append(f"    product: {system.product}")
    if system.hosting == "on-premise":
        lines.append("    datacentre: dc1")
    lines += [f"    users: {system.users}", f"    annual_cost: {system.annual_cost}"]
    if system.integrates_with:
        lines.append(f"    integrates_with: [{system.integrates_with}]")
    return lines


def _contract_lines(rng: random.Random, system: System) -> list[str]:
    assert system.end is not None and system.product is not None
    end = month_end(*system.end)
    start = end.replace(year=end.year - rng.randint(3, 7), day=1)
    return [f"  - id: c-{system.capability}", f"    supplier: {system.product.split('/')[0]}",
            f"    covers: [{system.id}]", f"    start: {start.isoformat()}", f"    end: {end.isoformat()}",
            f"    notice_months: {rng.choice((3, 6, 9, 12))}",
            f"    annual_value: {system.annual_cost * rng.randint(6, 10) // 10}"]


def _estate_lines(rng: random.Random, org: Organisation, systems: list[System], datacentre: bool) -> list[str]:
    lines = []
    if datacentre:
        racks = rng.randint(10, 60)
        lines += ["datacentres:", "  - id: dc1", f"    name: {_q(org.name + ' data centre')}",
                  f"    racks: {racks}", f"    racks_used: {rng.randint(1, racks)}",
                  f"    annual_cost: {rng.randint(50, 600) * 1000}"]
    lines += ["networks:", "  - id: psn", '    name: "Public Services Network connection"', "    kind: psn",
              "  - id: wan", '    name: "Wide area network"', "    kind: wan",
              f"    provider: {rng.choice(('bt', 'computacenter'))}"]
    skills = sorted(rng.sample([s for s, _ in SKILLS], 2))
    lines += ["people:"] + [f"  - skill: {s}\n    fte: {rng.randint(1, 8) / 2}" for s in skills]
    lines += ["  - role: head-of-ict", "    fte: 1", "policies:", "  - id: infosec",
              '    name: "Information security policy"', "    standard: iso-27001",
              f"    reviewed: 202{rng.randint(3, 5)}-0{rng.randint(1, 9)}-01"]
    if rng.random() < 0.3:
        capability = rng.choice(systems).capability
        lines += ["procurement_plans:", "  - id: plan-1", f"    capabilities: [{capability}]",
                  f"    expected: {rng.randint(2026, 2031)}-{rng.randint(1, 12):02d}",
                  f"    estimated_value: {rng.randint(1, 40) * 50_000}",
                  f"    open_to_partners: {'true' if rng.random() < 0.5 else 'false'}"]
    return lines


def inventory_text(rng: random.Random, org: Organisation, systems: list[System], datacentre: bool) -> str:
    """One organisation's inventory document."""
    lines = _organisation_lines(org) + ["systems:"]
    for system in systems:
        lines += _system_lines(system)
    contracted = [s for s in systems if s.end is not None]
    if contracted:
        lines.append("contracts:")
        for system in contracted:
            lines += _contract_lines(rng, system)
    lines += _estate_lines(rng, org, systems, datacentre)
    return "\n".join(lines) + "\n"
