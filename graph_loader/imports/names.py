"""Name folding for matching public data to ids: councils, suppliers, slugs. Pure.

Public data spells one body many ways ("The North Yorkshire Council", "SOMERSET COUNCIL",
"Civica Uk Ltd.", "CIVICA UK LIMITED"). Folding makes such spellings compare equal without
guessing: only case, accents, punctuation, ``&``/``and``, a leading "the" and (for suppliers)
legal suffixes are dropped. Nothing here is fuzzy: similarity is for report hints only."""
from __future__ import annotations

import hashlib
import html
import re
import unicodedata

__all__ = [
    "company_number", "core_council_name", "fold_name", "fold_supplier",
    "local_id", "slugify", "split_suppliers",
]

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_LEGAL_SUFFIXES = ("public limited company", "limited", "ltd", "plc", "llp", "llc", "inc",
                   "cic", "cyfyngedig", "cyf", "co ltd")
# Words that name a council's kind rather than the place it serves; dropped to compare the
# place ("London Borough of Harrow" and "Harrow Council" both serve "harrow").
_COUNCIL_WORDS = frozenset({"council", "borough", "county", "city", "district", "metropolitan",
                            "of", "and", "royal", "london", "cbc", "mbc", "cyngor", "sir", "the",
                            "corporation", "authority", "unitary", "ua"})
_LOCAL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def fold_name(text: str) -> str:
    """Case, accents, punctuation and a leading "the" folded away; ``&`` reads "and".

    >>> fold_name("The City & County of Swansea"), fold_name("Ynys Môn")
    ('city and county of swansea', 'ynys mon')
    """
    plain = unicodedata.normalize("NFKD", html.unescape(text)).encode("ascii", "ignore").decode()
    folded = _NON_ALNUM.sub(" ", plain.lower().replace("&", " and ")).strip()
    return folded.removeprefix("the ")


def core_council_name(text: str) -> str:
    """The place a council's name serves, without the words for its kind.

    >>> core_council_name("London Borough of Harrow"), core_council_name("Rhondda Cynon Taf CBC")
    ('harrow', 'rhondda cynon taf')
    """
    return " ".join(w for w in fold_name(text).split() if w not in _COUNCIL_WORDS)


def fold_supplier(text: str) -> str:
    """A supplier name folded for matching: :func:`fold_name` less legal suffixes.

    >>> fold_supplier("Civica Uk Ltd."), fold_supplier("CIVICA UK LIMITED"), fold_supplier("Proactis Tenders     Limited")
    ('civica uk', 'civica uk', 'proactis tenders')
    """
    folded = fold_name(text)
    changed = True
    while changed:
        changed = False
        for suffix in _LEGAL_SUFFIXES:
            if folded.endswith(" " + suffix):
                folded, changed = folded[: -len(suffix) - 1].rstrip(), True
    return folded


def _ends_with_legal_suffix(part: str) -> bool:
    folded = fold_name(part)
    return any(folded.endswith(" " + s) for s in _LEGAL_SUFFIXES)


def _is_suffix_or_trading_name(part: str) -> bool:
    folded = fold_name(part)
    return folded in _LEGAL_SUFFIXES or folded.startswith(("t a ", "ta ", "trading as "))


def _split_after_suffix(piece: str) -> list[str]:
    parts: list[str] = []
    for part in piece.split(", "):
        if parts and not (_ends_with_legal_suffix(parts[-1]) and not _is_suffix_or_trading_name(part)):
            parts[-1] = f"{parts[-1]}, {part}"
        else:
            parts.append(part)
    return parts


def split_suppliers(field: str) -> list[str]:
    """Several suppliers written in one field, one name each.

    Splits on ``;``, ``|`` and new lines; on a comma with no space after it (the join of
    Contracts Finder exports); and on ", " after a name that ends in a legal suffix, unless
    what follows is itself a suffix or a trading name. "Ernst & Young LLP" and
    "Baker, Lomax & Shackley Limited" stay whole. A leading "Lot N -" is dropped.

    >>> split_suppliers("Lea Hough,Sanderson Weatherall")
    ['Lea Hough', 'Sanderson Weatherall']
    >>> split_suppliers("Alpha Ltd, Beta Limited; Gamma plc")
    ['Alpha Ltd', 'Beta Limited', 'Gamma plc']
    >>> split_suppliers("John Wade Groundworks Ltd, T/a Wade Group")
    ['John Wade Groundworks Ltd, T/a Wade Group']
    """
    parts: list[str] = []
    for chunk in re.split(r"[;|\n]+", html.unescape(field)):
        for piece in re.split(r",(?=\S)", chunk):
            parts += _split_after_suffix(piece)
    cleaned = [re.sub(r"^\s*lot\s*\d+\s*[-–:]\s*", "", p, flags=re.IGNORECASE).strip() for p in parts]
    return [p for p in cleaned if p]


def company_number(scheme: str | None, identifier: str | None) -> str | None:
    """A Companies House number from an OCDS identifier (scheme ``GB-COH``), zero-padded.

    >>> company_number("GB-COH", "454323"), company_number("GB-COH", "oc300001"), company_number("GB-SRS", "1")
    ('00454323', 'OC300001', None)
    """
    if scheme != "GB-COH" or not identifier:
        return None
    text = re.sub(r"\s+", "", identifier).upper()
    return text.zfill(8) if text.isdigit() else text


def slugify(text: str, limit: int = 60) -> str:
    """A catalogue slug (``^[a-z0-9][a-z0-9-]*$``) of ``text``; never empty.

    >>> slugify("Objective Corporation UK Ltd"), slugify("Ynys Môn & Co")
    ('objective-corporation-uk-ltd', 'ynys-mon-and-co')
    """
    slug = fold_name(text).replace(" ", "-")[:limit].strip("-")
    return slug or "x-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def local_id(text: str) -> str:
    """``text`` itself when it is a valid local id, else a readable, stable stand-in.

    >>> local_id("ocds-b5fd17-0cb0-1"), local_id("Lot 1 / phase 2")
    ('ocds-b5fd17-0cb0-1', 'lot-1-phase-2')
    """
    if _LOCAL_ID.match(text):
        return text
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-._")
    if slug and len(slug) <= 64 and _LOCAL_ID.match(slug):
        return slug.lower()
    return f"{slug[:48].lower().strip('-._')}-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:8]}".lstrip("-")

