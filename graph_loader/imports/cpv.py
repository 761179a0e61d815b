"""CPV codes as procurement categories: what a notice bought, never the capability it serves.

A contract by capability (format v1.1) and a procurement plan need a capability, and an OCDS
notice names none. The honest stand-in is the notice's own classification: one catalogue
capability per CPV division (``cpv-48``), named and noted as a procurement category, so that
``ictgraph windows`` can group contracts by what was bought until someone maps them to
real capabilities. Pure."""
from __future__ import annotations

from typing import Any

__all__ = ["ICT_PREFIXES", "category_entry", "category_of", "is_selected"]

# ICT divisions and groups of the Common Procurement Vocabulary: software packages, IT services,
# computer equipment (302, not the office supplies of the rest of 30) and telecoms.
ICT_PREFIXES = ("48", "72", "302", "32")

# Official names of the CPV divisions that the ICT prefixes fall in (CPV 2008).
_DIVISIONS = {
    "30": "office and computing machinery, equipment and supplies except furniture and software packages",
    "32": "radio, television, communication, telecommunication and related equipment",
    "48": "software package and information systems",
    "72": "IT services: consulting, software development, Internet and support",
}

CATEGORY_NOTE = ("A procurement category, not a business capability: CPV codes describe what a notice "
                 "bought, not the capability it serves. ictgraph import ocds uses it only because a "
                 "contract without the systems it covers, and a procurement plan, need a capability. "
                 "Replace it with the real capabilities (or the contract's `covers`), then remove this entry.")


def is_selected(codes: tuple[str, ...], prefixes: tuple[str, ...]) -> bool:
    """Any code starts with any prefix; every notice is selected when ``prefixes`` is empty.

    >>> is_selected(("45000000", "72100000"), ICT_PREFIXES), is_selected(("30197600",), ICT_PREFIXES)
    (True, False)
    """
    return not prefixes or any(code.startswith(prefixes) for code in codes)


def category_of(codes: tuple[str, ...], prefixes: tuple[str, ...]) -> str | None:
    """The CPV division of the first selected code (the main classification comes first).

    >>> category_of(("51611100", "72100000"), ICT_PREFIXES), category_of(("44112200",), ())
    ('72', '44')
    """
    for code in codes:
        if len(code) >= 2 and code[:2].isdigit() and (not prefixes or code.startswith(prefixes)):
            return code[:2]
    return None


def category_entry(division: str) -> dict[str, Any]:
    """The catalogue capability standing for a CPV division.

    >>> category_entry("48")["id"], category_entry("48")["name"]
    ('cpv-48', 'Bought under CPV 48: software package and information systems')
    """
    what = _DIVISIONS.get(division)
    name = f"Bought under CPV {division}: {what}" if what else f"Bought under CPV division {division}"
    return {"id": f"cpv-{division}", "name": name, "notes": CATEGORY_NOTE}
