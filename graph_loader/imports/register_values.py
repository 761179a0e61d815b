"""Application registers as councils keep them: columns guessed from headers, cell values
read into the format's types. Pure.

Each parser returns the value or ``None``; a cell that has text but no readable value is
reported by the caller, never guessed at ("Cloud" could be SaaS, public or private cloud)."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from ictgraph.graph_loader.imports.names import fold_name

__all__ = [
    "FIELDS",
    "HOSTING_VALUES",
    "cell_text",
    "guess_columns",
    "parse_date",
    "parse_hosting",
    "parse_money",
    "parse_users",
]

# The register's fields, each with the headers that name it (compared folded).
FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("application", "application name", "app", "app name", "system", "system name", "name",
             "solution", "application system"),
    "supplier": ("supplier", "supplier name", "vendor", "vendor name", "provider", "company", "manufacturer",
                 "developer", "software supplier"),
    "product": ("product", "product name", "software", "package", "software package", "software product"),
    "service_area": ("service area", "service areas", "service", "services", "department", "directorate",
                     "business area", "business unit", "service team", "function", "business function",
                     "capability", "capabilities"),
    "hosting": ("hosting", "hosted", "hosting model", "hosting type", "hosting arrangement", "deployment",
                "deployment model", "hosted where", "on premise or cloud"),
    "contract_start": ("contract start", "contract start date", "start date", "contract from"),
    "contract_end": ("contract end", "contract end date", "end date", "contract expiry", "contract expiry date",
                     "expiry", "expiry date", "expires", "renewal date", "contract renewal date", "contract to"),
    "annual_cost": ("annual cost", "cost", "cost per year", "yearly cost", "annual spend", "annual charge",
                    "support cost", "annual support cost", "annual maintenance", "annual licence cost",
                    "annual license cost", "annual cost gbp", "annual value"),
    "users": ("users", "number of users", "no of users", "user count", "named users", "licences", "licenses",
              "number of licences", "number of licenses", "no of licences"),
}

# Register wording to the format's hosting values; ambiguous words ("cloud", "hosted") are left out.
HOSTING_VALUES: dict[str, str] = {
    **dict.fromkeys(("on premise", "on premises", "on prem", "onprem", "on site", "onsite", "in house",
                     "internal", "council data centre", "data centre", "datacentre", "server room",
                     "local server"), "on-premise"),
    **dict.fromkeys(("saas", "software as a service", "supplier hosted", "hosted by supplier", "vendor hosted",
                     "hosted by vendor", "cloud saas", "saas cloud"), "saas"),
    **dict.fromkeys(("public cloud", "azure", "microsoft azure", "aws", "amazon web services", "gcp",
                     "google cloud", "iaas"), "public-cloud"),
    **dict.fromkeys(("private cloud",), "private-cloud"),
}
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
                                        "oct", "nov", "dec"), start=1)}


def cell_text(value: Any) -> str:
    """A cell as trimmed text ('' for empty cells)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def guess_columns(headers: Sequence[str]) -> dict[str, int]:
    """Field → column index, from the headers: an exact (folded) synonym first, then the
    longest synonym of several words found inside a header ("Total annual cost (£, ex VAT)").
    One-word synonyms match whole headers only ("Cost centre" is not a cost).

    >>> guess_columns(["Application", "Supplier", "Total annual cost (£, ex VAT)", "Cost centre"])
    {'name': 0, 'supplier': 1, 'annual_cost': 2}
    """
    folded = [fold_name(h) for h in headers]
    found: dict[str, int] = {}
    for exact in (True, False):
        for field, synonyms in FIELDS.items():
            if field in found:
                continue
            scored = [(len(s), -i) for i, h in enumerate(folded) if i not in found.values()
                      for s in synonyms if (h == s if exact else " " in s and f" {s} " in f" {h} ")]
            if scored:  # the longest synonym wins, then the leftmost column
                found[field] = -max(scored)[1]
    return dict(sorted(found.items(), key=lambda kv: kv[1]))


def parse_money(value: Any) -> float | int | None:
    """An amount: numbers, "£12,000", "12,000.50", "12k", "1.2m"; None if unreadable.

    >>> parse_money("£12,000"), parse_money("12.5k"), parse_money("about 3000"), parse_money(250.0)
    (12000, 12500, None, 250)
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        match = re.fullmatch(r"(?:£|gbp)?\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*([km])?", cell_text(value).lower())
        if not match:
            return None
        number = float(match.group(1).replace(",", "")) * {"k": 1e3, "m": 1e6, None: 1}[match.group(2)]
    if number < 0:
        return None
    return int(number) if number.is_integer() else round(number, 2)


def parse_users(value: Any) -> int | None:
    """A whole, non-negative number of users; None otherwise ("c. 200" is not one).

    >>> parse_users("1,200"), parse_users(35.0), parse_users("c. 200")
    (1200, 35, None)
    """
    if isinstance(value, str) and not re.fullmatch(r"[0-9][0-9,]*", value.strip()):
        return None
    number = parse_money(value)
    return int(number) if isinstance(number, (int, float)) and float(number).is_integer() else None


def parse_date(value: Any) -> dt.date | None:
    """A date: ISO, day-first numbers (UK registers: 31/03/2026), "31 March 2026", or a
    spreadsheet date; None otherwise (a month alone is not a date).

    >>> parse_date("31/03/2026"), parse_date("2026-03-31"), parse_date("31 Mar 2026"), parse_date("Mar-26")
    (datetime.date(2026, 3, 31), datetime.date(2026, 3, 31), datetime.date(2026, 3, 31), None)
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value).lower()
    patterns = ((r"(\d{4})-(\d{1,2})-(\d{1,2})", (1, 2, 3)), (r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", (3, 2, 1)))
    for pattern, (y, m, d) in patterns:
        if match := re.fullmatch(pattern, text):
            return _day(int(match.group(y)), int(match.group(m)), int(match.group(d)))
    if match := re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)? ([a-z]{3})[a-z]* (\d{4})", text):
        month = _MONTHS.get(match.group(2))
        return _day(int(match.group(3)), month, int(match.group(1))) if month else None
    return None


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_hosting(value: Any, extra: dict[str, str] | None = None) -> str | None:
    """The format's hosting value for a register's wording; None when unknown or ambiguous.

    >>> parse_hosting("On-Premise"), parse_hosting("Cloud"), parse_hosting("Cloud", {"cloud": "saas"})
    ('on-premise', None, 'saas')
    """
    key = fold_name(cell_text(value))
    allowed = set(HOSTING_VALUES.values())
    if key in allowed or key.replace(" ", "-") in allowed:
        return key.replace(" ", "-")
    return {**HOSTING_VALUES, **{fold_name(k): v for k, v in (extra or {}).items()}}.get(key)
