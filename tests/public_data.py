"""The public data the tests read: small extracts kept in the repository
(``tests/data/public/``, each with its SOURCE.md), and the full data sets in the directory
that ``ICTGRAPH_PUBLIC_DATA`` names.

Tests over the full sets carry the mark ``public_data``; without the variable they are not
collected (``tests/conftest.py``), and the pytest header says so. ``.ci/run`` always sets it.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ENV = "ICTGRAPH_PUBLIC_DATA"
EXTRACTS = Path(__file__).resolve().parent / "data" / "public"
REGISTER = Path("mysociety_uk_local_authorities") / "uk_local_authorities_current.csv"
OCDS = Path("apa999_uk_ocds_portal_samples")
OFLOG = Path("oflog_adult_social_care") / "adult_social_care_measures.csv"

# Parametrize a fixture with these to run its tests on the extract always, and on the full set
# when it is there.
SOURCES = ["extract", pytest.param("full", marks=pytest.mark.public_data)]


def full_data() -> Path:
    """The directory of the full data sets (only tests marked ``public_data`` reach this)."""
    value = os.environ.get(ENV)
    if not value:
        raise RuntimeError(f"{ENV} is not set: a test that reads the full public data must be marked public_data")
    return Path(value)


def data_dir(source: str) -> Path:
    """``"extract"``: the repository's extracts; ``"full"``: the full data sets."""
    return EXTRACTS if source == "extract" else full_data()


def register(source: str = "extract") -> Path:
    """mySociety's register of UK local authorities (the extract or the whole file)."""
    return data_dir(source) / REGISTER


def ocds_files(source: str = "extract") -> list[Path]:
    """The OCDS release packages (Contracts Finder, Sell2Wales, Public Contracts Scotland)."""
    return sorted((data_dir(source) / OCDS).glob("*.json"))


def oflog_measures(source: str = "extract") -> Path:
    """Oflog's adult social care measures, one row per year, authority and measure."""
    return data_dir(source) / OFLOG
