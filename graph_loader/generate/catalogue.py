"""The generated catalogue: a capability tree modelled on the sample estate's, vendors, and
products with a skewed (Zipf) market share per capability.

Pure: a seeded :class:`random.Random` in, plain data out.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass

# The sample catalogue's leaf capabilities, by the tier of council that delivers them.
# "common" areas are run by every council; county and district areas by the two tiers of
# two-tier England; every other type (unitary, metropolitan, London, Wales, Scotland,
# Northern Ireland) runs both.
AREAS: dict[str, tuple[tuple[str, str, str | None], ...]] = {
    "common": (
        ("finance", "Financial management", None),
        ("hr-payroll", "HR and payroll", None),
        ("customer-contact", "Customer contact and case management", None),
        ("records-management", "Document and records management", None),
        ("gis", "Geographic information systems", None),
        ("productivity", "Email and office productivity", None),
        ("ict-infrastructure", "ICT infrastructure", None),
        ("democratic-services", "Committee management and democratic services", None),
    ),
    "county": (
        ("adult-social-care", "Adult social care", None),
        ("childrens-social-care", "Children's social care", None),
        ("school-admissions", "School admissions", "education"),
        ("send", "Special educational needs and disabilities", "education"),
        ("highways", "Highways and street works", None),
        ("waste-disposal", "Waste disposal", "waste"),
        ("libraries", "Libraries", None),
        ("trading-standards", "Trading standards", "regulatory-services"),
    ),
    "district": (
        ("council-tax", "Council tax billing and collection", "revenues-and-benefits"),
        ("business-rates", "Business rates billing and collection", "revenues-and-benefits"),
        ("housing-benefit", "Housing benefit and council tax reduction", "revenues-and-benefits"),
        ("development-management", "Development management", "planning"),
        ("building-control", "Building control", "planning"),
        ("land-charges", "Local land charges", "planning"),
        ("environmental-health", "Environmental health", "regulatory-services"),
        ("licensing", "Licensing", "regulatory-services"),
        ("waste-collection", "Waste collection", "waste"),
        ("housing-management", "Housing management", "housing"),
        ("elections", "Elections and electoral registration", None),
    ),
}
GROUPS = {
    "education": "Education", "waste": "Waste", "regulatory-services": "Regulatory services",
    "revenues-and-benefits": "Revenues and benefits", "planning": "Planning", "housing": "Housing",
}
VENDORS = (
    "agile-applications", "arcus-global", "bartec", "brightly", "bt", "capita", "careworks", "civica",
    "computacenter", "democracy-counts", "esri-uk", "granicus", "idox", "jadu", "mayrise", "mhr",
    "microsoft", "nec", "netcall", "olm", "oracle", "phoenix-software", "ptfs-europe", "salesforce",
    "sap", "servelec", "sirsidynix", "symology", "system-c", "tascomi", "technologyone", "unit4",
    "whitespace", "yotta", "zellis",
)
SKILLS = (
    ("cyber-security", "Cyber security"), ("gis-analyst", "GIS analysis"),
    ("m365-admin", "Microsoft 365 administration"), ("network-engineer", "Network engineering"),
    ("oracle-dba", "Oracle database administration"), ("sql-server-dba", "SQL Server database administration"),
)
TIERS = {"county": ("common", "county"), "district": ("common", "district"),
         "all-purpose": ("common", "county", "district")}


@dataclass(frozen=True)
class Catalogue:
    """The generated catalogue.

    ``capabilities`` rows are ``(id, name, parent)``; ``leaves[tier]`` the leaf capabilities
    a council of that tier may run, sorted; ``products[capability]`` its products in
    market-share order with their Zipf weights; ``products_rows`` ``(id, name, vendor, skill)``.
    """

    capabilities: list[tuple[str, str, str | None]]
    leaves: dict[str, list[str]]
    products: dict[str, tuple[list[str], list[float]]]
    product_rows: list[tuple[str, str, str, str | None]]


def zipf_weights(count: int, exponent: float) -> list[float]:
    """Market-share weights of ``count`` products, the r-th proportional to 1 / r^exponent.

    >>> zipf_weights(3, 1.0)
    [1.0, 0.5, 0.3333333333333333]
    """
    return [1.0 / (rank + 1) ** exponent for rank in range(count)]


def sub_capabilities_per_area(systems_per_org: int) -> int:
    """Sub-capabilities under each area, so that the smallest tier has one per system.

    >>> sub_capabilities_per_area(400), sub_capabilities_per_area(10)
    (25, 1)
    """
    smallest = min(sum(len(AREAS[group]) for group in groups) for groups in TIERS.values())
    return max(1, math.ceil(systems_per_org / smallest))


def build_catalogue(rng: random.Random, systems_per_org: int, zipf_exponent: float) -> Catalogue:
    """The capability tree (group → area → numbered leaves), and 3–8 products per leaf."""
    per_area = sub_capabilities_per_area(systems_per_org)
    rows: list[tuple[str, str, str | None]] = [(g, name, None) for g, name in sorted(GROUPS.items())]
    by_group: dict[str, list[str]] = {}
    for group, areas in AREAS.items():
        for area, name, parent in areas:
            rows.append((area, name, parent))
            for n in range(1, per_area + 1):
                rows.append((f"{area}-{n:02d}", f"{name}, function {n:02d}", area))
                by_group.setdefault(group, []).append(f"{area}-{n:02d}")
    leaves = {tier: sorted(c for g in groups for c in by_group[g]) for tier, groups in TIERS.items()}
    products: dict[str, tuple[list[str], list[float]]] = {}
    product_rows: list[tuple[str, str, str, str | None]] = []
    for capability in sorted(c for cs in by_group.values() for c in cs):
        ids = []
        for p in range(1, rng.randint(3, 8) + 1):
            vendor = rng.choice(VENDORS)
            skill = rng.choice(SKILLS)[0] if rng.random() < 0.2 else None
            ids.append(f"{vendor}/{capability}-p{p}")
            product_rows.append((ids[-1], f"{capability} suite {p}", vendor, skill))
        products[capability] = (ids, zipf_weights(len(ids), zipf_exponent))
    return Catalogue(rows, leaves, products, sorted(product_rows))
