"""Read OCDS release packages into plain, typed notices. Pure apart from :func:`read_release_files`.

Only what the notice gives is kept; nothing is filled in. Dates keep the calendar day the
publisher wrote: ``2025-05-31T23:59:59+01:00`` is 2025-05-31 (converting to UTC would move
a contract's last day to the day before). Packages may be release packages
(``{"releases": [...]}``), record packages (``{"records": [{"compiledRelease"|"releases"}]}``),
a list of releases or one release."""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ictgraph.graph_loader.errors import UsageError
from ictgraph.graph_loader.imports.names import company_number

__all__ = ["Award", "Notice", "Period", "SupplierRef", "ocds_date", "read_notice", "read_release_files"]

_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})")
_NOTICE_DOCUMENTS = ("awardNotice", "contractNotice", "tenderNotice", "plannedProcurementNotice")


@dataclass(frozen=True)
class Period:
    """A contract period and the OCDS field it was read from."""

    start: dt.date | None
    end: dt.date | None
    max_end: dt.date | None
    source: str


@dataclass(frozen=True, order=True)
class SupplierRef:
    """A supplier as the notice names it, with its Companies House number when given."""

    name: str
    company_number: str | None = None


@dataclass(frozen=True)
class Award:
    id: str
    status: str | None
    suppliers: tuple[SupplierRef, ...]
    value: float | None
    currency: str | None
    period: Period | None


@dataclass(frozen=True)
class Notice:
    """One OCDS release, reduced to what an inventory can use."""

    ocid: str
    release_id: str
    published: str
    date: dt.date
    tags: tuple[str, ...]
    buyer: str | None
    title: str | None
    cpv: tuple[str, ...]
    tender_value: float | None
    tender_currency: str | None
    tender_period: Period | None
    expected: tuple[dt.date, str] | None
    awards: tuple[Award, ...]
    url: str | None
    source: str


def ocds_date(value: Any) -> dt.date | None:
    """The calendar day of an OCDS date-time, as written (no time-zone conversion).

    >>> ocds_date("2025-05-31T23:59:59+01:00"), ocds_date("2024-12-22T00:00:00Z"), ocds_date("soon")
    (datetime.date(2025, 5, 31), datetime.date(2024, 12, 22), None)
    """
    match = _DAY.match(value) if isinstance(value, str) else None
    try:
        return dt.date.fromisoformat(match.group(1)) if match else None
    except ValueError:
        return None


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(value: Any) -> str | None:
    return " ".join(value.split()) or None if isinstance(value, str) else None


def _amount(value: Any) -> tuple[float | None, str | None]:
    money = _mapping(value)
    amount = money.get("amount")
    if isinstance(amount, bool) or not isinstance(amount, (int, float)):
        return None, None
    return (int(amount) if float(amount).is_integer() else float(amount)), _text(money.get("currency"))


def _period(raw: Any, source: str) -> Period | None:
    period = _mapping(raw)
    start, end = ocds_date(period.get("startDate")), ocds_date(period.get("endDate"))
    max_end = ocds_date(period.get("maxExtentDate"))
    return Period(start, end, max_end, source) if start or end else None


def _cpv_codes(tender: dict[str, Any]) -> tuple[str, ...]:
    found = [_mapping(tender.get("classification"))]
    found += _list(tender.get("additionalClassifications"))
    for item in _list(tender.get("items")):
        found += [_mapping(_mapping(item).get("classification"))] + _list(_mapping(item).get("additionalClassifications"))
    codes = [str(_mapping(c).get("id") or "").strip() for c in found
             if str(_mapping(c).get("scheme") or "CPV").upper() == "CPV"]
    return tuple(dict.fromkeys(c for c in codes if c))


def _suppliers(award: dict[str, Any], parties: dict[str, dict[str, Any]]) -> tuple[SupplierRef, ...]:
    refs = []
    for supplier in _list(award.get("suppliers")):
        supplier = _mapping(supplier)
        party = parties.get(str(supplier.get("id")), {})
        name = _text(supplier.get("name")) or _text(party.get("name"))
        identifier = _mapping(party.get("identifier"))
        number = company_number(identifier.get("scheme"), str(identifier.get("id") or "") or None)
        if number is None and str(supplier.get("id") or "").startswith("GB-COH-"):
            number = company_number("GB-COH", str(supplier["id"])[len("GB-COH-"):])
        if name:
            refs.append(SupplierRef(name, number))
    return tuple(refs)


def _award_period(award: dict[str, Any], contracts: list[Any]) -> Period | None:
    for contract in contracts:
        contract = _mapping(contract)
        if str(contract.get("awardID")) == str(award.get("id")) and (p := _period(contract.get("period"), "contracts[].period")):
            return p
    return _period(award.get("contractPeriod"), "awards[].contractPeriod")


def _awards(release: dict[str, Any]) -> tuple[Award, ...]:
    parties = {str(_mapping(p).get("id")): _mapping(p) for p in _list(release.get("parties"))}
    contracts = _list(release.get("contracts"))
    awards = []
    for index, raw in enumerate(_list(release.get("awards"))):
        raw = _mapping(raw)
        value, currency = _amount(raw.get("value"))
        awards.append(Award(str(raw.get("id") or f"{release.get('ocid')}-award-{index + 1}"),
                            _text(raw.get("status")), _suppliers(raw, parties), value, currency,
                            _award_period(raw, contracts)))
    return tuple(awards)


def _expected(tender: dict[str, Any], released: dt.date) -> tuple[dt.date, str] | None:
    """When a planned procurement is expected, from the first field the notice gives."""
    starts = [("tender.contractPeriod.startDate", _mapping(tender.get("contractPeriod")).get("startDate"))]
    starts += [("tender.lots[].contractPeriod.startDate", _mapping(_mapping(lot).get("contractPeriod")).get("startDate"))
               for lot in _list(tender.get("lots"))]
    starts += [("tender.awardPeriod.startDate", _mapping(tender.get("awardPeriod")).get("startDate")),
               ("tender.tenderPeriod.endDate", _mapping(tender.get("tenderPeriod")).get("endDate"))]
    for source, value in starts:
        if day := ocds_date(value):
            return day, source
    return released, "the notice's date"


def _url(release: dict[str, Any]) -> str | None:
    documents = [d for a in _list(release.get("awards")) for d in _list(_mapping(a).get("documents"))]
    documents += _list(_mapping(release.get("tender")).get("documents"))
    for document in map(_mapping, documents):
        if document.get("documentType") in _NOTICE_DOCUMENTS and isinstance(document.get("url"), str):
            return str(document["url"])
    return None


def read_notice(release: dict[str, Any], source: str) -> Notice | None:
    """One release as a :class:`Notice`; None without an ``ocid`` or a date."""
    ocid, released = _text(release.get("ocid")), ocds_date(release.get("date"))
    if ocid is None or released is None:
        return None
    tender = _mapping(release.get("tender"))
    tags = tuple(str(t) for t in _list(release.get("tag")))
    value, currency = _amount(tender.get("value"))
    release_id = _text(release.get("id")) or f"{ocid}|{release.get('date')}|{','.join(tags)}"
    return Notice(
        ocid=ocid, release_id=release_id, published=str(release.get("date")), date=released, tags=tags,
        buyer=_text(_mapping(release.get("buyer")).get("name")),
        title=_text(tender.get("title")) or _text(release.get("title")), cpv=_cpv_codes(tender),
        tender_value=value, tender_currency=currency,
        tender_period=_period(tender.get("contractPeriod"), "tender.contractPeriod"),
        expected=_expected(tender, released), awards=_awards(release), url=_url(release), source=source)


def _releases(document: Any) -> list[Any]:
    if isinstance(document, list):
        return document
    body = _mapping(document)
    if "releases" in body:
        return _list(body["releases"])
    if "records" in body:
        found: list[Any] = []
        for record in map(_mapping, _list(body["records"])):
            found += [record["compiledRelease"]] if "compiledRelease" in record else _list(record.get("releases"))
        return found
    return [body] if "ocid" in body else []


def read_release_files(paths: list[Path]) -> tuple[list[Notice], int]:
    """Every notice in the given files, and how many releases had no ocid or date."""
    notices: list[Notice] = []
    unreadable = 0
    for path in paths:
        try:
            document = json.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise UsageError(f'cannot read OCDS file "{path}": {exc}',
                             "give OCDS release or record packages as JSON files") from exc
        for release in _releases(document):
            notice = read_notice(_mapping(release), path.name)
            if notice is None:
                unreadable += 1
            else:
                notices.append(notice)
    return notices, unreadable
