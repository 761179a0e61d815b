"""Existing catalogues that imports resolve names to: read, and indexed by folded name."""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

from ictgraph.graph_loader.errors import UsageError
from ictgraph.graph_loader.imports.names import fold_name
from ictgraph.graph_loader.imports.vendors import KnownVendor
from ictgraph.graph_loader.sources import find_estate_files

__all__ = ["known_names", "known_vendors", "read_catalogues"]


def read_catalogues(paths: list[Path]) -> tuple[list[Any], list[tuple[str, bytes]]]:
    """Parsed documents and raw bytes of existing catalogue files, or of every YAML file under
    a directory (an import's output is validated together with them)."""
    documents, raw = [], []
    for path in find_estate_files(paths) if paths else []:
        try:
            data = path.read_bytes()
            documents += [d for d in yaml.safe_load_all(data) if isinstance(d, dict)]
        except (OSError, yaml.YAMLError) as exc:
            raise UsageError(f'cannot read the catalogue "{path}": {exc}',
                             "give a catalogue YAML file that `ictgraph validate` accepts") from exc
        raw.append((path.as_posix(), data))
    return documents, raw


def known_names(documents: list[Any], section: str) -> dict[str, str]:
    """Folded id, name and aliases → id, for one catalogue section of the given documents."""
    found: dict[str, str] = {}
    for document in documents:
        for entry in ((document.get("catalogue") or {}).get(section) or []):
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                for name in (entry["id"], entry.get("name"), *(entry.get("aliases") or [])):
                    if isinstance(name, str):
                        found.setdefault(fold_name(name), entry["id"])
    return found


def known_vendors(catalogue_documents: list[Any]) -> list[KnownVendor]:
    """The vendors of parsed catalogue documents (``catalogue.vendors`` entries)."""
    found: dict[str, set[str]] = defaultdict(set)
    for document in catalogue_documents:
        catalogue = document.get("catalogue") if isinstance(document, dict) else None
        for vendor in (catalogue or {}).get("vendors") or []:
            if isinstance(vendor, dict) and isinstance(vendor.get("id"), str):
                names = [vendor.get("name"), *(vendor.get("aliases") or [])]
                found[vendor["id"]].update(n for n in names if isinstance(n, str))
    return [KnownVendor(vid, tuple(sorted(names))) for vid, names in sorted(found.items())]
